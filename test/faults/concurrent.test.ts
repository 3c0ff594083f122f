// 200 concurrent generate() calls against a fake gateway that injects random faults (seeded):
// every call ends in a finished video or a typed error, no task id is lost, and no create is
// ever sent again once the gateway has taken it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVideoClient, KlingVideoError, type VideoTask } from "../../src/index.js";
import { trapUnhandledRejections } from "../support/harness.js";
import { type LoopbackGateway, sendJson, startLoopbackGateway } from "../support/loopback-gateway.js";
import { API_KEY, task } from "../support/scripted-fetch.js";

const CALLS = 200;
const SEED = Number(process.env.FAULT_SEED ?? 20261125);

interface CallLog {
  posts: number;
  /** The POST the gateway took (created a task for), if any. */
  takenAtPost?: number;
  postsAfterTake: number;
  /** The id the gateway answered with (200), when the answer went out. */
  answeredId?: string;
}

trapUnhandledRejections();

describe(`${CALLS} concurrent generate() calls with random faults (seed ${SEED})`, () => {
  const roll = mulberry32(SEED);
  const calls = new Map<string, CallLog>();
  const tasks = new Map<string, { polls: number; finishAfter: number; fails: boolean; oddStatus: boolean }>();
  let gateway: LoopbackGateway;

  beforeAll(async () => {
    gateway = await startLoopbackGateway(({ req, res, body, socket }) => {
      const fault = roll();
      if (req.method === "POST") {
        const marker = /call-(\d+)/.exec(body)?.[1] ?? "?";
        const log = calls.get(marker) ?? { posts: 0, postsAfterTake: 0 };
        calls.set(marker, log);
        log.posts++;
        if (log.takenAtPost !== undefined) log.postsAfterTake++;
        if (fault < 0.1) return sendJson(res, 429, { error: { message: "busy" } }, { "retry-after-ms": "10" });
        if (fault < 0.15) return void socket.destroy(); // before taking the task
        if (fault < 0.2) return sendJson(res, 503, { error: { message: "overloaded" } }); // not taken either
        const id = `video_${marker}_${log.posts}`;
        log.takenAtPost ??= log.posts;
        tasks.set(id, {
          polls: 0,
          finishAfter: 1 + Math.floor(roll() * 4),
          fails: roll() < 0.1,
          oddStatus: roll() < 0.1,
        });
        if (fault < 0.25) return void socket.destroy(); // took it, then the connection broke
        if (fault < 0.3) return sendJson(res, 500, { error: { message: "took it, then crashed" } });
        log.answeredId = id;
        return sendJson(res, 200, task({ id }));
      }
      if (fault < 0.06) return sendJson(res, 503, { error: { message: "busy" } });
      if (fault < 0.09) return sendJson(res, 429, { error: { message: "slow down" } }, { "retry-after-ms": "5" });
      if (fault < 0.12) return void socket.destroy();
      const id = decodeURIComponent(req.url!.split("/").pop()!);
      const state = tasks.get(id);
      if (!state) return sendJson(res, 404, { error: { message: "no such task" } });
      state.polls++;
      if (state.polls < state.finishAfter) {
        return sendJson(
          res,
          200,
          task({ id, status: state.oddStatus ? "succeed" : "in_progress", progress: state.polls * 20 }),
        );
      }
      if (state.fails)
        return sendJson(res, 200, task({ id, status: "failed", error: { code: "provider_error", message: "no" } }));
      return sendJson(
        res,
        200,
        task({ id, status: "completed", progress: 100, video_url: `https://cdn.example.com/${id}.mp4` }),
      );
    });
  });
  afterAll(() => gateway?.close());

  it("end in a video or a typed error; no lost task id; no duplicate create", async () => {
    const client = createVideoClient({ baseUrl: gateway.url, apiKey: API_KEY, timeoutMs: 5000, maxRetries: 2 });
    const outcomes = await Promise.all(
      Array.from({ length: CALLS }, (_, index) =>
        client
          .generate({ model: "kling-v3-std-silent", prompt: `call-${index}` }, { pollIntervalMs: 5, timeoutMs: 30_000 })
          .then(
            (video: VideoTask) => ({ index, video }),
            (error: unknown) => ({ index, error }),
          ),
      ),
    );

    const tally = { completed: 0, failedTask: 0, notCreated: 0, mayExist: 0 };
    for (const outcome of outcomes) {
      // No log: the create never reached the gateway (its connection broke first).
      const log = calls.get(String(outcome.index)) ?? { posts: 0, postsAfterTake: 0 };
      expect(log.postsAfterTake, `call ${outcome.index}: create resent after the gateway took it`).toBe(0);
      if ("video" in outcome) {
        expect(outcome.video.status).toBe("completed");
        expect(outcome.video.id).toBe(log.answeredId);
        tally.completed++;
        continue;
      }
      const error = outcome.error as KlingVideoError;
      expect(error, `call ${outcome.index}`).toBeInstanceOf(KlingVideoError);
      if (error.taskId !== undefined) {
        // The caller learned the id: it is the one the gateway gave, never another.
        expect(error.taskId, `call ${outcome.index}: ${error.name}`).toBe(log.answeredId);
        tally.failedTask++;
      } else if (log.takenAtPost !== undefined) {
        // Taken, but the answer never arrived whole (lost, or too late on a busy machine): the
        // error must say a task may exist.
        expect(error.taskMayExist, `call ${outcome.index}: ${error.name}: ${error.message}`).toBe(true);
        tally.mayExist++;
      } else {
        tally.notCreated++;
      }
    }
    expect(tally.completed).toBeGreaterThan(CALLS / 2);
    expect(tally.failedTask + tally.mayExist + tally.notCreated).toBeGreaterThan(0);
    console.log(`concurrent faults: ${JSON.stringify(tally)}, ${gateway.requests.length} requests`);
  }, 120_000);
});

/** A small seeded PRNG (uniform in [0, 1)): the same seed replays the same faults. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
