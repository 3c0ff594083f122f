// Every response the SDK receives from Prism, static and dynamic (-d, made-up data), must
// validate against the spec's schema for its status, and come back as a typed VideoTask or
// the right error class.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type PrismServer, startPrism } from "../../scripts/prism.mjs";
import { APIError, type CreateVideoTaskRequest, createVideoClient } from "../../src/index.js";
import { schemaValidator } from "../support/spec.js";

const isVideoTask = schemaValidator("VideoTask");
const isErrorResponse = schemaValidator("ErrorResponse");
const BODY: CreateVideoTaskRequest = { model: "kling-v3-std-silent", prompt: "a lighthouse" };
const ERROR_STATUSES = { post: [400, 401, 403, 429, 500, 502, 503], get: [400, 401, 403, 404, 429, 500, 502, 503] };

/** A client whose fetch keeps every raw response body it received. */
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

function expectConforming(received: { status: number; body: unknown }[]) {
  expect(received.length).toBeGreaterThan(0);
  for (const { status, body } of received) {
    const validate = status < 300 ? isVideoTask : isErrorResponse;
    expect(validate(body), `${status} ${JSON.stringify(body)}: ${JSON.stringify(validate.errors)}`).toBe(true);
  }
}

async function exercise(baseUrl: string) {
  const results: unknown[] = [];
  const ok = recordingClient(baseUrl);
  for (let i = 0; i < 10; i++) {
    const task = await ok.client.create(BODY);
    results.push(task, await ok.client.retrieve(task.id));
  }
  expectConforming(ok.received);
  for (const task of results) expect(isVideoTask(task)).toBe(true);

  for (const [method, statuses] of Object.entries(ERROR_STATUSES)) {
    for (const status of statuses) {
      const failing = recordingClient(baseUrl, `code=${status}`);
      const error = await (method === "post" ? failing.client.create(BODY) : failing.client.retrieve("video_1")).catch(
        (caught: unknown) => caught,
      );
      expect(error, `${method} ${status}`).toBeInstanceOf(APIError);
      expect((error as APIError).status).toBe(status);
      expectConforming(failing.received);
    }
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
