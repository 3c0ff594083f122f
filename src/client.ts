// The client app developers import: create, retrieve, wait, generate and download video tasks,
// on top of openapi-fetch (exposed as `raw`) and the SDK's transport (key, timeouts, retries).
import createClient, { type Client } from "openapi-fetch";
import { checkDownloadable, videoSource } from "./download.js";
import {
  APIConnectionError,
  APIError,
  APIUserAbortError,
  apiErrorFrom,
  InvalidOptionError,
  InvalidResponseError,
  KlingVideoError,
  VideoRequestValidationError,
  VideoUrlExpiredError,
} from "./errors.js";
import { withImagesAsText } from "./images.js";
import {
  checkApiKey,
  checkBaseUrl,
  checkDuration,
  checkRetries,
  fromEnvironment,
  inBrowser,
  isLoopback,
} from "./options.js";
import { DEFAULTS } from "./policy.js";
import { createRedactor } from "./redact.js";
import { fromLegacyTask, taskFromBody } from "./task.js";
import { type Fetch, type RequestOptions, type SendOptions, Transport } from "./transport.js";
import type { CreateVideoTaskInput, LegacyTask, paths, VideoTask } from "./types.js";
import { type WaitOptions, waitForTask, withTaskId } from "./wait.js";

export interface VideoClientOptions {
  /**
   * The gateway's base URL (a trailing /v1 is dropped), e.g. https://gateway.example.com; the
   * local mock is http://127.0.0.1:4010. Default: the KLING_VIDEO_BASE_URL environment variable.
   */
  baseUrl?: string;
  /**
   * The gateway API key, sent as `Authorization: Bearer <key>` to the gateway only. Default: the
   * KLING_VIDEO_API_KEY environment variable. `""` sends none (a server-side proxy adds it).
   */
  apiKey?: string;
  /** A fetch implementation, called as fetch(url, init) (default: the global fetch). */
  fetch?: Fetch;
  /** Timeout of each HTTP attempt in ms (default 60 s); for a download, the longest silence between chunks. */
  timeoutMs?: number;
  /** Retries of a failed request where retrying is safe (default 2). */
  maxRetries?: number;
  /** Check bodies against the spec before sending (default true). `false` lets a bundler drop the validator. */
  validate?: boolean;
  /** Headers added to every API request (e.g. `Prefer` for the Prism mock). */
  headers?: Record<string, string>;
  /** Allow sending the key over plain http:// to a host other than this machine (default false). */
  allowInsecureHttp?: boolean;
  /**
   * Allow a key in a browser page, where every visitor can read it (default false). Prefer a
   * server-side proxy that adds the key, and give the client `apiKey: ""`.
   */
  dangerouslyAllowBrowser?: boolean;
}

export type { RequestOptions };

export interface GenerateOptions extends WaitOptions {
  /** Called as soon as the task exists, before waiting: store `task.id` to resume after a crash. */
  onCreated?: (task: VideoTask) => unknown;
}

export class VideoClient {
  /** The underlying openapi-fetch client, typed from the spec (with the SDK's key, timeouts and retries). */
  readonly raw: Client<paths>;
  readonly #transport: Transport;
  readonly #base: URL;
  readonly #validate: boolean;
  /** Set once the gateway turned out to serve only the older task route. */
  #legacyRoute = false;

