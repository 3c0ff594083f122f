// When the next create may start. At most `limit` jobs are in flight; a 429 halves the limit and
// each accepted create grows it back by 1/limit (TCP's additive increase, multiplicative
// decrease). After a 429 every new create waits for the server's Retry-After (else backoff, as
// policy.ts says), then creates go one at a time until one is accepted: a storm of 429s costs
// one request per pause, never a burst of retries.
import { type Outcome, retryDelayMs } from "../policy.js";

export class Admission {
  readonly #max: number;
  #limit: number;
  #pausedUntil = 0;
  /** After a 429: one create at a time until one is accepted. */
  #probing = false;
  /** When the limit was last cut: 429s to creates sent before then are the same congestion. */
  #cutAt = Number.NEGATIVE_INFINITY;
  /** Cuts since the last accepted create, for the backoff when the server gives no Retry-After. */
  #cuts = 0;

  constructor(max: number) {
    this.#max = max;
    this.#limit = max;
  }

  get limit(): number {
    return Math.max(1, Math.floor(this.#limit));
  }

  /** 0 when a create may start now, else how long to wait before asking again (Infinity: until a job or create ends). */
  delay(inFlight: number, creating: number, now: number): number {
    if (now < this.#pausedUntil) return this.#pausedUntil - now;
    return inFlight >= this.limit || (this.#probing && creating > 0) ? Number.POSITIVE_INFINITY : 0;
  }

  accepted(): void {
    this.#probing = false;
    this.#cuts = 0;
    this.#limit = Math.min(this.#max, this.#limit + 1 / this.limit);
  }

  /**
   * A create sent at `sentAt` got 429. Returns the pause before the next create, or undefined
   * when the server asked for longer than the SDK waits (DEFAULTS.maxRetryAfterMs).
   */
  rateLimited(outcome: Outcome, sentAt: number, now: number): number | undefined {
    const fresh = sentAt >= this.#cutAt;
    const pause = retryDelayMs(outcome, fresh ? this.#cuts : Math.max(0, this.#cuts - 1));
    if (pause === undefined) return undefined;
    if (fresh) {
      this.#limit = Math.max(1, this.limit / 2);
      this.#cutAt = now;
      this.#cuts++;
    }
    this.#pausedUntil = Math.max(this.#pausedUntil, now + pause);
    this.#probing = true;
    return pause;
  }
}
