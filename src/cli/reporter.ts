// What the user sees. On a terminal (stdout is one, and no --json): words, and a live progress
// line on stderr. Otherwise: one JSON object per line on stdout and nothing else there, with
// words for people on stderr. Both forms say the same things.
import type { VideoTask } from "kling-video";
import type { RunContext } from "./context.js";
import type { Failure } from "./failure.js";
import { jsonReporter } from "./json-reporter.js";
import { terminalReporter } from "./terminal-reporter.js";

export interface Reporter {
  /** The task exists: its id, and `resume` (the command that carries on), must reach the user whatever happens next. */
  created(task: VideoTask, resume: string): void;
  /** The task's status or progress changed while waiting. */
  progress(task: VideoTask): void;
  /** The task as `get` shows it; `baseUrl` locates its content route. */
  task(task: VideoTask, baseUrl: string | undefined): void;
  /** `saving`: the video is downloaded next, so where it is goes unsaid. */
  completed(task: VideoTask, baseUrl: string | undefined, saving: boolean): void;
  /** Bytes downloaded so far, and the total when the server said. */
  downloading(bytes: number, total: number | undefined): void;
  saved(path: string, bytes: number): void;
  /** The mock server is listening. */
  listening(url: string): void;
  failed(failure: Failure): void;
  /** Stops the live line and its timer. */
  close(): void;
}

export function createReporter(ctx: RunContext, json: boolean): Reporter {
  return json || !ctx.stdout.isTTY ? jsonReporter(ctx) : terminalReporter(ctx);
}
