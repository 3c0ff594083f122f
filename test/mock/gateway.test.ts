// The mock gateway itself (Request in, Response out, on a clock the test moves): how tasks
// move in each flavour, what each scenario answers, the spec's own error bodies, the video with
// byte ranges, CORS, the memory cap, and that every JSON answer validates against the spec.
import { describe, expect, it } from "vitest";
import { HEADER_EXAMPLES, OPERATIONS, RESPONSE_EXAMPLES } from "../../generated/examples.js";
import { checkCreateVideoTaskRequest } from "../../src/index.js";
import {
  createMockGateway,
  MOCK_FLAVORS,
  MOCK_SCENARIOS,
  type MockFlavor,
  type MockGatewayOptions,
  type MockScenario,
} from "../../src/mock/index.js";
import { invalidCases } from "../fixtures/request-cases.js";
import { responseValidator, spec } from "../support/spec.js";

const ORIGIN = "http://mock.test";
const EXAMPLE_TASK_ID = String(spec.components.parameters!.TaskId!.example);
const BODY = { model: "kling-v3-pro-audio", prompt: "a fox in the snow", duration: 5 };
const FLAVORS = MOCK_FLAVORS.map((flavor) => flavor.name);
const SCENARIOS = MOCK_SCENARIOS.map((scenario) => scenario.name);

interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: the tests read JSON answers field by field
  body: any;
  response: Response;
}

/** A gateway on a clock the test moves (`advance`), and a way to call it. */
function mockGateway(options: MockGatewayOptions = {}) {
  let clock = 1_764_086_400_000;
  const gateway = createMockGateway({ now: () => clock, ...options });
  async function call(
    method: string,
    path: string,
    init: { body?: unknown; headers?: Record<string, string>; key?: string | null } = {},
  ): Promise<Answer> {
    const headers = new Headers(init.headers);
    if (init.key !== null) headers.set("authorization", `Bearer ${init.key ?? "sk-test"}`);
    const body =
      init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body);
    const response = await gateway.handle(new Request(`${ORIGIN}${path}`, { method, headers, body }));
    if (!response) throw new Error(`the mock does not serve ${method} ${path}`);
    const type = response.headers.get("content-type") ?? "";
    const content =
      response.type === "error"
        ? undefined
        : type.includes("json")
          ? await response.clone().json()
          : await response.clone().text();
    return { status: response.status, headers: response.headers, body: content, response };
  }
  return {
    gateway,
    call,
    advance: (ms: number) => {
      clock += ms;
    },
    create: (body: object = BODY, headers: Record<string, string> = {}) =>
      call("POST", "/v1/video/generations", { body, headers }),
    poll: (id: string, headers: Record<string, string> = {}) => call("GET", `/v1/videos/${id}`, { headers }),
  };
}

/** The answer validates against what the spec documents for this operation and status. */
function expectDocumented(operationId: keyof typeof OPERATIONS, answer: Answer): void {
  const { method, path } = OPERATIONS[operationId];
  if (!answer.headers.get("content-type")?.includes("json")) {
    expect(answer.status, `${operationId}: a non-JSON ${answer.status}`).toBe(200);
    return;
  }
  const validate = responseValidator(path, method.toLowerCase(), answer.status);
  expect(
    validate(answer.body),
    `${operationId} ${answer.status} ${JSON.stringify(answer.body)}: ${JSON.stringify(validate.errors)}`,
  ).toBe(true);
}

