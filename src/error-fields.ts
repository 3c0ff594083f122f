// Reading an error body, whatever shape the gateway gave it, and a request id from whichever
// header it used. No classes here: errors.ts and error-response.ts both build on it.

/**
 * The fields of either error shape gateways send: OpenAI's `{error: {message, type, code, param}}`
 * (new-api's auth and channel errors), or new-api's task errors `{code, message, data}`; also
 * `{message}` and problem+json `{detail, title}`.
 */
export function errorFields(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== "object") return {};
  const fields = body as Record<string, unknown>;
  const inner = fields.error;
  if (inner && typeof inner === "object") return inner as Record<string, unknown>;
  if (typeof inner === "string") return { message: inner };
  return { code: fields.code, message: fields.message ?? fields.detail ?? fields.title };
}

/** The request id from `x-request-id`, or new-api's `X-Oneapi-Request-Id`. */
export function requestIdOf(headers: Headers): string | null {
  return headers.get("x-request-id") ?? headers.get("x-oneapi-request-id");
}

/** At most 200 characters of a server's text. */
export const clip = (text: string) => (text.length > 200 ? `${text.slice(0, 200)}…` : text);
