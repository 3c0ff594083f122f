// Error classes a caller can `instanceof`. None of them ever holds the API key: they are built
// from the response (status, headers, body) and the SDK's own words only.
import type { VideoTask, VideoTaskError } from "./types.js";

/** Base class of every error the SDK throws. */
export class KlingVideoError extends Error {
  override name = "KlingVideoError";
  /** The task this error concerns, when one exists: resume with `client.wait(taskId)`. */
  taskId: string | undefined;

  constructor(message: string, options: { cause?: unknown; taskId?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.taskId = options.taskId;
  }
}

export interface ApiErrorDetails {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or the body text when it was not JSON. */
  body: unknown;
  message: string;
}

/** The gateway answered with an error status. */
export class APIError extends KlingVideoError {
  override name = "APIError";
  readonly status: number;
  /** `error.code` of the body, e.g. "insufficient_quota". */
  readonly code: string | null;
  /** `error.type` of the body, e.g. "invalid_request_error". */
  readonly type: string | null;
  /** `error.param` of the body: the request field at fault. */
  readonly param: string | null;
  /** The gateway's `x-request-id`: quote it when reporting a problem. */
  readonly requestId: string | null;
  readonly headers: Headers;
  /** The raw error body (parsed JSON, or text). */
  readonly body: unknown;

  constructor(details: ApiErrorDetails) {
    super(details.message);
    const error = errorObject(details.body);
    this.status = details.status;
    this.code = stringOrNull(error?.code);
    this.type = stringOrNull(error?.type);
    this.param = stringOrNull(error?.param);
    this.requestId = details.headers.get("x-request-id");
    this.headers = details.headers;
    this.body = details.body;
  }

  toJSON(): Record<string, unknown> {
    const { name, message, status, code, type, param, requestId, taskId } = this;
    return { name, message, status, code, type, param, requestId, taskId };
  }
}

export class BadRequestError extends APIError {
  override name = "BadRequestError";
}
export class AuthenticationError extends APIError {
  override name = "AuthenticationError";
}
export class PermissionDeniedError extends APIError {
  override name = "PermissionDeniedError";
}
export class NotFoundError extends APIError {
  override name = "NotFoundError";
}
export class UnprocessableEntityError extends APIError {
  override name = "UnprocessableEntityError";
}
export class RateLimitError extends APIError {
  override name = "RateLimitError";
}
export class InternalServerError extends APIError {
  override name = "InternalServerError";
}

/** The request did not get a complete answer (refused, reset, DNS, cut body...). */
export class APIConnectionError extends KlingVideoError {
  override name = "APIConnectionError";
  /** True when the request provably never reached the server (refused, DNS): safe to resend. */
  readonly notSent: boolean;

  constructor(message: string, options: { cause?: unknown; notSent?: boolean } = {}) {
    super(message, options);
    this.notSent = options.notSent ?? false;
  }
}

/** One request took longer than `timeoutMs`. */
export class APIConnectionTimeoutError extends APIConnectionError {
  override name = "APIConnectionTimeoutError";
}

/** The gateway answered 2xx, but not with a usable task (not JSON, or no task id). */
export class InvalidResponseError extends KlingVideoError {
  override name = "InvalidResponseError";
  readonly status: number;
  readonly requestId: string | null;

  constructor(message: string, response: Response, options: { cause?: unknown } = {}) {
    super(message, options);
    this.status = response.status;
    this.requestId = response.headers.get("x-request-id");
  }
}

/** The caller's AbortSignal fired. */
export class APIUserAbortError extends KlingVideoError {
  override name = "APIUserAbortError";
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
    const reason = task.error ? `${task.error.message}${task.error.code ? ` (${task.error.code})` : ""}` : "no reason given";
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
    const seen = lastTask ? `last status ${lastTask.status}${lastTask.progress === undefined ? "" : ` ${lastTask.progress}%`}` : "no status seen";
    super(`Video task ${taskId} did not finish within ${timeoutMs} ms (${seen}); resume with wait("${taskId}")`, { taskId, cause });
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
      `The video URL has expired or was removed (storage answered ${status}). Retrieve the task again for a fresh URL, or re-create the video.`,
      options,
    );
    this.status = status;
  }
}

const CLASS_BY_STATUS: Record<number, typeof APIError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

/** The right APIError subclass for an error response, with a short message even for HTML bodies. */
export function apiErrorFrom(status: number, headers: Headers, body: unknown): APIError {
  const ErrorClass = status >= 500 ? InternalServerError : (CLASS_BY_STATUS[status] ?? APIError);
  return new ErrorClass({ status, headers, body, message: `${status} ${describeBody(body)}` });
}

function describeBody(body: unknown): string {
  const error = errorObject(body);
  if (typeof error?.message === "string" && error.message) return error.message;
  // Not the spec's shape, but a message all the same: {"message"} or problem+json {"detail", "title"}.
  const fields = body && typeof body === "object" ? (body as Record<string, unknown>) : {};
  for (const key of ["message", "detail", "title"]) {
    if (typeof fields[key] === "string" && fields[key]) return fields[key];
  }
  if (typeof body !== "string" || !body.trim()) return "(no error message in the response)";
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
  if (title) return `${title} (HTML error page)`;
  const text = body.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function errorObject(body: unknown): Record<string, unknown> | undefined {
  if (body && typeof body === "object" && "error" in body) {
    const error = (body as { error: unknown }).error;
    if (error && typeof error === "object") return error as Record<string, unknown>;
    if (typeof error === "string") return { message: error };
  }
  return undefined;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : null;
}
