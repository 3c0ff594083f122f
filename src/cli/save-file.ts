// Saving a video without harming what is already on disk. --out is checked before anything is
// created or downloaded; the bytes go to a new file beside it, created exclusively under a random
// name (a planted file or link there makes it fail, never followed), renamed over --out only once
// complete, and removed whenever the download does not complete.
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, writeSync } from "node:fs";
import { open, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { UsageError } from "./exit-codes.js";
import { type FileWriter, fileWriter } from "./file-writer.js";
import { collectShortLivedGarbage } from "./memory.js";
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

/** The file name a partial file was for (`.fox.mp4.<12 hex>.part` -> `fox.mp4`), if `entry` is one. */
export function partialTarget(entry: string): string | undefined {
  return /^\.(.+)\.[0-9a-f]{12}\.part$/.exec(entry)?.[1];
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
  /**
   * Compute the file's sha256 as it is written. Then a target that exists (without --force) and
   * holds the very same bytes counts as saved: a rerun after a crash between the rename and its record.
   */
  hash?: boolean;
}

export interface SavedFile {
  bytes: number;
  /** With `hash`. */
  sha256?: string;
}

/** Downloaded bytes between two collections of the chunks already written (see memory.ts). */
const COLLECT_EVERY_BYTES = 8 * 1024 * 1024;

/** A body that passes its chunks on as they arrive, each valid only during the call (socket-body.ts). */
export interface PushedBody {
  pipeTo(write: (chunk: Uint8Array) => void): Promise<void>;
  cancel(reason: unknown): void;
}

/** Writes the body to `target` (checked by checkOut). */
export async function saveBody(
  body: ReadableStream<Uint8Array> | PushedBody,
  target: string,
  options: SaveOptions,
): Promise<SavedFile> {
  const partial = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString("hex")}.part`); // see partialTarget
  const file = await open(partial, "wx").catch((error: unknown) => {
    // Nothing will read the body: let its connection go.
    if (body instanceof ReadableStream) body.cancel(error).catch(() => undefined);
    else body.cancel(error);
    throw error;
  });
  options.partialFiles?.add(partial);
  const hash = options.hash ? createHash("sha256") : undefined;
  let bytes = 0;
  /** Counts and hashes a chunk; returns the bytes so far. */
  const counted = (chunk: Uint8Array) => {
    bytes += chunk.byteLength;
    hash?.update(chunk);
    return bytes;
  };
  let settle: (() => Promise<void>) | undefined;
  try {
    if (body instanceof ReadableStream) {
      const writer = fileWriter(file.fd);
      settle = writer.settle; // never close a file with a write still under way
      await writeStream(body, writer, options, counted);
    } else await writePushed(body, file.fd, options, counted);
    await file.close();
    const sha256 = hash?.digest("hex");
    if (!options.force && (await stat(target).catch(() => undefined))) {
      if (sha256 === undefined || (await fileSha256(target)) !== sha256)
        throw new UsageError(`${target} appeared during the download: pass --force to replace it`);
      return { bytes, sha256 }; // the same video is already there
    }
    await rename(partial, target);
    return { bytes, ...(sha256 === undefined ? {} : { sha256 }) };
  } catch (error) {
    if (options.signal.aborted || error instanceof UsageError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new DownloadError(`the download broke off after ${formatBytes(bytes)} (${reason}): nothing was saved`, {
      cause: error,
    });
  } finally {
    await settle?.();
    await file.close().catch(() => undefined);
    await rm(partial, { force: true });
    options.partialFiles?.delete(partial);
  }
}

/** A stream's chunks are the writer's to keep: written in the thread pool while the next ones arrive. */
async function writeStream(
  body: ReadableStream<Uint8Array>,
  writer: FileWriter,
  options: SaveOptions,
  counted: (chunk: Uint8Array) => number,
): Promise<void> {
  const reader = body.getReader();
  const stop = () => void reader.cancel().catch(() => undefined);
  options.signal.addEventListener("abort", stop, { once: true });
  try {
    let uncollected = 0;
    for (;;) {
      const { done, value } = await reader.read();
      // A cancelled read ends like a finished one: the signal tells them apart.
      options.signal.throwIfAborted();
      if (done) break;
      const total = counted(value);
      const full = writer.write(value);
      if (full) await full;
      options.onBytes(total);
      uncollected += value.byteLength;
      if (uncollected >= COLLECT_EVERY_BYTES) {
        uncollected = 0;
        collectShortLivedGarbage();
      }
    }
    await writer.drain();
  } finally {
    options.signal.removeEventListener("abort", stop);
  }
}

/** A pushed chunk is only lent: it is written before the call returns (page-cache writes are quick). */
async function writePushed(
  body: PushedBody,
  fd: number,
  options: SaveOptions,
  counted: (chunk: Uint8Array) => number,
): Promise<void> {
  const stop = () => body.cancel(options.signal.reason);
  if (options.signal.aborted) stop(); // then pipeTo rejects at once
  options.signal.addEventListener("abort", stop, { once: true });
  try {
    await body.pipeTo((chunk) => {
      const total = counted(chunk);
      for (let written = 0; written < chunk.byteLength; ) written += writeSync(fd, chunk, written);
      options.onBytes(total);
    });
  } finally {
    options.signal.removeEventListener("abort", stop);
  }
}

async function fileSha256(path: string): Promise<string | undefined> {
  const hash = createHash("sha256");
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  } catch {
    return undefined;
  }
  return hash.digest("hex");
}
