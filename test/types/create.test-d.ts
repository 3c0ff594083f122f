// Compile-time checks: what the spec allows type-checks, what it forbids does not.
import { describe, expectTypeOf, it } from "vitest";
import {
  type CreateVideoTaskRequest,
  createVideoClient,
  type VideoModel,
  type VideoStatus,
  type VideoTask,
} from "../../src/index.js";

const client = createVideoClient({ baseUrl: "http://127.0.0.1:4010", apiKey: "sk-test" });

describe("create() types", () => {
  it("accepts the page's four example bodies", () => {
    void client.create({
      model: "kling-v3-std-silent",
      prompt: "广角电影感镜头",
      aspect_ratio: "16:9",
      duration: 5,
      extra_body: { cfg_scale: 0.5, shot_type: "customize", negative_prompt: "模糊, 低细节" },
    });
    void client.create({
      model: "kling-v3-pro-audio",
      prompt: "人物自然地在笔记本上书写",
      image: "https://example.com/start-frame.png",
      aspect_ratio: "16:9",
      duration: 6,
      extra_body: { cfg_scale: 0.6, shot_type: "intelligent", negative_prompt: "伪影, 畸变" },
    });
    void client.create({
      model: "kling-v3-pro-silent",
      prompt: "肖像人物逐渐转向镜头",
      image: "https://example.com/first-frame.png",
      last_image: "https://example.com/last-frame.png",
      duration: 8,
      extra_body: { cfg_scale: 0.5, shot_type: "customize" },
    });
    void client.create({
      model: "kling-v3-std-audio",
      image: "https://example.com/source-image.png",
      duration: 10,
      extra_body: {
        multi_prompt: [{ prompt: "镜头先以中近景开始,人物低头。" }, { prompt: "人物抬头并看向镜头。" }],
        shot_type: "customize",
      },
    });
  });

  it("accepts duration as a string and provider keys inside extra_body", () => {
    void client.create({
      model: "kling-v3-std-silent",
      prompt: "a",
      duration: "15",
      extra_body: { camera_control: { type: "simple" } },
    });
  });

  it("rejects a wrong model, an unknown top-level key, and a 4:3 aspect ratio", () => {
    // @ts-expect-error: not a Kling v3 model
    void client.create({ model: "kling-v2-master", prompt: "a" });
    // @ts-expect-error: aspectRatio is a typo of aspect_ratio
    void client.create({ model: "kling-v3-std-silent", prompt: "a", aspectRatio: "16:9" });
    // @ts-expect-error: 4:3 is not an allowed aspect ratio
    void client.create({ model: "kling-v3-std-silent", prompt: "a", aspect_ratio: "4:3" });
    // @ts-expect-error: duration "5s" is not one of "3".."15"
    void client.create({ model: "kling-v3-std-silent", prompt: "a", duration: "5s" });
    // @ts-expect-error: shot_type must be customize or intelligent
    void client.create({ model: "kling-v3-std-silent", prompt: "a", extra_body: { shot_type: "auto" } });
    // @ts-expect-error: model is required
    void client.create({ prompt: "a" });
  });

  it("returns typed tasks", () => {
    expectTypeOf(client.create).returns.resolves.toEqualTypeOf<VideoTask>();
    expectTypeOf(client.wait).returns.resolves.toEqualTypeOf<VideoTask>();
    expectTypeOf<VideoTask["status"]>().toEqualTypeOf<VideoStatus | "">();
    expectTypeOf<VideoStatus>().toEqualTypeOf<"unknown" | "queued" | "in_progress" | "completed" | "failed">();
    expectTypeOf<VideoModel>().toEqualTypeOf<
      "kling-v3-std-silent" | "kling-v3-std-audio" | "kling-v3-pro-silent" | "kling-v3-pro-audio"
    >();
    expectTypeOf<CreateVideoTaskRequest["model"]>().toEqualTypeOf<VideoModel>();
    expectTypeOf(client.download).returns.resolves.toEqualTypeOf<Response>();
  });
});
