// On a terminal: the task id the moment it exists, a live line on stderr while waiting (bar,
// percent, status, elapsed time, task id) and while downloading (bytes, speed), then the result
// on stdout. Every string from the gateway is stripped of control characters before it is shown.
import { taskProgress, timestampMs, type VideoTask } from "kling-video";
import type { Output, RunContext } from "./context.js";
import { failureLines } from "./failure.js";
import { bar, liveLine } from "./live-line.js";
import type { Reporter } from "./reporter.js";
import { formatBytes, formatDate, formatElapsed, printable } from "./text.js";
import { videoLocation } from "./video-location.js";

/** The live line is redrawn at most this often while bytes arrive. */
const REDRAW_MS = 100;

export function terminalReporter({ stdout, stderr }: RunContext): Reporter {
  const live = liveLine(stderr);
  let waitStart: number | undefined;
  let download: { start: number; bytes: number; total: number | undefined; drawn: number } | undefined;
  const say = (stream: Output, text: string) => {
    live.clear();
    stream.write(`${text}\n`);
  };
  return {
    created: (task, resume) => {
      say(stderr, `Task ${printable(task.id)} created (${printable(task.model) || "model not named"}).`);
      say(stderr, `Carry on any time with: ${printable(resume)}`);
    },
    progress: (task) => {
      waitStart ??= startOf(task);
      const start = waitStart;
      live.show(() => progressLine(task, Date.now() - start));
    },
    task: (task, baseUrl) => say(stdout, describeTask(task, baseUrl)),
    completed: (task, baseUrl, saving) => {
      const elapsed = formatElapsed(Date.now() - (waitStart ?? startOf(task)));
      say(stderr, `Task ${printable(task.id)} completed in ${elapsed}.`);
      if (saving) return;
      const { source, url } = videoLocation(task, baseUrl);
      say(
        stdout,
        source === "content route"
          ? `The video is served by the gateway: kling-video download ${printable(task.id)} --out video.mp4`
          : printable(url),
      );
    },
    downloading: (bytes, total) => {
      if (!live.redraws) return; // a byte count per line would flood a log
      const now = Date.now();
      download ??= { start: now, bytes: 0, total, drawn: 0 };
      download.bytes = bytes;
      if (now - download.drawn < REDRAW_MS) return;
      download.drawn = now;
      const state = download;
      live.show(() => downloadLine(state.bytes, state.total, Date.now() - state.start));
    },
    saved: (path, bytes) => say(stdout, `Saved ${path} (${formatBytes(bytes)}).`),
    listening: (url) =>
      say(stdout, `The mock gateway is listening on ${url} (any API key works). Stop it with Ctrl-C.`),
    failed: (failure) => {
      for (const line of failureLines(failure)) say(stderr, line);
    },
    close: () => live.clear(),
  };
}

/** When the task started, by the gateway's clock if it says (seconds or milliseconds), else now. */
function startOf(task: VideoTask): number {
  const created = timestampMs(task.created_at);
  return created !== undefined && created <= Date.now() ? created : Date.now();
}

function progressLine(task: VideoTask, elapsedMs: number): string {
  const percent = taskProgress(task);
  const shown = percent === undefined ? "  ?%" : `${String(Math.round(percent)).padStart(3)}%`;
  return `${bar(percent ?? 0)} ${shown}  ${printable(task.status || "queued")}  ${formatElapsed(elapsedMs)}  ${printable(task.id)}`;
}

function downloadLine(bytes: number, total: number | undefined, elapsedMs: number): string {
  const speed = elapsedMs > 0 ? `  ${formatBytes(Math.round((bytes * 1000) / elapsedMs))}/s` : "";
  if (!total) return `downloading  ${formatBytes(bytes)}${speed}`;
  const percent = Math.min(100, (bytes / total) * 100);
  return `${bar(percent)} ${String(Math.floor(percent)).padStart(3)}%  ${formatBytes(bytes)} of ${formatBytes(total)}${speed}`;
}

/** `get` on a terminal: the task's fields that matter, one per line. */
function describeTask(task: VideoTask, baseUrl: string | undefined): string {
  const percent = taskProgress(task);
  const rows: [string, string | undefined][] = [
    ["task", task.id],
    ["status", `${task.status || "queued"}${percent === undefined ? "" : ` (${percent}%)`}`],
    ["model", task.model || undefined],
    ["created", dateOf(task.created_at)],
    [task.status === "completed" || task.status === "failed" ? "finished" : "updated", dateOf(task.completed_at)],
  ];
  if (task.status === "completed") {
    const { source, url } = videoLocation(task, baseUrl);
    rows.push([
      "video",
      source === "content route"
        ? `${url ?? "the gateway's content route"} (with your key: kling-video download ${task.id} --out video.mp4)`
        : url,
    ]);
  }
  if (task.error) rows.push(["error", `${task.error.message}${task.error.code ? ` (${task.error.code})` : ""}`]);
  return rows
    .filter((row): row is [string, string] => row[1] !== undefined)
    .map(([name, value]) => `${name.padEnd(9)} ${printable(value)}`)
    .join("\n");
}

function dateOf(value: number | null | undefined): string | undefined {
  const ms = timestampMs(value);
  return ms === undefined ? undefined : formatDate(ms);
}
