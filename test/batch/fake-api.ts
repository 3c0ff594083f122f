// An in-process gateway for the batch suites: a fetch that creates tasks, answers polls from the
// (fake) clock, and records every request with how many were in flight. Each job's prompt is its
// name, so a test can count the creates each job got.
import { beforeAll, vi } from "vitest";
import { createVideoClient, type VideoClientOptions } from "../../src/index.js";
import { trapUnhandledRejections, useFakeClock } from "../support/harness.js";
import { API_KEY, apiError, jsonResponse } from "../support/scripted-fetch.js";

export interface FakeApiOptions {
  /** Answers POST number `index` instead of the default (a new task); undefined: the default. "lost": the task is made, the answer never arrives. */
  create?: (context: { index: number; prompt: string; now: number }) => Response | "lost" | undefined;
  /** Answers a poll instead of the default; undefined: the default. */
  poll?: (context: { index: number; now: number }) => Response | undefined;
  /** Time from create to the final status (default 30 s); prompts containing "fail" end failed. */
  durationMs?: number;
  /** Time each answer takes (default 100 ms), so that requests overlap. */
  latencyMs?: number;
}

export interface Sent {
  method: string;
  prompt?: string;
  taskId?: string;
  at: number;
  status?: number;
}

export function fakeApi(options: FakeApiOptions = {}) {
  const durationMs = options.durationMs ?? 30_000;
  const latencyMs = options.latencyMs ?? 100;
  const tasks = new Map<string, { prompt: string; createdAt: number }>();
  const sent: Sent[] = [];
  const flight = { now: 0, peak: 0, posts: 0, peakPosts: 0 };
  let posts = 0;
  let polls = 0;

  const view = (id: string, now: number) => {
    const task = tasks.get(id)!;
    const elapsed = now - task.createdAt;
    const done = elapsed >= durationMs;
    const failed = done && task.prompt.includes("fail");
    return {
      id,
      object: "video",
      model: "kling-v3-std-silent",
      status: done ? (failed ? "failed" : "completed") : "in_progress",
      progress: done ? 100 : Math.floor((elapsed / durationMs) * 100),
      created_at: Math.floor(task.createdAt / 1000),
      ...(done && !failed ? { video_url: `https://cdn.example.com/${id}.mp4` } : {}),
      ...(failed ? { error: { code: "content_policy", message: "refused by the provider" } } : {}),
    };
  };

  const fetch = async (url: string, init: RequestInit): Promise<Response> => {
    const request = new Request(url, init);
    const post = request.method === "POST";
    const record: Sent = { method: request.method, at: Date.now() };
    sent.push(record);
    flight.now++;
    flight.peak = Math.max(flight.peak, flight.now);
    if (post) flight.peakPosts = Math.max(flight.peakPosts, ++flight.posts);
    try {
      await delay(latencyMs, init.signal ?? undefined);
      const now = Date.now();
      let response: Response;
      if (post) {
        const prompt = String((JSON.parse(await request.text()) as { prompt?: unknown }).prompt);
        record.prompt = prompt;
        const scripted = options.create?.({ index: posts++, prompt, now });
        if (scripted === undefined || scripted === "lost") {
          const id = `task_${tasks.size + 1}`;
          tasks.set(id, { prompt, createdAt: now });
          record.taskId = id;
          if (scripted === "lost") {
            throw new TypeError("fetch failed", {
              cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }),
            });
          }
          response = jsonResponse(200, { ...view(id, now), status: "queued", progress: 0 });
        } else response = scripted;
      } else {
        const id = decodeURIComponent(new URL(request.url).pathname.split("/").pop() ?? "");
        record.taskId = id;
        response =
          options.poll?.({ index: polls++, now }) ??
          (tasks.has(id) ? jsonResponse(200, view(id, now)) : await apiError(404)(request));
      }
      record.status = response.status;
      return response;
    } finally {
      flight.now--;
      if (post) flight.posts--;
    }
  };

  return {
    fetch,
    sent,
    flight,
    tasks,
    /** POSTs that reached the gateway, per prompt (job name). */
    postsPerJob(): Record<string, number> {
      const counts: Record<string, number> = {};
      for (const { method, prompt } of sent)
        if (method === "POST" && prompt) counts[prompt] = (counts[prompt] ?? 0) + 1;
      return counts;
    },
    /** Task ids the gateway made, per prompt. */
    tasksPerJob(): Record<string, string[]> {
      const made: Record<string, string[]> = {};
      for (const [id, { prompt }] of tasks) made[prompt] = [...(made[prompt] ?? []), id];
      return made;
    },
    client(overrides: Partial<VideoClientOptions> = {}) {
      return createVideoClient({ baseUrl: "http://127.0.0.1:4010", apiKey: API_KEY, fetch, ...overrides });
    },
  };
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** Jobs named job-0... whose prompt is their name. */
export const namedJobs = (count: number, prefix = "job") =>
  Array.from({ length: count }, (_, index) => ({
    name: `${prefix}-${index}`,
    model: "kling-v3-std-silent" as const,
    prompt: `${prefix}-${index}`,
  }));

/** A save hook that stores nothing and says where it would have. */
export function fakeSave() {
  const saves: string[] = [];
  const save = vi.fn(async (task: { id: string }, job: { name?: string }, _options: { key: string }) => {
    saves.push(job.name ?? task.id);
    return { path: `/videos/${job.name}.mp4`, size: 1024, sha256: `sha-${task.id}` };
  });
  return { save, saves };
}

/**
 * Fake timers for a batch suite (and a trap for unhandled rejections), with the modules generateMany loads on first use imported up
 * front: a dynamic import settles on real I/O, which runAllTimersAsync does not wait for.
 */
export function useBatchClock(): void {
  trapUnhandledRejections();
  beforeAll(async () => {
    await import("../../src/batch/engine.js");
    await import("../../src/validation.js");
  });
  useFakeClock("2026-11-25T12:00:00Z");
}

/** The gateway's error answer, as a Response. */
export const errorAnswer = (status: number, headers: Record<string, string> = {}) =>
  apiError(status, headers)(new Request("http://127.0.0.1/")) as Response;