  constructor(options: VideoClientOptions = {}) {
    const apiKey = checkApiKey(
      options.apiKey ?? fromEnvironment("KLING_VIDEO_API_KEY") ?? missing("apiKey", "KLING_VIDEO_API_KEY"),
    );
    const baseUrl =
      options.baseUrl ?? fromEnvironment("KLING_VIDEO_BASE_URL") ?? missing("baseUrl", "KLING_VIDEO_BASE_URL");
    this.#base = checkBaseUrl(baseUrl, {
      sendsKey: apiKey !== "",
      allowInsecureHttp: options.allowInsecureHttp ?? false,
    });
    if (apiKey && inBrowser() && !options.dangerouslyAllowBrowser && !isLoopback(this.#base)) {
      throw new InvalidOptionError(
        "apiKey",
        'in a browser page is readable by every visitor: keep it on a server that adds it (give the client apiKey: ""), or pass dangerouslyAllowBrowser: true',
      );
    }
    this.#transport = new Transport({
      origin: this.#base.origin,
      apiKey,
      fetch: options.fetch,
      timeoutMs: checkDuration("timeoutMs", options.timeoutMs ?? DEFAULTS.timeoutMs),
      maxRetries: checkRetries(options.maxRetries ?? DEFAULTS.maxRetries),
      redactor: createRedactor(apiKey),
    });
    this.#validate = options.validate ?? true;
    this.raw = createClient<paths>({
      baseUrl: this.#base.href.replace(/\/+$/, ""),
      headers: options.headers,
      fetch: (request) => this.#transport.send(request, { authorize: true, read: "auto" }),
    });
  }

  /**
   * Starts a video task. The body is checked against the spec first: an invalid body throws
   * VideoRequestValidationError and nothing is sent. A create is never resent once the gateway
   * may have received it; when it fails after that point, the error's `taskMayExist` is true.
   */
  async create(body: CreateVideoTaskInput, options: RequestOptions = {}): Promise<VideoTask> {
    const request = await withImagesAsText(body);
    const serialized = serialize(request);
    if (this.#validate) {
      const { checkCreateVideoTaskRequest } = await import("./validation.js");
      const issues = checkCreateVideoTaskRequest(serialized === undefined ? undefined : JSON.parse(serialized));
      if (issues.length > 0) throw new VideoRequestValidationError(issues);
    }
    try {
      const { data, error, response } = await this.raw.POST("/v1/video/generations", {
        body: request,
        bodySerializer: () => serialized,
        parseAs: "text",
        signal: options.signal,
        // The transport sends the string it already has instead of reading it back from the Request.
        fetch: (sent: Request) => this.#send(sent, options, { read: "json", body: serialized }),
      });
      return taskFromBody(parsed(data, error, response), response, request.model);
    } catch (error) {
      throw markTaskMayExist(error);
    }
  }

  /** The task's current state, from whichever task route the gateway serves. */
  async retrieve(taskId: string, options: RequestOptions = {}): Promise<VideoTask> {
    return (await this.#poll(checkTaskId(taskId), options)).task;
  }

  /** Polls until the task is completed (returned) or failed (VideoTaskFailedError), within a deadline. */
  async wait(taskId: string, options: WaitOptions = {}): Promise<VideoTask> {
    const id = checkTaskId(taskId);
    return waitForTask((pollId, signal) => this.#poll(pollId, { signal, maxRetries: 0 }), id, options);
  }

  /** create + wait. Every error after the task exists carries `taskId`, so `wait(taskId)` can resume. */
  async generate(body: CreateVideoTaskInput, options: GenerateOptions = {}): Promise<VideoTask> {
    const { onCreated, ...waitOptions } = options;
    const task = await this.create(body, { signal: options.signal });
    try {
      const id = checkTaskId(task.id);
      return await waitForTask(
        (pollId, signal) => this.#poll(pollId, { signal, maxRetries: 0 }),
        id,
        waitOptions,
        () => onCreated?.(task),
      );
    } catch (error) {
      throw withTaskId(error, task.id);
    }
  }

  /**
   * The finished video as a streamable Response (its body stops with an error after `timeoutMs`
   * without data, or when `signal` fires). Given an id, the task is retrieved first. The video is
   * fetched from `video_url`, else `metadata.url`, else the gateway's content route; only the
   * gateway gets the API key. An expired storage URL (403/404/410) throws VideoUrlExpiredError.
   */
  async download(taskOrId: VideoTask | string, options: RequestOptions = {}): Promise<Response> {
    const task = typeof taskOrId === "string" ? await this.retrieve(taskOrId, options) : taskOrId;
    try {
      checkDownloadable(task);
      const source = videoSource(task, this.#base);
      let response: Response;
      let errorBody: unknown;
      if (source) {
        response = await this.#send(new Request(source.url, { signal: options.signal }), options, {
          read: "stream",
          authorize: source.gateway,
        });
        if (!response.ok) errorBody = await response.text();
      } else {
        ({ response, error: errorBody } = await this.raw.GET("/v1/videos/{task_id}/content", {
          params: { path: { task_id: checkTaskId(task.id) } },
          parseAs: "stream",
          signal: options.signal,
          fetch: (sent: Request) => this.#send(sent, options, { read: "stream" }),
        }));
      }
      if (response.ok) return response;
      if (source && !source.gateway && [403, 404, 410].includes(response.status))
        throw new VideoUrlExpiredError(response.status);
      throw apiErrorFrom(response.status, response.headers, parseJson(errorBody));
    } catch (error) {
      throw withTaskId(error, task.id);
    }
  }

  #send(
    request: Request,
    options: RequestOptions,
    send: Partial<SendOptions> & Pick<SendOptions, "read">,
  ): Promise<Response> {
    const { signal, timeoutMs, maxRetries } = options;
    return this.#transport.send(request, { authorize: true, signal, timeoutMs, maxRetries, ...send });
  }

  async #poll(taskId: string, options: RequestOptions): Promise<{ task: VideoTask; headers: Headers }> {
    if (!this.#legacyRoute) {
      const { data, error, response } = await this.raw.GET("/v1/videos/{task_id}", {
        params: { path: { task_id: taskId } },
        parseAs: "text",
        signal: options.signal,
        fetch: (sent: Request) => this.#send(sent, options, { read: "json" }),
      });
      if (!isRouteMissing(response, error))
        return { task: taskFromBody(parsed(data, error, response), response), headers: response.headers };
      this.#legacyRoute = true; // an older new-api: only GET /v1/video/generations/{task_id} exists
    }
    const { data, error, response } = await this.raw.GET("/v1/video/generations/{task_id}", {
      params: { path: { task_id: taskId } },
      parseAs: "text",
      signal: options.signal,
      fetch: (sent: Request) => this.#send(sent, options, { read: "json" }),
    });
    const envelope = parsed(data, error, response) as { data?: LegacyTask } | undefined;
    if (!envelope?.data || typeof envelope.data !== "object" || typeof envelope.data.task_id !== "string") {
      throw new InvalidResponseError(`The gateway answered ${response.status} without a task`, response);
    }
    return { task: fromLegacyTask(envelope.data), headers: response.headers };
  }
}

