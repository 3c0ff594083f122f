// The subcommands: a one-line summary each (for the main --help) and a loader, so that only the
// command asked for is loaded, and `kling-video --help` loads none of them, nor the SDK.
import type { Command } from "./command.js";

export interface CommandEntry {
  summary: string;
  load(): Promise<Command>;
}

export const COMMANDS: Record<string, CommandEntry> = {
  create: {
    summary: "create a video task (with --wait or --out: follow it to the end)",
    load: async () => (await import("./commands/create.js")).create,
  },
  get: {
    summary: "show a task: status, progress, times, where the video is",
    load: async () => (await import("./commands/get.js")).get,
  },
  wait: {
    summary: "wait for a task to finish (with --out: then save the video)",
    load: async () => (await import("./commands/wait.js")).wait,
  },
  download: {
    summary: "save a finished task's video to a file",
    load: async () => (await import("./commands/download.js")).download,
  },
  batch: {
    summary: "make a video for every line of a jobs file, resumably (a journal records each step)",
    load: async () => (await import("./commands/batch.js")).batch,
  },
  mock: {
    summary: "run the local mock gateway (for --mock, or --base-url http://127.0.0.1:4010)",
    load: async () => (await import("./commands/mock.js")).mock,
  },
};
