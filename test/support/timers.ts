// Tracks every timer started through the global setTimeout while it is installed: each one must
// have fired or been cleared by the end of a call that "leaves nothing behind".
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
    pending.add(handle);
    return handle;
  }) as typeof setTimeout);
  vi.spyOn(globalThis, "clearTimeout").mockImplementation(((handle: Parameters<typeof clearTimeout>[0]) => {
    pending.delete(handle);
    realClear(handle);
  }) as typeof clearTimeout);
  return pending;
}
