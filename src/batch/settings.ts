// generateMany's options, checked before the journal is read or anything is sent, with their
// defaults (policy.ts) filled in.
import { InvalidOptionError } from "../errors.js";
import { checkDuration } from "../options.js";
import { DEFAULTS } from "../policy.js";
import { createMemoryJournal, type Journal } from "./journal.js";
import type { BatchEvent, GenerateManyOptions, SavedVideo } from "./types.js";

export interface Settings {
  concurrency: number;
  journal: Journal;
  onEvent: ((event: BatchEvent) => void) | undefined;
  signal: AbortSignal | undefined;
  retryUnknown: boolean;
  pollIntervalMs: number;
  timeoutMs: number;
  maxPollsPerSecond: number;
  save: GenerateManyOptions["save"];
}

export function checkOptions(options: GenerateManyOptions): Settings {
  const concurrency = options.concurrency ?? DEFAULTS.batchConcurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new InvalidOptionError("concurrency", `must be a whole number from 1, got ${String(concurrency)}`);
  const maxPollsPerSecond = options.maxPollsPerSecond ?? DEFAULTS.batchPollsPerSecond;
  if (typeof maxPollsPerSecond !== "number" || !Number.isFinite(maxPollsPerSecond) || maxPollsPerSecond <= 0)
    throw new InvalidOptionError("maxPollsPerSecond", `must be a positive number, got ${String(maxPollsPerSecond)}`);
  const journal = options.journal ?? createMemoryJournal();
  if (typeof journal?.append !== "function" || typeof journal.read !== "function")
    throw new InvalidOptionError("journal", "must have append(event) and read() methods");
  for (const name of ["onEvent", "save"] as const) {
    if (options[name] !== undefined && typeof options[name] !== "function")
      throw new InvalidOptionError(name, `must be a function, got ${typeof options[name]}`);
  }
  return {
    concurrency,
    journal,
    onEvent: options.onEvent,
    signal: options.signal,
    retryUnknown: options.retryUnknown ?? false,
    pollIntervalMs: checkDuration("pollIntervalMs", options.pollIntervalMs ?? DEFAULTS.pollIntervalMs),
    timeoutMs: checkDuration("timeoutMs", options.timeoutMs ?? DEFAULTS.waitTimeoutMs),
    maxPollsPerSecond,
    save: options.save,
  };
}

/** The `save` hook's answer is journaled as is: it must be what the journal expects. */
export function checkSaved(saved: SavedVideo): void {
  const usable =
    saved !== null &&
    typeof saved === "object" &&
    typeof saved.path === "string" &&
    typeof saved.sha256 === "string" &&
    Number.isSafeInteger(saved.size) &&
    saved.size >= 0;
  if (!usable) throw new InvalidOptionError("save", "must resolve with { path: string, size: number, sha256: string }");
}
