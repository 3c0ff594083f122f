// Tracks every timer the SDK starts through the global setTimeout while installed: each one must
// have fired or been cleared by the end of a call that "leaves nothing behind". undici's own
// timers (its connection-timeout ticks, started lazily by the first request) are not the SDK's.
import { vi } from "vitest";

/** Starts tracking (undo with vi.restoreAllMocks()); returns the live set of pending timers. */
export function trackTimers() {
  const pending = new Set<unknown>();
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  vi.spyOn(globalThis, "setTimeout").mockImplementation(((callback: () => void, ms?: number) => {
    const handle = realSet(() => {
      pending.delete(handle);
      callback();
    }, ms);
    if (!new Error().stack?.includes("undici")) pending.add(handle);
    return handle;
  }) as typeof setTimeout);
  vi.spyOn(globalThis, "clearTimeout").mockImplementation(((handle: Parameters<typeof clearTimeout>[0]) => {
    pending.delete(handle);
    realClear(handle);
  }) as typeof clearTimeout);
  return pending;
}
