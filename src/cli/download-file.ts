// Streams the video to a temporary file beside the target and renames it on success, so a
// failed or interrupted download never leaves a truncated file under the requested name.
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { VideoClient, VideoTask } from "kling-video";

export async function downloadToFile(
  client: VideoClient,
  task: VideoTask,
  path: string,
  signal: AbortSignal,
): Promise<number> {
  const response = await client.download(task, { signal });
  const partial = join(dirname(path), `.${basename(path)}.${process.pid}.part`);
  let bytes = 0;
  try {
    const body = Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>);
    body.on("data", (chunk: Buffer) => (bytes += chunk.length));
    await pipeline(body, createWriteStream(partial), { signal });
    await rename(partial, path);
    return bytes;
  } catch (error) {
    await rm(partial, { force: true });
    if (signal.aborted) throw error;
    throw new DownloadError(
      `the download of task ${task.id} broke off after ${bytes} bytes (${(error as Error).message}); nothing was saved. Try again with: kling-video download ${task.id} --out ${path}`,
      { cause: error },
    );
  }
}

export class DownloadError extends Error {
  override name = "DownloadError";
}
