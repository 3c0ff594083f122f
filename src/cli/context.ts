// What one run of the command is given (the process's streams, environment and interruption
// signal, or a test's stand-ins) and what it keeps while it works. Nothing here is global:
// every run has its own.
import type { Fetch, VideoClient } from "kling-video";

/** A stream the command writes to: process.stdout/stderr, or a test's recorder. */
export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface RunContext {
  stdout: Output;
  stderr: Output;
  /** Read only for `--body -`. */
  stdin?: AsyncIterable<string | Uint8Array>;
  env: Record<string, string | undefined>;
  /** Fires on Ctrl-C or SIGTERM: the command stops, cleans up and says how to resume. */
  signal: AbortSignal;
  /** A ready client (tests); without it one is built from the flags and the environment. */
  client?: VideoClient;
  /** The fetch a client built from the flags uses (tests); default: the global fetch. */
  fetch?: Fetch;
  /** Partial downloads on disk, so that a process that must exit at once can still remove them. */
  partialFiles?: Set<string>;
}

/** What the command is doing, so that a failure or an interruption can say what became of the task. */
export interface Session {
  stage: "preparing" | "creating" | "waiting" | "downloading";
  taskId?: string;
  /** The command that carries on from here: `kling-video wait <id> --out <path>`. */
  resume?: string;
  /** The gateway's base URL, once known: connection errors name it. */
  baseUrl?: string;
  /** The wait's deadline, once known: a timeout names it. */
  waitTimeoutMs?: number;
}
