// Where a finished video is, in the order VideoTask.yaml documents: `video_url` (resolved
// against the gateway when relative), a non-empty `metadata.url`, then the gateway's own
// content route. Only a URL on the gateway's origin gets the API key.
import { InvalidResponseError, KlingVideoError } from "./errors.js";
import { stripCredentials } from "./options.js";
import type { VideoTask } from "./types.js";

export interface VideoSource {
  url: string;
  /** On the gateway's origin: sent with the key, and never following redirects. */
  gateway: boolean;
}

/** The video's location, or the content route path (relative to the base URL) when the task names none. */
export function videoSource(task: VideoTask, base: URL): VideoSource | undefined {
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
  if (url.username || url.password)
    throw invalid(task, `its video URL holds credentials: ${stripCredentials(clip(given))}`);
  return { url: url.href, gateway: url.origin === base.origin };
}

/** Refuses early what cannot be downloaded yet. */
export function checkDownloadable(task: VideoTask): void {
  if (task.status !== "completed") {
    throw new KlingVideoError(
      `Video task ${task.id} is not completed (status ${JSON.stringify(task.status)}): wait for it first`,
      { taskId: task.id },
    );
  }
}

const clip = (text: string) => (text.length > 200 ? `${text.slice(0, 200)}…` : text);
const invalid = (task: VideoTask, problem: string) =>
  new InvalidResponseError(
    `Video task ${task.id} cannot be downloaded: ${problem}`,
    { status: 200, headers: new Headers() },
    { taskId: task.id },
  );
