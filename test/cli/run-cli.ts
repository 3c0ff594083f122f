// Runs the `kling-video` command in process, as bin.ts does but with recorded streams, a given
// environment and an interruption signal the test controls.
import { Readable } from "node:stream";
import type { VideoClient } from "kling-video";
import { vi } from "vitest";
import type { Output } from "../../src/cli/context.js";
import { run } from "../../src/cli/run.js";
import type { ScriptedFetch } from "../support/scripted-fetch.js";

/** A JSON event, read field by field in assertions. */
// biome-ignore lint/suspicious/noExplicitAny: its shape is what the assertions check
export type Json = Record<string, any>;

export interface CliOptions {
  env?: Record<string, string | undefined>;
  client?: VideoClient;
  fetch?: ScriptedFetch;
  /** Text, or a stream of the test's own. */
  stdin?: string | AsyncIterable<string>;
  /** stdout (and stderr) are a terminal of this many columns. */
  terminal?: { columns: number };
  signal?: AbortSignal;
  partialFiles?: Set<string>;
  /** A stdout of the test's own (one whose write throws, say). */
  stdout?: Output;
}

export interface Recorder extends Output {
  text: string;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout's JSON lines, parsed. */
  events: Json[];
}

export function recorder(terminal?: { columns: number }): Recorder {
  const output = {
    text: "",
    write(chunk: string) {
      output.text += chunk;
      return true;
    },
    ...(terminal ? { isTTY: true, columns: terminal.columns } : {}),
  };
  return output;
}

/** Starts the command; the streams can be read while it runs. */
export function startCli(argv: string[], options: CliOptions = {}) {
  const stdout = recorder(options.terminal);
  const stderr = recorder(options.terminal);
  const done = run(argv, {
    stdout: options.stdout ?? stdout,
    stderr,
    stdin: typeof options.stdin === "string" ? Readable.from([options.stdin]) : options.stdin,
    env: options.env ?? {},
    signal: options.signal ?? new AbortController().signal,
    client: options.client,
    fetch: options.fetch,
    partialFiles: options.partialFiles,
  }).then((code): CliRun => ({ code, stdout: stdout.text, stderr: stderr.text, events: jsonLines(stdout.text) }));
  return { done, stdout, stderr };
}

export function runCli(argv: string[], options: CliOptions = {}): Promise<CliRun> {
  return startCli(argv, options).done;
}

// Captured before any test fakes the timers: the real event loop turn that lets file and module I/O finish.
const realSetImmediate = setImmediate;

/**
 * Runs the command to its end under fake timers: one timer at a time, with a real turn of the
 * event loop in between, because the command also waits on real I/O (files, loading a command).
 */
export async function settleCli(running: Promise<CliRun>): Promise<CliRun> {
  let settled = false;
  running.then(
    () => (settled = true),
    () => (settled = true),
  );
  while (!settled) {
    await new Promise((resolve) => realSetImmediate(resolve));
    if (!settled) await vi.advanceTimersToNextTimerAsync();
  }
  return running;
}

export function jsonLines(text: string): Json[] {
  return text
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Json);
}
