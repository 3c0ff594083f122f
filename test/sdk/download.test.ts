import { describe, expect, it } from "vitest";
import { createVideoClient, InternalServerError, KlingVideoError, VideoUrlExpiredError, type VideoTask } from "../../src/index.js";
import { API_KEY, scriptedFetch, task, type Step } from "../support/scripted-fetch.js";

const completed = task({ status: "completed", video_url: "https://cdn.example.com/v.mp4" }) as VideoTask;
function setup(...steps: Step[]) {
  const fetchImpl = scriptedFetch(...steps);
  return { fetchImpl, client: createVideoClient({ baseUrl: "http://127.0.0.1:4010", apiKey: API_KEY, fetch: fetchImpl, maxRetries: 0 }) };
}

describe("download", () => {
  it("returns the video as a streamable Response, from a task or a URL", async () => {
    const bytes = new Uint8Array(300_000).map((_, index) => index % 251);
    const { fetchImpl, client } = setup(() => new Response(bytes, { headers: { "content-type": "video/mp4" } }));
    const response = await client.download(completed);
    expect(response.body).toBeInstanceOf(ReadableStream);
    let received = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) received += chunk.length;
    expect(received).toBe(bytes.length);
    await client.download("https://cdn.example.com/other.mp4");
    expect(fetchImpl.calls.map((call) => call.url)).toEqual(["https://cdn.example.com/v.mp4", "https://cdn.example.com/other.mp4"]);
  });

  it.each([403, 404, 410])("an expired URL (%i) is a VideoUrlExpiredError with the task id", async (status) => {
    const { client } = setup(() => new Response("<Error>AccessDenied</Error>", { status }));
    const error = await client.download(completed).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VideoUrlExpiredError);
    expect(error).toMatchObject({ status, taskId: "video_123" });
    expect((error as Error).message).toMatch(/expired/);
  });

  it("a task without video_url says to wait first, sending nothing", async () => {
    const { fetchImpl, client } = setup(() => new Response(""));
    const error = await client.download(task({ status: "in_progress" }) as VideoTask).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KlingVideoError);
    expect((error as Error).message).toMatch(/no video_url yet \(status in_progress\)/);
    expect(fetchImpl.calls).toHaveLength(0);
  });

  it("a storage 5xx is an InternalServerError", async () => {
    const { client } = setup(() => new Response("boom", { status: 503 }));
    await expect(client.download(completed)).rejects.toBeInstanceOf(InternalServerError);
  });
});
