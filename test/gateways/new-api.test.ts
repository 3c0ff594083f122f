// The SDK against the gateways people call: a new-api gateway as its Go code answers today
// ("current") and as it answered in 2025 ("older": one task route, Kling's own create body, the
// video's URL in fail_reason), and a UniAll-shaped answer. The whole create -> wait -> download
// flow, every error they send, and every body they send validated against the bundled spec.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AuthenticationError,
  BadRequestError,
  createVideoClient,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  taskProgress,
  timestampMs,
  VideoTaskFailedError,
} from "../../src/index.js";
import { taskFromLegacyBody } from "../../src/legacy-task.js";
import { expectNoKey } from "../support/harness.js";
import { sendJson, startLoopbackGateway } from "../support/loopback-gateway.js";
import {
  NEW_API_KEY,
  type NewApiFlavour,
  type NewApiGateway,
  POOR_KEY,
  SAMPLE_VIDEO,
  startNewApiGateway,
  TO_VIDEO_STATUS,
} from "../support/new-api-gateway.js";
import { resolve, responseValidator, spec } from "../support/spec.js";

const BODY = { model: "kling-v3-std-silent", prompt: "A lighthouse at dusk" } as const;
const ROUTES: [RegExp, string][] = [
  [/^\/v1\/video\/generations$/, "/v1/video/generations"],
  [/^\/v1\/videos\/[^/]+\/content$/, "/v1/videos/{task_id}/content"],
  [/^\/v1\/videos\/[^/]+$/, "/v1/videos/{task_id}"],
  [/^\/v1\/video\/generations\/[^/]+$/, "/v1/video/generations/{task_id}"],
];

