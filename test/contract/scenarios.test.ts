// The SDK against a real Prism mock of the spec: the page's examples, authentication, every
// documented error status (class, code and request id), and the task lifecycle through the
// spec's named examples. How often each is retried is counted in the fake-timer suites.
import { describe, expect, inject, it } from "vitest";
import {
  AuthenticationError,
  BadRequestError,
  type CreateVideoTaskRequest,
  createVideoClient,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  taskProgress,
} from "../../src/index.js";
import { firstExample, namedRequestExamples, resolve, schemaValidator, spec } from "../support/spec.js";

const prism = inject("prismUrl");
const pageBodies = namedRequestExamples<CreateVideoTaskRequest>();
const isVideoTask = schemaValidator("VideoTask");
/** The request id Prism sends: the spec's example of the headers gateways use. */
const exampleRequestId = resolve<{ example: string }>(spec.components.headers!.XRequestId).example;

/** A fetch that asks Prism for the next lifecycle example on each poll. */
function lifecycleFetch(states: string[]) {
  let poll = 0;
  return (url: string, init: RequestInit) => {
    const headers = new Headers(init.headers);
    if (init.method === "GET") {
      headers.set("prefer", `example=${states[Math.min(poll, states.length - 1)]}`);
      poll++;
    }
    return fetch(url, { ...init, headers });
  };
}

describe("the SDK against Prism", () => {
  it.each(pageBodies)("create(%s) returns a queued VideoTask", async (_, body) => {
    const client = createVideoClient({ baseUrl: prism, apiKey: "sk-test" });
    const task = await client.create(body);
    expect(isVideoTask(task)).toBe(true);
    expect(task.status).toBe("queued");
  });

  it("wait follows unknown -> queued -> in_progress -> completed, and the video is in metadata.url", async () => {
    const seen: string[] = [];
    const client = createVideoClient({
      baseUrl: prism,
      apiKey: "sk-test",
      fetch: lifecycleFetch(["unknown", "queued", "in_progress", "in_progress", "completed"]),
    });
    const task = await client.generate(pageBodies[0]![1], {
      pollIntervalMs: 10,
      onProgress: (t) => void seen.push(`${t.status} ${taskProgress(t)}`),
    });
    expect(task.status).toBe("completed");
    expect(task.metadata?.url).toMatch(/^https:\/\//);
    expect(seen).toEqual(["unknown 0", "queued 10", "in_progress 30", "completed 100"]);
  });

  it.each([
    ["failed", { message: "Failure to pass the risk control system", code: "" }],
    ["failedWithoutReason", null],
  ])("wait ends on the %s example with VideoTaskFailedError", async (example, reason) => {
    const client = createVideoClient({
      baseUrl: prism,
      apiKey: "sk-test",
      fetch: lifecycleFetch(["in_progress", example]),
    });
    const id = resolve<{ example: string }>(spec.components.parameters!.TaskId).example; // the examples' id
    await expect(client.wait(id, { pollIntervalMs: 10 })).rejects.toMatchObject({
      name: "VideoTaskFailedError",
      taskId: id,
      error: reason,
    });
  });

  it("each poll example parses as a VideoTask", async () => {
    const examples = Object.keys(
      resolve<{ content: Record<string, { examples: object }> }>(
        (spec.paths["/v1/videos/{task_id}"]!.get as { responses: Record<string, unknown> }).responses["200"],
      ).content["application/json"]!.examples,
    );
    expect(examples.length).toBeGreaterThanOrEqual(6);
    for (const example of examples) {
      const client = createVideoClient({
        baseUrl: prism,
        apiKey: "sk-test",
        headers: { prefer: `example=${example}` },
      });
      expect(isVideoTask(await client.retrieve("task_1")), example).toBe(true);
    }
  });
});

describe("authentication against Prism", () => {
  it.each([
    ["missing", undefined],
    ["not bearer", "Basic c2stdGVzdDo="],
    ["bearer without a token", "Bearer"],
  ])("a %s Authorization header gets 401 and AuthenticationError", async (_, header) => {
    const client = createVideoClient({
      baseUrl: prism,
      apiKey: "sk-test",
      fetch: (url, init) => {
        const headers = new Headers(init.headers);
        if (header === undefined) headers.delete("authorization");
        else headers.set("authorization", header);
        return fetch(url, { ...init, headers });
      },
    });
    const error = await client.create(pageBodies[0]![1]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, type: "new_api_error", requestId: exampleRequestId });
  });
});

describe("documented error statuses (Prefer: code=...)", () => {
  const classFor = (status: number, code: unknown) =>
    code === "task_not_exist"
      ? NotFoundError
      : status >= 500
        ? InternalServerError
        : {
            400: BadRequestError,
            401: AuthenticationError,
            403: PermissionDeniedError,
            404: NotFoundError,
            429: RateLimitError,
          }[status];
  const cases = [
    ["/v1/video/generations", "post"],
    ["/v1/videos/{task_id}", "get"],
  ].flatMap(([path, method]) =>
    Object.keys((spec.paths[path!]![method!] as { responses: object }).responses)
      .map(Number)
      // A 404 on the poll path means an older gateway: the SDK's fallback has its own tests.
      .filter((status) => status >= 400 && !(method === "get" && status === 404))
      .map((status) => [method!.toUpperCase(), status, path!] as const),
  );
  it.concurrent.each(cases)(
    "%s %i: the right class, the first example's code, the request id",
    async (method, status, path) => {
      const client = createVideoClient({
        baseUrl: prism,
        apiKey: "sk-test",
        maxRetries: 0,
        headers: { prefer: `code=${status}` },
      });
      const call = method === "POST" ? client.create(pageBodies[0]![1]) : client.retrieve("task_1");
      const error = await call.catch((caught: unknown) => caught);
      const example = firstExample(path, method.toLowerCase(), String(status)) as {
        code?: string;
        error?: { code?: string };
      };
      const code = example.error ? example.error.code : example.code;
      expect(error).toBeInstanceOf(classFor(status, code));
      expect(error).toMatchObject({ status, code: code ?? null, requestId: exampleRequestId });
      expect((error as Error).message).not.toBe("");
    },
  );
});
