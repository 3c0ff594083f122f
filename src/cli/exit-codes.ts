// How each failure ends the process: one clear line on stderr and a distinct exit code.
import {
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  KlingVideoError,
  PermissionDeniedError,
  VideoRequestValidationError,
  VideoTaskFailedError,
  WaitTimeoutError,
} from "kling-video";

export const EXIT = { ok: 0, other: 1, usage: 2, auth: 3, taskFailed: 4, timeout: 5, interrupted: 130 } as const;

/** Thrown for bad command-line use (unknown flag values, unreadable --body...). */
export class UsageError extends Error {
  override name = "UsageError";
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError || error instanceof VideoRequestValidationError) return EXIT.usage;
  if (error instanceof AuthenticationError || error instanceof PermissionDeniedError) return EXIT.auth;
  if (error instanceof VideoTaskFailedError) return EXIT.taskFailed;
  if (error instanceof WaitTimeoutError || error instanceof APIConnectionTimeoutError) return EXIT.timeout;
  if (error instanceof APIUserAbortError) return EXIT.interrupted;
  return EXIT.other;
}

/** One line naming the field and rule (validation) or the status, code, message and request id (API). */
export function describeFailure(error: unknown): string {
  if (error instanceof VideoRequestValidationError) {
    return `invalid request, nothing was sent: ${error.issues.map((issue) => issue.message).join("; ")}`;
  }
  if (error instanceof APIError) {
    const code = error.code ? ` (${error.code})` : "";
    const requestId = error.requestId ? ` [request ${error.requestId}]` : "";
    return `${error.name} ${error.status}${code}: ${error.message.replace(/^\d{3} /, "")}${requestId}`;
  }
  if (error instanceof KlingVideoError || error instanceof UsageError) return `${error.name}: ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** The JSON form of a failure, for --json output. */
export function failureJson(error: unknown): Record<string, unknown> {
  const base =
    error instanceof Error
      ? { name: error.name, message: describeFailure(error) }
      : { name: "Error", message: String(error) };
  const extra: Record<string, unknown> = {};
  if (error instanceof KlingVideoError && error.taskId) extra.taskId = error.taskId;
  if (error instanceof APIError)
    Object.assign(extra, { status: error.status, code: error.code, requestId: error.requestId });
  if (error instanceof VideoRequestValidationError) extra.issues = error.issues;
  return { ...base, ...extra };
}
