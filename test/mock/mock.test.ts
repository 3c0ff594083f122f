// kling-video/mock through MSW in Node (setupServer), driven by the SDK: tasks move, scenarios
// happen, invalid requests get the SDK validator's own messages, and every response the mock
// produces validates against the spec.
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_VIDEO_MP4_BASE64 } from "../../assets/sample-video.js";
import {
  APIConnectionError,
  BadRequestError,
  type CreateVideoTaskRequest,
  checkCreateVideoTaskRequest,
  createVideoClient,
  RateLimitError,
  type VideoTask,
  VideoTaskFailedError,
  VideoUrlExpiredError,
} from "../../src/index.js";
import { createMockGateway, videoMockHandlers } from "../../src/mock/index.js";
import { invalidCases } from "../fixtures/request-cases.js";
import { schemaValidator } from "../support/spec.js";

const BASE = "https://mock.kling.test";
let clock = 1_764_086_400_000;
const server = setupServer(
  ...videoMockHandlers({ baseUrl: BASE, durationMs: 10_000, queueMs: 2_000, now: () => clock }),
);
const responses: { status: number; body: unknown; contentType: string | null }[] = [];
server.events.on("response:mocked", async ({ response }) => {
  const contentType = response.headers.get("content-type");
  if (contentType?.includes("json"))
    responses.push({ status: response.status, contentType, body: await response.clone().json() });
});
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = createVideoClient({ baseUrl: BASE, apiKey: "sk-mock", maxRetries: 0 });
const BODY: CreateVideoTaskRequest = { model: "kling-v3-std-silent", prompt: "a fox in the snow" };

describe("the mock lifecycle", () => {
  it("moves queued -> in_progress (progress rising) -> completed with a playable MP4", async () => {
    const created = await client.create(BODY);
    expect(created).toMatchObject({ status: "queued", progress: 0, model: "kling-v3-std-silent" });
    const seen: VideoTask[] = [];
    for (const step of [1_000, 2_500, 5_000, 8_000, 10_000]) {
      clock += step - (seen.length ? [1_000, 2_500, 5_000, 8_000, 10_000][seen.length - 1]! : 0);
      seen.push(await client.retrieve(created.id));
    }
    expect(seen.map((task) => task.status)).toEqual([
      "queued",
      "in_progress",
      "in_progress",
      "in_progress",
      "completed",
    ]);
    const progress = seen.map((task) => task.progress);
    expect(progress).toEqual([0, 6, 37, 75, 100]);
    const video = await client.download(seen.at(-1)!);
    expect(video.headers.get("content-type")).toBe("video/mp4");
    expect(Buffer.from(await video.arrayBuffer())).toEqual(Buffer.from(SAMPLE_VIDEO_MP4_BASE64, "base64"));
  });

  it("the shipped MP4 is small", () => {
    expect(Buffer.from(SAMPLE_VIDEO_MP4_BASE64, "base64").length).toBeLessThan(100 * 1024);
  });

  it("an unknown task is a 404", async () => {
    await expect(client.retrieve("video_nope")).rejects.toMatchObject({ status: 404, code: "task_not_found" });
  });

  it("a request without a key is a 401", async () => {
    const anonymous = createVideoClient({ baseUrl: BASE, apiKey: "" });
    await expect(anonymous.create(BODY)).rejects.toMatchObject({ status: 401, code: "invalid_api_key" });
  });
});

describe("scenarios, by prompt marker or by option", () => {
  const finish = async (task: VideoTask) => {
    clock += 60_000;
    return client.retrieve(task.id);
  };

  it("[mock:failure] ends failed with an error", async () => {
    const task = await client.create({ ...BODY, prompt: "[mock:failure] a fox" });
    const failing = createVideoClient({ baseUrl: BASE, apiKey: "sk-mock" });
    clock += 60_000;
    await expect(failing.wait(task.id, { pollIntervalMs: 1 })).rejects.toBeInstanceOf(VideoTaskFailedError);
  });

  it("[mock:rate-limit] answers 429 with Retry-After", async () => {
    const error = await client
      .create({ ...BODY, prompt: "[mock:rate-limit] a fox" })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).headers.get("retry-after")).toBe("2");
  });

  it("[mock:slow-queue] stays queued five times longer", async () => {
    const task = await client.create({ ...BODY, prompt: "[mock:slow-queue] a fox" });
    clock += 9_000;
    expect((await client.retrieve(task.id)).status).toBe("queued");
    expect((await finish(task)).status).toBe("completed");
  });

  it("[mock:expired-url] completes with a URL that answers 403", async () => {
    const done = await finish(await client.create({ ...BODY, prompt: "[mock:expired-url] a fox" }));
    await expect(client.download(done)).rejects.toBeInstanceOf(VideoUrlExpiredError);
  });

  it("the scenario option applies to every task", async () => {
    server.use(...videoMockHandlers({ baseUrl: BASE, scenario: "failure", durationMs: 10, now: () => clock }));
    const task = await client.create(BODY);
    clock += 1_000;
    expect((await client.retrieve(task.id)).status).toBe("failed");
  });
});

describe("invalid requests", () => {
  const raw = createVideoClient({ baseUrl: BASE, apiKey: "sk-mock", validate: false, maxRetries: 0 });
  it.each(
    invalidCases
      .filter(
        (testCase) => typeof testCase.body === "object" && testCase.body !== null && !Array.isArray(testCase.body),
      )
      .map((testCase) => [testCase.name, testCase] as const),
  )("%s: 400 with the SDK validator's messages", async (_, testCase) => {
    const error = await raw.create(testCase.body as CreateVideoTaskRequest).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BadRequestError);
    const issues = checkCreateVideoTaskRequest(testCase.body);
    expect((error as BadRequestError).message).toBe(`400 ${issues.map((issue) => issue.message).join("; ")}`);
    expect((error as BadRequestError).param).toBe(issues[0]!.path || null);
    expect((error as BadRequestError).type).toBe("invalid_request_error");
  });

  it("a body that is not JSON is a 400 too", async () => {
    const gateway = createMockGateway();
    const response = await gateway.handle(
      new Request(`${BASE}/v1/video/generations`, {
        method: "POST",
        headers: { authorization: "Bearer x" },
        body: "{oops",
      }),
    );
    expect(response!.status).toBe(400);
  });
});

describe("every response the mock produced", () => {
  it("validates against the spec", () => {
    expect(responses.length).toBeGreaterThan(40);
    const isTask = schemaValidator("VideoTask");
    const isError = schemaValidator("ErrorResponse");
    for (const { status, body } of responses) {
      const validate = status < 300 ? isTask : isError;
      expect(validate(body), `${status} ${JSON.stringify(body)} ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });
});

describe("MSW responses and retries", () => {
  it("a flaky storage host (503, then 200) is retried without hanging on the discarded body", async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/flaky.mp4`, () => {
        calls++;
        return calls === 1 ? new HttpResponse("busy", { status: 503 }) : new HttpResponse("video", { status: 200 });
      }),
    );
    const retrying = createVideoClient({ baseUrl: BASE, apiKey: "sk-mock" });
    const video = await retrying.download(`${BASE}/flaky.mp4`);
    expect(await video.text()).toBe("video");
    expect(calls).toBe(2);
  });
});

describe("no network", () => {
  it("an unmocked path is refused by MSW, not sent", async () => {
    const other = createVideoClient({ baseUrl: "https://elsewhere.test", apiKey: "sk", maxRetries: 0 });
    await expect(other.retrieve("video_1")).rejects.toBeInstanceOf(APIConnectionError);
  });
});
