// Configuration a new user meets first: keys and base URL from the environment, the browser
// guard, a base URL given with /v1, and per-call options over the client's.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  APIConnectionTimeoutError,
  createVideoClient,
  InternalServerError,
  InvalidOptionError,
  RateLimitError,
  type VideoTask,
} from "../../src/index.js";
import { MOCK_BASE_URL, scriptedClient, settle, useFakeClock } from "../support/harness.js";
import { API_KEY, apiError, hang, json, scriptedFetch, task } from "../support/scripted-fetch.js";

useFakeClock();
afterEach(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
});

const thrown = (make: () => unknown) => {
  try {
    make();
  } catch (error) {
    return error;
  }
  throw new Error("nothing was thrown");
};

describe("keys and base URL from the environment", () => {
  it("createVideoClient() reads KLING_VIDEO_API_KEY and KLING_VIDEO_BASE_URL", async () => {
    vi.stubEnv("KLING_VIDEO_API_KEY", API_KEY);
    vi.stubEnv("KLING_VIDEO_BASE_URL", "https://gateway.example.com/");
    const fetchImpl = scriptedFetch(json(200, task()));
    await createVideoClient({ fetch: fetchImpl }).retrieve("task_1");
    expect(fetchImpl.calls[0]).toMatchObject({ url: "https://gateway.example.com/v1/videos/task_1" });
    expect(fetchImpl.calls[0]!.headers.get("authorization")).toBe(`Bearer ${API_KEY}`);
  });

  it.each([undefined, ""])("a missing key (%j) says which variable to set", (value) => {
    vi.stubEnv("KLING_VIDEO_API_KEY", value);
    const error = thrown(() => createVideoClient({ baseUrl: "https://gateway.example.com" }));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ option: "apiKey", message: expect.stringContaining("KLING_VIDEO_API_KEY") });
  });

  it("a missing base URL says which variable to set", () => {
    vi.stubEnv("KLING_VIDEO_BASE_URL", "");
    const error = thrown(() => createVideoClient({ apiKey: API_KEY }));
    expect(error).toMatchObject({ option: "baseUrl", message: expect.stringContaining("KLING_VIDEO_BASE_URL") });
  });

  it('an explicit option wins over the environment, and apiKey "" sends no Authorization (a proxy adds it)', async () => {
    vi.stubEnv("KLING_VIDEO_API_KEY", API_KEY);
    const fetchImpl = scriptedFetch(json(200, task()));
    await createVideoClient({ baseUrl: "https://proxy.example.com", apiKey: "", fetch: fetchImpl }).retrieve("task_1");
    expect(fetchImpl.calls[0]!.headers.get("authorization")).toBeNull();
  });
});

describe("in a browser", () => {
  beforeEach(() => {
    vi.stubGlobal("window", {});
    vi.stubGlobal("document", {});
  });

  it("a key needs dangerouslyAllowBrowser: true, and the error says why", () => {
    const error = thrown(() => createVideoClient({ baseUrl: "https://gateway.example.com", apiKey: API_KEY }));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as Error).message).toMatch(/readable by every visitor.*dangerouslyAllowBrowser/);
    expect(() =>
      createVideoClient({ baseUrl: "https://gateway.example.com", apiKey: API_KEY, dangerouslyAllowBrowser: true }),
    ).not.toThrow();
  });

  it("no key (the server-proxy pattern) and the local mock need no flag", () => {
    expect(() => createVideoClient({ baseUrl: "https://my-app.example.com/api/video", apiKey: "" })).not.toThrow();
    expect(() => createVideoClient({ baseUrl: MOCK_BASE_URL, apiKey: "sk-test" })).not.toThrow();
  });
});

describe("a base URL", () => {
  it.each(["https://gateway.example.com/v1", "https://gateway.example.com/v1/", "https://gateway.example.com"])(
    "%s: requests go to /v1/..., never /v1/v1/...",
    async (baseUrl) => {
      const fetchImpl = scriptedFetch(json(200, task()));
      await createVideoClient({ baseUrl, apiKey: API_KEY, fetch: fetchImpl }).retrieve("task_1");
      expect(fetchImpl.calls[0]!.url).toBe("https://gateway.example.com/v1/videos/task_1");
    },
  );
});

