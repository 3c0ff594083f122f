// The SDK against a real Prism mock of the spec: the page's examples, authentication, every
// documented error status (with the SDK's retry rules visible in the requests Prism saw), and
// the task lifecycle through the spec's named examples.
import { describe, expect, inject, it } from "vitest";
import {
  type APIError,
  AuthenticationError,
  BadRequestError,
  type CreateVideoTaskRequest,
  createVideoClient,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from "../../src/index.js";
import { namedRequestExamples, schemaValidator } from "../support/spec.js";

const prism = inject("prismUrl");
const pageBodies = namedRequestExamples<CreateVideoTaskRequest>();
const isVideoTask = schemaValidator("VideoTask");

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

  it("wait follows queued -> in_progress -> completed and returns the video URL", async () => {
    const seen: string[] = [];
    const client = createVideoClient({
      baseUrl: prism,
      apiKey: "sk-test",
      fetch: lifecycleFetch(["queued", "in_progress", "in_progress", "completed"]),
    });
    const task = await client.generate(pageBodies[0]![1], {
      pollIntervalMs: 10,
      onProgress: (t) => void seen.push(`${t.status} ${t.progress}`),
    });
    expect(task.status).toBe("completed");
    expect(task.video_url).toMatch(/^https:\/\//);
    expect(seen).toEqual(["queued 0", "in_progress 45", "completed 100"]);
  });

  it("wait ends on the failed example with VideoTaskFailedError", async () => {
    const client = createVideoClient({
      baseUrl: prism,
      apiKey: "sk-test",
      fetch: lifecycleFetch(["in_progress", "failed"]),
    });
    await expect(client.wait("video_01JH8Y3Z6Q4W9XK2M5N7P8R0ST", { pollIntervalMs: 10 })).rejects.toMatchObject({
      name: "VideoTaskFailedError",
      taskId: "video_01JH8Y3Z6Q4W9XK2M5N7P8R0ST",
      error: { code: "content_policy_violation" },
    });
  });

  it("each lifecycle example parses as a VideoTask with its status", async () => {
    for (const state of ["queued", "in_progress", "completed", "failed"]) {
      const client = createVideoClient({ baseUrl: prism, apiKey: "sk-test", headers: { prefer: `example=${state}` } });
      const task = await client.retrieve("video_1");
      expect(isVideoTask(task)).toBe(true);
      expect(task.status).toBe(state);
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
    expect(error).toMatchObject({ status: 401, code: "invalid_api_key", requestId: "req_7f3a9c1e5b2d4068" });
  });
});

describe("documented error statuses (Prefer: code=...)", () => {
  // Expected requests with maxRetries 1: a GET is resent on 429 and 5xx; a create only on 429.
  const cases: [string, number, typeof APIError, number][] = [
    ["POST", 400, BadRequestError, 1],
    ["POST", 401, AuthenticationError, 1],
    ["POST", 403, PermissionDeniedError, 1],
    ["POST", 429, RateLimitError, 2],
    ["POST", 500, InternalServerError, 1],
    ["POST", 502, InternalServerError, 1],
    ["POST", 503, InternalServerError, 1],
    ["GET", 400, BadRequestError, 1],
    ["GET", 401, AuthenticationError, 1],
    ["GET", 403, PermissionDeniedError, 1],
    ["GET", 404, NotFoundError, 1],
    ["GET", 429, RateLimitError, 2],
    ["GET", 500, InternalServerError, 2],
    ["GET", 502, InternalServerError, 2],
    ["GET", 503, InternalServerError, 2],
  ];
  it.concurrent.each(cases)(
    "%s %i: %o after %i request(s), request id kept",
    async (method, status, ErrorClass, requests) => {
      let seen = 0;
      const client = createVideoClient({
        baseUrl: prism,
        apiKey: "sk-test",
        maxRetries: 1,
        headers: { prefer: `code=${status}` },
        fetch: (url, init) => {
          seen++;
          return fetch(url, init);
        },
      });
      const call = method === "POST" ? client.create(pageBodies[0]![1]) : client.retrieve("video_1");
      const error = await call.catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ErrorClass);
      expect(error).toMatchObject({ status, requestId: "req_7f3a9c1e5b2d4068" });
      expect((error as APIError).message).not.toBe("");
      expect(seen).toBe(requests);
    },
  );
});
