// Follows a task to its end: polls, reports changes, honours the server's pace, and bounds the
// whole wait by a deadline that nothing can defeat (a stalled poll, a callback that never
// settles). This loop is the one layer that retries a poll: transient failures (as policy.ts
// defines them) do not end the wait, since the task is still running.
import {
  APIConnectionError,
  APIError,
  APIUserAbortError,
  KlingVideoError,
  NotFoundError,
  VideoTaskFailedError,
  WaitTimeoutError,
} from "./errors.js";
import { checkDuration, checkRetries } from "./options.js";
import { DEFAULTS, pollDelayMs, retryDelayMs, shouldRetry } from "./policy.js";
import { isFinished } from "./task.js";
import { after, sleep, untilAborted } from "./timers.js";
import type { RequestOptions } from "./transport.js";
import type { VideoTask } from "./types.js";

export interface WaitOptions extends RequestOptions {
  /** Time between polls (default 5 s); a longer Retry-After from the server wins, up to 60 s. */
  pollIntervalMs?: number;
  /** Deadline for the whole wait (default 20 minutes). */
  timeoutMs?: number;
  /** Consecutive transient poll failures to ride out (default: as many as fit before the deadline). */
  maxRetries?: number;
  /** Called with the task whenever its status or progress changes (unknown statuses included). */
  onProgress?: (task: VideoTask) => unknown;
}

/** One poll: a single attempt (this loop does the retrying), stopped by `signal`. */
export type Poll = (taskId: string, signal: AbortSignal) => Promise<{ task: VideoTask; headers: Headers }>;

/** `onStart` runs first, under the same deadline and signal (generate's onCreated). */
export async function waitForTask(
  poll: Poll,
  taskId: string,
  options: WaitOptions = {},
  onStart?: () => unknown,
): Promise<VideoTask> {
  const pollIntervalMs = checkDuration("pollIntervalMs", options.pollIntervalMs ?? DEFAULTS.pollIntervalMs);
  const timeoutMs = checkDuration("timeoutMs", options.timeoutMs ?? DEFAULTS.waitTimeoutMs);
  const maxRetries = checkRetries(options.maxRetries ?? Number.POSITIVE_INFINITY);
  const stop = new AbortController();
  let deadlinePassed = false;
  const cancelDeadline = after(timeoutMs, () => {
    deadlinePassed = true;
    stop.abort(new DOMException("wait deadline passed", "TimeoutError"));
  });
  const callerSignal = options.signal;
  const forwardAbort = () => stop.abort(callerSignal?.reason);
  callerSignal?.addEventListener("abort", forwardAbort, { once: true });
  if (callerSignal?.aborted) forwardAbort();

  let lastTask: VideoTask | undefined;
  let lastReported: string | undefined;
  let failures = 0;
  const ended = (cause: unknown) =>
    deadlinePassed
      ? new WaitTimeoutError(taskId, timeoutMs, lastTask, cause)
      : new APIUserAbortError(
          `Stopped waiting for video task ${taskId}: aborted by the caller (the task keeps running)`,
          { cause, taskId },
        );
  try {
    try {
      await untilAborted(onStart?.(), stop.signal);
    } catch (error) {
      throw stop.signal.aborted ? ended(error) : error;
    }
    for (;;) {
      let delay: number;
      try {
        const { task, headers } = await untilAborted(poll(taskId, stop.signal), stop.signal);
        lastTask = task;
        failures = 0;
        const state = `${String(task.status)}|${String(task.progress ?? "")}`;
        if (state !== lastReported) {
          lastReported = state;
          // A callback that never settles must not hold the wait past its deadline or signal.
          await untilAborted(options.onProgress?.(task), stop.signal);
        }
        const finished = isFinished(task);
        if (finished === "completed") return task;
        if (finished === "failed") throw new VideoTaskFailedError(task);
        delay = pollDelayMs(pollIntervalMs, headers);
      } catch (error) {
        if (stop.signal.aborted) throw ended(error);
        const outcome = error instanceof APIError || error instanceof APIConnectionError ? error : undefined;
        // A gateway that has never answered (refused, unknown host) is a wrong address or a server
        // that is down, not a blip to ride out for the whole deadline.
        const unreachable = !lastTask && error instanceof APIConnectionError && error.notSent;
        if (
          !outcome ||
          unreachable ||
          error instanceof NotFoundError ||
          !shouldRetry("GET", outcome) ||
          ++failures > maxRetries
        )
          throw error;
        const requested = retryDelayMs(outcome, 0);
        if (requested === undefined) throw error; // the server asked for longer than the SDK waits
        delay = Math.max(pollIntervalMs, requested);
      }
      try {
        await sleep(delay, stop.signal);
      } catch (reason) {
        throw ended(reason);
      }
    }
  } catch (error) {
    throw withTaskId(error, taskId);
  } finally {
    cancelDeadline();
    callerSignal?.removeEventListener("abort", forwardAbort);
  }
}

/** Stamps the task id on any error, so that a caller can always resume with wait(taskId). */
export function withTaskId(error: unknown, taskId: string): unknown {
  if (error instanceof KlingVideoError) {
    error.taskId ??= taskId;
    return error;
  }
  if (error !== null && typeof error === "object" && Object.isExtensible(error)) {
    if (!("taskId" in error))
      Object.defineProperty(error, "taskId", { value: taskId, configurable: true, writable: true });
    return error;
  }
  return new KlingVideoError(`Video task ${taskId}: ${String(error)}`, { cause: error, taskId });
}
