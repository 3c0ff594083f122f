import { describe, expect, it, vi } from "vitest";
import {
  APIUserAbortError,
  createVideoClient,
  NotFoundError,
  type VideoTask,
  VideoTaskFailedError,
  WaitTimeoutError,
} from "../../src/index.js";
import { gaps, MOCK_BASE_URL, scriptedClient, settle, useFakeClock } from "../support/harness.js";
import { API_KEY, apiError, json, networkError, type Step, scriptedFetch, task } from "../support/scripted-fetch.js";

useFakeClock();

const setup = (...steps: Step[]) => scriptedClient(steps);

const lifecycle = [
  json(200, task({ status: "queued" })),
  json(200, task({ status: "queued" })),
  json(200, task({ status: "in_progress", progress: 10 })),
  json(200, task({ status: "in_progress", progress: 10 })),
  json(200, task({ status: "in_progress", progress: 70 })),
  json(200, task({ status: "completed", progress: 100, video_url: "https://cdn.example.com/v.mp4" })),
];

describe("wait", () => {
  it("polls every pollIntervalMs until completed, reporting each change once", async () => {
    const { fetchImpl, client } = setup(...lifecycle);
    const seen: string[] = [];
    const result = await settle(
      client.wait("video_123", {
        pollIntervalMs: 2000,
        onProgress: (t) => void seen.push(`${t.status}:${t.progress}`),
      }),
    );
    expect(result).toMatchObject({ status: "completed", video_url: "https://cdn.example.com/v.mp4" });
    expect(seen).toEqual(["queued:0", "in_progress:10", "in_progress:70", "completed:100"]);
    expect(fetchImpl.calls).toHaveLength(6);
    expect(gaps(fetchImpl.calls)).toEqual([2000, 2000, 2000, 2000, 2000]);
    expect(fetchImpl.calls.every((call) => call.url === "http://127.0.0.1:4010/v1/videos/video_123")).toBe(true);
  });

  it("defaults to a 5 s interval", async () => {
    const { fetchImpl, client } = setup(json(200, task()), json(200, task({ status: "completed" })));
    await settle(client.wait("video_123"));
    expect(gaps(fetchImpl.calls)).toEqual([5000]);
  });

  it("throws VideoTaskFailedError with the task and its error on failed", async () => {
    const failed = task({ status: "failed", error: { code: "content_policy_violation", message: "rejected" } });
    const { client } = setup(json(200, task()), json(200, failed));
    const error = (await settle(client.wait("video_123", { pollIntervalMs: 10 }))) as VideoTaskFailedError;
    expect(error).toBeInstanceOf(VideoTaskFailedError);
    expect(error.task).toEqual(failed);
    expect(error.error).toEqual({ code: "content_policy_violation", message: "rejected" });
    expect(error.taskId).toBe("video_123");
    expect(error.message).toBe("Video task video_123 failed: rejected (content_policy_violation)");
  });

  it("honours a longer Retry-After or retry-after-ms on poll responses", async () => {
    const { fetchImpl, client } = setup(
      json(200, task(), { "retry-after": "12" }),
      json(200, task(), { "retry-after-ms": "7000" }),
      json(200, task(), { "retry-after": "1" }),
      json(200, task({ status: "completed" })),
    );
    await settle(client.wait("video_123", { pollIntervalMs: 3000 }));
    expect(gaps(fetchImpl.calls)).toEqual([12000, 7000, 3000]);
  });

  it("throws WaitTimeoutError with the task id and last task at the deadline", async () => {
    const stuck = task({ status: "in_progress", progress: 42 });
    const { fetchImpl, client } = setup(json(200, stuck));
    const error = (await settle(
      client.wait("video_123", { pollIntervalMs: 1000, timeoutMs: 10_500 }),
    )) as WaitTimeoutError;
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error.taskId).toBe("video_123");
    expect(error.lastTask).toEqual(stuck);
    expect(error.message).toContain('resume with wait("video_123")');
    expect(fetchImpl.calls).toHaveLength(11);
  });

  it("reports an unknown status through onProgress and keeps polling until the deadline", async () => {
    const { fetchImpl, client } = setup(json(200, task({ status: "succeed" })));
    const seen: unknown[] = [];
    const error = await settle(
      client.wait("video_123", { pollIntervalMs: 1000, timeoutMs: 5500, onProgress: (t) => void seen.push(t.status) }),
    );
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(seen).toEqual(["succeed"]);
    expect(fetchImpl.calls).toHaveLength(6);
  });

  it("rides out transient failures (network, 429, 5xx) and keeps polling", async () => {
    const { fetchImpl, client } = setup(
      json(200, task()),
      networkError("ECONNRESET"),
      networkError("ECONNRESET"),
      networkError("ECONNRESET"),
      apiError(503),
      apiError(503),
      apiError(503),
      json(200, task({ status: "completed" })),
    );
    expect(await settle(client.wait("video_123", { pollIntervalMs: 1000 }))).toMatchObject({ status: "completed" });
    expect(fetchImpl.calls).toHaveLength(8);
  });

  it("stops at once when the gateway has never answered (refused, unknown host), and rides it out once it has", async () => {
    const never = setup(networkError("ECONNREFUSED"), json(200, task({ status: "completed" })));
    expect(await settle(never.client.wait("video_123"))).toMatchObject({
      name: "APIConnectionError",
      notSent: true,
      taskId: "video_123",
    });
    expect(never.fetchImpl.calls).toHaveLength(1);
    const later = setup(json(200, task()), networkError("ECONNREFUSED"), json(200, task({ status: "completed" })));
    expect(await settle(later.client.wait("video_123", { pollIntervalMs: 10 }))).toMatchObject({ status: "completed" });
  });

  it("stops at a 404 (unknown task) with the task id", async () => {
    const { client } = setup(apiError(404));
    const error = await settle(client.wait("video_gone"));
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).taskId).toBe("video_gone");
  });

  it("stops when the caller aborts, keeping the task id", async () => {
    const controller = new AbortController();
    const { fetchImpl, client } = setup(json(200, task()));
    const call = client.wait("video_123", { signal: controller.signal }).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(12_000);
    controller.abort();
    const error = await call;
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect((error as APIUserAbortError).taskId).toBe("video_123");
    expect(fetchImpl.calls).toHaveLength(3);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("leaves no timer behind when it ends", async () => {
    const { client } = setup(json(200, task({ status: "completed" })));
    await settle(client.wait("video_123"));
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("generate", () => {
  it("creates, calls onCreated with the id before polling, then waits", async () => {
    const order: string[] = [];
    const fetchImpl = scriptedFetch(
      ...[json(200, task()), ...lifecycle].map(
        (step): Step =>
          (request) => {
            order.push(request.method);
            return step(request);
          },
      ),
    );
    const client = createVideoClient({ baseUrl: MOCK_BASE_URL, apiKey: API_KEY, fetch: fetchImpl });
    const result = await settle(
      client.generate(
        { model: "kling-v3-std-silent", prompt: "a fox" },
        { pollIntervalMs: 100, onCreated: (created: VideoTask) => void order.push(`created ${created.id}`) },
      ),
    );
    expect(result).toMatchObject({ status: "completed" });
    expect(order.slice(0, 3)).toEqual(["POST", "created video_123", "GET"]);
  });

  const afterCreation: [string, Step[], unknown][] = [
    ["failed task", [json(200, task({ status: "failed", error: { message: "no" } }))], VideoTaskFailedError],
    ["deadline", [json(200, task({ status: "in_progress" }))], WaitTimeoutError],
    ["unknown task", [apiError(404)], NotFoundError],
  ];
  it.each(afterCreation)("a %s after creation carries taskId", async (_, steps, ErrorClass) => {
    const { fetchImpl, client } = setup(json(200, task()), ...steps);
    const error = await settle(
      client.generate({ model: "kling-v3-std-silent", prompt: "a" }, { pollIntervalMs: 100, timeoutMs: 1000 }),
    );
    expect(error).toBeInstanceOf(ErrorClass);
    expect((error as { taskId: string }).taskId).toBe("video_123");
    expect(fetchImpl.calls.filter((call) => call.method === "POST")).toHaveLength(1);
  });

  it("errors thrown by onCreated or onProgress carry taskId too", async () => {
    const first = setup(json(200, task()));
    const fromOnCreated = await settle(
      first.client.generate(
        { model: "kling-v3-std-silent", prompt: "a" },
        {
          onCreated: () => {
            throw new Error("db down");
          },
        },
      ),
    );
    expect(fromOnCreated).toMatchObject({ message: "db down", taskId: "video_123" });
    const second = setup(json(200, task()));
    const fromOnProgress = await settle(
      second.client.generate(
        { model: "kling-v3-std-silent", prompt: "a" },
        {
          onProgress: () => {
            throw new Error("ui gone");
          },
        },
      ),
    );
    expect(fromOnProgress).toMatchObject({ message: "ui gone", taskId: "video_123" });
  });

  it("abort after creation carries taskId", async () => {
    const controller = new AbortController();
    const { client } = setup(json(200, task()));
    const call = client
      .generate({ model: "kling-v3-std-silent", prompt: "a" }, { signal: controller.signal })
      .catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(6000);
    controller.abort();
    expect(await call).toMatchObject({ name: "APIUserAbortError", taskId: "video_123" });
  });
});
