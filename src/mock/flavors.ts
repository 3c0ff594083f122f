// The gateways the mock can play, and how each one writes a task. "openai" is the clean shape
// the spec allows (video_url, times in seconds, fine progress); "new-api" is what new-api sends
// for a Kling task (in github.com/QuantumNous/new-api: relay/channel/task/kling/adaptor.go,
// relay/relay_task.go, dto/task.go, model/task.go); "new-api-legacy" is new-api before October
// 2025, which answered a create with Kling's own body and served only its older task route.
import { RESPONSE_EXAMPLES } from "../../generated/examples.js";
import type { components, LegacyTaskStatus, VideoTask } from "../types.js";
import type { MockTask, Stage, TaskState } from "./lifecycle.js";

const FLAVOR_LIST = [
  {
    name: "openai",
    description:
      "OpenAI-style answers: `video_url`, `seconds`, times in seconds, progress 0 to 100, 404 for an unknown task (the default)",
  },
  {
    name: "new-api",
    description:
      "new-api's answers for Kling: no `video_url` but `metadata.url`, `model` empty, times in milliseconds, progress 0/10/30/100, `unknown` until the first poll, `completed_at` while running, `failed` without `error` when the gateway failed the task itself (failed-early), task errors `{code, message, data}` (400 `task_not_exist`), `X-Oneapi-Request-Id`",
  },
  {
    name: "new-api-legacy",
    description:
      "new-api before October 2025: as new-api, but a create answers with Kling's own body (no `id`), GET /v1/videos/{task_id} and its /content are not served (404 `Invalid URL`), and the older route puts the video's URL in `fail_reason`",
  },
] as const;

export type MockFlavor = (typeof FLAVOR_LIST)[number]["name"];
/** Every flavour of gateway the mock can play, with what sets it apart. */
export const MOCK_FLAVORS: readonly { name: MockFlavor; description: string }[] = FLAVOR_LIST;

export const FLAVOR_HEADER = "X-Mock-Flavor";
const NAMES: readonly string[] = MOCK_FLAVORS.map((flavor) => flavor.name);

export function parseFlavor(value: string | null, fallback: MockFlavor): MockFlavor {
  const name = value?.trim() || fallback;
  if (!NAMES.includes(name))
    throw new Error(`Unknown mock flavor ${JSON.stringify(name)} in ${FLAVOR_HEADER}: use one of ${NAMES.join(", ")}`);
  return name as MockFlavor;
}

/** Whether the flavour is one of new-api's. */
export const isNewApi = (flavor: MockFlavor): boolean => flavor !== "openai";

/** What the rendering of a task needs beyond the task: its state now, and where its video is. */
export interface TaskView {
  task: MockTask;
  state: TaskState;
  videoUrl: string;
  /** The video's length as text ("5"). */
  seconds: string;
}

type LegacyTaskResponse = components["schemas"]["LegacyTaskResponse"];
const EXAMPLE = RESPONSE_EXAMPLES;
/** new-api's progress steps for Kling (taskcommon/helpers.go), as the spec's examples show them. */
const COARSE_PROGRESS: Record<Stage, number> = {
  unknown: EXAMPLE.TaskUnknown.progress,
  queued: EXAMPLE.TaskQueued.progress,
  in_progress: EXAMPLE.TaskInProgress.progress,
  completed: EXAMPLE.TaskCompleted.progress,
  failed: EXAMPLE.TaskFailed.progress,
};
/** new-api's own statuses for ours (model/task.go, the inverse of ToVideoStatus). */
const LEGACY_STATUS: Record<Stage, LegacyTaskStatus> = {
  unknown: "NOT_START",
  queued: "SUBMITTED",
  in_progress: "IN_PROGRESS",
  completed: "SUCCESS",
  failed: "FAILURE",
};
export const legacyStatus = (stage: Stage): LegacyTaskStatus => LEGACY_STATUS[stage];

const seconds = (ms: number) => Math.floor(ms / 1000);

function progress(flavor: MockFlavor, state: TaskState): number {
  if (isNewApi(flavor)) return COARSE_PROGRESS[state.stage];
  if (state.stage === "completed") return 100;
  if (state.stage === "in_progress") return Math.min(99, Math.max(1, Math.floor(state.rendered * 100)));
  return Math.floor(state.rendered * 100);
}

/** Why a failed task failed: the spec's example reason, except where new-api failed the task itself (no reason). */
function failure(flavor: MockFlavor, view: TaskView): { message: string; code: string } | undefined {
  if (view.state.stage !== "failed") return undefined;
  if (isNewApi(flavor) && view.task.scenarios.has("failed-early")) return undefined;
  return { ...EXAMPLE.TaskFailed.error };
}