describe("a task's life", () => {
  it("openai (the default): queued, in_progress with progress rising, completed with video_url and seconds", async () => {
    const mock = mockGateway();
    const created = await mock.create();
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^task_[0-9A-Za-z]{32}$/),
      object: "video",
      model: "kling-v3-pro-audio",
      status: "queued",
      progress: 0,
      created_at: 1_764_086_400,
    });
    expect(created.headers.get("x-request-id")).toMatch(/^req_[0-9a-f]{16}$/);
    const seen: { status: string; progress: number }[] = [];
    for (const step of [500, 1_000, 1_500, 1_500, 1_500]) {
      mock.advance(step);
      const { body } = await mock.poll(created.body.id);
      seen.push({ status: body.status, progress: body.progress });
    }
    expect(seen).toEqual([
      { status: "queued", progress: 0 },
      { status: "in_progress", progress: 10 },
      { status: "in_progress", progress: 40 },
      { status: "in_progress", progress: 70 },
      { status: "completed", progress: 100 },
    ]);
    const { body: done } = await mock.poll(created.body.id);
    expect(done).toMatchObject({
      model: "kling-v3-pro-audio",
      completed_at: 1_764_086_406,
      video_url: `${ORIGIN}/__kling-video-mock/videos/${created.body.id}.mp4`,
      seconds: "5",
      error: null,
    });
  });

  it("every task has its own id", async () => {
    const mock = mockGateway();
    const ids = new Set(await Promise.all([1, 2, 3].map(async () => (await mock.create()).body.id)));
    expect(ids.size).toBe(3);
  });

  it("new-api: unknown until the first poll, coarse progress, empty model, milliseconds, metadata.url", async () => {
    const mock = mockGateway({ flavor: "new-api" });
    const created = await mock.create();
    expect(created.body).toEqual({
      id: created.body.id,
      task_id: created.body.id,
      object: "video",
      model: "kling-v3-pro-audio",
      status: "queued",
      progress: 0,
      created_at: 1_764_086_400,
    });
    expect(created.headers.get("x-oneapi-request-id")).toMatch(/^\d{23}[0-9a-f]{8}[0-9A-Za-z]{8}$/);
    mock.advance(2_000); // rendering by the clock, but no poll has seen it yet
    const first = await mock.poll(created.body.id);
    expect(first.body).toEqual({
      id: created.body.id,
      object: "video",
      model: "",
      status: "unknown",
      progress: 0,
      created_at: 1_764_086_400_000,
      completed_at: 1_764_086_400_000,
    });
    expect((await mock.poll(created.body.id)).body).toMatchObject({
      status: "in_progress",
      progress: 30,
      completed_at: 1_764_086_401_000,
    });
    mock.advance(4_000);
    const done = (await mock.poll(created.body.id)).body;
    expect(done).toEqual({
      id: created.body.id,
      object: "video",
      model: "",
      status: "completed",
      progress: 100,
      created_at: 1_764_086_400_000,
      completed_at: 1_764_086_406_000,
      seconds: "5",
      metadata: { url: `${ORIGIN}/__kling-video-mock/videos/${created.body.id}.mp4` },
    });
  });

  it("new-api: queued reads 10%", async () => {
    const mock = mockGateway({ flavor: "new-api" });
    const { body } = await mock.create();
    await mock.poll(body.id);
    mock.advance(600);
    expect((await mock.poll(body.id)).body).toMatchObject({ status: "queued", progress: 10 });
  });

  it("new-api-legacy: Kling's create body, no /v1/videos/{id}, the URL in fail_reason", async () => {
    const mock = mockGateway({ flavor: "new-api-legacy" });
    const created = await mock.create();
    const id = created.body.task_id;
    expect(created.body).toMatchObject({
      code: 0,
      message: "SUCCEED",
      task_id: expect.stringMatching(/^task_/),
      data: { task_id: id },
    });
    expect(created.body.id).toBeUndefined();
    for (const path of [`/v1/videos/${id}`, `/v1/videos/${id}/content`]) {
      const answer = await mock.call("GET", path, { key: null });
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual({
        error: { message: `Invalid URL (GET ${path})`, type: "invalid_request_error", param: "", code: "" },
      });
    }
    mock.advance(10_000);
    await mock.call("GET", `/v1/video/generations/${id}`);
    const { body } = await mock.call("GET", `/v1/video/generations/${id}`);
    expect(body.data).toMatchObject({
      task_id: id,
      status: "SUCCESS",
      progress: "100%",
      fail_reason: `${ORIGIN}/__kling-video-mock/videos/${id}.mp4`,
    });
    expect(body.data.result_url).toBeUndefined();
  });

  it("the older route gives new-api's task record, with the model asked for and result_url", async () => {
    const mock = mockGateway();
    const { body: task } = await mock.create({ ...BODY, image: "https://example.com/a.png" });
    mock.advance(3_000);
    const { body } = await mock.call("GET", `/v1/video/generations/${task.id}`);
    expect(body).toMatchObject({
      code: "success",
      data: { task_id: task.id, status: "IN_PROGRESS", progress: "40%", action: "generate", start_time: 1_764_086_401 },
    });
    expect(body.data.properties).toMatchObject({ origin_model_name: "kling-v3-pro-audio" });
    mock.advance(3_000);
    expect((await mock.call("GET", `/v1/video/generations/${task.id}`)).body.data).toMatchObject({
      status: "SUCCESS",
      result_url: `${ORIGIN}/__kling-video-mock/videos/${task.id}.mp4`,
      finish_time: 1_764_086_406,
    });
  });

  it("speed: 10 moves a task ten times faster", async () => {
    const mock = mockGateway({ speed: 10 });
    const { body } = await mock.create();
    mock.advance(600);
    expect((await mock.poll(body.id)).body.status).toBe("completed");
  });

  it("the docs' example task exists from the start, completed, in every flavour", async () => {
    for (const flavor of FLAVORS) {
      const mock = mockGateway({ flavor });
      const { status, body } = await mock.call("GET", `/v1/video/generations/${EXAMPLE_TASK_ID}`);
      expect([status, body.data.status], flavor).toEqual([200, "SUCCESS"]);
    }
    const mock = mockGateway();
    expect((await mock.poll(EXAMPLE_TASK_ID)).body).toMatchObject({
      status: "completed",
      model: "kling-v3-std-silent",
    });
    expect((await mock.call("GET", `/v1/videos/${EXAMPLE_TASK_ID}/content`)).status).toBe(200);
  });
});

