// Local images: bytes (a Blob, a File, a Uint8Array or Buffer) become the data: URI the spec
// accepts, typed by their first bytes, checked against the spec's size limit before anything
// is sent; imageFromFile reads a file for Node.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { VideoRequestValidationError } from "../../src/index.js";
import { imageFromFile } from "../../src/node.js";
import { scriptedClient } from "../support/harness.js";
import { json, task } from "../support/scripted-fetch.js";
import { resolve, spec } from "../support/spec.js";

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46]);
const WEBP = Uint8Array.from([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50]);
const body = { model: "kling-v3-std-audio", prompt: "a" } as const;
const sent = (calls: { body: string }[]) => JSON.parse(calls[0]!.body) as Record<string, string>;

describe("image bytes in create", () => {
  it.each([
    ["a PNG Uint8Array", PNG, "image/png"],
    ["a JPEG Buffer", Buffer.from(JPEG), "image/jpeg"],
    ["a PNG Blob whose type says JPEG (the bytes decide)", new Blob([PNG], { type: "image/jpeg" }), "image/png"],
    ["a File", new File([JPEG], "frame.png"), "image/jpeg"],
  ])("%s is sent as a data: URI of its type", async (_, image, type) => {
    const { client, fetchImpl } = scriptedClient([json(200, task())]);
    await client.create({ ...body, image, last_image: "https://example.com/z.png" });
    expect(sent(fetchImpl.calls).image).toBe(
      `data:${type};base64,${Buffer.from(image instanceof Blob ? new Uint8Array(await image.arrayBuffer()) : image).toString("base64")}`,
    );
    expect(sent(fetchImpl.calls).last_image).toBe("https://example.com/z.png");
  });

  it("bytes that are no known image are refused before anything is sent, naming the field", async () => {
    const { client, fetchImpl } = scriptedClient([json(200, task())]);
    const error = await client
      .create({ ...body, image: PNG, last_image: Uint8Array.from([1, 2, 3]) })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VideoRequestValidationError);
    expect((error as VideoRequestValidationError).issues).toEqual([
      {
        path: "last_image",
        rule: "format",
        message: "last_image is not a PNG, JPEG or WebP image (judged by its first bytes)",
      },
    ]);
    expect(fetchImpl.calls).toHaveLength(0);
  });

  it("a WebP is recognised, then refused by the spec (Kling takes JPEG and PNG)", async () => {
    const { client, fetchImpl } = scriptedClient([json(200, task())]);
    const error = (await client
      .create({ ...body, image: WEBP })
      .catch((caught: unknown) => caught)) as VideoRequestValidationError;
    expect(error.issues[0]).toMatchObject({
      path: "image",
      rule: "pattern",
      message: expect.stringContaining("PNG or JPEG"),
    });
    expect(fetchImpl.calls).toHaveLength(0);
  });

  it("an image over the spec's size limit is refused before anything is sent", async () => {
    const limit = resolve<{ maxLength: number }>(spec.components.schemas!.ImageUrl).maxLength;
    const bytes = new Uint8Array(Math.ceil((limit * 3) / 4) + 3);
    bytes.set(JPEG);
    const { client, fetchImpl } = scriptedClient([json(200, task())]);
    const error = (await client
      .create({ ...body, image: bytes })
      .catch((caught: unknown) => caught)) as VideoRequestValidationError;
    expect(error).toBeInstanceOf(VideoRequestValidationError);
    expect(error.issues[0]).toMatchObject({
      path: "image",
      rule: "maxLength",
      message: expect.stringContaining("at most 10 MB"),
    });
    expect(fetchImpl.calls).toHaveLength(0);
  });
});

describe("imageFromFile (kling-video/node)", () => {
  it("reads a file and types it by its bytes, not its name", async () => {
    const folder = await mkdtemp(join(tmpdir(), "kling-image-"));
    try {
      await writeFile(join(folder, "frame.jpg"), PNG);
      expect(await imageFromFile(join(folder, "frame.jpg"))).toBe(
        `data:image/png;base64,${Buffer.from(PNG).toString("base64")}`,
      );
      await writeFile(join(folder, "notes.txt"), "hello");
      await expect(imageFromFile(join(folder, "notes.txt"))).rejects.toThrow(
        /notes\.txt is not a PNG, JPEG or WebP image/,
      );
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
