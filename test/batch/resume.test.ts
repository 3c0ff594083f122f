// Resuming from the journal: a crash after any event, tasks whose id never arrived ("may exist"),
// creates that provably made nothing, failed tasks, and a journal that stops working.
import { describe, expect, it, vi } from "vitest";
import {
  type BatchSummary,
  createMemoryJournal,
  type Journal,
  type JournalEvent,
  KlingVideoError,
} from "../../src/index.js";
import { settle } from "../support/harness.js";
import { errorAnswer, fakeApi, fakeSave, namedJobs, useBatchClock } from "./fake-api.js";

useBatchClock();

const JOBS = namedJobs(3);
const statuses = (summary: BatchSummary) => Object.fromEntries(summary.jobs.map((job) => [job.key, job.status]));
const taskIdsIn = (events: readonly JournalEvent[]) =>
  new Set(events.flatMap((e) => ("taskId" in e ? [e.taskId] : [])));

/** A journal whose process dies at append number `crashAt`: that append and every later one never complete. */
function dyingJournal(crashAt: number) {
  const durable: JournalEvent[] = [];
  const journal: Journal = {
    read: async () => [],
    append: (event) =>
      durable.length < crashAt ? Promise.resolve(void durable.push({ ...event })) : new Promise<void>(() => undefined),
  };
  return { journal, durable };
}

describe("resume after a crash", () => {
  it("after a crash at any event, reruns create each job once, lose no task id, and finish the rest", async () => {
    const EVENTS_IN_A_FULL_RUN = JOBS.length * 4; // intent, created, completed, saved
    for (let crashAt = 0; crashAt < EVENTS_IN_A_FULL_RUN; crashAt++) {
      const api = fakeApi();
      const { journal: dying, durable } = dyingJournal(crashAt);
      const stop = new AbortController();
      const crashed = api.client().generateMany(JOBS, { journal: dying, save: fakeSave().save, signal: stop.signal });
      void crashed; // never settles: it is stuck in the append that the crash cut short
      await vi.runAllTimersAsync();
      stop.abort(); // the process is gone: nothing of it runs on
      await vi.runAllTimersAsync();
      expect(durable, `crash at ${crashAt}`).toHaveLength(crashAt);

      const lastEvent = new Map(durable.map((event) => [event.key, event.type]));
      const cutOff = JOBS.map((job) => job.name).filter((name) => lastEvent.get(name) === "intent");
      const unsaved = JOBS.map((job) => job.name).filter((name) => lastEvent.get(name) !== "saved");
      const journal = createMemoryJournal(durable);
      const rerun = fakeSave();
      const summary = (await settle(api.client().generateMany(JOBS, { journal, save: rerun.save }))) as BatchSummary;

      expect(api.postsPerJob(), `crash at ${crashAt}`).toEqual({ "job-0": 1, "job-1": 1, "job-2": 1 });
      for (const job of summary.jobs) {
        const made = api.tasksPerJob()[job.key]!;
        if (cutOff.includes(job.key)) {
          // The create was sent, its id never journaled: the one task id a crash can take, and the summary says so.
          expect(job.status).toBe("may-exist");
        } else {
          expect(job).toMatchObject({ status: "saved", taskId: made[0] });
          expect(taskIdsIn(journal.events).has(made[0]!)).toBe(true);
        }
      }
      // Saved again: exactly the jobs whose saved event the crash cut off (completed or not).
      expect(rerun.saves.sort()).toEqual(unsaved.filter((name) => !cutOff.includes(name)).sort());

      if (cutOff.length === 0) continue;
      const settled = (await settle(
        api.client().generateMany(JOBS, { journal, save: fakeSave().save, retryUnknown: true }),
      )) as BatchSummary;
      expect(Object.values(statuses(settled))).toEqual(["saved", "saved", "saved"]);
      for (const name of cutOff) expect(api.postsPerJob()[name], `crash at ${crashAt}`).toBe(2);
    }
  });

  it("journals each step durably before the next: intent, POST, created, polls, completed, save, saved", async () => {
    const api = fakeApi();
    const durableAt = new Map<string, number>();
    const slowDisk: Journal = {
      read: async () => [],
      append: (event) =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            durableAt.set(`${event.type}:${event.key}`, Date.now());
            resolve();
          }, 1_000),
        ),
    };
    const reported: string[] = [];
    const { save } = fakeSave();
    const savedAt = new Map<string, number>();
    save.mockImplementation(async (task, job, { key }) => {
      expect(key).toBe(job.name);
      savedAt.set(job.name!, Date.now());
      return { path: `/videos/${job.name}.mp4`, size: 1, sha256: task.id };
    });
    await settle(
      api.client().generateMany(JOBS, {
        journal: slowDisk,
        save,
        onEvent: (event) => {
          if (event.type !== "journal") return;
          expect(JOBS[event.index]!.name).toBe(event.event.key);
          const name = `${event.event.type}:${event.event.key}`;
          expect(durableAt.has(name), `${name} reported before it was durable`).toBe(true);
          reported.push(name);
        },
      }),
    );
    for (const { name } of JOBS) {
      expect(reported.filter((entry) => entry.endsWith(`:${name}`))).toEqual([
        `intent:${name}`,
        `created:${name}`,
        `completed:${name}`,
        `saved:${name}`,
      ]);
      const post = api.sent.find((sent) => sent.method === "POST" && sent.prompt === name)!;
      const polls = api.sent.filter((sent) => sent.method === "GET" && sent.taskId === post.taskId);
      expect(post.at).toBeGreaterThanOrEqual(durableAt.get(`intent:${name}`)!);
      expect(polls[0]!.at).toBeGreaterThanOrEqual(durableAt.get(`created:${name}`)!);
      expect(savedAt.get(name)).toBeGreaterThanOrEqual(durableAt.get(`completed:${name}`)!);
    }
  });
});

