// Saving a video without harming what is already on disk. --out is checked before anything is
// created or downloaded; the bytes go to a new file beside it, created exclusively under a random
// name (a planted file or link there makes it fail, never followed), renamed over --out only once
// complete, and removed whenever the download does not complete.
import { randomBytes } from "node:crypto";
import { open, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { UsageError } from "./exit-codes.js";
import { formatBytes } from "./text.js";

/** The target, resolved; a usage error when it is empty, a directory, in a missing directory, or taken without --force. */
export async function checkOut(path: string, force: boolean): Promise<string> {
  if (path.trim() === "") throw new UsageError("--out needs a file name");
  if (/[/\\]$/.test(path)) throw new UsageError(`--out ${path} names a directory: give a file name`);
  const target = resolve(path);
  const parent = await stat(dirname(target)).catch(() => undefined);
  if (!parent?.isDirectory()) throw new UsageError(`--out ${path}: the directory ${dirname(target)} does not exist`);
  const existing = await stat(target).catch(() => undefined);
  if (existing?.isDirectory()) throw new UsageError(`--out ${path} is a directory: give a file name`);
  if (existing && !force) throw new UsageError(`--out ${path} already exists: pass --force to replace it`);
  return target;
}

/** A download that did not complete; nothing was saved. */
export class DownloadError extends Error {
  override name = "DownloadError";
}

export interface SaveOptions {
  force: boolean;
  signal: AbortSignal;
  /** Where the partial file is listed while it exists. */
  partialFiles: Set<string> | undefined;
  /** Called with the bytes written so far, after each chunk. */
  onBytes(bytes: number): void;
}

/** Writes the body to `target` (checked by checkOut); returns the number of bytes saved. */
export async function saveBody(
  body: ReadableStream<Uint8Array>,
  target: string,
  options: SaveOptions,
): Promise<number> {
  const partial = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString("hex")}.part`);
  const file = await open(partial, "wx");
  options.partialFiles?.add(partial);
  let bytes = 0;
  try {
    await pipeline(
      Readable.fromWeb(body as NodeReadableStream<Uint8Array>),
      async function* count(chunks: AsyncIterable<Uint8Array>) {
        for await (const chunk of chunks) {
          bytes += chunk.byteLength;
          options.onBytes(bytes);
          yield chunk;
        }
      },
      file.createWriteStream(),
      { signal: options.signal },
    );
    if (!options.force && (await stat(target).catch(() => undefined))) {
      throw new UsageError(`${target} appeared during the download: pass --force to replace it`);
    }
    await rename(partial, target);
    return bytes;
  } catch (error) {
    if (options.signal.aborted || error instanceof UsageError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new DownloadError(`the download broke off after ${formatBytes(bytes)} (${reason}): nothing was saved`, {
      cause: error,
    });
  } finally {
    await file.close().catch(() => undefined);
    await rm(partial, { force: true });
    options.partialFiles?.delete(partial);
  }
}
