// Hostile or broken input ends in a clear validation error: never a crash, never a request.
import { describe, expect, it } from "vitest";
import { type CreateVideoTaskRequest, createVideoClient, VideoRequestValidationError } from "../../src/index.js";
import { API_KEY, json, scriptedFetch, task } from "../support/scripted-fetch.js";

const circular = (): unknown => {
  const body: Record<string, unknown> = { model: "kling-v3-std-silent", prompt: "a", extra_body: {} };
  (body.extra_body as Record<string, unknown>).loop = body;
  return body;
};

describe("bad input", () => {
  it.each([
    ["a non-string prompt", { model: "kling-v3-std-silent", prompt: { text: "a" } }, "prompt must be a string"],
    [
      "a 10 MB prompt",
      { model: "kling-v3-std-silent", prompt: "a".repeat(10 * 1024 * 1024) },
      "prompt must be at most 2500 characters long",
    ],
    [
      "NUL bytes in the prompt",
      { model: "kling-v3-std-silent", prompt: "a\u0000\u0000b" },
      "prompt must not contain NUL characters (U+0000)",
    ],
    [
      "a body that is a JSON array",
      [{ model: "kling-v3-std-silent", prompt: "a" }],
      "the request body must be an object",
    ],
    ["a string body", "kling-v3-std-silent: a fox", "the request body must be an object"],
    ["no body at all", undefined, "the request body must be an object"],
    ["null", null, "the request body must be an object"],
    ["a circular object", circular(), "the request body cannot be sent as JSON"],
    [
      "a BigInt",
      { model: "kling-v3-std-silent", prompt: "a", duration: 5n },
      "the request body cannot be sent as JSON",
    ],
    [
      "NaN",
      { model: "kling-v3-std-silent", prompt: "a", extra_body: { cfg_scale: Number.NaN } },
      "extra_body.cfg_scale must be a number",
    ],
  ])("%s", async (_, body, message) => {
    const fetchImpl = scriptedFetch(json(200, task()));
    const client = createVideoClient({ baseUrl: "http://127.0.0.1:4010", apiKey: API_KEY, fetch: fetchImpl });
    const error = await client.create(body as CreateVideoTaskRequest).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VideoRequestValidationError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message.length).toBeLessThan(500);
    expect(fetchImpl.calls).toHaveLength(0);
  });

  it("a non-string or empty task id is refused before any request", async () => {
    const fetchImpl = scriptedFetch(json(200, task()));
    const client = createVideoClient({ baseUrl: "http://127.0.0.1:4010", apiKey: API_KEY, fetch: fetchImpl });
    for (const id of ["", undefined, 42, null]) {
      await expect(client.retrieve(id as string)).rejects.toThrow(/taskId must be a non-empty string/);
      await expect(client.wait(id as string)).rejects.toThrow(/taskId must be a non-empty string/);
    }
    expect(fetchImpl.calls).toHaveLength(0);
  });

  it("a task id with path characters stays inside the path", async () => {
    const fetchImpl = scriptedFetch(json(200, task()));
    const client = createVideoClient({ baseUrl: "http://127.0.0.1:4010", apiKey: API_KEY, fetch: fetchImpl });
    await client.retrieve("../../v1/video/generations?x=1#y");
    expect(fetchImpl.calls[0]!.url).toBe(
      "http://127.0.0.1:4010/v1/videos/..%2F..%2Fv1%2Fvideo%2Fgenerations%3Fx%3D1%23y",
    );
  });
});
