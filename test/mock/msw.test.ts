// kling-video/mock's MSW handlers in Node (setupServer), driven by the SDK: the same gateway as
// startMockServer, in process, on a clock that moves one second per request.
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { APIConnectionError, createVideoClient, VideoTaskFailedError } from "../../src/index.js";
import { videoMockHandlers } from "../../src/mock/index.js";

const BASE = "https://mock.kling.test";
let clock = 1_764_086_400_000;
const server = setupServer(...videoMockHandlers({ baseUrl: BASE, now: () => clock }));
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const BODY = { model: "kling-v3-std-silent", prompt: "a fox in the snow" } as const;
const clientWith = (headers: Record<string, string> = {}) =>
  createVideoClient({
    baseUrl: BASE,
    apiKey: "sk-mock",
    maxRetries: 0,
    headers,
    fetch: (url, init) => {
      clock += 1_000;
      return fetch(url, init);
    },
  });

describe("videoMockHandlers", () => {
  it("a task moves to a playable MP4", async () => {
    const client = clientWith();
    const task = await client.generate(BODY, { pollIntervalMs: 1 });
    const video = new Uint8Array(await (await client.download(task)).arrayBuffer());
    expect(new TextDecoder().decode(video.slice(4, 8))).toBe("ftyp");
  });

  it("serves every route of the spec, the older one included", async () => {
    const client = clientWith({ "X-Mock-Flavor": "new-api-legacy", "X-Mock-Scenario": "failed-midway" });
    const task = await client.create(BODY);
    await expect(client.wait(task.id, { pollIntervalMs: 1 })).rejects.toBeInstanceOf(VideoTaskFailedError);
  });

  it("a dropped connection is a network error (Response.error())", async () => {
    await expect(clientWith({ "X-Mock-Scenario": "drop" }).create(BODY)).rejects.toBeInstanceOf(APIConnectionError);
  });

  it("a flaky storage host (503, then 200) is retried without hanging on the discarded body", async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/flaky.mp4`, () => {
        calls++;
        return calls === 1 ? new HttpResponse("busy", { status: 503 }) : new HttpResponse("video", { status: 200 });
      }),
    );
    const retrying = createVideoClient({ baseUrl: BASE, apiKey: "sk-mock" });
    const video = await retrying.download({
      id: "task_1",
      object: "video",
      model: "",
      status: "completed",
      created_at: 1,
      video_url: `${BASE}/flaky.mp4`,
    });
    expect(await video.text()).toBe("video");
    expect(calls).toBe(2);
  });

  it("an unmocked host is refused by MSW, not sent", async () => {
    const other = createVideoClient({ baseUrl: "https://elsewhere.test", apiKey: "sk", maxRetries: 0 });
    await expect(other.retrieve("task_1")).rejects.toBeInstanceOf(APIConnectionError);
  });
});
