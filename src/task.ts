// Reading tasks as different gateways send them (openapi/components/schemas/VideoTask.yaml):
// the older new-api route's record and create answer mapped onto VideoTask, progress as a
// number or text, times in seconds or milliseconds, and where the finished video is.
import { InvalidResponseError } from "./errors.js";
import type { VideoTask } from "./types.js";

/** The final outcome a status means, if any: only `completed` and `failed` end a task. */
export function isFinished(task: VideoTask): "completed" | "failed" | undefined {
  return task.status === "completed" || task.status === "failed" ? task.status : undefined;
}

/** Progress in percent, whether sent as 30, "30" or "30%"; undefined when absent or unreadable. */
export function taskProgress(task: Pick<VideoTask, "progress">): number | undefined {
  const value = typeof task.progress === "string" ? Number.parseInt(task.progress, 10) : task.progress;
  return typeof value === "number" && Number.isFinite(value) ? Math.min(100, Math.max(0, value)) : undefined;
}

/** Below this a timestamp is seconds (until the year 5138), above it milliseconds (from 1973). */
const MILLISECONDS_FROM = 100_000_000_000;

/** A task time as epoch milliseconds, whether the gateway sent seconds or milliseconds. */
export function timestampMs(value: number | null | undefined): number | undefined {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) return undefined;
  return value < MILLISECONDS_FROM ? value * 1000 : value;
}

/**
 * The task in a 2xx answer. A create answer of an older new-api has only a top-level `task_id`
 * (LegacyCreateResponse): that is the id, and the task is queued.
 */
export function taskFromBody(body: unknown, response: { status: number; headers: Headers }, model?: string): VideoTask {
  const fields =
    body !== null && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  if (fields && typeof fields.id === "string" && fields.id !== "") return fields as unknown as VideoTask;
  if (fields && model !== undefined && typeof fields.task_id === "string" && fields.task_id !== "") {
    return {
      id: fields.task_id,
      task_id: fields.task_id,
      object: "video",
      model,
      status: "queued",
      progress: 0,
      created_at: Math.floor(Date.now() / 1000),
    };
  }
  throw new InvalidResponseError(`The gateway answered ${response.status} without a task id`, response);
}