describe("per-call options over the client's", () => {
  it("timeoutMs", async () => {
    const { client, fetchImpl } = scriptedClient([hang], { timeoutMs: 60_000, maxRetries: 0 });
    const calling = settle(client.retrieve("task_1", { timeoutMs: 1_000 }));
    expect(await calling).toBeInstanceOf(APIConnectionTimeoutError);
    expect(((await calling) as Error).message).toMatch(/after 1000 ms/);
    expect(fetchImpl.calls).toHaveLength(1);
  });

  it("maxRetries", async () => {
    const { client, fetchImpl } = scriptedClient([apiError(503)], { maxRetries: 5 });
    expect(await settle(client.retrieve("task_1", { maxRetries: 0 }))).toBeInstanceOf(InternalServerError);
    expect(fetchImpl.calls).toHaveLength(1);
    const wait = scriptedClient([apiError(503), apiError(503), json(200, task({ status: "completed" }))]);
    expect(await settle(wait.client.wait("task_1", { maxRetries: 1, pollIntervalMs: 10 }))).toBeInstanceOf(
      InternalServerError,
    );
    expect(wait.fetchImpl.calls).toHaveLength(2);
  });

  it("create and download take timeoutMs and maxRetries too", async () => {
    await import("../../src/download.js"); // loaded on first use: here, before the clock is run
    const body = { model: "kling-v3-std-silent", prompt: "a" } as const;
    const timed = scriptedClient([hang], { timeoutMs: 60_000 });
    const timedOut = await settle(timed.client.create(body, { timeoutMs: 1_000 }));
    expect(timedOut).toBeInstanceOf(APIConnectionTimeoutError);
    expect(timedOut).toMatchObject({ taskMayExist: true });
    expect(timed.fetchImpl.calls).toHaveLength(1);

    const limited = scriptedClient([apiError(429), apiError(429), json(200, task())], { maxRetries: 5 });
    expect(await settle(limited.client.create(body, { maxRetries: 1 }))).toBeInstanceOf(RateLimitError);
    expect(limited.fetchImpl.calls).toHaveLength(2);

    const videoUrl = "https://cdn.example.com/v.mp4";
    const completed = task({ status: "completed", video_url: videoUrl }) as VideoTask;
    const stalled = scriptedClient([hang], { timeoutMs: 60_000 });
    expect(await settle(stalled.client.download(completed, { timeoutMs: 1_000 }))).toBeInstanceOf(
      APIConnectionTimeoutError,
    );
    const failing = scriptedClient([apiError(503), apiError(503)], { maxRetries: 5 });
    expect(await settle(failing.client.download(completed, { maxRetries: 1 }))).toBeInstanceOf(InternalServerError);
    expect(failing.fetchImpl.calls.map((call) => call.url)).toEqual([videoUrl, videoUrl]);
  });

  it("signal", async () => {
    const controller = new AbortController();
    const { client } = scriptedClient([hang]);
    const calling = client
      .create({ model: "kling-v3-std-silent", prompt: "a" }, { signal: controller.signal })
      .catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    expect(await calling).toMatchObject({ name: "APIUserAbortError" });
  });

  it("an unusable per-call option is refused before anything is sent", async () => {
    const { client, fetchImpl } = scriptedClient([json(200, task())]);
    expect(await settle(client.retrieve("task_1", { timeoutMs: 0 }))).toMatchObject({
      name: "InvalidOptionError",
      option: "timeoutMs",
    });
    expect(await settle(client.retrieve("task_1", { maxRetries: -1 }))).toMatchObject({
      name: "InvalidOptionError",
      option: "maxRetries",
    });
    expect(fetchImpl.calls).toHaveLength(0);
  });
});
