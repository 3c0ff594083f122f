// The request body, from --body (a JSON file, or - for stdin) with the field flags on top. The
// flags are the spec's field table (generated/request-fields.js): each row says where its value
// goes and how its text becomes a value. The spec's rules are checked by the SDK's validator.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { CreateVideoTaskRequest } from "kling-video";
import { imageFromFile } from "kling-video/node";
import { REQUEST_FIELDS, type RequestField } from "../../generated/request-fields.js";
import type { OptionValues } from "./args.js";
import type { RunContext } from "./context.js";
import { UsageError } from "./exit-codes.js";

type Json = Record<string, unknown>;

export async function requestBody(values: OptionValues, ctx: RunContext): Promise<CreateVideoTaskRequest> {
  const source = values.body as string | undefined;
  const body: Json = source === undefined ? {} : await readBody(source, ctx);
  for (const pair of (values.extra as string[] | undefined) ?? []) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new UsageError(`--extra expects key=value, got ${JSON.stringify(pair)}`);
    place(body, ["extra_body", pair.slice(0, at)], jsonOrText(pair.slice(at + 1)));
  }
  for (const field of REQUEST_FIELDS) {
    const given = values[field.flag] as string | string[] | undefined;
    if (given !== undefined) place(body, field.path, await fieldValue(field, given));
    else if (field.cliDefault !== undefined && valueAt(body, field.path) === undefined)
      place(body, field.path, field.cliDefault);
  }
  return body as CreateVideoTaskRequest;
}

/** The flag's text as the field's value. Text that is not the kind expected stays text: the validator names the rule. */
async function fieldValue(field: RequestField, given: string | string[], baseDir = "."): Promise<unknown> {
  const text = Array.isArray(given) ? (given.at(-1) ?? "") : given;
  switch (field.kind) {
    case "list":
      return (Array.isArray(given) ? given : [given]).map((item) => ({ [field.itemKey ?? "value"]: item }));
    case "integer":
      return /^-?\d+$/.test(text) ? Number(text) : text;
    case "number":
      return text.trim() !== "" && Number.isFinite(Number(text)) ? Number(text) : text;
    case "image":
      return isImageUrl(text) ? text : imageFile(field, resolve(baseDir, text), text);
    default:
      return text;
  }
}

const isImageUrl = (text: string) => /^(https?|data):/i.test(text);

/** A local image as a data: URI; its type is read from its bytes, its size checked with the request. */
async function imageFile(field: RequestField, path: string, given = path): Promise<string> {
  try {
    return await imageFromFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "no such file (give a path, or an http(s) URL)"
        : code === "EISDIR"
          ? "it is a directory"
          : code === "EACCES"
            ? "permission denied"
            : ((error as { issues?: { message: string }[] }).issues?.[0]?.message.replace(path, "it") ??
              (error as Error).message);
    throw new UsageError(`cannot use --${field.flag} ${given}: ${reason}`);
  }
}

/**
 * A request body from a file (a line of a batch's jobs file), completed as the flags complete
 * one: a field may also be given under its flag's name (`"cfg-scale": 0.5`, `"shot": ["..."]`),
 * whose value is read as the flag's text is; an image given as a local path, relative to
 * `baseDir`, becomes a data: URI (each file read once, through `images`); a missing field with a
 * CLI default gets it. Returns the problems, by field (its path, dotted); none sends anything.
 */
export async function completeBody(
  body: Json,
  baseDir: string,
  images: Map<string, Promise<string>>,
): Promise<{ path: string; message: string }[]> {
  const problems: { path: string; message: string }[] = [];
  for (const field of REQUEST_FIELDS) {
    const name = field.path.join(".");
    try {
      if (field.flag !== name && Object.hasOwn(body, field.flag)) {
        const given = body[field.flag];
        delete body[field.flag];
        if (valueAt(body, field.path) !== undefined) throw new UsageError(`give ${field.flag} or ${name}, not both`);
        const text =
          typeof given === "string" || (Array.isArray(given) && given.every((item) => typeof item === "string"));
        place(body, field.path, text ? await fieldValue(field, given as string | string[], baseDir) : given);
        continue;
      }
      const value = valueAt(body, field.path);
      if (value === undefined && field.cliDefault !== undefined) place(body, field.path, field.cliDefault);
      if (field.kind === "image" && typeof value === "string" && !isImageUrl(value)) {
        const path = resolve(baseDir, value);
        if (!images.has(path)) images.set(path, imageFile(field, path, value));
        place(body, field.path, await images.get(path));
      }
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      problems.push({ path: name, message: `${name}: ${error.message.replace(`--${field.flag} `, "")}` });
    }
  }
  return problems;
}

async function readBody(source: string, ctx: RunContext): Promise<Json> {
  let text: string;
  try {
    text =
      source === "-"
        ? await readAll(ctx.stdin, ctx.signal)
        : await readFile(source, { encoding: "utf8", signal: ctx.signal });
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    throw new UsageError(`cannot read --body ${source}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--body ${source} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(parsed)) {
    const got = Array.isArray(parsed) ? "an array" : parsed === null ? "null" : typeof parsed;
    throw new UsageError(`--body ${source} must hold a JSON object, got ${got}`);
  }
  return parsed;
}

/** All of stdin, or a rejection as soon as the signal fires (Ctrl-C while typing a body). */
async function readAll(stdin: AsyncIterable<string | Uint8Array> | undefined, signal: AbortSignal): Promise<string> {
  if (!stdin) throw new Error("no standard input");
  const decoder = new TextDecoder();
  let text = "";
  const iterator = stdin[Symbol.asyncIterator]();
  const stop = new Promise<never>((_, reject) => {
    const abort = () => reject(signal.reason);
    if (signal.aborted) abort();
    else signal.addEventListener("abort", abort, { once: true });
  });
  stop.catch(() => undefined); // read only if the signal wins
  try {
    for (;;) {
      const { done, value } = await Promise.race([iterator.next(), stop]);
      if (done) return text + decoder.decode();
      text += typeof value === "string" ? value : decoder.decode(value, { stream: true });
    }
  } finally {
    await iterator.return?.();
  }
}

function place(body: Json, path: string[], value: unknown): void {
  let target = body;
  for (const key of path.slice(0, -1)) {
    if (!isObject(target[key])) target[key] = {};
    target = target[key] as Json;
  }
  target[path.at(-1)!] = value;
}

function valueAt(body: Json, path: string[]): unknown {
  return path.reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), body);
}

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