/** A client for the gateway; with no options, configured from KLING_VIDEO_BASE_URL and KLING_VIDEO_API_KEY. */
export function createVideoClient(options: VideoClientOptions = {}): VideoClient {
  return new VideoClient(options);
}

/** The body of a 2xx answer, parsed; an error status becomes the right APIError. */
function parsed(data: string | undefined, error: unknown, response: Response): unknown {
  if (!response.ok) throw apiErrorFrom(response.status, response.headers, parseJson(error));
  try {
    return data ? JSON.parse(data) : undefined;
  } catch (cause) {
    throw new InvalidResponseError(
      `The gateway answered ${response.status} with a body that is not valid JSON`,
      response,
      { cause },
    );
  }
}

function parseJson(text: unknown): unknown {
  if (typeof text !== "string") return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A 404 for the path itself, not for a task: gin's plain text, or new-api's NoRoute JSON (router/web-router.go). */
function isRouteMissing(response: Response, error: unknown): boolean {
  if (response.status !== 404) return false;
  // openapi-fetch hands over an error body already parsed when it is JSON.
  const body = parseJson(error);
  if (typeof body === "string") return body.trim() === "404 page not found";
  const message = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
  return typeof message === "string" && message.startsWith("Invalid URL (");
}

/** Failures after which the gateway may hold (and bill) a task whose id never arrived. */
function markTaskMayExist(error: unknown): unknown {
  if (!(error instanceof KlingVideoError)) return error;
  const reached =
    error instanceof APIConnectionError || error instanceof APIUserAbortError
      ? !error.notSent
      : error instanceof InvalidResponseError ||
        (error instanceof APIError && (error.status >= 500 || error.status === 408));
  if (reached) {
    error.taskMayExist = true;
    error.message +=
      ". A task may have been created, and billed, without its id reaching you: check the gateway's task log before creating it again";
  }
  return error;
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

function missing(option: string, variable: string): never {
  throw new InvalidOptionError(option, `is required: pass ${option}, or set the ${variable} environment variable`);
}

/** A task id that can stand in a URL path: "." and ".." would be collapsed into another path, lone surrogates cannot be encoded. */
function checkTaskId(taskId: unknown): string {
  const usable =
    typeof taskId === "string" && taskId !== "" && taskId !== "." && taskId !== ".." && taskId.isWellFormed();
  if (!usable)
    throw new InvalidOptionError(
      "taskId",
      `must be a non-empty string usable in a URL, got ${JSON.stringify(String(taskId)).slice(0, 100)}`,
    );
  return taskId;
}
