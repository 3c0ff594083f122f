// Error classes a caller can `instanceof`. None of them ever holds the API key: they are built
// from what the server sent (redacted by the transport) and the SDK's own words.
import { errorFields, requestIdOf } from "./error-fields.js";
import type { VideoTask, VideoTaskError } from "./types.js";

/** What an error says when a create failed after the gateway may have received it (taskMayExist). */
export const TASK_MAY_EXIST_NOTE =
  "A task may have been created, and billed, without its id reaching you: check the gateway's task log (or its dashboard) before creating it again";

/** Base class of every error the SDK throws. */
export class KlingVideoError extends Error {
  override name = "KlingVideoError";
  /** The task this error concerns, when one exists: resume with `client.wait(taskId)`. */
  taskId: string | undefined;
  /**
   * True when a create failed after the gateway may have received it: a task may exist, and be
   * billed, without its id. Check the gateway's task log before creating again.
   */
  taskMayExist = false;

  constructor(message: string, options: { cause?: unknown; taskId?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.taskId = options.taskId;
  }
}

/** An option given to the client or a call is unusable (a malformed key, a base URL with a password...). */
export class InvalidOptionError extends KlingVideoError {
  override name = "InvalidOptionError";
  /** The option at fault: "apiKey", "baseUrl", "pollIntervalMs"... */
  readonly option: string;

  constructor(option: string, message: string) {
    super(`${option} ${message}`);
    this.option = option;
  }
}

export interface ApiErrorDetails {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or the body text when it was not JSON. */
  body: unknown;
  message: string;
}

/**
 * The gateway answered with an error status (or a redirect, which API requests never follow).
 * A subclass with a static `status` is what that status becomes (error-response.ts).
 */
export class APIError extends KlingVideoError {
  static readonly status: number | undefined;
  override name = "APIError";
  readonly status: number;
  /** The machine-readable reason, from either error shape: "insufficient_user_quota", "task_not_exist"... */
  readonly code: string | null;
  /** `error.type` of an OpenAI-style body, e.g. "invalid_request_error". */
  readonly type: string | null;
  /** `error.param`: the request field at fault. */
  readonly param: string | null;
  /** The gateway's request id (`x-request-id` or new-api's `X-Oneapi-Request-Id`): quote it when reporting a problem. */
  readonly requestId: string | null;
  readonly headers: Headers;
  /** The raw error body (parsed JSON, or text). */
  readonly body: unknown;

  constructor(details: ApiErrorDetails) {
    super(details.message);
    const fields = errorFields(details.body);
    this.status = details.status;
    this.code = stringOrNull(fields.code);
    this.type = stringOrNull(fields.type);
    this.param = stringOrNull(fields.param);
    this.requestId = requestIdOf(details.headers);
    this.headers = details.headers;
    this.body = details.body;
  }

  toJSON(): Record<string, unknown> {
    const { name, message, status, code, type, param, requestId, taskId, taskMayExist } = this;
    return { name, message, status, code, type, param, requestId, taskId, taskMayExist };
  }
}

export class BadRequestError extends APIError {
  /** The status it stands for. */
  static override readonly status = 400;
  override name = "BadRequestError";
}
export class AuthenticationError extends APIError {
  /** The status it stands for. */
  static override readonly status = 401;
  override name = "AuthenticationError";
}
export class PermissionDeniedError extends APIError {
  /** The status it stands for. */
  static override readonly status = 403;
  override name = "PermissionDeniedError";
}
/** No such task (a 404, or new-api's 400 `task_not_exist`), or an API path the gateway does not serve. */
export class NotFoundError extends APIError {
  /** The status it stands for. */
  static override readonly status = 404;
  override name = "NotFoundError";
}
export class UnprocessableEntityError extends APIError {
  /** The status it stands for. */
  static override readonly status = 422;
  override name = "UnprocessableEntityError";
}
export class RateLimitError extends APIError {
  /** The status it stands for. */
  static override readonly status = 429;
  override name = "RateLimitError";
}
export class InternalServerError extends APIError {
  /** The status it stands for (and every 5xx). */
  static override readonly status = 500;
  override name = "InternalServerError";
}

/** The request did not get a complete answer (refused, reset, DNS, cut body...). */
export class APIConnectionError extends KlingVideoError {
  override name = "APIConnectionError";
  /** True when the request provably never reached the server (refused, DNS): safe to resend. */
  readonly notSent: boolean;

