// When a request may be sent again, and after how long. A POST that the server may have taken
// is never resent: a second create would start (and bill) a second video.

const INITIAL_DELAY_MS = 500;
const MAX_BACKOFF_MS = 8_000;
/** The longest server-requested wait the SDK sits through before giving the error back. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** Whether the method is safe to resend whatever happened to the first attempt. */
export function isIdempotent(method: string): boolean {
  return method === "GET" || method === "HEAD" || method === "OPTIONS";
}

/** Statuses worth another attempt. For a POST only 429: the server refused it without acting. */
export function isRetryableStatus(status: number, method: string): boolean {
  if (status === 429) return true;
  return isIdempotent(method) && (status === 408 || status >= 500);
}

/** Exponential backoff: 0.5 s x 2^n, capped at 8 s, minus up to 25% jitter. */
export function backoffDelayMs(retryIndex: number, random: () => number = Math.random): number {
  const base = Math.min(INITIAL_DELAY_MS * 2 ** retryIndex, MAX_BACKOFF_MS);
  return Math.round(base * (1 - 0.25 * random()));
}

/**
 * The wait the server asked for, from `retry-after-ms` (milliseconds) or `Retry-After`
 * (seconds or an HTTP date); undefined when it asked for none or sent nonsense.
 */
export function serverRetryDelayMs(headers: Headers, now: number = Date.now()): number | undefined {
  const milliseconds = headers.get("retry-after-ms");
  if (milliseconds !== null && /^\s*\d+(\.\d+)?\s*$/.test(milliseconds)) return Number(milliseconds);
  const retryAfter = headers.get("retry-after");
  if (retryAfter === null) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(retryAfter)) return Number(retryAfter) * 1000;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
