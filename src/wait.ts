// Follows a task to its end: polls, reports changes, honours the server's pace, and bounds the
// whole wait by a deadline. Transient failures (network, 429, 5xx) do not end the wait: the
// task is still running, so polling goes on until the deadline.
import {
  APIConnectionError,
  APIError,
  APIUserAbortError,
  KlingVideoError,
  VideoTaskFailedError,
  WaitTimeoutError,
} from "./errors.js";
import { serverRetryDelayMs } from "./retry-policy.js";
import { sleep } from "./sleep.js";
import type { VideoTask } from "./types.js";

export interface WaitOptions {
  /** Time between polls (default 5 s); a longer Retry-After from the server wins. */
  pollIntervalMs?: number;
  /** Deadline for the whole wait (default 20 minutes). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Called with the task whenever its status or progress changes (including unknown statuses). */
  onProgress?: (task: VideoTask) => void | Promise<void>;
}

export const DEFAULT_POLL_INTERVAL_MS = 5_000;
export const DEFAULT_WAIT_TIMEOUT_MS = 20 * 60_000;

export type Poll = (taskId: string, signal: AbortSignal) => Promise<{ task: VideoTask; response: Response }>;

export async function waitForTask(poll: Poll, taskId: string, options: WaitOptions = {}): Promise<VideoTask> {
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
  const stop = new AbortController();
  let deadlinePassed = false;
  const deadline = setTimeout(() => {
    deadlinePassed = true;
    stop.abort(new DOMException("wait deadline passed", "TimeoutError"));
  }, timeoutMs);
  const callerSignal = options.signal;
  const forwardAbort = () => stop.abort(callerSignal?.reason);
  callerSignal?.addEventListener("abort", forwardAbort, { once: true });
  if (callerSignal?.aborted) forwardAbort();

  let lastTask: VideoTask | undefined;
  let lastReported: string | undefined;
  const ended = (cause: unknown) =>
    deadlinePassed
      ? new WaitTimeoutError(taskId, timeoutMs, lastTask, cause)
      : new APIUserAbortError(`Stopped waiting for video task ${taskId}: aborted by the caller; resume with wait("${taskId}")`, {
          cause,
          taskId,
        });
  try {
    for (;;) {
      let nextDelay = pollIntervalMs;
      try {
        const { task, response } = await poll(taskId, stop.signal);
        lastTask = task;
        const state = `${String(task.status)}|${task.progress ?? ""}`;
        if (state !== lastReported) {
          lastReported = state;
          await options.onProgress?.(task);
        }
        if (task.status === "completed") return task;
        if (task.status === "failed") throw new VideoTaskFailedError(task);
        nextDelay = Math.max(pollIntervalMs, serverRetryDelayMs(response.headers) ?? 0);
      } catch (error) {
        if (stop.signal.aborted) throw ended(error);
        if (!isTransient(error)) throw error;
        if (error instanceof APIError) nextDelay = Math.max(pollIntervalMs, serverRetryDelayMs(error.headers) ?? 0);
      }
      try {
        await sleep(nextDelay, stop.signal);
      } catch (reason) {
        throw ended(reason);
      }
    }
  } catch (error) {
    throw withTaskId(error, taskId);
  } finally {
    clearTimeout(deadline);
    callerSignal?.removeEventListener("abort", forwardAbort);
  }
}

/** Failures after which the task is still there and another poll may well succeed. */
function isTransient(error: unknown): boolean {
  if (error instanceof APIConnectionError) return true;
  return error instanceof APIError && (error.status === 408 || error.status === 429 || error.status >= 500);
}

/** Stamps the task id on any error, so that a caller can always resume with wait(taskId). */
export function withTaskId(error: unknown, taskId: string): unknown {
  if (error instanceof KlingVideoError) {
    error.taskId ??= taskId;
    return error;
  }
  if (error !== null && typeof error === "object" && Object.isExtensible(error)) {
    if (!("taskId" in error)) Object.defineProperty(error, "taskId", { value: taskId, configurable: true, writable: true });
    return error;
  }
  return new KlingVideoError(`Video task ${taskId}: ${String(error)}`, { cause: error, taskId });
}
