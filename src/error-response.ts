// An error answer as the right APIError: the class whose static `status` matches (every 5xx is
// an InternalServerError), new-api's 400 `task_not_exist` as a NotFoundError, and a short
// message even for an HTML page.
import { clip, errorFields } from "./error-fields.js";
import * as errors from "./errors.js";
import { APIError, InternalServerError, NotFoundError } from "./errors.js";

/** new-api answers an unknown task id with 400 and this code (controller/relay.go). */
const TASK_NOT_FOUND_CODE = "task_not_exist";

const byStatus = new Map<number, typeof APIError>(
  Object.values(errors)
    .filter((value): value is typeof APIError => typeof value === "function" && value.prototype instanceof APIError)
    .filter((ErrorClass) => ErrorClass.status !== undefined)
    .map((ErrorClass) => [ErrorClass.status as number, ErrorClass]),
);

/** The right APIError subclass for an error response, with a short message even for HTML bodies. */
export function apiErrorFrom(status: number, headers: Headers, body: unknown): APIError {
  const ErrorClass =
    errorFields(body).code === TASK_NOT_FOUND_CODE
      ? NotFoundError
      : (byStatus.get(status) ?? (status >= 500 ? InternalServerError : APIError));
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
  // [^<>] stops each match at the next "<": linear time, even for a body of nothing but "<" or "<title".
  const title = /<title[^<>]*>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
  if (title) return `${clip(title)} (HTML error page)`;
  return clip(
    body
      .replace(/<[^<>]*>/g, " ")
      .replace(/\s+/g, " ")
      .trim(),
  );
}
