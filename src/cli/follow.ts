// Following a task to its end, and saving its video: what `create --wait/--out`, `wait` and
// `download` share. The defaults are the SDK's (DEFAULTS), never restated.
import { DEFAULTS, type VideoTask } from "kling-video";
import type { OptionSpecs, OptionValues } from "./args.js";
import type { CommandInput } from "./command.js";
import { optionWords } from "./command-line.js";
import { formatDuration, parseDuration } from "./durations.js";
import type { Gateway } from "./gateway.js";
import { checkOut } from "./save-file.js";
import { GATEWAY_OPTIONS } from "./shared-options.js";
import { shellWord } from "./text.js";
import { saveVideoFile } from "./video-download.js";

export const WAIT_OPTIONS: OptionSpecs = {
  "poll-interval": {
    type: "string",
    value: "<duration>",
    help: `time between polls, as 500ms, 90s, 2m or 1h (default ${formatDuration(DEFAULTS.pollIntervalMs)})`,
  },
  timeout: {
    type: "string",
    value: "<duration>",
    help: `stop waiting after this long, as 90s, 20m or 1h (default ${formatDuration(DEFAULTS.waitTimeoutMs)})`,
  },
};

export interface WaitSettings {
  pollIntervalMs: number;
  timeoutMs: number;
}

/** The wait flags, checked (before anything is sent). */
export function waitSettings(values: OptionValues): WaitSettings {
  const duration = (flag: string, fallback: number) =>
    values[flag] === undefined ? fallback : parseDuration(flag, values[flag] as string);
  return {
    pollIntervalMs: duration("poll-interval", DEFAULTS.pollIntervalMs),
    timeoutMs: duration("timeout", DEFAULTS.waitTimeoutMs),
  };
}

export interface OutFile {
  /** As the user wrote it, for messages and resume commands. */
  path: string;
  /** Resolved, checked. */
  target: string;
  force: boolean;
}

/** --out and --force, checked (before anything is sent); undefined without --out. */
export async function outFile(values: OptionValues): Promise<OutFile | undefined> {
  const path = values.out as string | undefined;
  if (path === undefined) return undefined;
  const force = values.force === true;
  return { path, target: await checkOut(path, force), force };
}

/**
 * The command that carries on with a task, `kling-video wait <id> --out <path>`, with the gateway
 * and wait options as they were given (the key as its placeholder).
 */
export function resumeCommand(
  verb: "wait" | "download",
  taskId: string,
  out: OutFile | undefined,
  values: OptionValues,
): string {
  const saving = out ? ["--out", shellWord(out.path), ...(out.force ? ["--force"] : [])] : [];
  const carried = optionWords(values, verb === "wait" ? { ...WAIT_OPTIONS, ...GATEWAY_OPTIONS } : GATEWAY_OPTIONS);
  return ["kling-video", verb, shellWord(taskId), ...saving, ...carried].join(" ");
}

/** Waits for the task to complete (reporting each change), then saves the video when --out was given. */
export async function follow(
  input: CommandInput,
  gateway: Gateway,
  taskId: string,
  settings: WaitSettings,
  out: OutFile | undefined,
): Promise<void> {
  const { ctx, session, reporter } = input;
  Object.assign(session, {
    stage: "waiting",
    taskId,
    resume: resumeCommand("wait", taskId, out, input.values),
    waitTimeoutMs: settings.timeoutMs,
  });
  const task = await gateway.client.wait(taskId, {
    ...settings,
    signal: ctx.signal,
    onProgress: (seen) => reporter.progress(seen),
  });
  reporter.completed(task, session.baseUrl, out !== undefined);
  if (out) await saveVideo(input, gateway, task, out);
}

/** Downloads the video (a task, or an id, which is retrieved first) to the --out file. */
export async function saveVideo(
  { ctx, session, reporter }: CommandInput,
  gateway: Gateway,
  task: VideoTask | string,
  out: OutFile,
): Promise<void> {
  session.stage = "downloading";
  const { bytes } = await saveVideoFile(gateway, task, out.target, {
    force: out.force,
    signal: ctx.signal,
    partialFiles: ctx.partialFiles,
    onBytes: (count, total) => reporter.downloading(count, total),
  });
  reporter.saved(out.path, bytes);
}