describe.each<NewApiFlavour>(["current", "older"])("a new-api gateway (%s)", (flavour) => {
  let gateway: NewApiGateway;
  const client = (apiKey = NEW_API_KEY) => createVideoClient({ baseUrl: gateway.url, apiKey, maxRetries: 0 });
  beforeAll(async () => {
    gateway = await startNewApiGateway({ flavour });
  });
  afterAll(() => gateway?.close());

  it("create -> wait -> download gets the video, and only the gateway sees the key", async () => {
    const sdk = client();
    const [requestsFrom, cdnRequestsFrom] = [gateway.requests.length, gateway.cdnRequests.length];
    const seen: string[] = [];
    const task = await sdk.generate(BODY, {
      pollIntervalMs: 5,
      onProgress: (t) => void seen.push(`${t.status} ${taskProgress(t)}`),
    });
    expect(task.status).toBe("completed");
    expect(seen.at(-1)).toBe("completed 100");
    expect(seen).toContain("in_progress 30");
    const video = new Uint8Array(await (await sdk.download(task)).arrayBuffer());
    expect(Buffer.from(video).equals(SAMPLE_VIDEO)).toBe(true);
    const requests = gateway.requests.slice(requestsFrom);
    expect(requests.length).toBeGreaterThan(1);
    expect(requests.every((request) => request.headers.authorization === `Bearer ${NEW_API_KEY}`)).toBe(true);
    expect(gateway.cdnRequests.slice(cdnRequestsFrom).map((request) => request.headers.authorization)).toEqual([
      undefined,
    ]);
    expect(Math.abs(timestampMs(task.created_at)! - Date.now())).toBeLessThan(60_000);
  });

  it.each([
    ["[fail]", "Failure to pass the risk control system"],
    ["[gateway-fail]", flavour === "current" ? undefined : "任务超时（30分钟）"],
  ])("a task ending %s is a VideoTaskFailedError with the gateway's reason, if any", async (marker, reason) => {
    const sdk = client();
    const task = await sdk.create({ ...BODY, prompt: `a fox ${marker}` });
    const error = await sdk.wait(task.id, { pollIntervalMs: 5 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VideoTaskFailedError);
    expect((error as VideoTaskFailedError).taskId).toBe(task.id);
    expect((error as VideoTaskFailedError).error?.message).toBe(reason);
  });

  it("an unknown task id is a NotFoundError with the task id, and wait stops at once", async () => {
    const sdk = client();
    const before = gateway.requests.length;
    const error = await sdk.wait("task_doesnotexist", { pollIntervalMs: 5 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 400, code: "task_not_exist", taskId: "task_doesnotexist" });
    expect(gateway.requests.length - before).toBeLessThanOrEqual(flavour === "older" ? 2 : 1);
  });

  it.each([
    ["a wrong key", "sk-newapi-wrong-0123456789abcdefghijklm", BODY, AuthenticationError, 401, "", false],
    ["a key without quota", POOR_KEY, BODY, PermissionDeniedError, 403, "insufficient_user_quota", false],
    [
      "a request Kling refuses",
      NEW_API_KEY,
      { ...BODY, prompt: "x [reject]" },
      BadRequestError,
      400,
      "task_failed",
      false,
    ],
    ["a busy provider", NEW_API_KEY, { ...BODY, prompt: "x [busy]" }, RateLimitError, 429, "fail_to_fetch_task", false],
    [
      "a provider failure",
      NEW_API_KEY,
      { ...BODY, prompt: "x [upstream-502]" },
      InternalServerError,
      502,
      "fail_to_fetch_task",
      true,
    ],
  ])(
    "create with %s: the right class, code and request id, and whether a task may exist",
    async (_, key, body, ErrorClass, status, code, mayExist) => {
      const error = await client(key)
        .create(body)
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ErrorClass);
      expect(error).toMatchObject({ status, code, taskMayExist: mayExist });
      expect((error as { requestId: string }).requestId).toMatch(/^\d{14}1{9}6b1a2f3a[0-9a-f]{8}$/);
      expectNoKey(error, key);
    },
  );

  it("every answer it sends validates against the spec", async () => {
    // Its own traffic, so that the test stands alone: every route, success and error answers.
    const sdk = client();
    const task = await sdk.generate(BODY, { pollIntervalMs: 5 });
    await (await sdk.download(task)).arrayBuffer();
    await sdk.retrieve("task_unknown").catch(() => undefined);
    await client("sk-newapi-wrong-0123456789abcdefghijklm")
      .create(BODY)
      .catch(() => undefined);
    await fetch(`${gateway.url}/v1/video/generations/${task.id}`, {
      headers: { authorization: `Bearer ${NEW_API_KEY}` },
    });
    await fetch(`${gateway.url}/v1/videos/${task.id}/content`, { headers: { authorization: `Bearer ${NEW_API_KEY}` } });
    const statuses = new Set(gateway.answers.map((answer) => answer.status));
    expect([...statuses]).toEqual(expect.arrayContaining([200, 400, 401]));
    for (const answer of gateway.answers) {
      const route = ROUTES.find(([pattern]) => pattern.test(answer.path))?.[1];
      if (!route || answer.contentType === "video/mp4") continue;
      const validate = responseValidator(route, answer.method.toLowerCase(), answer.status);
      const body = JSON.parse(answer.body);
      expect(
        validate(body),
        `${answer.method} ${answer.path} ${answer.status} ${answer.body}: ${JSON.stringify(validate.errors)}`,
      ).toBe(true);
    }
  });
});

describe("an older new-api gateway (2025)", () => {
  it("asks the older route once GET /v1/videos/{id} turns out not to be served, and remembers", async () => {
    const gateway = await startNewApiGateway({ flavour: "older" });
    try {
      const sdk = createVideoClient({ baseUrl: gateway.url, apiKey: NEW_API_KEY, maxRetries: 0 });
      const task = await sdk.create(BODY);
      expect(task.id).toMatch(/^\d+$/); // Kling's own id, from the top-level task_id
      await sdk.wait(task.id, { pollIntervalMs: 5 });
      const polls = gateway.requests
        .filter((request) => request.url.includes(task.id))
        .map((request) => request.url.split("/")[2]);
      expect(polls[0]).toBe("videos");
      expect(polls.length).toBeGreaterThan(2);
      expect(polls.slice(1).every((route) => route === "video")).toBe(true);
    } finally {
      await gateway.close();
    }
  });
});

