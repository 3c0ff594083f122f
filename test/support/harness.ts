// The helpers every SDK suite shares: one client factory over a scripted fetch, `settle` for
// calls under fake timers, `expectNoKey` for every rendering of an error, and a trap for
// promise rejections nobody handled.
import { setImmediate as nextMacrotask } from "node:timers/promises";
import { inspect } from "node:util";
import { afterEach, beforeEach, expect, vi } from "vitest";
import { createVideoClient, type VideoClientOptions } from "../../src/index.js";
import { API_KEY, type ScriptedFetch, type Step, scriptedFetch } from "./scripted-fetch.js";

export const MOCK_BASE_URL = "http://127.0.0.1:4010";

/** A client whose fetch answers from `steps` (see scripted-fetch.ts), and that fetch, to read what was sent. */
export function scriptedClient(steps: Step[], options: Partial<VideoClientOptions> = {}) {
  const fetchImpl: ScriptedFetch = scriptedFetch(...steps);
  const client = createVideoClient({ baseUrl: MOCK_BASE_URL, apiKey: API_KEY, fetch: fetchImpl, ...options });
  return { client, fetchImpl };
}

/** Runs a call to its end under fake timers; resolves with its value or its error. */
export async function settle<T>(call: Promise<T>): Promise<T | unknown> {
  const outcome = call.then(
    (value) => value,
    (error: unknown) => error,
  );
  await vi.runAllTimersAsync();
  return outcome;
}

/** Time between consecutive requests a scripted fetch received (exact under fake timers). */
export const gaps = (calls: { at: number }[]) => calls.slice(1).map((call, index) => call.at - calls[index]!.at);

/** Every way an error or value is shown (String, stack, JSON, util.inspect with hidden fields) is free of the key. */
export function expectNoKey(value: unknown, key: string = API_KEY): void {
  const renderings = [
    String(value),
    (value as Error)?.stack ?? "",
    safeJson(value),
    inspect(value, { depth: 10, showHidden: true }),
  ];
  for (const rendering of renderings) expect(rendering).not.toContain(key);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return "";
  }
}

/**
 * Registers hooks that give each test fake timers (from `now`, when given) and no jitter
 * (Math.random() is 0, so retry and poll delays are exact), and restore both after it.
 */
export function useFakeClock(now?: string): void {
  beforeEach(() => {
    vi.useFakeTimers(now === undefined ? {} : { now: Date.parse(now) });
    vi.spyOn(Math, "random").mockReturnValue(0);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });
}

/** Registers before/after hooks that fail the test when a promise rejection went unhandled. */
export function trapUnhandledRejections(): void {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on("unhandledRejection", onUnhandled);
  });
  afterEach(async () => {
    // Rejections are reported after a macrotask: let them arrive before looking (node:timers'
    // own setImmediate, which fake timers leave alone).
    await nextMacrotask();
    process.off("unhandledRejection", onUnhandled);
    expect(unhandled, "unhandled promise rejections").toEqual([]);
  });
}

/** Resolves once `condition` holds (checked every 10 ms), or fails after `timeoutMs`. */
export async function eventually(condition: () => boolean, timeoutMs = 2_000, what = "the condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