  constructor(message: string, options: { cause?: unknown; notSent?: boolean; taskId?: string } = {}) {
    super(message, options);
    this.notSent = options.notSent ?? false;
  }
}

/** An attempt took longer than `timeoutMs` (for a download: no data for that long). */
export class APIConnectionTimeoutError extends APIConnectionError {
  override name = "APIConnectionTimeoutError";
}

/** The gateway answered 2xx, but not with something usable (not JSON, too large, no task id). */
export class InvalidResponseError extends KlingVideoError {
  override name = "InvalidResponseError";
  readonly status: number;
  readonly requestId: string | null;

  constructor(
    message: string,
    response: { status: number; headers: Headers },
    options: { cause?: unknown; taskId?: string } = {},
  ) {
    super(message, options);
    this.status = response.status;
    this.requestId = requestIdOf(response.headers);
  }
}

/** The caller's AbortSignal fired. */
export class APIUserAbortError extends KlingVideoError {
  override name = "APIUserAbortError";
  /** True when it fired before the request left (nothing reached the server). */
  readonly notSent: boolean;

  constructor(message: string, options: { cause?: unknown; notSent?: boolean; taskId?: string } = {}) {
    super(message, options);
    this.notSent = options.notSent ?? false;
  }
}

export interface ValidationIssue {
  /** Dotted path of the field ("extra_body.cfg_scale"), "" for the body itself. */
  path: string;
  /** The JSON Schema rule broken: "maximum", "enum", "required", ... */
  rule: string;
  /** Plain English: "extra_body.cfg_scale must be at most 1". */
  message: string;
}

/** The request body breaks the spec; nothing was sent. */
export class VideoRequestValidationError extends KlingVideoError {
  override name = "VideoRequestValidationError";
  readonly issues: ValidationIssue[];

  constructor(issues: ValidationIssue[]) {
    super(`Invalid video request (nothing was sent): ${issues.map((issue) => issue.message).join("; ")}`);
    this.issues = issues;
  }
}

/** The task ended with status `failed`. */
export class VideoTaskFailedError extends KlingVideoError {
  override name = "VideoTaskFailedError";
  readonly task: VideoTask;
  readonly error: VideoTaskError | null;

  constructor(task: VideoTask) {
    const reason = task.error
      ? `${task.error.message}${task.error.code ? ` (${task.error.code})` : ""}`
      : "no reason given";
    super(`Video task ${task.id} failed: ${reason}`, { taskId: task.id });
    this.task = task;
    this.error = task.error ?? null;
  }
}

/** `wait` reached its deadline before the task finished. The task may still finish. */
export class WaitTimeoutError extends KlingVideoError {
  override name = "WaitTimeoutError";
  override taskId: string;
  /** The last state seen, if any poll succeeded. */
  readonly lastTask: VideoTask | undefined;

  constructor(taskId: string, timeoutMs: number, lastTask: VideoTask | undefined, cause?: unknown) {
    const seen = lastTask ? `last status ${lastTask.status}` : "no status seen";
    super(
      `Video task ${taskId} did not finish within ${timeoutMs} ms (${seen}); it keeps running: resume with wait("${taskId}")`,
      {
        taskId,
        cause,
      },
    );
    this.taskId = taskId;
    this.lastTask = lastTask;
  }
}

/** The video URL no longer works (the storage host answered 403, 404 or 410). */
export class VideoUrlExpiredError extends KlingVideoError {
  override name = "VideoUrlExpiredError";
  readonly status: number;

  constructor(status: number, options: { taskId?: string } = {}) {
    super(
      `The video URL has expired or was removed (storage answered ${status}). Retrieve the task again for a fresh URL.`,
      options,
    );
    this.status = status;
  }
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : null;
}
