// What following a task costs the engine: the heap that 5,000 tracked tasks hold, per task, after
// a full garbage collection (the jobs themselves are the caller's and are counted out).
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { expect, it } from "vitest";
import { createVideoClient, type Journal } from "../../src/index.js";
import { eventually } from "../support/harness.js";
import { API_KEY, jsonResponse } from "../support/scripted-fetch.js";
import { namedJobs } from "./fake-api.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const TASKS = 5_000;

it(`holds well under 2 kB per tracked task (${TASKS} tasks)`, async () => {
  let created = 0;
  // A gateway that keeps nothing per task, so that all the memory measured is the engine's.
  const fetch = async (_url: string, init: RequestInit) => {
    const body =
      init.method === "POST"
        ? {
            id: `task_${++created}`,
            object: "video",
            model: "kling-v3-std-silent",
            status: "queued",
            progress: 0,
            created_at: 1,
          }
        : {
            id: "task_0",
            object: "video",
            model: "kling-v3-std-silent",
            status: "in_progress",
            progress: 50,
            created_at: 1,
          };
    return jsonResponse(200, body);
  };
  const client = createVideoClient({ baseUrl: "http://127.0.0.1:4010", apiKey: API_KEY, fetch, validate: false });
  const nowhere: Journal = { append: async () => undefined, read: async () => [] };
  // Warm up first, so that loading and compiling the engine is not counted as per-task state.
  await client.generateMany(namedJobs(2), { journal: nowhere, pollIntervalMs: 1, timeoutMs: 1 });
  const jobs = namedJobs(TASKS);
  const stop = new AbortController();
  let tracked = 0;
  gc();
  const before = process.memoryUsage().heapUsed;
  const batch = client.generateMany(jobs, {
    journal: nowhere,
    concurrency: TASKS,
    pollIntervalMs: 3_600_000, // no polls while measuring
    signal: stop.signal,
    onEvent: (event) => void (event.type === "journal" && event.event.type === "created" && tracked++),
  });
  await eventually(() => tracked === TASKS, 15_000, "every task tracked");
  gc();
  const perTask = (process.memoryUsage().heapUsed - before) / TASKS;
  stop.abort();
  const summary = await batch;
  expect(summary.counts.pending).toBe(TASKS);
  console.log(`generateMany: ${Math.round(perTask)} bytes of heap per tracked task (${TASKS} tasks)`);
  expect(perTask).toBeLessThan(2_048);
});
