// A 429 storm through `kling-video batch`, on the fake clock: the gateway refuses every create
// for ten seconds. The creates in flight stay bounded, the request rate falls to one probe per
// Retry-After, and once the storm passes every job is created once and saved.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { gaps, MOCK_BASE_URL, useFakeClock } from "../support/harness.js";
import { API_KEY, apiError } from "../support/scripted-fetch.js";
import { batchGateway, posts } from "./batch-gateway.js";
import { runCli, settleCli } from "./run-cli.js";

const JOBS = 20;
const CONCURRENCY = 8;
const STORM_MS = 10_000;
const LATENCY_MS = 50;

let work: string;
useFakeClock("2026-11-26T12:00:00Z");
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), "kling-batch-storm-"));
});
afterEach(() => rm(work, { recursive: true, force: true }));

it("a storm of 429s: bounded creates in flight, one probe per Retry-After, then each job created once", async () => {
  const jobs = join(work, "jobs.jsonl");
  const lines = Array.from({ length: JOBS }, (_, index) =>
    JSON.stringify({ name: `job-${index}`, prompt: `job ${index}` }),
  );
  await writeFile(jobs, `${lines.join("\n")}\n`);
  const start = Date.now();
  const flight = { now: 0, peak: 0 };
  const inner = batchGateway({
    create: () =>
      Date.now() - start < STORM_MS
        ? (apiError(429, { "retry-after": "1" })(new Request(MOCK_BASE_URL)) as Response)
        : undefined,
  });
  // Every answer takes LATENCY_MS, so that requests overlap and the peak in flight means something.
  const fetch = Object.assign(
    async (url: string, init: RequestInit) => {
      flight.now++;
      flight.peak = Math.max(flight.peak, flight.now);
      try {
        await new Promise((resolve) => setTimeout(resolve, LATENCY_MS));
        return await inner(url, init);
      } finally {
        flight.now--;
      }
    },
    { calls: inner.calls },
  );
  const run = await settleCli(
    runCli(["batch", jobs, "--out-dir", join(work, "videos"), "--concurrency", String(CONCURRENCY)], {
      env: { KLING_VIDEO_BASE_URL: MOCK_BASE_URL, KLING_VIDEO_API_KEY: API_KEY },
      fetch,
    }),
  );
  expect(run.code).toBe(0);

  const sent = posts(inner);
  const inStorm = sent.filter((post) => post.at - start < STORM_MS);
  // The first wave (the jobs admitted before any 429) is the only burst. After it, one create at a
  // time, each sent a Retry-After after the answer before it: never two in flight, at most one a second.
  expect(inStorm.length).toBeLessThanOrEqual(CONCURRENCY + STORM_MS / 1000);
  for (const gap of gaps(inStorm.slice(CONCURRENCY - 1))) expect(gap).toBeGreaterThanOrEqual(1000 + LATENCY_MS);
  expect(flight.peak).toBeLessThanOrEqual(CONCURRENCY);
  // Concurrency was halved for the storm, and each job was accepted exactly once.
  const limited = run.events.filter((event) => event.event === "rate-limited");
  expect(limited[0]!.retryInMs).toBe(1000);
  expect(limited[0]!.concurrency).toBeLessThanOrEqual(CONCURRENCY / 2);
  expect(limited.at(-1)).toMatchObject({ concurrency: 1 });
  const accepted = sent.filter((post) => post.at - start >= STORM_MS).map((post) => JSON.parse(post.body).prompt);
  expect(accepted.sort()).toEqual(lines.map((line) => JSON.parse(line).prompt).sort());
  expect(run.events.at(-1)).toMatchObject({ event: "summary", exitCode: 0, counts: { saved: JOBS } });
});
