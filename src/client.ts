// The client app developers import: create, retrieve, wait, generate and download video tasks,
// on top of openapi-fetch (exposed as `raw`) and the SDK's transport (key, timeouts, retries).
import createClient, { type Client } from "openapi-fetch";
import type { BatchJob, BatchSummary, GenerateManyOptions } from "./batch/types.js";
import { apiErrorFrom } from "./error-response.js";
import {
  APIConnectionError,
  APIError,
  APIUserAbortError,
  InvalidOptionError,
  InvalidResponseError,
  KlingVideoError,
  TASK_MAY_EXIST_NOTE,
  VideoRequestValidationError,
} from "./errors.js";
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
import { createRedactor, type Redactor } from "./redact.js";
import { taskFromBody } from "./task.js";
import { type Fetch, type RequestOptions, type SendOptions, Transport } from "./transport.js";
import type { CreateVideoTaskInput, CreateVideoTaskRequest, paths, VideoTask } from "./types.js";
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
  readonly #redactor: Redactor;
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
    this.#redactor = createRedactor(apiKey);
    this.#transport = new Transport({
      origin: this.#base.origin,
      apiKey,
      fetch: options.fetch,
      timeoutMs: checkDuration("timeoutMs", options.timeoutMs ?? DEFAULTS.timeoutMs),
      maxRetries: checkRetries(options.maxRetries ?? DEFAULTS.maxRetries),
      redactor: this.#redactor,
    });
    this.#validate = options.validate ?? true;
    this.raw = createClient<paths>({
      baseUrl: this.baseUrl,
      headers: options.headers,
      fetch: (request) => this.#transport.send(request, { authorize: true, read: "auto" }),
    });
  }

  /** The gateway's base URL, as the client uses it (no trailing slash or `/v1`). */
  get baseUrl(): string {
    return this.#base.href.replace(/\/+$/, "");
  }

  /**
   * Starts a video task. The body is checked against the spec first: an invalid body throws
   * VideoRequestValidationError and nothing is sent. A create is never resent once the gateway
   * may have received it; when it fails after that point, the error's `taskMayExist` is true.
   */
  async create(body: CreateVideoTaskInput, options: RequestOptions = {}): Promise<VideoTask> {
    const request = hasImageBytes(body)
      ? await (await import("./images.js")).withImagesAsText(body)
      : (body as CreateVideoTaskRequest);
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
      return taskFromBody(this.#parsed(data, error, response), response, request.model);
    } catch (error) {
      throw markTaskMayExist(error);
    }
  }

  /** The task's current state, from whichever task route the gateway serves. */
  async retrieve(taskId: string, options: RequestOptions = {}): Promise<VideoTask> {
    const id = checkTaskId(taskId);
    try {
      return (await this.#poll(id, options)).task;
    } catch (error) {
      throw withTaskId(error, id);
    }
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
   * Runs many jobs (request bodies, each with an optional `name`): create, wait and optionally
   * `save`, at most `concurrency` at once, recording each step in `journal` so that a rerun with
   * the same jobs and journal resumes. No job is created twice unless `retryUnknown` says so, and
   * no task id is lost. Resolves with one result per job, also when `signal` stopped the batch;
   * rejects only on bad options or when the journal fails (the error then has `summary`).
   */
  async generateMany(jobs: readonly BatchJob[], options: GenerateManyOptions = {}): Promise<BatchSummary> {
    // Loaded on first use: apps that never batch do not carry the engine.
    const { runBatch } = await import("./batch/engine.js");
    return runBatch(
      { create: (body, opts) => this.create(body, opts), retrieve: (id, opts) => this.retrieve(id, opts) },
      jobs,
      options,
    );
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
      // Loaded on first use: apps that play video_url themselves never carry it.
      const { downloadVideo } = await import("./download.js");
      return await downloadVideo(task, {
        base: this.#base,
        send: (url, authorize) =>
          this.#send(new Request(url, { signal: options.signal }), options, { read: "stream", authorize }),
        contentRoute: (taskId) =>
          this.raw.GET("/v1/videos/{task_id}/content", {
            params: { path: { task_id: checkTaskId(taskId) } },
            parseAs: "stream",
            signal: options.signal,
            fetch: (sent: Request) => this.#send(sent, options, { read: "stream" }),
          }),
        errorFrom: (response, body) => this.#errorFrom(response, body),
      });
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

  /**
   * The body of a 2xx answer, parsed; an error status becomes the right APIError. The key is
   * redacted again after parsing: JSON escapes (`\/`, `\u0073`) hide it from the raw text.
   */
  #parsed(data: string | undefined, error: unknown, response: Response): unknown {
    if (!response.ok) throw this.#errorFrom(response, error);
    try {
      return this.#redactor.json(data ? JSON.parse(data) : undefined);
    } catch (cause) {
      throw new InvalidResponseError(
        `The gateway answered ${response.status} with a body that is not valid JSON`,
        response,
        {
          cause,
        },
      );
    }
  }

  #errorFrom(response: Response, body: unknown): APIError {
    return apiErrorFrom(response.status, response.headers, this.#redactor.json(parseJson(body)));
  }

  async #poll(taskId: string, options: RequestOptions): Promise<{ task: VideoTask; headers: Headers }> {
    const get = (path: "/v1/videos/{task_id}" | "/v1/video/generations/{task_id}") =>
      this.raw.GET(path, {
        params: { path: { task_id: taskId } },
        parseAs: "text",
        signal: options.signal,
        fetch: (sent: Request) => this.#send(sent, options, { read: "json" }),
      });
    if (!this.#legacyRoute) {
      const { data, error, response } = await get("/v1/videos/{task_id}");
      if (!isRouteMissing(response, error))
        return { task: taskFromBody(this.#parsed(data, error, response), response), headers: response.headers };
      this.#legacyRoute = true; // an older new-api: only GET /v1/video/generations/{task_id} exists
    }
    const { data, error, response } = await get("/v1/video/generations/{task_id}");
    const envelope = this.#parsed(data, error, response);
    const { taskFromLegacyBody } = await import("./legacy-task.js");
    return { task: taskFromLegacyBody(envelope, response), headers: response.headers };
  }
}

/** A client for the gateway; with no options, configured from KLING_VIDEO_BASE_URL and KLING_VIDEO_API_KEY. */
export function createVideoClient(options: VideoClientOptions = {}): VideoClient {
  return new VideoClient(options);
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
  if (typeof error === "string") return error.trim() === "404 page not found";
  const message = (error as { error?: { message?: unknown } } | undefined)?.error?.message;
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
    error.message += `. ${TASK_MAY_EXIST_NOTE}`;
  }
  return error;
}

/**
 * Whether an image is given as bytes (sent as a data: URI by images.ts, loaded only then). Not
 * image-bytes.ts: a bundler would then load it, and the chunk it shares with images.ts, up front.
 */
function hasImageBytes(body: CreateVideoTaskInput): boolean {
  const isBytes = (value: unknown) =>
    value instanceof Uint8Array || (typeof Blob !== "undefined" && value instanceof Blob);
  return isBytes(body?.image) || isBytes(body?.last_image);
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