describe("may exist", () => {
  it("is not created again unless retryUnknown; then it is, once", async () => {
    // job-0's answer is lost after the gateway made the task; job-1 gets a 502: either may have made one.
    const api = fakeApi({
      create: ({ prompt, index }) =>
        index > 2 ? undefined : prompt === "job-0" ? "lost" : prompt === "job-1" ? errorAnswer(502) : undefined,
    });
    const journal = createMemoryJournal();
    const first = (await settle(api.client().generateMany(JOBS, { journal, save: fakeSave().save }))) as BatchSummary;
    expect(statuses(first)).toEqual({ "job-0": "may-exist", "job-1": "may-exist", "job-2": "saved" });
    expect(first.jobs[0]!.error).toMatch(/may have been created/);
    expect(journal.events.filter((event) => event.key !== "job-2").map((event) => event.type)).toEqual([
      "intent",
      "intent",
    ]);

    const again = (await settle(api.client().generateMany(JOBS, { journal, save: fakeSave().save }))) as BatchSummary;
    expect(statuses(again)).toEqual({ "job-0": "may-exist", "job-1": "may-exist", "job-2": "saved" });
    expect(again.jobs[0]).toMatchObject({ resumed: true, error: expect.stringMatching(/retryUnknown/) });
    expect(api.postsPerJob()).toEqual({ "job-0": 1, "job-1": 1, "job-2": 1 });

    const retried = (await settle(
      api.client().generateMany(JOBS, { journal, save: fakeSave().save, retryUnknown: true }),
    )) as BatchSummary;
    expect(statuses(retried)).toEqual({ "job-0": "saved", "job-1": "saved", "job-2": "saved" });
    expect(api.postsPerJob()).toEqual({ "job-0": 2, "job-1": 2, "job-2": 1 });
  });

  it("is settled by appending the task's created event: the rerun waits on that task", async () => {
    const api = fakeApi({ create: ({ index }) => (index === 0 ? "lost" : undefined) });
    const journal = createMemoryJournal();
    await settle(api.client().generateMany(JOBS.slice(0, 1), { journal }));
    const found = api.tasksPerJob()["job-0"]![0]!; // what the gateway's task log shows
    const settled = createMemoryJournal([...journal.events, { type: "created", key: "job-0", taskId: found, at: 0 }]);
    const summary = (await settle(api.client().generateMany(JOBS.slice(0, 1), { journal: settled }))) as BatchSummary;
    expect(summary.jobs[0]).toMatchObject({ status: "completed", taskId: found, resumed: true });
    expect(api.postsPerJob()).toEqual({ "job-0": 1 });
  });
});