describe("scenarios", () => {
  const finalOf = async (scenario: string, flavor: MockFlavor = "openai") => {
    const mock = mockGateway({ flavor });
    const { body } = await mock.create({ ...BODY, prompt: `[mock:${scenario}] a fox` });
    await mock.poll(body.id);
    mock.advance(60_000);
    return (await mock.poll(body.id)).body;
  };

  it("failed-early and failed-midway end failed, with the spec's reason", async () => {
    expect(await finalOf("failed-early")).toMatchObject({
      status: "failed",
      progress: 0,
      error: RESPONSE_EXAMPLES.TaskFailed.error,
    });
    expect(await finalOf("failed-midway")).toMatchObject({
      status: "failed",
      progress: 50,
      error: RESPONSE_EXAMPLES.TaskFailed.error,
    });
  });

  it("new-api: failed-early has no error at all, failed-midway has Kling's reason", async () => {
    const early = await finalOf("failed-early", "new-api");
    expect(early).toMatchObject({ status: "failed", progress: 100 });
    expect(early).not.toHaveProperty("error");
    expect(await finalOf("failed-midway", "new-api")).toMatchObject({
      error: { message: expect.any(String), code: "" },
    });
  });

  it("failed-early fails while queued, failed-midway during rendering", async () => {
    const mock = mockGateway();
    const early = (await mock.create({ ...BODY, prompt: "[mock:failed-early] a" })).body.id;
    const midway = (await mock.create({ ...BODY, prompt: "[mock:failed-midway] a" })).body.id;
    mock.advance(1_000);
    expect((await mock.poll(early)).body.status).toBe("failed");
    expect((await mock.poll(midway)).body.status).toBe("in_progress");
    mock.advance(2_500);
    expect((await mock.poll(midway)).body.status).toBe("failed");
  });

  it("slow-queue stays queued five times longer", async () => {
    const mock = mockGateway();
    const { body } = await mock.create(BODY, { "X-Mock-Scenario": "slow-queue" });
    mock.advance(4_900);
    expect((await mock.poll(body.id)).body.status).toBe("queued");
    mock.advance(200);
    expect((await mock.poll(body.id)).body.status).toBe("in_progress");
  });

  it("unknown-first reads unknown on the first poll in the openai flavour too", async () => {
    const mock = mockGateway();
    const { body } = await mock.create({ ...BODY, prompt: "a [mock:unknown-first] fox" });
    mock.advance(2_000);
    expect((await mock.poll(body.id)).body.status).toBe("unknown");
    expect((await mock.poll(body.id)).body.status).toBe("in_progress");
  });

  it("expired-url completes, its video URL answers 403 and the content route 502", async () => {
    const mock = mockGateway();
    const { body } = await mock.create({
      ...BODY,
      extra_body: { multi_prompt: [{ prompt: "[mock:expired-url] a shot" }] },
      prompt: undefined,
    });
    mock.advance(10_000);
    const done = (await mock.poll(body.id)).body;
    expect(done).toMatchObject({ status: "completed", expires_at: 1_764_086_406 });
    const video = await mock.call("GET", new URL(done.video_url).pathname, { key: null });
    expect(video.status).toBe(403);
    const content = await mock.call("GET", `/v1/videos/${body.id}/content`);
    expect([content.status, content.body]).toEqual([502, RESPONSE_EXAMPLES.ContentFetchFailedError]);
  });

  it("401: the spec's message, with this answer's request id", async () => {
    for (const flavor of ["openai", "new-api"] as const) {
      const mock = mockGateway({ flavor });
      const answer = await mock.call("POST", "/v1/video/generations", { body: BODY, key: null });
      const requestId = answer.headers.get(flavor === "openai" ? "x-request-id" : "x-oneapi-request-id")!;
      const example = RESPONSE_EXAMPLES.InvalidTokenError;
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({
        error: {
          ...example.error,
          message: example.error.message.replace(HEADER_EXAMPLES.XOneapiRequestId, requestId),
        },
      });
      expect((await mock.poll(EXAMPLE_TASK_ID, { "X-Mock-Scenario": "401" })).status).toBe(401);
    }
  });

  it("403, 429 (with Retry-After), 500, 502 and 503 on a create: the spec's first example of each", async () => {
    const mock = mockGateway();
    for (const status of ["403", "429", "500", "502", "503"] as const) {
      const answer = await mock.create(BODY, { "X-Mock-Scenario": status });
      expect(answer.status).toBe(Number(status));
      const example = RESPONSE_EXAMPLES[OPERATIONS.createVideoTask.errors[status]];
      expect(JSON.stringify(answer.body)).toBe(
        JSON.stringify(example)
          .replaceAll(HEADER_EXAMPLES.XOneapiRequestId, answer.headers.get("x-request-id")!)
          .replace("kling-v3-std-silent", BODY.model),
      );
    }
    expect((await mock.create(BODY, { "X-Mock-Scenario": "429" })).headers.get("retry-after")).toBe(
      HEADER_EXAMPLES.RetryAfter,
    );
    expect((await mock.create({ ...BODY, prompt: "[mock:503]" })).body.error.message).toContain("kling-v3-pro-audio");
  });

  it("a status the spec does not document for a route is not played there", async () => {
    const mock = mockGateway();
    expect((await mock.poll(EXAMPLE_TASK_ID, { "X-Mock-Scenario": "403" })).status).toBe(200);
    expect(
      (await mock.call("GET", `/v1/videos/${EXAMPLE_TASK_ID}`, { headers: { "X-Mock-Scenario": "429" } })).status,
    ).toBe(429);
    expect(
      (await mock.call("GET", `/v1/video/generations/${EXAMPLE_TASK_ID}`, { headers: { "X-Mock-Scenario": "503" } }))
        .status,
    ).toBe(200);
  });

  it("drop: no answer at all (Response.error()), and a dropped create still made its task", async () => {
    const mock = mockGateway({ maxTasks: 1 });
    const kept = (await mock.create()).body.id;
    const dropped = await mock.create({ ...BODY, prompt: "[mock:drop] a fox" });
    expect(dropped.response.type).toBe("error");
    expect((await mock.poll(kept)).status).toBe(404); // pushed out by the dropped create's task
    expect((await mock.poll(EXAMPLE_TASK_ID, { "X-Mock-Scenario": "drop" })).response.type).toBe("error");
  });

  it("the scenario option applies to requests that name none", async () => {
    const mock = mockGateway({ scenario: ["failed-early"] });
    const { body } = await mock.create();
    mock.advance(10_000);
    expect((await mock.poll(body.id)).body.status).toBe("failed");
  });

  it("a misspelled scenario or flavour is a 400 listing the valid ones, and creates nothing", async () => {
    const mock = mockGateway({ maxTasks: 1 });
    const kept = (await mock.create()).body.id;
    const cases: [Promise<Answer>, string][] = [
      [mock.create(BODY, { "X-Mock-Scenario": "failur" }), "X-Mock-Scenario"],
      [mock.create({ ...BODY, prompt: "[mock:failure] a fox" }), "prompt"],
      [mock.create({ ...BODY, prompt: "[mock:] a fox" }), "prompt"],
      [
        mock.create({
          model: BODY.model,
          extra_body: { multi_prompt: [{ prompt: "a" }, { prompt: "[mock:slow] b" }] },
        }),
        "extra_body.multi_prompt[1].prompt",
      ],
      [mock.poll(kept, { "X-Mock-Scenario": "success, 4O4" }), "X-Mock-Scenario"],
    ];
    for (const [answer, param] of cases) {
      const { status, body } = await answer;
      expect([status, body.error.param]).toEqual([400, param]);
      expect(body.error.message).toContain(SCENARIOS.join(", "));
    }
    const flavor = await mock.poll(kept, { "X-Mock-Flavor": "newapi" });
    expect([flavor.status, flavor.body.error.param]).toEqual([400, "X-Mock-Flavor"]);
    expect(flavor.body.error.message).toContain(FLAVORS.join(", "));
    expect((await mock.poll(kept)).status).toBe(200);
  });
});

