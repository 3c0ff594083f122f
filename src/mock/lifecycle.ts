// How a mock task lives, as a function of time: accepted (new-api: `unknown` until its poller
// first picks the task up), queued, rendering, then completed or failed. Nothing runs in the
// background: each answer works out the task's state from its age, so a paused or fake clock
// holds every task still, and a forgotten task costs nothing.
import type { TaskScenario } from "./scenarios.js";

export interface Timing {
  /** Creation to the final status, at speed 1. */
  durationMs: number;
  /** The part of it before rendering starts, at speed 1. */
  queueMs: number;
  /** How many times faster than that the clock runs. */
  speed: number;
}

export interface MockTask {
  id: string;
  /** new-api's database id, which its older route shows. */
  serial: number;
  model: string;
  /** Epoch ms. */
  createdAt: number;
  scenarios: ReadonlySet<TaskScenario>;
  /** The length asked for, as text ("5"), if any. */
  duration: string | undefined;
  /** Whether the create sent an image. */
  withImage: boolean;
  /** Whether a client has asked for the task yet. */
  polled: boolean;
}

export type Stage = "unknown" | "queued" | "in_progress" | "completed" | "failed";

export interface TaskState {
  stage: Stage;
  /** How much of the video is rendered, 0 to 1. */
  rendered: number;
  /** When the task last changed (epoch ms). */
  updatedAt: number;
  /** When rendering started, once it has. */
  startedAt: number | undefined;
  /** When the task ended, once it has. */
  finishedAt: number | undefined;
}

/** How much slower a "slow-queue" task leaves the queue. */
const SLOW_QUEUE_FACTOR = 5;

/**
 * The task's state at `now`. With `showsUnknown` (new-api, or the "unknown-first" scenario), it
 * reads `unknown` for the first half of its queue time, and on the first poll whatever the time.
 */
export function taskState(task: MockTask, timing: Timing, now: number, showsUnknown: boolean): TaskState {
  const queue = timing.queueMs * (task.scenarios.has("slow-queue") ? SLOW_QUEUE_FACTOR : 1);
  const render = timing.durationMs - timing.queueMs;
  const rendered = task.scenarios.has("failed-early") ? 0 : task.scenarios.has("failed-midway") ? 0.5 : 1;
  const end = queue + render * rendered;
  const elapsed = (now - task.createdAt) * timing.speed;
  // Whole milliseconds: every time the task shows is an integer.
  const at = (offset: number) => Math.round(task.createdAt + offset / timing.speed);
  const unseen = showsUnknown && !task.polled;
  if (elapsed >= end && !unseen) {
    const failed = rendered < 1;
    return {
      stage: failed ? "failed" : "completed",
      rendered,
      updatedAt: at(end),
      startedAt: rendered > 0 ? at(queue) : undefined,
      finishedAt: at(end),
    };
  }
  if (elapsed >= queue && !unseen) {
    return {
      stage: "in_progress",
      rendered: (elapsed - queue) / render,
      updatedAt: at(queue),
      startedAt: at(queue),
      finishedAt: undefined,
    };
  }
  const pickedUp = elapsed >= queue / 2 && !unseen;
  return {
    stage: pickedUp || !showsUnknown ? "queued" : "unknown",
    rendered: 0,
    updatedAt: pickedUp ? at(queue / 2) : task.createdAt,
    startedAt: undefined,
    finishedAt: undefined,
  };
}
