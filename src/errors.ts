// Error classes a caller can `instanceof`. None of them ever holds the API key: they are built
// from what the server sent (redacted by the transport) and the SDK's own words.
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

/** The gateway answered with an error status (or a redirect, which API requests never follow). */
export class APIError extends KlingVideoError {
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
  override name = "BadRequestError";
}
export class AuthenticationError extends APIError {
  override name = "AuthenticationError";
}
export class PermissionDeniedError extends APIError {
  override name = "PermissionDeniedError";
}
/** No such task (a 404, or new-api's 400 `task_not_exist`), or an API path the gateway does not serve. */
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

const CLASS_BY_STATUS: Record<number, typeof APIError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

/** new-api answers an unknown task id with 400 and this code (controller/relay.go). */
const TASK_NOT_FOUND_CODE = "task_not_exist";

/** The right APIError subclass for an error response, with a short message even for HTML bodies. */
export function apiErrorFrom(status: number, headers: Headers, body: unknown): APIError {
  const code = errorFields(body).code;
  const ErrorClass =
    code === TASK_NOT_FOUND_CODE
      ? NotFoundError
      : status >= 500
        ? InternalServerError
        : (CLASS_BY_STATUS[status] ?? APIError);
  const redirect =
    status >= 300 && status < 400
      ? ` (a redirect to ${headers.get("location") ?? "an unknown place"}; API requests do not follow redirects: check baseUrl)`
      : "";
  return new ErrorClass({ status, headers, body, message: `${status} ${describeBody(body)}${redirect}` });
}

/** The server's words, from either error shape or a bare page, in at most 200 characters. */
export function describeBody(body: unknown): string {
  const message = errorFields(body).message;
  if (typeof message === "string" && message.trim()) return clip(message.trim());
  if (typeof body !== "string" || !body.trim()) return "(no error message in the response)";
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
  if (title) return `${clip(title)} (HTML error page)`;
  // [^<>] stops each match at the next "<": linear time, even for a body of nothing but "<".
  return clip(
    body
      .replace(/<[^<>]*>/g, " ")
      .replace(/\s+/g, " ")
      .trim(),
  );
}

/** At most 200 characters of a server's text. */
export const clip = (text: string) => (text.length > 200 ? `${text.slice(0, 200)}…` : text);

/**
 * The fields of either error shape gateways send: OpenAI's `{error: {message, type, code, param}}`
 * (new-api's auth and channel errors), or new-api's task errors `{code, message, data}`; also
 * `{message}` and problem+json `{detail, title}`.
 */
function errorFields(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== "object") return {};
  const fields = body as Record<string, unknown>;
  const inner = fields.error;
  if (inner && typeof inner === "object") return inner as Record<string, unknown>;
  if (typeof inner === "string") return { message: inner };
  return { code: fields.code, message: fields.message ?? fields.detail ?? fields.title };
}

function requestIdOf(headers: Headers): string | null {
  return headers.get("x-request-id") ?? headers.get("x-oneapi-request-id");
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : null;
}
