// Compile-time checks of what a new user meets first: callbacks that return anything, images as
// bytes, per-call options, and typos inside extra_body caught where the compiler can see them.
import { describe, expectTypeOf, it } from "vitest";
import { createVideoClient, type RequestOptions, type VideoTask } from "../../src/index.js";

const client = createVideoClient({ baseUrl: "http://127.0.0.1:4010", apiKey: "sk-test" });
const body = { model: "kling-v3-std-silent", prompt: "a fox" } as const;

describe("callbacks", () => {
  it("may return anything (an arrow that pushes, a promise, a number)", () => {
    const seen: VideoTask[] = [];
    void client.wait("task_1", { onProgress: (task) => seen.push(task) });
    void client.generate(body, { onCreated: async (task) => task.id, onProgress: (task) => task.progress });
    type OnProgress = NonNullable<NonNullable<Parameters<typeof client.wait>[1]>["onProgress"]>;
    expectTypeOf<Parameters<OnProgress>>().toEqualTypeOf<[task: VideoTask]>();
  });
});

describe("images", () => {
  it("take a URL, a data: URI, a Blob or File, or bytes", () => {
    void client.create({ ...body, image: "https://example.com/a.png" });
    void client.create({ ...body, image: new Blob([new Uint8Array(4)], { type: "image/png" }) });
    void client.create({ ...body, image: new Uint8Array(4), last_image: new Uint8Array(4) });
    // @ts-expect-error: not an image
    void client.create({ ...body, image: 42 });
  });
});

describe("extra_body", () => {
  it("passes the provider's own keys through", () => {
    void client.create({ ...body, extra_body: { camera_control: { type: "simple" }, mode: "pro" } });
  });

  it("rejects the camelCase twin of a key the spec knows", () => {
    // @ts-expect-error: cfg_scale is the key
    void client.create({ ...body, extra_body: { cfgScale: 0.5 } });
    // @ts-expect-error: negative_prompt is the key
    void client.create({ ...body, extra_body: { negativePrompt: "blur" } });
    // @ts-expect-error: a known key keeps its type
    void client.create({ ...body, extra_body: { cfg_scale: "0.5" } });
  });
});

describe("per-call options", () => {
  it("create, retrieve, wait and download take signal, timeoutMs and maxRetries", () => {
    const options: RequestOptions = { signal: AbortSignal.timeout(1000), timeoutMs: 5000, maxRetries: 0 };
    void client.create(body, options);
    void client.retrieve("task_1", options);
    void client.wait("task_1", { ...options, pollIntervalMs: 1000 });
    void client.download("task_1", options);
    // @ts-expect-error: a number of retries, not a boolean
    void client.retrieve("task_1", { maxRetries: true });
  });
});
