// Saving a task's video to a file. When the task names its video's URL and the CLI made the client
// itself, the bytes come straight off a socket (socket-body.ts: about twice as fast as fetch, and
// flat in memory); otherwise, and whenever that path declines the answer, through the SDK's
// download, which decides everything else (redirects, errors, retries, the content route).
import { DEFAULTS, type VideoClient, type VideoTask } from "kling-video";
import { videoSource } from "../download.js";
import { bearer } from "../transport.js";
import { type SavedFile, type SaveOptions, saveBody } from "./save-file.js";
import { openSocketBody } from "./socket-body.js";

/** What the socket path needs that the client keeps to itself: the key, for the gateway's origin only. */
export interface DirectAccess {
  apiKey: string;
}

export interface VideoSaveOptions extends Omit<SaveOptions, "onBytes"> {
  /** Called with the bytes written so far, and the size when the server said it. */
  onBytes(bytes: number, total: number | undefined): void;
}

/** The video of `task` (or of the task with this id, retrieved first) saved to `target` (checked by checkOut). */
export async function saveVideoFile(
  { client, direct }: { client: VideoClient; direct: DirectAccess | undefined },
  task: VideoTask | string,
  target: string,
  options: VideoSaveOptions,
): Promise<SavedFile> {
  const { signal } = options;
  const known = typeof task === "string" ? await client.retrieve(task, { signal }) : task;
  const source = direct && known.status === "completed" ? located(known, client.baseUrl) : undefined;
  const body =
    source &&
    (await openSocketBody(new URL(source.url), {
      ...(source.gateway && direct?.apiKey ? { authorization: bearer(direct.apiKey) } : {}),
      timeoutMs: DEFAULTS.timeoutMs,
      signal,
    }));
  if (body) return saveBody(body, target, withTotal(options, body.headers));
  const response = await client.download(known, { signal });
  const stream = response.body ?? new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });
  return saveBody(stream, target, withTotal(options, response.headers));
}

/** Where the video is, when the task names it; a URL the SDK refuses is left to the SDK to report. */
function located(task: VideoTask, baseUrl: string) {
  try {
    return videoSource(task, new URL(baseUrl));
  } catch {
    return undefined;
  }
}

function withTotal(options: VideoSaveOptions, headers: Headers): SaveOptions {
  const total = Number(headers.get("content-length")) || undefined;
  return { ...options, onBytes: (bytes) => options.onBytes(bytes, total) };
}