/** The answer to a create. */
export function createdBody(flavor: MockFlavor, task: MockTask): unknown {
  if (flavor === "new-api-legacy") {
    const kling = EXAMPLE.LegacyCreateKling;
    return {
      ...kling,
      task_id: task.id,
      data: { ...kling.data, task_id: task.id, created_at: task.createdAt, updated_at: task.createdAt },
    };
  }
  const body: VideoTask = {
    id: task.id,
    ...(flavor === "new-api" ? { task_id: task.id } : {}),
    object: EXAMPLE.TaskCreated.object,
    model: task.model,
    status: EXAMPLE.TaskCreated.status,
    progress: 0,
    created_at: seconds(task.createdAt),
  };
  return body;
}

/** The task as GET /v1/videos/{task_id} answers. */
export function videoTaskBody(flavor: MockFlavor, view: TaskView): VideoTask {
  const { task, state } = view;
  const completed = state.stage === "completed";
  const error = failure(flavor, view);
  if (isNewApi(flavor)) {
    // Kling's own times (milliseconds); completed_at is its last update, in every state.
    return {
      id: task.id,
      object: EXAMPLE.TaskUnknown.object,
      model: EXAMPLE.TaskUnknown.model,
      status: state.stage,
      progress: progress(flavor, state),
      created_at: task.createdAt,
      completed_at: state.updatedAt,
      ...(completed ? { seconds: view.seconds } : {}),
      ...(error ? { error } : {}),
      ...(completed ? { metadata: { url: view.videoUrl } } : {}),
    };
  }
  const expires = completed && task.scenarios.has("expired-url") ? state.finishedAt : undefined;
  return {
    id: task.id,
    object: EXAMPLE.TaskCreated.object,
    model: task.model,
    status: state.stage,
    progress: progress(flavor, state),
    created_at: seconds(task.createdAt),
    completed_at: state.finishedAt === undefined ? null : seconds(state.finishedAt),
    expires_at: expires === undefined ? null : seconds(expires),
    video_url: completed ? view.videoUrl : null,
    ...(completed ? { seconds: view.seconds } : {}),
    error: error ?? null,
  };
}

/** The task as the older route, GET /v1/video/generations/{task_id}, answers: new-api's task record. */
export function legacyTaskBody(flavor: MockFlavor, view: TaskView): LegacyTaskResponse {
  const { task, state } = view;
  const record = EXAMPLE.LegacyTaskNotStart.data;
  const completed = state.stage === "completed";
  const reason = failure(flavor, view)?.message ?? "";
  const times = {
    submit_time: seconds(task.createdAt),
    start_time: state.startedAt === undefined ? 0 : seconds(state.startedAt),
    finish_time: state.finishedAt === undefined ? 0 : seconds(state.finishedAt),
  };
  // Kling's action: "generate" when an image was sent (relay/channel/task/kling/adaptor.go).
  const action = task.withImage ? "generate" : record.action;
  const status = legacyStatus(state.stage);
  const progressText = `${isNewApi(flavor) ? COARSE_PROGRESS[state.stage] : progress(flavor, state)}%`;
  const envelope = (data: LegacyTaskResponse["data"]): LegacyTaskResponse => ({
    code: EXAMPLE.LegacyTaskNotStart.code,
    message: EXAMPLE.LegacyTaskNotStart.message,
    data,
  });
  if (flavor === "new-api-legacy") {
    // Before 2026 the record had no id or result_url, and a success's URL was in fail_reason.
    const failReason = completed ? view.videoUrl : reason;
    return envelope({
      task_id: task.id,
      action,
      status,
      fail_reason: failReason,
      ...times,
      progress: progressText,
      data: record.data,
    });
  }
  // result_url falls back to fail_reason (model/task.go GetResultURL), so a failure repeats its reason there.
  const resultUrl = completed ? view.videoUrl : reason;
  return envelope({
    id: task.serial,
    created_at: seconds(task.createdAt),
    updated_at: seconds(state.updatedAt),
    task_id: task.id,
    platform: record.platform,
    user_id: record.user_id,
    group: record.group,
    channel_id: record.channel_id,
    quota: record.quota,
    action,
    status,
    fail_reason: reason,
    ...(resultUrl ? { result_url: resultUrl } : {}),
    ...times,
    progress: progressText,
    properties: { input: record.properties.input, upstream_model_name: task.model, origin_model_name: task.model },
    data: record.data,
  });
}
