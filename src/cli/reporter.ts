// What the user sees. On a terminal: the task id at once, a spinner while queued, a live status
// line (status, percent, elapsed), then the result. Otherwise (or with --json): one JSON object
// per line on stdout, nothing else there; human messages go to stderr.

import type { VideoTask } from "kling-video";
import ora, { type Ora } from "ora";

export interface Reporter {
  created(task: VideoTask): void;
  progress(task: VideoTask): void;
  task(task: VideoTask): void;
  completed(task: VideoTask): void;
  saved(path: string, bytes: number): void;
  note(message: string): void;
  failed(line: string, json: Record<string, unknown>): void;
  interrupted(message: string, taskId: string | undefined): void;
  /** Stops any live display (before exiting). */
  close(): void;
}

export function createReporter(options: {
  json: boolean;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}): Reporter {
  return options.json || !options.stdout.isTTY
    ? jsonLines(options.stdout, options.stderr)
    : terminal(options.stdout, options.stderr);
}

function jsonLines(stdout: NodeJS.WriteStream, stderr: NodeJS.WriteStream): Reporter {
  const emit = (event: Record<string, unknown>) => stdout.write(`${JSON.stringify(event)}\n`);
  return {
    created: (task) => emit({ event: "created", task }),
    progress: (task) => emit({ event: "progress", task }),
    task: (task) => emit({ event: "task", task }),
    completed: (task) => emit({ event: "completed", task }),
    saved: (path, bytes) => emit({ event: "saved", path, bytes }),
    note: (message) => stderr.write(`${message}\n`),
    failed: (line, json) => {
      emit({ event: "error", error: json });
      stderr.write(`kling-video: ${line}\n`);
    },
    interrupted: (message, taskId) => {
      emit({ event: "interrupted", taskId: taskId ?? null });
      stderr.write(`${message}\n`);
    },
    close: () => undefined,
  };
}

function terminal(stdout: NodeJS.WriteStream, stderr: NodeJS.WriteStream): Reporter {
  let spinner: Ora | undefined;
  let started = Date.now();
  const elapsed = () => {
    const seconds = Math.floor((Date.now() - started) / 1000);
    return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
  };
  const line = (task: VideoTask) => {
    const percent = task.progress ?? 0;
    const bar = "█".repeat(Math.round(percent / 5)).padEnd(20, "░");
    return task.status === "queued"
      ? `queued, waiting for a worker  ${elapsed()}`
      : `${task.status}  ${bar} ${String(percent).padStart(3)}%  ${elapsed()}`;
  };
  const stop = () => {
    spinner?.stop();
    spinner = undefined;
  };
  return {
    created: (task) => {
      started = Date.now();
      stderr.write(`Task ${task.id} created (${task.model}). Resume any time with: kling-video wait ${task.id}\n`);
    },
    progress: (task) => {
      // ora redraws forever on a terminal that reports 0 columns (some ptys): no live line there.
      spinner ??= ora({
        stream: stderr,
        discardStdin: false,
        isEnabled: Boolean(stderr.isTTY && stderr.columns > 0),
      }).start(line(task));
      spinner.text = line(task);
    },
    task: (task) => stdout.write(`${JSON.stringify(task, null, 2)}\n`),
    completed: (task) => {
      if (spinner) spinner.succeed(`completed in ${elapsed()}`);
      spinner = undefined;
      stdout.write(`${task.video_url ?? `task ${task.id} completed (no video_url)`}\n`);
    },
    saved: (path, bytes) => stdout.write(`Saved ${path} (${(bytes / 1024 / 1024).toFixed(1)} MB)\n`),
    note: (message) => {
      stop();
      stderr.write(`${message}\n`);
    },
    failed: (message) => {
      if (spinner) spinner.fail();
      spinner = undefined;
      stderr.write(`kling-video: ${message}\n`);
    },
    interrupted: (message) => {
      stop();
      stderr.write(`\n${message}\n`);
    },
    close: stop,
  };
}
