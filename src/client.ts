// The client app developers import: create, retrieve, wait, generate and download video tasks,
// on top of openapi-fetch (exposed as `raw`) and the SDK's transport (key, timeouts, retries).
import createClient, { type Client } from "openapi-fetch";
import { checkBaseUrl } from "./base-url.js";
import {
  apiErrorFrom,
  InvalidResponseError,
  KlingVideoError,
  VideoRequestValidationError,
  VideoUrlExpiredError,
} from "./errors.js";
import { discardBody, Transport, type Fetch } from "./transport.js";
import type { CreateVideoTaskRequest, paths, VideoTask } from "./types.js";
import { checkCreateVideoTaskRequest } from "./validation.js";
import { waitForTask, withTaskId, type WaitOptions } from "./wait.js";

export interface VideoClientOptions {
  /** The gateway's base URL, without /v1 (e.g. https://gateway.example.com; the local mock is http://127.0.0.1:4010). */
  baseUrl: string;
  /** The gateway API key, sent as `Authorization: Bearer <key>`. */
  apiKey: string;
  /** A fetch implementation, called as fetch(url, init) (default: the global fetch). */
  fetch?: Fetch;
  /** Timeout of each HTTP attempt in ms (default 60 s). */
  timeoutMs?: number;
  /** Retries of a failed request where retrying is safe (default 2). */
  maxRetries?: number;
  /** Check bodies against the spec before sending (default true). */
  validate?: boolean;
  /** Headers added to every API request (e.g. `Prefer` for the Prism mock). */
  headers?: Record<string, string>;
  /** Allow sending the key over plain http:// to a host other than this machine (default false). */
  allowInsecureHttp?: boolean;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface GenerateOptions extends WaitOptions {
  /** Called as soon as the task exists, before waiting: store `task.id` to resume after a crash. */
  onCreated?: (task: VideoTask) => void | Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_RETRIES = 2;

export class VideoClient {
  /** The underlying openapi-fetch client, typed from the spec (with the SDK's key, timeouts and retries). */
  readonly raw: Client<paths>;
  readonly #transport: Transport;
  readonly #validate: boolean;

  constructor(options: VideoClientOptions) {
    if (typeof options.apiKey !== "string") throw new KlingVideoError("apiKey must be a string");
    const baseUrl = checkBaseUrl(options.baseUrl, {
      sendsKey: options.apiKey !== "",
      allowInsecureHttp: options.allowInsecureHttp ?? false,
    });
    this.#transport = new Transport({
      apiKey: options.apiKey,
      fetch: options.fetch,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    });
    this.#validate = options.validate ?? true;
    const transport = this.#transport;
    this.raw = createClient<paths>({
      baseUrl: baseUrl.href.replace(/\/+$/, ""),
      headers: options.headers,
      fetch: (request) => transport.send(request, { authorize: true, buffer: true }),
    });
  }

  /**
   * Starts a video task. The body is checked against the spec first: an invalid body throws
   * VideoRequestValidationError and nothing is sent. A create is never resent once the gateway
   * may have received it (see README, "Retries").
   */
  async create(body: CreateVideoTaskRequest, options: RequestOptions = {}): Promise<VideoTask> {
    const serialized = serialize(body);
    if (this.#validate) {
      const issues = checkCreateVideoTaskRequest(serialized === undefined ? undefined : JSON.parse(serialized));
      if (issues.length > 0) throw new VideoRequestValidationError(issues);
    }
    const result = await this.raw.POST("/v1/video/generations", {
      body,
      bodySerializer: () => serialized,
      signal: options.signal,
      parseAs: "text",
      // The transport sends the string it already has instead of reading it back from the Request.
      fetch: (request) => this.#transport.send(request, { authorize: true, buffer: true, body: serialized }),
    });
    return taskFrom(result);
  }

  /** The task's current state. */
  async retrieve(taskId: string, options: RequestOptions = {}): Promise<VideoTask> {
    return (await this.#poll(taskId, options.signal)).task;
  }

  /** Polls until the task is completed (returned) or failed (VideoTaskFailedError), within a deadline. */
  async wait(taskId: string, options: WaitOptions = {}): Promise<VideoTask> {
    checkTaskId(taskId);
    return waitForTask((id, signal) => this.#poll(id, signal), taskId, options);
  }

  /** create + wait. Every error after the task exists carries `taskId`, so `wait(taskId)` can resume. */
  async generate(body: CreateVideoTaskRequest, options: GenerateOptions = {}): Promise<VideoTask> {
    const { onCreated, ...waitOptions } = options;
    const task = await this.create(body, { signal: options.signal });
    try {
      await onCreated?.(task);
      return await this.wait(task.id, waitOptions);
    } catch (error) {
      throw withTaskId(error, task.id);
    }
  }

  /**
   * Fetches the finished video as a streamable Response. The API key is not sent: the video
   * lives on a storage host. An expired URL (403/404/410) throws VideoUrlExpiredError.
   */
  async download(taskOrUrl: VideoTask | string, options: RequestOptions = {}): Promise<Response> {
    const task = typeof taskOrUrl === "string" ? undefined : taskOrUrl;
    const url = typeof taskOrUrl === "string" ? taskOrUrl : taskOrUrl.video_url;
    if (!url) {
      throw new KlingVideoError(`Video task ${task?.id} has no video_url yet (status ${task?.status}): wait for it first`, {
        taskId: task?.id,
      });
    }
    const response = await this.#transport.send(new Request(url, { signal: options.signal }), { authorize: false, buffer: false });
    if (response.ok) return response;
    if (response.status === 403 || response.status === 404 || response.status === 410) {
      discardBody(response);
      throw new VideoUrlExpiredError(response.status, { taskId: task?.id });
    }
    throw withTaskId(apiErrorFrom(response.status, response.headers, await response.text()), task?.id ?? "");
  }

  async #poll(taskId: string, signal: AbortSignal | undefined): Promise<{ task: VideoTask; response: Response }> {
    checkTaskId(taskId);
    const result = await this.raw.GET("/v1/videos/{task_id}", { params: { path: { task_id: taskId } }, signal, parseAs: "text" });
    return { task: taskFrom(result), response: result.response };
  }
}

export function createVideoClient(options: VideoClientOptions): VideoClient {
  return new VideoClient(options);
}

interface FetchResult {
  data?: string;
  error?: unknown;
  response: Response;
}

/** The task in a response: an error status becomes the right APIError, a body without a task an InvalidResponseError. */
function taskFrom({ data, error, response }: FetchResult): VideoTask {
  if (!response.ok) throw apiErrorFrom(response.status, response.headers, error);
  let task: Partial<VideoTask> | undefined;
  try {
    task = data ? (JSON.parse(data) as Partial<VideoTask>) : undefined;
  } catch (cause) {
    throw new InvalidResponseError(`The gateway answered ${response.status} with a body that is not valid JSON`, response, { cause });
  }
  if (!task || typeof task !== "object" || typeof task.id !== "string" || task.id === "") {
    throw new InvalidResponseError(`The gateway answered ${response.status} without a task id`, response);
  }
  return task as VideoTask;
}

function serialize(body: unknown): string | undefined {
  try {
    return JSON.stringify(body);
  } catch (error) {
    throw new VideoRequestValidationError([
      { path: "", rule: "json", message: `the request body cannot be sent as JSON: ${(error as Error).message}` },
    ]);
  }
}

function checkTaskId(taskId: unknown): asserts taskId is string {
  if (typeof taskId !== "string" || taskId === "") throw new KlingVideoError(`taskId must be a non-empty string, got ${JSON.stringify(taskId)}`);
}
