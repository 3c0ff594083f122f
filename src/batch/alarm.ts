// A pause the engine can cut short: its loops sleep until a timer fires or until what they wait
// for changes (a job ends, a create returns), whichever comes first, with one timer at most.
import { after } from "../timers.js";

export class Alarm {
  #ring: (() => void) | undefined;

  /** Resolves after `ms` (Infinity: only when rung), or at the next ring(). One nap at a time. */
  nap(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const cancel = Number.isFinite(ms) ? after(ms, () => this.ring()) : undefined;
      this.#ring = () => {
        cancel?.();
        resolve();
      };
    });
  }

  ring(): void {
    const ring = this.#ring;
    this.#ring = undefined;
    ring?.();
  }
}
