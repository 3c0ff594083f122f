// download(): where the video is taken from (video_url, metadata.url, the content route, in that
// order), who gets the key (only the gateway), and what each failure becomes.
import { describe, expect, it } from "vitest";
import {
  BadRequestError,
  InternalServerError,
  InvalidResponseError,
  KlingVideoError,
  NotFoundError,
  type VideoTask,
  VideoUrlExpiredError,
} from "../../src/index.js";
import { MOCK_BASE_URL, scriptedClient } from "../support/harness.js";
import { API_KEY, json, type Step, task } from "../support/scripted-fetch.js";

const completed = (fields: Record<string, unknown> = {}) =>
  task({ status: "completed", progress: 100, ...fields }) as VideoTask;
const video: Step = () => new Response(new Uint8Array(1000), { headers: { "content-type": "video/mp4" } });
const setup = (...steps: Step[]) => scriptedClient(steps, { maxRetries: 0 });

describe("download: where the video comes from", () => {
  it("streams the whole body", async () => {
    const bytes = new Uint8Array(300_000).map((_, index) => index % 251);
    const { client } = setup(() => new Response(bytes, { headers: { "content-type": "video/mp4" } }));
    const response = await client.download(completed({ video_url: "https://cdn.example.com/v.mp4" }));
    expect(response.body).toBeInstanceOf(ReadableStream);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);
  });

  it.each([
    [
      "video_url first (UniAll)",
      { video_url: "https://cdn.example.com/a.mp4", metadata: { url: "https://cdn.example.com/b.mp4" } },
      "https://cdn.example.com/a.mp4",
      false,
    ],
    [
      "metadata.url when there is no video_url (new-api)",
      { metadata: { url: "https://cdn.example.com/b.mp4" } },
      "https://cdn.example.com/b.mp4",
      false,
    ],
    [
      "metadata.url when video_url is null",
      { video_url: null, metadata: { url: "https://cdn.example.com/b.mp4" } },
      "https://cdn.example.com/b.mp4",
      false,
    ],
    [
      "the content route when metadata.url is empty",
      { metadata: { url: "" } },
      `${MOCK_BASE_URL}/v1/videos/video_123/content`,
      true,
    ],
    ["the content route when nothing names the video", {}, `${MOCK_BASE_URL}/v1/videos/video_123/content`, true],
    [
      "a relative video_url resolved against the gateway",
      { video_url: "/v1/videos/video_123/content" },
      `${MOCK_BASE_URL}/v1/videos/video_123/content`,
      true,
    ],
  ])("%s", async (_, fields, expectedUrl, keyed) => {
    const { client, fetchImpl } = setup(video);
    await client.download(completed(fields));
    expect(fetchImpl.calls.map((call) => call.url)).toEqual([expectedUrl]);
    expect(fetchImpl.calls[0]!.headers.get("authorization")).toBe(keyed ? `Bearer ${API_KEY}` : null);
  });

  it("given an id, retrieves the task first", async () => {
    const { client, fetchImpl } = setup(
      json(200, completed({ metadata: { url: "https://cdn.example.com/v.mp4" } })),
      video,
    );
    await client.download("video_123");
    expect(fetchImpl.calls.map((call) => call.url)).toEqual([
      `${MOCK_BASE_URL}/v1/videos/video_123`,
      "https://cdn.example.com/v.mp4",
    ]);
  });
});

describe("download: failures", () => {
  it.each([403, 404, 410])("an expired storage URL (%i) is a VideoUrlExpiredError with the task id", async (status) => {
    const { client } = setup(() => new Response("<Error>AccessDenied</Error>", { status }));
    const error = await client
      .download(completed({ video_url: "https://cdn.example.com/v.mp4" }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VideoUrlExpiredError);
    expect(error).toMatchObject({ status, taskId: "video_123" });
  });

  it("the content route's errors are API errors with the task id (new-api's own words)", async () => {
    const notReady = setup(
      json(400, {
        error: { message: "Task is not completed yet, current status: IN_PROGRESS", type: "invalid_request_error" },
      }),
    );
    const first = await notReady.client.download(completed()).catch((caught: unknown) => caught);
    expect(first).toBeInstanceOf(BadRequestError);
    expect(first).toMatchObject({
      taskId: "video_123",
      message: "400 Task is not completed yet, current status: IN_PROGRESS",
    });
    const unknown = setup(json(404, { error: { message: "Task not found", type: "invalid_request_error" } }));
    expect(await unknown.client.download(completed()).catch((caught: unknown) => caught)).toBeInstanceOf(NotFoundError);
  });

  it("a task that is not completed is refused before anything is sent", async () => {
    const { fetchImpl, client } = setup(video);
    const error = await client
      .download(task({ status: "in_progress" }) as VideoTask)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KlingVideoError);
    expect(error).toMatchObject({
      taskId: "video_123",
      message: expect.stringMatching(/not completed \(status "in_progress"\)/),
    });
    expect(fetchImpl.calls).toHaveLength(0);
  });

  it.each([
    ["not a URL", "http://[not a url", /not a URL/],
    ["not http(s)", "javascript:alert(1)", /not http\(s\)/],
    ["with credentials", "https://user:hunter2@cdn.example.com/v.mp4", /holds credentials/],
  ])("a video URL %s is an InvalidResponseError with the task id, and nothing is sent", async (_, url, message) => {
    const { fetchImpl, client } = setup(video);
    const error = await client.download(completed({ video_url: url })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toMatchObject({ taskId: "video_123", message: expect.stringMatching(message) });
    expect(String((error as Error).message)).not.toContain("hunter2");
    expect(fetchImpl.calls).toHaveLength(0);
  });

  it("a storage 5xx is an InternalServerError with the task id", async () => {
    const { client } = setup(() => new Response("boom", { status: 503 }));
    const error = await client
      .download(completed({ video_url: "https://cdn.example.com/v.mp4" }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ taskId: "video_123" });
  });
});

describe("retrieve", () => {
  it("an unknown task id is a NotFoundError that carries the id, from either gateway's answer", async () => {
    for (const answer of [
      json(404, { error: { message: "Task not found", type: "invalid_request_error" } }),
      json(400, { code: "task_not_exist", message: "task_not_exist", data: null }),
    ]) {
      const { client } = setup(answer);
      const error = await client.retrieve("task_gone").catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error).toMatchObject({ taskId: "task_gone" });
    }
  });
});