describe("errors from the spec's examples", () => {
  it("an invalid body: the first problem as message, its field as param (the spec's InvalidFieldError)", async () => {
    const mock = mockGateway();
    const answer = await mock.create({ ...BODY, extra_body: { cfg_scale: 2 }, duration: 99 });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ message: "duration must be at most 15", param: "duration" });
    const exact = await mock.create({ ...BODY, extra_body: { cfg_scale: 2 } });
    expect(exact.body).toEqual(RESPONSE_EXAMPLES.InvalidFieldError);
  });

  it.each(
    invalidCases
      .filter((testCase) => testCase.body !== null && typeof testCase.body === "object")
      .map((testCase) => [testCase.name, testCase] as const),
  )("%s: 400 naming the field", async (_, testCase) => {
    const answer = await mockGateway().create(testCase.body as object);
    expect(answer.status).toBe(400);
    expect(answer.body.error.param).toBe(checkCreateVideoTaskRequest(testCase.body)[0]!.path || null);
  });

  it("a body that is not JSON is a 400", async () => {
    const answer = await mockGateway().call("POST", "/v1/video/generations", { body: "{oops" });
    expect([answer.status, answer.body.error.param]).toEqual([400, null]);
    expect(answer.body.error.message).toMatch(/^the request body is not valid JSON/);
  });

  it("an unknown task: 404 (openai), 400 task_not_exist (new-api and the older route), 404 on the content route", async () => {
    const openai = mockGateway();
    expect((await openai.poll("task_nope")).body).toEqual(RESPONSE_EXAMPLES.ContentNotFoundError);
    expect((await openai.poll("task_nope")).status).toBe(404);
    const newApi = mockGateway({ flavor: "new-api" });
    expect((await newApi.poll("task_nope")).body).toEqual(RESPONSE_EXAMPLES.TaskNotExistError);
    expect((await openai.call("GET", "/v1/video/generations/task_nope")).status).toBe(400);
    expect((await newApi.call("GET", "/v1/videos/task_nope/content")).status).toBe(404);
  });

  it("the content route while the task runs: 400 naming new-api's status", async () => {
    const mock = mockGateway();
    const { body } = await mock.create();
    mock.advance(2_000);
    const answer = await mock.call("GET", `/v1/videos/${body.id}/content`);
    expect([answer.status, answer.body.error.message]).toEqual([
      400,
      RESPONSE_EXAMPLES.ContentNotReadyError.error.message,
    ]);
    const queued = await mock.call("GET", `/v1/videos/${(await mock.create()).body.id}/content`);
    expect(queued.body.error.message).toMatch(/SUBMITTED$/);
  });

  it("a path or method the gateway does not serve: new-api's Invalid URL", async () => {
    const mock = mockGateway();
    for (const [method, path] of [
      ["GET", "/v1/videos"],
      ["DELETE", `/v1/videos/${EXAMPLE_TASK_ID}`],
    ] as const) {
      const answer = await mock.call(method, path);
      expect([answer.status, answer.body.error.message]).toEqual([404, `Invalid URL (${method} ${path})`]);
    }
    expect(await mock.gateway.handle(new Request(`${ORIGIN}/favicon.ico`))).toBeNull();
  });
});

