// With real timers: a finished call leaves nothing (no timer, no listener) holding the event loop.
import { describe, expect, it } from "vitest";
import { createVideoClient } from "../../src/index.js";
import { API_KEY, apiError, json, scriptedFetch, task } from "../support/scripted-fetch.js";

const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === "Timeout").length;

describe("timers", () => {
  it("are all cleared when create, retrieve, wait and retries finish", async () => {
    const before = timers();
    const fetchImpl = scriptedFetch(
      json(200, task()),
      apiError(503, { "retry-after-ms": "5" }),
      json(200, task()),
      json(200, task({ status: "in_progress", progress: 50 })),
      json(200, task({ status: "completed" })),
    );
    const client = createVideoClient({ baseUrl: "http://127.0.0.1:4010", apiKey: API_KEY, fetch: fetchImpl });
    const created = await client.create({ model: "kling-v3-std-silent", prompt: "a" });
    await client.retrieve(created.id);
    await client.wait(created.id, { pollIntervalMs: 5 });
    const aborted = new AbortController();
    const pending = client.wait(created.id, { pollIntervalMs: 60_000, signal: aborted.signal }).catch(() => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    aborted.abort();
    await pending;
    expect(fetchImpl.calls.length).toBeGreaterThanOrEqual(5);
    expect(timers()).toBe(before);
  });
});
