// Follows many tasks with one loop instead of one wait() each: round-robin, each task at most
// once per pollIntervalMs, all of them together at most maxPollsPerSecond, and everyone paused
// when the gateway struggles (429, 5xx, connection errors: what policy.ts retries), so that
// following 1,000 tasks costs a few requests a second and one timer. new-api refreshes a task
// from its provider only every ~15 s anyway.
import { APIConnectionError, APIError, NotFoundError } from "../errors.js";
import { DEFAULTS, retryDelayMs, shouldRetry } from "../policy.js";
import type { RequestOptions } from "../transport.js";
import type { VideoTask } from "../types.js";
import { Alarm } from "./alarm.js";

/** What the poller keeps per task: the engine's record of it, its id and two times. */
interface Entry<T> {
  readonly item: T;
  readonly taskId: string;
  readonly trackedAt: number;
  polledAt: number;
}

export interface PollerOptions<T> {
  retrieve(taskId: string, options: RequestOptions): Promise<VideoTask>;
  pollIntervalMs: number;
  maxPollsPerSecond: number;
  /** How long a task is followed. */
  timeoutMs: number;
  /** A poll's answer; false when the task needs no more polls. */
  onTask(item: T, task: VideoTask): boolean;
  /** The task is no longer followed: a poll failed in a way retrying cannot fix, or its time ran out. */
  onLost(item: T, error: unknown): void;
}

export class Poller<T> {
  readonly #options: PollerOptions<T>;
  /** Tasks waiting for their turn, in the order they were last polled. */
  readonly #queue: Entry<T>[] = [];
  readonly #stop = new AbortController();
  readonly #alarm = new Alarm();
  readonly #spacingMs: number;
  /** Polls in flight at most: one second's worth, so a slow gateway does not pile them up. */
  readonly #parallel: number;
  #inFlight = 0;
  #lastStart = Number.NEGATIVE_INFINITY;
  #pausedUntil = 0;
  /** Consecutive transient failures, all tasks together. */
  #failures = 0;

  constructor(options: PollerOptions<T>) {
    this.#options = options;
    this.#spacingMs = 1000 / options.maxPollsPerSecond;
    this.#parallel = Math.ceil(options.maxPollsPerSecond);
    void this.#loop();
  }

  /** Follows a task: first poll after pollIntervalMs, or at once when `now` (a task from the journal). */
  track(item: T, taskId: string, now: boolean): void {
    const trackedAt = Date.now();
    this.#queue.push({ item, taskId, trackedAt, polledAt: now ? Number.NEGATIVE_INFINITY : trackedAt });
    this.#alarm.ring();
  }

  /** Stops polling: polls in flight are aborted and their answers ignored. */
  stop(): void {
    this.#stop.abort();
    this.#queue.length = 0;
    this.#alarm.ring();
  }

  async #loop(): Promise<void> {
    const { pollIntervalMs, timeoutMs } = this.#options;
    while (!this.#stop.signal.aborted) {
      const now = Date.now();
      const head = this.#queue[0];
      if (!head || this.#inFlight >= this.#parallel) {
        await this.#alarm.nap(Number.POSITIVE_INFINITY);
        continue;
      }
      const deadline = head.trackedAt + timeoutMs;
      if (now >= deadline) {
        this.#queue.shift();
        this.#options.onLost(head.item, `it did not finish within ${timeoutMs} ms; it keeps running: rerun to resume`);
        continue;
      }
      const due = Math.max(head.polledAt + pollIntervalMs, this.#lastStart + this.#spacingMs, this.#pausedUntil);
      if (due > now) {
        await this.#alarm.nap(Math.min(due, deadline) - now);
        continue;
      }
      this.#queue.shift();
      this.#lastStart = now;
      void this.#poll(head);
    }
  }

  async #poll(entry: Entry<T>): Promise<void> {
    this.#inFlight++;
    entry.polledAt = Date.now();
    const { signal } = this.#stop;
    try {
      const task = await this.#options.retrieve(entry.taskId, { signal, maxRetries: 0 });
      if (signal.aborted) return;
      this.#failures = 0;
      if (this.#options.onTask(entry.item, task)) this.#queue.push(entry);
    } catch (error) {
      if (signal.aborted) return;
      const outcome = error instanceof APIError || error instanceof APIConnectionError ? error : undefined;
      if (!outcome || error instanceof NotFoundError || !shouldRetry("GET", outcome)) {
        this.#options.onLost(entry.item, error);
        return;
      }
      // Every task waits, so that a storm of failures is not a storm of polls.
      const pause = retryDelayMs(outcome, this.#failures++) ?? DEFAULTS.maxRetryAfterMs;
      this.#pausedUntil = Math.max(this.#pausedUntil, Date.now() + pause);
      this.#queue.push(entry);
    } finally {
      this.#inFlight--;
      this.#alarm.ring();
    }
  }
}
