// The SDK against a real Prism mock of the spec: the page's examples go through create, and
// wait follows the spec's lifecycle examples to completed.
import { describe, expect, inject, it } from "vitest";
import { AuthenticationError, createVideoClient, type CreateVideoTaskRequest } from "../../src/index.js";
import { resolve, schemaValidator, spec } from "../support/spec.js";

const prism = inject("prismUrl");
const requestExamples = resolve<{ content: Record<string, { examples: Record<string, unknown> }> }>(
  spec.paths["/v1/video/generations"]!.post!.requestBody,
).content["application/json"]!.examples;
const pageBodies = Object.entries(requestExamples).map(([name, ref]) => [name, resolve<{ value: CreateVideoTaskRequest }>(ref).value] as const);
const isVideoTask = schemaValidator("VideoTask");

/** A fetch that asks Prism for the next lifecycle example on each poll. */
function lifecycleFetch(states: string[]) {
  let poll = 0;
  return (request: Request) => {
    if (request.method === "GET") {
      request.headers.set("prefer", `example=${states[Math.min(poll, states.length - 1)]}`);
      poll++;
    }
    return fetch(request);
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
    const task = await client.generate(pageBodies[0]![1], { pollIntervalMs: 10, onProgress: (t) => void seen.push(`${t.status} ${t.progress}`) });
    expect(task.status).toBe("completed");
    expect(task.video_url).toMatch(/^https:\/\//);
    expect(seen).toEqual(["queued 0", "in_progress 45", "completed 100"]);
  });

  it("wait ends on the failed example with VideoTaskFailedError", async () => {
    const client = createVideoClient({ baseUrl: prism, apiKey: "sk-test", fetch: lifecycleFetch(["in_progress", "failed"]) });
    await expect(client.wait("video_01JH8Y3Z6Q4W9XK2M5N7P8R0ST", { pollIntervalMs: 10 })).rejects.toMatchObject({
      name: "VideoTaskFailedError",
      taskId: "video_01JH8Y3Z6Q4W9XK2M5N7P8R0ST",
      error: { code: "content_policy_violation" },
    });
  });

  it("a missing key gets 401 from Prism as AuthenticationError", async () => {
    const client = createVideoClient({ baseUrl: prism, apiKey: "" });
    await expect(client.retrieve("video_1")).rejects.toBeInstanceOf(AuthenticationError);
  });
});
