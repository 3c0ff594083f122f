// With real timers: a finished call leaves no timer behind.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createVideoClient } from "../../src/index.js";
import { API_KEY, apiError, json, scriptedFetch, task } from "../support/scripted-fetch.js";
import { trackTimers } from "../support/timers.js";

afterEach(() => vi.restoreAllMocks());

describe("timers", () => {
  it("are all cleared when create, retrieve, wait, retries and an aborted wait finish", async () => {
    const fetchImpl = scriptedFetch(
      json(200, task()),
      apiError(503, { "retry-after-ms": "5" }),
      json(200, task()),
      json(200, task({ status: "in_progress", progress: 50 })),
      json(200, task({ status: "completed" })),
    );
    const client = createVideoClient({ baseUrl: "http://127.0.0.1:4010", apiKey: API_KEY, fetch: fetchImpl });
    const pending = trackTimers();
    const created = await client.create({ model: "kling-v3-std-silent", prompt: "a" });
    await client.retrieve(created.id);
    await client.wait(created.id, { pollIntervalMs: 5 });
    const running = createVideoClient({
      baseUrl: "http://127.0.0.1:4010",
      apiKey: API_KEY,
      fetch: scriptedFetch(json(200, task({ status: "in_progress" }))),
    });
    const aborted = new AbortController();
    const stopped = running
      .wait(created.id, { pollIntervalMs: 60_000, signal: aborted.signal })
      .catch((error: Error) => error.name);
    await new Promise((resolve) => setImmediate(resolve));
    expect(pending.size).toBeGreaterThan(0); // the wait's deadline and its sleep are running
    aborted.abort();
    expect(await stopped).toBe("APIUserAbortError");
    expect(fetchImpl.calls.length).toBeGreaterThanOrEqual(5);
    expect(pending.size).toBe(0);
  });
});
