// Fetching a finished video, loaded on first use: an app that plays `video_url` itself never
// carries it. The video is taken from where VideoTask.yaml says, in its order: `video_url`
// (resolved against the gateway when relative), a non-empty `metadata.url`, then the gateway's
// own content route. Only a URL on the gateway's origin gets the API key.
import { clip } from "./error-fields.js";
import { type APIError, InvalidResponseError, KlingVideoError, VideoUrlExpiredError } from "./errors.js";
import type { VideoTask } from "./types.js";

/** What the client lends a download: the gateway's base URL, its transport and its content route. */
export interface DownloadContext {
  base: URL;
  /** Fetches `url` through the transport as a stream; `authorize` (the key) only for the gateway's origin. */
  send(url: string, authorize: boolean): Promise<Response>;
  /** GET /v1/videos/{task_id}/content, as a stream. */
  contentRoute(taskId: string): Promise<{ response: Response; error?: unknown }>;
  errorFrom(response: Response, body: unknown): APIError;
}

/** The video as a streamed Response; an expired storage URL (403/404/410) throws VideoUrlExpiredError. */
export async function downloadVideo(task: VideoTask, context: DownloadContext): Promise<Response> {
  if (task.status !== "completed") {
    throw new KlingVideoError(
      `Video task ${task.id} is not completed (status ${JSON.stringify(task.status)}): wait for it first`,
      { taskId: task.id },
    );
  }
  const source = videoSource(task, context.base);
  if (!source) {
    const { response, error } = await context.contentRoute(task.id);
    if (response.ok) return response;
    throw context.errorFrom(response, error);
  }
  const response = await context.send(source.url, source.gateway);
  if (response.ok) return response;
  if (!source.gateway && [403, 404, 410].includes(response.status)) throw new VideoUrlExpiredError(response.status);
  throw context.errorFrom(response, await response.text());
}

/**
 * The video's URL, and whether it is on the gateway's origin (then, and only then, it is fetched
 * with the key); undefined when the task names none. Throws InvalidResponseError for a URL that
 * is not http(s) or holds credentials.
 */
export function videoSource(task: VideoTask, base: URL): { url: string; gateway: boolean } | undefined {
  const given = [task.video_url, task.metadata?.url].find(
    (value): value is string => typeof value === "string" && value.trim() !== "",
  );
  if (given === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(given.trim(), `${base.href.replace(/\/*$/, "")}/`);
  } catch {
    throw invalid(task, `its video URL is not a URL: ${JSON.stringify(clip(given))}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw invalid(task, `its video URL is not http(s): ${clip(url.protocol)}`);
  if (url.username || url.password) {
    url.username = "";
    url.password = "";
    throw invalid(task, `its video URL holds credentials: ${clip(url.href)}`);
  }
  return { url: url.href, gateway: url.origin === base.origin };
}

const invalid = (task: VideoTask, problem: string) =>
  new InvalidResponseError(
    `Video task ${task.id} cannot be downloaded: ${problem}`,
    { status: 200, headers: new Headers() },
    { taskId: task.id },
  );
