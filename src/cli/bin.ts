#!/usr/bin/env node
// The `kling-video` executable: only process wiring. Everything the command does is run.ts,
// given this process's arguments, environment, streams and an interruption signal.
// - The first Ctrl-C (or a SIGTERM) asks the command to stop: it stops waiting or downloading,
//   removes any partial file and says how to carry on (exit 130). A second one exits at once,
//   removing partial files on the way out.
// - stdout closed by its reader (`kling-video ... | head`) is the reader's choice, not an error.
// - fetch parses HTTP with a WebAssembly module that V8 would also optimise in the background, for
//   about 30 MB and a tenth of a second of CPU that a command of a few requests and one streamed
//   body never earns back: its baseline compiler alone is enough (set before fetch is first used).
import { rmSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { run } from "./run.js";

setFlagsFromString("--liftoff-only");

async function main(): Promise<void> {
  const interrupt = new AbortController();
  const partialFiles = new Set<string>();
  const exitNow = (code: number) => {
    for (const file of partialFiles) rmSync(file, { force: true });
    process.exit(code);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupt.signal.aborted) exitNow(130);
    interrupt.abort(new Error(`interrupted (${signal})`));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    exitNow(process.exitCode === undefined ? 0 : Number(process.exitCode));
  });
  process.exitCode = await run(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    // Only touched for --body -: an untouched stdin never holds the process open.
    stdin: { [Symbol.asyncIterator]: () => process.stdin[Symbol.asyncIterator]() },
    env: process.env,
    signal: interrupt.signal,
    partialFiles,
  });
}

await main();
