// Builds the request body from --body (a file or stdin) and the per-field flags. Values are
// passed as typed, with numbers turned into numbers; the spec's rules are checked by the SDK.
import { readFile } from "node:fs/promises";
import type { CreateVideoTaskRequest } from "kling-video";
import { UsageError } from "./exit-codes.js";

export interface BodyFlags {
  body?: string;
  model?: string;
  prompt?: string;
  image?: string;
  lastImage?: string;
  aspectRatio?: string;
  duration?: string;
  cfgScale?: string;
  shotType?: string;
  negativePrompt?: string;
  shot?: string[];
  extra?: string[];
}

/** The cheapest model: the default when neither --model nor --body names one. */
export const DEFAULT_MODEL = "kling-v3-std-silent" satisfies CreateVideoTaskRequest["model"];

export async function requestBodyFrom(flags: BodyFlags, stdin: () => Promise<string>): Promise<CreateVideoTaskRequest> {
  const body: Record<string, unknown> = flags.body ? await readBody(flags.body, stdin) : {};
  const extra: Record<string, unknown> = isObject(body.extra_body) ? { ...body.extra_body } : {};
  const set = (target: Record<string, unknown>, key: string, value: unknown) => {
    if (value !== undefined) target[key] = value;
  };
  set(body, "model", flags.model ?? (body.model === undefined ? DEFAULT_MODEL : undefined));
  set(body, "prompt", flags.prompt);
  set(body, "image", flags.image);
  set(body, "last_image", flags.lastImage);
  set(body, "aspect_ratio", flags.aspectRatio);
  set(body, "duration", flags.duration === undefined ? undefined : wholeNumberOrText(flags.duration));
  set(extra, "cfg_scale", flags.cfgScale === undefined ? undefined : numberOrText(flags.cfgScale));
  set(extra, "shot_type", flags.shotType);
  set(extra, "negative_prompt", flags.negativePrompt);
  if (flags.shot?.length) extra.multi_prompt = flags.shot.map((prompt) => ({ prompt }));
  for (const pair of flags.extra ?? []) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new UsageError(`--extra expects key=value, got ${JSON.stringify(pair)}`);
    extra[pair.slice(0, at)] = jsonOrText(pair.slice(at + 1));
  }
  if (Object.keys(extra).length > 0 || "extra_body" in body) body.extra_body = extra;
  return body as CreateVideoTaskRequest;
}

async function readBody(source: string, stdin: () => Promise<string>): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = source === "-" ? await stdin() : await readFile(source, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read --body ${source}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--body ${source} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(parsed))
    throw new UsageError(
      `--body ${source} must hold a JSON object, got ${Array.isArray(parsed) ? "an array" : typeof parsed}`,
    );
  return parsed;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const wholeNumberOrText = (text: string) => (/^\d+$/.test(text) ? Number(text) : text);
const numberOrText = (text: string) => (text.trim() !== "" && Number.isFinite(Number(text)) ? Number(text) : text);
function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
