// The request policy, in one place: every default, which outcomes are retried, how long to
// pause before the next attempt, and the caps that keep a hostile or broken server from
// stalling or flooding a caller. The transport and the wait loop both decide through here, and
// the CLI takes its defaults from here. A create (POST) that the gateway may have acted on is
// never resent: a second create starts, and bills, a second video.
import { APIConnectionError } from "./errors.js";

export const DEFAULTS = Object.freeze({
  /** Timeout of each HTTP attempt; for a download, also the longest silence between chunks. */
  timeoutMs: 60_000,
  /** Retries of a request where retrying is safe. */
  maxRetries: 2,
  /** Time between polls while waiting. */
  pollIntervalMs: 5_000,
  /** Deadline of a whole wait. */
  waitTimeoutMs: 20 * 60_000,
  /** The longest server-requested pause (Retry-After) the SDK sits through; a longer one ends the call. */
  maxRetryAfterMs: 60_000,
  /** JSON answers larger than this are refused, so a compressed bomb cannot exhaust memory. */
  maxJsonBytes: 4 * 1024 * 1024,
  /** Only this much of an error body is read: enough for its message. */
  maxErrorBodyBytes: 8 * 1024,
  /** generateMany: most jobs in flight at once. */
  batchConcurrency: 4,
  /**
   * generateMany: most task polls per second, all tasks together. Each poll costs about 1% of a
   * core here (Node's fetch), and new-api refreshes a task only every 15 s or so: 5 keeps waiting
   * on any number of tasks well under a tenth of a core.
   */
  batchPollsPerSecond: 5,
});

const INITIAL_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 8_000;

/** What an attempt ended with: an answer (status and headers), or a connection failure. */
export type Outcome = { status: number; headers: Headers } | APIConnectionError;

/** Whether the method is safe to resend whatever happened to the first attempt. */
export const isIdempotent = (method: string): boolean => method === "GET" || method === "HEAD";

/**
 * Whether another attempt may follow. GET: connection failures, timeouts, 408, 429 and 5xx.
 * POST: only what proves the gateway did not act: 429, or a connection that never carried the request.
 */
export function shouldRetry(method: string, outcome: Outcome): boolean {
  if (outcome instanceof APIConnectionError) return isIdempotent(method) || outcome.notSent;
  if (outcome.status === 429) return true;
  return isIdempotent(method) && (outcome.status === 408 || outcome.status >= 500);
}

/**
 * The pause before retry number `retry` (from 0): what the server asked for, else exponential
 * backoff. Undefined when the server asked for longer than maxRetryAfterMs: the caller gets the
 * error back instead of a call that stalls.
 */
export function retryDelayMs(outcome: Outcome, retry: number, random: () => number = Math.random): number | undefined {
  const requested = outcome instanceof APIConnectionError ? undefined : serverRetryDelayMs(outcome.headers);
  if (requested === undefined) return backoffDelayMs(retry, random);
  return requested > DEFAULTS.maxRetryAfterMs ? undefined : requested;
}

/** Exponential backoff: 0.5 s x 2^n, capped at 8 s, minus up to 25% jitter. */
export function backoffDelayMs(retry: number, random: () => number = Math.random): number {
  const base = Math.min(INITIAL_BACKOFF_MS * 2 ** retry, MAX_BACKOFF_MS);
  return Math.round(base * (1 - 0.25 * random()));
}

const DECIMAL = /^\s*\d+(\.\d+)?\s*$/;
// RFC 9110's preferred HTTP-date (IMF-fixdate): anything looser (Date.parse reads "-5" or "1, 2"
// as dates) is nonsense from the server, and is ignored.
const IMF_FIXDATE =
  /^\s*(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT\s*$/;

/**
 * The pause the server asked for, from `retry-after-ms` (milliseconds, wins) or `Retry-After`
 * (seconds or an HTTP date); undefined when it asked for none or sent something unreadable.
 */
export function serverRetryDelayMs(headers: Headers, now: number = Date.now()): number | undefined {
  const milliseconds = headers.get("retry-after-ms");
  if (milliseconds !== null && DECIMAL.test(milliseconds)) return Number(milliseconds);
  const retryAfter = headers.get("retry-after");
  if (retryAfter === null) return undefined;
  if (DECIMAL.test(retryAfter)) return Number(retryAfter) * 1000;
  return IMF_FIXDATE.test(retryAfter) ? Math.max(0, Date.parse(retryAfter) - now) : undefined;
}

/** The pause before the next poll: the interval, or longer if the server asked, within the cap. */
export function pollDelayMs(pollIntervalMs: number, headers: Headers): number {
  return Math.max(pollIntervalMs, Math.min(serverRetryDelayMs(headers) ?? 0, DEFAULTS.maxRetryAfterMs));
}