describe("a new-api gateway's content route", () => {
  let gateway: NewApiGateway;
  beforeAll(async () => {
    gateway = await startNewApiGateway({ flavour: "current" });
  });
  afterAll(() => gateway?.close());

  it("answers a running task with 400 and an unknown one with 404, both with the task id", async () => {
    const sdk = createVideoClient({ baseUrl: gateway.url, apiKey: NEW_API_KEY, maxRetries: 0 });
    const task = await sdk.create(BODY);
    const running = await sdk.download({ ...task, status: "completed" }).catch((caught: unknown) => caught);
    expect(running).toBeInstanceOf(BadRequestError);
    expect(running).toMatchObject({ taskId: task.id, message: expect.stringContaining("not completed yet") });
    const unknown = await sdk
      .download({ ...task, id: "task_unknown", status: "completed" })
      .catch((caught: unknown) => caught);
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect(unknown).toMatchObject({ taskId: "task_unknown", status: 404 });
  });

  it("serves a completed task's video with the key when the task names no URL", async () => {
    const sdk = createVideoClient({ baseUrl: gateway.url, apiKey: NEW_API_KEY, maxRetries: 0 });
    const task = await sdk.generate(BODY, { pollIntervalMs: 5 });
    const { metadata: _, ...withoutUrl } = task;
    const video = Buffer.from(await (await sdk.download(withoutUrl)).arrayBuffer());
    expect(video.equals(SAMPLE_VIDEO)).toBe(true);
    expect(gateway.requests.at(-1)).toMatchObject({
      url: `/v1/videos/${task.id}/content`,
      headers: { authorization: `Bearer ${NEW_API_KEY}` },
    });
  });
});

describe("a UniAll-shaped answer", () => {
  it("is a VideoTask under the spec, and download takes its video_url", async () => {
    const uniall = resolve<{ value: Record<string, unknown> }>(spec.components.examples!.TaskCompletedUniAll).value;
    const cdn = await startLoopbackGateway(
      ({ res }) => void res.writeHead(200, { "content-type": "video/mp4" }).end(SAMPLE_VIDEO),
    );
    const gateway = await startLoopbackGateway(({ res }) =>
      sendJson(res, 200, {
        ...uniall,
        video_url: `${cdn.url}/v.mp4`,
        result: { outputs: [`${cdn.url}/v.mp4`], video_url: `${cdn.url}/v.mp4` },
      }),
    );
    try {
      const sdk = createVideoClient({ baseUrl: gateway.url, apiKey: NEW_API_KEY });
      const task = await sdk.retrieve(String(uniall.id));
      expect(responseValidator("/v1/videos/{task_id}", "get", 200)(task)).toBe(true);
      expect(taskProgress(task)).toBe(100);
      const video = Buffer.from(await (await sdk.download(task)).arrayBuffer());
      expect(video.equals(SAMPLE_VIDEO)).toBe(true);
      expect(cdn.requests[0]!.headers.authorization).toBeUndefined();
    } finally {
      await gateway.close();
      await cdn.close();
    }
  });
});

describe("the older route's statuses", () => {
  const statuses = resolve<{ enum: string[] }>(spec.components.schemas!.LegacyTaskStatus).enum;

  it("the spec names exactly the statuses new-api has", () => {
    expect(statuses.toSorted()).toEqual(Object.keys(TO_VIDEO_STATUS).toSorted());
  });

  it.each(statuses)("%s reads as new-api's own /v1/videos route says it", (status) => {
    const task = taskFromLegacyBody(
      { data: { task_id: "task_1", status, progress: "50%", submit_time: 1_764_086_400 } },
      { status: 200, headers: new Headers() },
    );
    expect(task.status).toBe(TO_VIDEO_STATUS[status as keyof typeof TO_VIDEO_STATUS]);
    expect(responseValidator("/v1/videos/{task_id}", "get", 200)(task)).toBe(true);
  });
});