describe("what provably made nothing, and what ended", () => {
  it("journals not-created for a 4xx or an invalid body (nothing sent), and a rerun creates them", async () => {
    const api = fakeApi({ create: ({ index }) => (index === 0 ? errorAnswer(400) : undefined) });
    const jobs = [...JOBS.slice(0, 2), { name: "bad", model: "kling-v3-std-silent" as const, prompt: "" }];
    const journal = createMemoryJournal();
    const first = (await settle(api.client().generateMany(jobs, { journal, concurrency: 1 }))) as BatchSummary;
    expect(statuses(first)).toEqual({ "job-0": "not-created", "job-1": "completed", bad: "not-created" });
    expect(first.jobs[2]!.error).toMatch(/nothing was sent/);
    expect(journal.events.filter((event) => event.type === "not-created").map((event) => event.key)).toEqual([
      "job-0",
      "bad",
    ]);
    expect(api.postsPerJob()).toEqual({ "job-0": 1, "job-1": 1 });

    const rerun = (await settle(api.client().generateMany(jobs.slice(0, 2), { journal }))) as BatchSummary;
    expect(statuses(rerun)).toEqual({ "job-0": "completed", "job-1": "completed" });
    expect(api.postsPerJob()).toEqual({ "job-0": 2, "job-1": 1 });
  });

  it("journals a failed task with its reason, and a rerun neither creates nor polls it again", async () => {
    const api = fakeApi();
    const jobs = [{ name: "doomed", model: "kling-v3-std-silent" as const, prompt: "please fail" }];
    const journal = createMemoryJournal();
    const first = (await settle(api.client().generateMany(jobs, { journal }))) as BatchSummary;
    expect(first.jobs[0]).toMatchObject({ status: "failed", error: "refused by the provider (content_policy)" });
    expect(journal.events.at(-1)).toMatchObject({ type: "failed", taskId: "task_1", error: first.jobs[0]!.error });
    const requests = api.sent.length;
    const rerun = (await settle(api.client().generateMany(jobs, { journal }))) as BatchSummary;
    expect(rerun.jobs[0]).toMatchObject({ status: "failed", resumed: true, taskId: "task_1" });
    expect(api.sent).toHaveLength(requests);
  });
});

describe("saving", () => {
  it("a failed save leaves the job completed; a rerun fetches the task once more and saves it", async () => {
    const api = fakeApi();
    const journal = createMemoryJournal();
    const jobs = JOBS.slice(0, 1);
    const broken = vi.fn(async () => Promise.reject(new Error("EACCES: permission denied")));
    const first = (await settle(api.client().generateMany(jobs, { journal, save: broken }))) as BatchSummary;
    expect(first.jobs[0]).toMatchObject({ status: "completed", error: "not saved: EACCES: permission denied" });
    expect(journal.events.map((event) => event.type)).toEqual(["intent", "created", "completed"]);
    const requests = api.sent.length;
    const { save, saves } = fakeSave();
    const rerun = (await settle(api.client().generateMany(jobs, { journal, save }))) as BatchSummary;
    expect(rerun.jobs[0]).toMatchObject({ status: "saved", file: "/videos/job-0.mp4", size: 1024, resumed: true });
    expect(saves).toEqual(["job-0"]);
    expect(api.sent.slice(requests).map((sent) => sent.method)).toEqual(["GET"]); // a fresh URL, no create
    expect(journal.events.map((event) => event.type)).toEqual(["intent", "created", "completed", "saved"]);
  });
});

describe("a journal that fails", () => {
  it("stops the batch, and the rejection names every task id it could not record", async () => {
    const api = fakeApi();
    const events: JournalEvent[] = [];
    const full: Journal = {
      read: async () => [],
      append: async (event) => {
        if (event.type === "created") throw new Error("ENOSPC: no space left on device");
        events.push(event);
      },
    };
    const error = await settle(api.client().generateMany(JOBS, { journal: full, concurrency: 2 }));
    expect(error).toBeInstanceOf(KlingVideoError);
    expect((error as Error).message).toMatch(/ENOSPC/);
    const { summary } = error as KlingVideoError & { summary: BatchSummary };
    const made = Object.values(api.tasksPerJob()).flat();
    expect(made).toHaveLength(2); // the two creates in flight; nothing was sent after the failure
    for (const taskId of made) {
      expect((error as Error).message).toContain(taskId);
      expect(summary.jobs.find((job) => job.taskId === taskId)?.status).toBe("pending");
    }
    expect(summary.jobs[2]!.status).toBe("not-started");
  });
});
