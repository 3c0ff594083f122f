// Pacing: jobs in flight, 429 storms, polls under a rate cap, deadlines, stopping; measured on the
// fake clock from the requests the gateway saw.
import { describe, expect, it, vi } from "vitest";
import {
  AuthenticationError,
  type BatchEvent,
  type BatchSummary,
  createMemoryJournal,
  RateLimitError,
} from "../../src/index.js";
import { expectNoKey, gaps, settle } from "../support/harness.js";
import { API_KEY, apiError } from "../support/scripted-fetch.js";
import { errorAnswer, fakeApi, fakeSave, namedJobs, useBatchClock } from "./fake-api.js";

useBatchClock();

const statuses = (summary: BatchSummary) => summary.jobs.map((job) => job.status);
const oncePerJob = (count: number) => Object.fromEntries(namedJobs(count).map((job) => [job.name, 1]));

describe("jobs in flight", () => {
  it("never exceed `concurrency`, from create to saved; each job is created once; no timer is left", async () => {
    const api = fakeApi();
    const endedAt: number[] = [];
    let peak = 0;
    const summary = (await settle(
      api.client().generateMany(namedJobs(10), {
        concurrency: 3,
        save: fakeSave().save,
        onEvent: (event) => {
          peak = Math.max(peak, event.counts.running);
          if (event.type === "end") endedAt.push(Date.now());
        },
      }),
    )) as BatchSummary;
    expect(statuses(summary)).toEqual(Array(10).fill("saved"));
    expect(api.postsPerJob()).toEqual(oncePerJob(10));
    expect(peak).toBe(3);
    // As the gateway sees it: when each create arrives, fewer than 3 earlier jobs are unfinished.
    const posts = api.sent.filter((sent) => sent.method === "POST");
    for (const [index, post] of posts.entries()) {
      expect(index - endedAt.filter((at) => at <= post.at).length).toBeLessThan(3);
    }
    expect(api.flight.peak).toBeLessThanOrEqual(3);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("429 on create", () => {
  it("a storm costs one probe per Retry-After, never a burst; concurrency halves; each job is created once", async () => {
    const start = Date.now();
    const STORM_MS = 20_000;
    const api = fakeApi({
      create: ({ now }) => (now < start + STORM_MS ? errorAnswer(429, { "retry-after": "2" }) : undefined),
    });
    const limited: Extract<BatchEvent, { type: "rate-limited" }>[] = [];
    const summary = (await settle(
      api.client().generateMany(namedJobs(8), {
        concurrency: 6,
        save: fakeSave().save,
        onEvent: (event) => void (event.type === "rate-limited" && limited.push(event)),
      }),
    )) as BatchSummary;
    expect(statuses(summary)).toEqual(Array(8).fill("saved"));
    const posts = api.sent.filter((sent) => sent.method === "POST");
    const accepted = posts.filter((post) => post.status === 200);
    expect(accepted.map((post) => post.prompt).sort()).toEqual(namedJobs(8).map((job) => job.name));
    // The first wave is the only burst: after it, creates go one at a time, each 2 s (Retry-After) after the last 429.
    expect(api.flight.peakPosts).toBe(6);
    const afterFirstWave = posts.slice(6);
    const storm = afterFirstWave.filter((post) => post.status === 429);
    expect(storm.length).toBeLessThanOrEqual(STORM_MS / 2000);
    for (const gap of gaps(afterFirstWave.slice(0, storm.length + 1))) expect(gap).toBeGreaterThanOrEqual(2000 + 100);
    expect(limited[0]).toMatchObject({ retryInMs: 2000, concurrency: 3 });
    expect(limited.map((event) => event.concurrency).at(-1)).toBe(1);
    expect(api.flight.peak).toBeLessThanOrEqual(6);
  });

  it("a 429 on a create sent after the queue emptied still gets its job created, after the pause", async () => {
    // Both jobs are sent at once, so the queue is empty when job-1's 429 puts it back.
    const api = fakeApi({
      create: ({ index }) => (index === 1 ? errorAnswer(429, { "retry-after": "3" }) : undefined),
    });
    let summary: BatchSummary | undefined;
    void api
      .client()
      .generateMany(namedJobs(2), { concurrency: 2 })
      .then((done) => (summary = done));
    await vi.runAllTimersAsync();
    expect(summary, "the batch never ended").toBeDefined();
    expect(statuses(summary!)).toEqual(["completed", "completed"]);
    expect(api.postsPerJob()).toEqual({ "job-0": 1, "job-1": 2 });
    const [, refused, accepted] = api.sent.filter((sent) => sent.method === "POST");
    expect(accepted!.at - refused!.at).toBeGreaterThanOrEqual(3_000);
  });

  it("stops sending creates when the gateway asks for a longer pause than the SDK waits; started jobs finish", async () => {
    const api = fakeApi({
      create: ({ index }) => (index === 1 ? errorAnswer(429, { "retry-after": "120" }) : undefined),
    });
    const summary = (await settle(api.client().generateMany(namedJobs(3), { concurrency: 2 }))) as BatchSummary;
    expect(statuses(summary)).toEqual(["completed", "not-created", "not-started"]);
    expect(summary.jobs[2]!.error).toMatch(/longer than 60000 ms/);
    expect(summary.stoppedBy).toBeInstanceOf(RateLimitError);
    expect(api.postsPerJob()).toEqual({ "job-0": 1, "job-1": 1 });
  });

  it("a refused key (401) stops the batch at the first create; the key appears in no result or event", async () => {
    const echo = apiError(401, {}, { message: `Invalid token ${API_KEY}` });
    const api = fakeApi({ create: () => echo(new Request("http://127.0.0.1/")) as Response });
    const journal = createMemoryJournal();
    const summary = (await settle(
      api.client().generateMany(namedJobs(4), { concurrency: 1, journal }),
    )) as BatchSummary;
    expect(statuses(summary)).toEqual(["not-created", "not-started", "not-started", "not-started"]);
    expect(summary.jobs[1]!.error).toMatch(/refused the API key/);
    expect(summary.stoppedBy).toBeInstanceOf(AuthenticationError);
    expect(api.sent).toHaveLength(1);
    expectNoKey(summary);
    expectNoKey(journal.events);
  });
});

describe("polling", () => {
  it("stays under maxPollsPerSecond in all and pollIntervalMs per task", async () => {
    // 4 tasks at 2 polls/s would come round every 2 s: the 3 s interval is what holds each one back.
    const api = fakeApi({ durationMs: 20_000, latencyMs: 10 });
    await settle(
      api.client().generateMany(namedJobs(4), { concurrency: 4, maxPollsPerSecond: 2, pollIntervalMs: 3_000 }),
    );
    const polls = api.sent.filter((sent) => sent.method === "GET");
    for (const gap of gaps(polls)) expect(gap).toBeGreaterThanOrEqual(500);
    for (const taskId of api.tasks.keys()) {
      const own = polls.filter((poll) => poll.taskId === taskId);
      for (const gap of gaps(own)) expect(gap).toBeGreaterThanOrEqual(3_000);
      expect(own.length).toBeLessThanOrEqual(20_000 / 3_000 + 1);
    }
  });

  it("pauses every poll when one gets 503 with Retry-After, and keeps following the tasks", async () => {
    const api = fakeApi({
      poll: ({ index }) => (index === 3 ? errorAnswer(503, { "retry-after": "7" }) : undefined),
    });
    const summary = (await settle(api.client().generateMany(namedJobs(4), { concurrency: 4 }))) as BatchSummary;
    expect(statuses(summary)).toEqual(Array(4).fill("completed"));
    const polls = api.sent.filter((sent) => sent.method === "GET");
    const failed = polls.findIndex((poll) => poll.status === 503);
    expect(polls[failed + 1]!.at - polls[failed]!.at).toBeGreaterThanOrEqual(7_000 + 100);
  });

  it("gives up on a task after timeoutMs (pending, id kept); a rerun waits on it without creating it again", async () => {
    const api = fakeApi({ durationMs: 60_000 });
    const journal = createMemoryJournal();
    const first = (await settle(
      api.client().generateMany(namedJobs(2), { journal, timeoutMs: 20_000 }),
    )) as BatchSummary;
    expect(first.jobs).toMatchObject([
      { status: "pending", taskId: "task_1", error: expect.stringMatching(/did not finish within 20000 ms/) },
      { status: "pending", taskId: "task_2" },
    ]);
    const rerun = (await settle(api.client().generateMany(namedJobs(2), { journal }))) as BatchSummary;
    expect(statuses(rerun)).toEqual(["completed", "completed"]);
    expect(api.postsPerJob()).toEqual(oncePerJob(2));
  });
});

describe("stopping", () => {
  it("sends nothing new once the signal fires, journals the ids of creates already sent, and resolves", async () => {
    const api = fakeApi();
    const journal = createMemoryJournal();
    const stop = new AbortController();
    const stopAt = Date.now() + 50;
    setTimeout(() => stop.abort(), 50); // both first creates are on the wire
    const summary = (await settle(
      api.client().generateMany(namedJobs(6), { journal, concurrency: 2, signal: stop.signal, save: fakeSave().save }),
    )) as BatchSummary;
    expect(summary.aborted).toBe(true);
    expect(statuses(summary)).toEqual(["pending", "pending", ...Array(4).fill("not-started")]);
    expect(api.sent.map((sent) => sent.at < stopAt)).toEqual([true, true]);
    expect(journal.events.map((event) => event.type)).toEqual(["intent", "intent", "created", "created"]);

    const rerun = (await settle(
      api.client().generateMany(namedJobs(6), { journal, concurrency: 2, save: fakeSave().save }),
    )) as BatchSummary;
    expect(statuses(rerun)).toEqual(Array(6).fill("saved"));
    expect(api.postsPerJob()).toEqual(oncePerJob(6));
  });
});