describe("the video", () => {
  const videoPath = `/__kling-video-mock/videos/${EXAMPLE_TASK_ID}.mp4`;

  it("is an MP4 served whole, with byte ranges for seeking", async () => {
    const mock = mockGateway();
    const whole = await mock.call("GET", videoPath, { key: null });
    const bytes = new Uint8Array(await whole.response.arrayBuffer());
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-type")).toBe("video/mp4");
    expect(whole.headers.get("accept-ranges")).toBe("bytes");
    expect(new TextDecoder().decode(bytes.slice(4, 8))).toBe("ftyp");
    const size = bytes.length;
    const part = await mock.call("GET", videoPath, { key: null, headers: { range: "bytes=4-7" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 4-7/${size}`);
    expect(part.body).toBe("ftyp");
    const tail = await mock.call("GET", videoPath, { key: null, headers: { range: "bytes=-10" } });
    expect([tail.status, tail.headers.get("content-range")]).toEqual([206, `bytes ${size - 10}-${size - 1}/${size}`]);
    const open = await mock.call("GET", videoPath, { key: null, headers: { range: `bytes=${size - 2}-` } });
    expect(open.headers.get("content-length")).toBe("2");
    const beyond = await mock.call("GET", videoPath, { key: null, headers: { range: `bytes=${size}-` } });
    expect([beyond.status, beyond.headers.get("content-range")]).toEqual([416, `bytes */${size}`]);
    const head = await mock.call("HEAD", videoPath, { key: null });
    expect([head.status, head.headers.get("content-length"), head.body]).toEqual([200, String(size), ""]);
  });

  it("the content route serves it whole (as new-api does), with the key only", async () => {
    const mock = mockGateway();
    const content = await mock.call("GET", `/v1/videos/${EXAMPLE_TASK_ID}/content`, {
      headers: { range: "bytes=0-1" },
    });
    expect([content.status, content.headers.get("content-type"), content.headers.get("accept-ranges")]).toEqual([
      200,
      "video/mp4",
      null,
    ]);
    expect((await mock.call("GET", `/v1/videos/${EXAMPLE_TASK_ID}/content`, { key: null })).status).toBe(401);
  });

  it("a task that is not done, or unknown, has no video", async () => {
    const mock = mockGateway();
    const { body } = await mock.create();
    expect((await mock.call("GET", `/__kling-video-mock/videos/${body.id}.mp4`, { key: null })).status).toBe(404);
    expect((await mock.call("GET", "/__kling-video-mock/videos/task_nope.mp4", { key: null })).status).toBe(404);
  });
});

describe("CORS, open as with Prism", () => {
  it("answers a preflight naming the headers asked for, and lets pages read every answer", async () => {
    const mock = mockGateway();
    const preflight = await mock.gateway.handle(
      new Request(`${ORIGIN}/v1/video/generations`, {
        method: "OPTIONS",
        headers: {
          origin: "http://localhost:5173",
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization,content-type,x-mock-scenario",
        },
      }),
    );
    expect(preflight!.status).toBe(204);
    expect(preflight!.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight!.headers.get("access-control-allow-headers")).toBe("authorization,content-type,x-mock-scenario");
    expect(preflight!.headers.get("access-control-allow-methods")).toContain("POST");
    for (const answer of [
      await mock.create(),
      await mock.poll("task_nope"),
      await mock.call("GET", `/__kling-video-mock/videos/${EXAMPLE_TASK_ID}.mp4`),
    ]) {
      expect(answer.headers.get("access-control-allow-origin")).toBe("*");
      expect(answer.headers.get("access-control-expose-headers")).toBe("*");
    }
  });
});

describe("memory", () => {
  it("keeps the newest maxTasks tasks (and always the docs' example task)", async () => {
    const mock = mockGateway({ maxTasks: 3 });
    const ids: string[] = [];
    for (let index = 0; index < 5; index++) ids.push((await mock.create()).body.id);
    const statuses = await Promise.all(ids.map(async (id) => (await mock.poll(id)).status));
    expect(statuses).toEqual([404, 404, 200, 200, 200]);
    expect((await mock.poll(EXAMPLE_TASK_ID)).status).toBe(200);
  });

  it("reset forgets every task but the example", async () => {
    const mock = mockGateway();
    const { body } = await mock.create();
    mock.gateway.reset();
    expect((await mock.poll(body.id)).status).toBe(404);
    expect((await mock.poll(EXAMPLE_TASK_ID)).status).toBe(200);
  });

  it("refuses options it cannot run with", () => {
    expect(() => createMockGateway({ speed: 0 })).toThrow("speed must be a positive number, got 0");
    expect(() => createMockGateway({ maxTasks: 0 })).toThrow("maxTasks must be a positive integer");
    expect(() => createMockGateway({ flavor: "newapi" as MockFlavor })).toThrow(/use one of openai, new-api/);
    expect(() => createMockGateway({ scenario: "failur" as MockScenario })).toThrow(/use one of success/);
  });
});

describe("every answer", () => {
  /** Plays a task through its whole life on every route, with `headers`, and returns what each route answered. */
  async function everyAnswer(flavor: MockFlavor, scenario: MockScenario) {
    // A speed that makes fractions of a millisecond: every time shown must still be an integer.
    const mock = mockGateway({ flavor, speed: 3 });
    const headers = { "X-Mock-Scenario": scenario };
    const answers: [keyof typeof OPERATIONS, Answer][] = [];
    const created = await mock.create(BODY, headers);
    answers.push(["createVideoTask", created]);
    const id: string = created.body?.id ?? created.body?.task_id ?? EXAMPLE_TASK_ID;
    for (const step of [0, 250, 350, 900, 60_000]) {
      mock.advance(step);
      answers.push(["getVideoTask", await mock.poll(id, headers)]);
      answers.push(["getLegacyVideoTask", await mock.call("GET", `/v1/video/generations/${id}`, { headers })]);
      answers.push(["getVideoContent", await mock.call("GET", `/v1/videos/${id}/content`, { headers })]);
    }
    answers.push(["getVideoTask", await mock.poll("task_nope")]);
    answers.push(["getLegacyVideoTask", await mock.call("GET", "/v1/video/generations/task_nope")]);
    answers.push(["getVideoContent", await mock.call("GET", "/v1/videos/task_nope/content")]);
    answers.push(["createVideoTask", await mock.create({ ...BODY, duration: 2 })]);
    answers.push(["createVideoTask", await mock.call("POST", "/v1/video/generations", { body: BODY, key: null })]);
    return answers.filter(([, answer]) => answer.response.type !== "error");
  }

  it.each(FLAVORS.flatMap((flavor) => SCENARIOS.map((scenario) => [flavor, scenario] as const)))(
    "validates against the spec (%s, %s)",
    async (flavor, scenario) => {
      const answers = await everyAnswer(flavor, scenario);
      expect(answers.length).toBeGreaterThan(scenario === "drop" ? 4 : 15);
      for (const [operationId, answer] of answers) expectDocumented(operationId, answer);
    },
  );
});
