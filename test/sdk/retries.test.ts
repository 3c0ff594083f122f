// Retry counts and delays, measured with fake timers: the clock only moves when the test moves it.
import { describe, expect, it, vi } from "vitest";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  InternalServerError,
  RateLimitError,
} from "../../src/index.js";
import { gaps, scriptedClient, settle, useFakeClock } from "../support/harness.js";
import { apiError, hang, json, networkError, task } from "../support/scripted-fetch.js";

const BODY = { model: "kling-v3-std-silent", prompt: "a fox" } as const;

useFakeClock("2026-11-25T12:00:00Z");

describe("GET retries", () => {
  it.each([408, 429, 500, 502, 503])("retries %i twice by default with 0.5 s, 1 s backoff", async (status) => {
    const { fetchImpl, client } = scriptedClient([apiError(status)]);
    const error = await settle(client.retrieve("video_1"));
    expect((error as { status: number }).status).toBe(status);
    expect(fetchImpl.calls).toHaveLength(3);
    expect(gaps(fetchImpl.calls)).toEqual([500, 1000]);
  });

  it("backs off exponentially up to 8 s, with up to 25% jitter", async () => {
    const { fetchImpl, client } = scriptedClient([apiError(503)], { maxRetries: 6 });
    await settle(client.retrieve("video_1"));
    expect(gaps(fetchImpl.calls)).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    vi.spyOn(Math, "random").mockReturnValue(1);
    const jittered = scriptedClient([apiError(503)], { maxRetries: 2 });
    await settle(jittered.client.retrieve("video_1"));
    expect(gaps(jittered.fetchImpl.calls)).toEqual([375, 750]);
  });

  it("succeeds after a run of 5xx", async () => {
    const { fetchImpl, client } = scriptedClient([apiError(500), apiError(502), json(200, task())]);
    expect(await settle(client.retrieve("video_123"))).toMatchObject({ id: "video_123" });
    expect(fetchImpl.calls).toHaveLength(3);
  });

  it("does not retry 400, 401, 403, 404", async () => {
    for (const status of [400, 401, 403, 404]) {
      const { fetchImpl, client } = scriptedClient([apiError(status)]);
      await settle(client.retrieve("video_1"));
      expect(fetchImpl.calls, String(status)).toHaveLength(1);
    }
  });

  it.each([
    ["Retry-After in seconds", { "retry-after": "3" }, 3000],
    [
      "Retry-After as an HTTP date",
      { "retry-after": new Date(Date.parse("2026-11-25T12:00:07Z")).toUTCString() },
      7000,
    ],
    ["retry-after-ms", { "retry-after-ms": "1250", "retry-after": "9" }, 1250],
  ])("honours %s", async (_, headers, expected) => {
    const { fetchImpl, client } = scriptedClient([apiError(429, headers), json(200, task())]);
    await settle(client.retrieve("video_123"));
    expect(gaps(fetchImpl.calls)).toEqual([expected]);
  });

  it("gives a wait longer than 60 s back to the caller instead of sleeping through it", async () => {
    const { fetchImpl, client } = scriptedClient([apiError(429, { "retry-after": "120" })]);
    const error = await settle(client.retrieve("video_1"));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(fetchImpl.calls).toHaveLength(1);
  });

  it.each(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND"])("retries connection error %s", async (code) => {
    const { fetchImpl, client } = scriptedClient([networkError(code), networkError(code), json(200, task())]);
    expect(await settle(client.retrieve("video_123"))).toMatchObject({ id: "video_123" });
    expect(fetchImpl.calls).toHaveLength(3);
  });

  it("times out each attempt after timeoutMs and retries", async () => {
    const { fetchImpl, client } = scriptedClient([hang, hang, hang], { timeoutMs: 1000 });
    const error = await settle(client.retrieve("video_1"));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(fetchImpl.calls).toHaveLength(3);
    expect(gaps(fetchImpl.calls)).toEqual([1000 + 500, 1000 + 1000]);
  });

  it("maxRetries: 0 sends once", async () => {
    const { fetchImpl, client } = scriptedClient([apiError(503)], { maxRetries: 0 });
    expect(await settle(client.retrieve("video_1"))).toBeInstanceOf(InternalServerError);
    expect(fetchImpl.calls).toHaveLength(1);
  });
});

describe("POST create is never sent twice when the gateway may have taken it", () => {
  it.each([500, 502, 503, 408])("%i: one request, the error says a task may exist", async (status) => {
    const { fetchImpl, client } = scriptedClient([apiError(status)]);
    const error = await settle(client.create(BODY));
    expect((error as { status: number }).status).toBe(status);
    expect(fetchImpl.calls).toHaveLength(1);
  });

  it.each(["ECONNRESET", "UND_ERR_SOCKET", "EPIPE"])("connection error %s after sending: one request", async (code) => {
    const { fetchImpl, client } = scriptedClient([networkError(code)]);
    const error = await settle(client.create(BODY));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as APIConnectionError).notSent).toBe(false);
    expect((error as Error).message).toMatch(/may have reached the gateway/);
    expect(fetchImpl.calls).toHaveLength(1);
  });

  it("a timeout: one request", async () => {
    const { fetchImpl, client } = scriptedClient([hang], { timeoutMs: 2000 });
    const error = await settle(client.create(BODY));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect((error as Error).message).toMatch(/may have reached the gateway/);
    expect(fetchImpl.calls).toHaveLength(1);
  });

  it("429 (refused without acting): retried, honouring Retry-After", async () => {
    const { fetchImpl, client } = scriptedClient([apiError(429, { "retry-after": "2" }), json(200, task())]);
    expect(await settle(client.create(BODY))).toMatchObject({ id: "video_123" });
    expect(fetchImpl.calls).toHaveLength(2);
    expect(gaps(fetchImpl.calls)).toEqual([2000]);
    expect(fetchImpl.calls[1]!.body).toBe(fetchImpl.calls[0]!.body);
  });

  it.each(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"])("%s (never sent): retried", async (code) => {
    const { fetchImpl, client } = scriptedClient([networkError(code), json(200, task())]);
    expect(await settle(client.create(BODY))).toMatchObject({ id: "video_123" });
    expect(fetchImpl.calls).toHaveLength(2);
    expect(JSON.parse(fetchImpl.calls[1]!.body)).toEqual(BODY);
  });
});

describe("abort", () => {
  it("the caller's signal stops a request and its retries at once", async () => {
    const controller = new AbortController();
    const { fetchImpl, client } = scriptedClient([apiError(503)]);
    const call = client.retrieve("video_1", { signal: controller.signal }).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(100); // first attempt failed; now in the 500 ms backoff
    controller.abort();
    const error = await call;
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(fetchImpl.calls).toHaveLength(1);
  });

  it("an in-flight request is cancelled", async () => {
    const controller = new AbortController();
    const { client } = scriptedClient([hang]);
    const call = client.create(BODY, { signal: controller.signal }).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    expect(await call).toBeInstanceOf(APIUserAbortError);
  });

  it("an already-aborted signal sends nothing", async () => {
    const { fetchImpl, client } = scriptedClient([json(200, task())]);
    expect(await settle(client.create(BODY, { signal: AbortSignal.abort() }))).toBeInstanceOf(APIUserAbortError);
    expect(fetchImpl.calls).toHaveLength(0);
  });
});
