import { describe, expect, it } from "vitest";
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  createVideoClient,
  InternalServerError,
  InvalidResponseError,
  KlingVideoError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from "../../src/index.js";
import { API_KEY, apiError, json, type Step, scriptedFetch } from "../support/scripted-fetch.js";

const clientWith = (...steps: Step[]) => {
  const fetchImpl = scriptedFetch(...steps);
  return {
    fetchImpl,
    client: createVideoClient({ baseUrl: "http://127.0.0.1:4010", apiKey: API_KEY, fetch: fetchImpl, maxRetries: 0 }),
  };
};

describe("API errors", () => {
  it.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, APIError],
    [422, UnprocessableEntityError],
    [429, RateLimitError],
    [500, InternalServerError],
    [502, InternalServerError],
    [503, InternalServerError],
    [504, InternalServerError],
  ])("%i becomes %o with the server's fields", async (status, ErrorClass) => {
    const { client } = clientWith(
      apiError(status, {}, { message: "the server's words", code: "some_code", type: "some_type", param: "prompt" }),
    );
    const error = await client.retrieve("video_1").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toBeInstanceOf(KlingVideoError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      status,
      code: "some_code",
      type: "some_type",
      param: "prompt",
      requestId: `req_${status}`,
      message: `${status} the server's words`,
      body: { error: { message: "the server's words", code: "some_code", type: "some_type", param: "prompt" } },
      name: ErrorClass.name,
    });
  });

  it("an HTML 502 page still gives InternalServerError with a short message", async () => {
    const html = `<html><head><title>502 Bad Gateway</title></head><body>${"<p>nginx</p>".repeat(500)}</body></html>`;
    const { client } = clientWith(() => new Response(html, { status: 502, headers: { "content-type": "text/html" } }));
    const error = (await client.retrieve("video_1").catch((caught: unknown) => caught)) as InternalServerError;
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.message).toBe("502 502 Bad Gateway (HTML error page)");
    expect(error.code).toBeNull();
    expect(error.body).toBe(html);
  });

  it("a plain-text or empty error body still gives the right class", async () => {
    const text = clientWith(() => new Response("upstream timed out", { status: 504 }));
    const textError = await text.client.retrieve("video_1").catch((caught: unknown) => caught);
    expect(textError).toBeInstanceOf(InternalServerError);
    expect((textError as Error).message).toBe("504 upstream timed out");
    const empty = clientWith(() => new Response(null, { status: 401 }));
    const error = await empty.client.retrieve("video_1").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toBe("401 (no error message in the response)");
  });

  it("a 200 that is not JSON, or has no task id, is an InvalidResponseError", async () => {
    const garbled = clientWith(
      () => new Response('{"id": "video_1", "sta', { status: 200, headers: { "x-request-id": "req_9" } }),
    );
    const error = await garbled.client.retrieve("video_1").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toMatchObject({ status: 200, requestId: "req_9" });
    const noId = clientWith(json(200, { status: "queued" }));
    await expect(noId.client.create({ model: "kling-v3-std-silent", prompt: "a" })).rejects.toThrow(
      /without a task id/,
    );
  });

  it("serialize to JSON without headers or body", async () => {
    const { client } = clientWith(apiError(429));
    const error = await client.retrieve("video_1").catch((caught: unknown) => caught);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: "RateLimitError",
      message: "429 status 429",
      status: 429,
      code: "code_429",
      type: "server_error",
      param: null,
      requestId: "req_429",
      taskId: "video_1",
      taskMayExist: false,
    });
  });
});
