// Images given as bytes (a Blob or File in browsers, a Uint8Array or Buffer anywhere) become the
// base64 data: URI the spec accepts. The type is read from the bytes, never from a file name;
// which types and sizes are allowed is the spec's rule (ImageUrl), checked with the rest.
import { VideoRequestValidationError } from "./errors.js";
import { isImageBytes } from "./image-bytes.js";
import type { CreateVideoTaskInput, CreateVideoTaskRequest, ImageInput } from "./types.js";

const SIGNATURES: [type: string, offset: number, bytes: number[]][] = [
  ["image/png", 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ["image/jpeg", 0, [0xff, 0xd8, 0xff]],
  ["image/webp", 8, [0x57, 0x45, 0x42, 0x50]], // "WEBP" after "RIFF" and the size
];

/** The image's MIME type from its first bytes: PNG, JPEG or WebP; undefined for anything else. */
export function imageType(bytes: Uint8Array): string | undefined {
  return SIGNATURES.find(([, offset, signature]) =>
    signature.every((byte, index) => bytes[offset + index] === byte),
  )?.[0];
}

/** The image as a `data:<type>;base64,...` URI. `field` names it in the error for bytes that are no known image. */
export async function imageToDataUri(image: Blob | Uint8Array, field: string): Promise<string> {
  const bytes = image instanceof Uint8Array ? image : new Uint8Array(await image.arrayBuffer());
  const type = imageType(bytes);
  if (!type) {
    throw new VideoRequestValidationError([
      { path: field, rule: "format", message: `${field} is not a PNG, JPEG or WebP image (judged by its first bytes)` },
    ]);
  }
  return `data:${type};base64,${base64(bytes)}`;
}

function base64(bytes: Uint8Array): string {
  const NodeBuffer = (globalThis as { Buffer?: { from(bytes: Uint8Array): { toString(encoding: "base64"): string } } })
    .Buffer;
  if (NodeBuffer) return NodeBuffer.from(bytes).toString("base64");
  let binary = "";
  for (let at = 0; at < bytes.length; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return btoa(binary);
}

/** The request as the spec has it: image bytes turned into data: URIs. */
export async function withImagesAsText(input: CreateVideoTaskInput): Promise<CreateVideoTaskRequest> {
  const convert = async (field: "image" | "last_image", value: ImageInput | undefined) =>
    isImageBytes(value) ? imageToDataUri(value, field) : value;
  const [image, lastImage] = await Promise.all([
    convert("image", input.image),
    convert("last_image", input.last_image),
  ]);
  return { ...input, image, last_image: lastImage } as CreateVideoTaskRequest;
}
