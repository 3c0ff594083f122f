// Every response the SDK receives from Prism, static and dynamic (-d, made-up data), must
// validate against the spec's schema for its operation and status, and come back as a typed
// VideoTask or the right error class. The statuses are the ones each operation documents.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type PrismServer, startPrism } from "../../scripts/prism.mjs";
import { APIError, type CreateVideoTaskRequest, createVideoClient } from "../../src/index.js";
import { responseValidator, schemaValidator, spec } from "../support/spec.js";

const BODY: CreateVideoTaskRequest = { model: "kling-v3-std-silent", prompt: "a lighthouse" };
const CREATE = "/v1/video/generations";
const RETRIEVE = "/v1/videos/{task_id}";

const errorStatuses = (path: string, method: string) =>
  Object.keys((spec.paths[path]![method] as { responses: object }).responses)
    .map(Number)
    .filter((status) => status >= 400);

/** A client whose fetch keeps every raw response it received. */
function recordingClient(baseUrl: string, prefer?: string) {
  const received: { status: number; body: unknown }[] = [];
  const client = createVideoClient({
    baseUrl,
    apiKey: "sk-test",
    maxRetries: 0,
    fetch: async (url, init) => {
      const headers = new Headers(init.headers);
      if (prefer) headers.set("prefer", prefer);
      const response = await fetch(url, { ...init, headers });
      received.push({ status: response.status, body: await response.clone().json() });
      return response;
    },
  });
  return { client, received };
}

function expectConforming(path: string, method: string, received: { status: number; body: unknown }[]) {
  expect(received.length).toBeGreaterThan(0);
  for (const { status, body } of received) {
    const validate = responseValidator(path, method, status);
    expect(
      validate(body),
      `${method} ${path} ${status} ${JSON.stringify(body)}: ${JSON.stringify(validate.errors)}`,
    ).toBe(true);
  }
}

async function exercise(baseUrl: string) {
  const created = recordingClient(baseUrl);
  const retrieved = recordingClient(baseUrl);
  for (let i = 0; i < 10; i++) {
    const task = await created.client.create(BODY);
    const again = await retrieved.client.retrieve(task.id);
    expect(schemaValidator("VideoTask")(task) && schemaValidator("VideoTask")(again)).toBe(true);
  }
  expectConforming(CREATE, "post", created.received);
  expectConforming(RETRIEVE, "get", retrieved.received);

  const cases = [
    ...errorStatuses(CREATE, "post").map((status) => [CREATE, "post", status] as const),
    // A 404 on the poll path means "not served here" (an older gateway): the SDK then asks the
    // older route, which the forced Prefer header makes fail too; the fallback has its own tests.
    ...errorStatuses(RETRIEVE, "get")
      .filter((status) => status !== 404)
      .map((status) => [RETRIEVE, "get", status] as const),
  ];
  for (const [path, method, status] of cases) {
    const failing = recordingClient(baseUrl, `code=${status}`);
    const call = method === "post" ? failing.client.create(BODY) : failing.client.retrieve("task_1");
    const error = await call.catch((caught: unknown) => caught);
    expect(error, `${method} ${status}`).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(status);
    expectConforming(path, method, failing.received);
  }
}

describe("responses from Prism", () => {
  it("static examples conform and parse", async () => {
    await exercise(inject("prismUrl"));
  });

  describe("dynamic mode (-d)", () => {
    let dynamic: PrismServer;
    beforeAll(async () => {
      dynamic = await startPrism({ args: ["-d", "--seed", "7"] });
    });
    afterAll(() => dynamic?.stop());

    it("made-up responses conform and parse", async () => {
      await exercise(dynamic.url);
    });
  });
});
