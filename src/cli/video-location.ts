// Where a task's video is, in the order the spec documents (VideoTask.yaml) and the SDK's
// download follows: `video_url`, else a non-empty `metadata.url`, else the gateway's content route.
import type { VideoTask } from "kling-video";

export interface VideoLocation {
  source: "video_url" | "metadata.url" | "content route";
  /** Undefined for the content route of a client whose base URL is not known. */
  url: string | undefined;
}

export function videoLocation(task: VideoTask, baseUrl: string | undefined): VideoLocation {
  if (typeof task.video_url === "string" && task.video_url.trim()) return { source: "video_url", url: task.video_url };
  const metadataUrl = task.metadata?.url;
  if (typeof metadataUrl === "string" && metadataUrl.trim()) return { source: "metadata.url", url: metadataUrl };
  const base = baseUrl?.replace(/\/+$/, "").replace(/\/v1$/, "");
  return { source: "content route", url: base && `${base}/v1/videos/${encodeURIComponent(task.id)}/content` };
}
