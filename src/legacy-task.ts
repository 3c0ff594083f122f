// The older new-api task route (GET /v1/video/generations/{task_id}) read as a VideoTask. Loaded
// only when a gateway turns out to serve nothing newer.
import { InvalidResponseError } from "./errors.js";
import { taskProgress } from "./task.js";
import type { LegacyTask, LegacyTaskStatus, VideoStatus, VideoTask } from "./types.js";

/** new-api's own statuses, read as VideoStatus (model/task.go, ToVideoStatus). */
const STATUS_OF: Record<LegacyTaskStatus, VideoStatus> = {
  NOT_START: "unknown",
  SUBMITTED: "queued",
  QUEUED: "queued",
  IN_PROGRESS: "in_progress",
  SUCCESS: "completed",
  FAILURE: "failed",
  UNKNOWN: "unknown",
};

/** The task in a 2xx answer of the older route: `{ data: LegacyTask }`. */
export function taskFromLegacyBody(body: unknown, response: { status: number; headers: Headers }): VideoTask {
  const record = (body as { data?: LegacyTask } | undefined)?.data;
  if (!record || typeof record !== "object" || typeof record.task_id !== "string")
    throw new InvalidResponseError(`The gateway answered ${response.status} without a task`, response);
  return fromLegacyTask(record);
}

/** A task record from the older route (GET /v1/video/generations/{task_id}) as a VideoTask. */
function fromLegacyTask(record: LegacyTask): VideoTask {
  const status = STATUS_OF[record.status] ?? "unknown";
  // Before 2026 the video's URL was in fail_reason on success; since then result_url repeats
  // fail_reason on failure: only a success's URL is a video.
  const url =
    status === "completed"
      ? record.result_url || (/^https?:\/\//.test(record.fail_reason ?? "") ? record.fail_reason : undefined)
      : undefined;
  return {
    id: record.task_id,
    object: "video",
    model: record.properties?.origin_model_name ?? "",
    status,
    progress: taskProgress(record) ?? 0,
    created_at: record.submit_time || record.created_at || 0,
    ...(record.finish_time ? { completed_at: record.finish_time } : {}),
    ...(url ? { video_url: url } : {}),
    ...(status === "failed" ? { error: { message: record.fail_reason || "no reason given", code: "" } } : {}),
  };
}
