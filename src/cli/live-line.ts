// A line on a terminal that shows the state of things and is redrawn in place (a progress bar
// and what follows it), written on stderr so that stdout keeps only results.
import type { Output } from "./context.js";

const BAR_CELLS = 20;
/** Redrawn every second, for the clock it shows. */
const TICK_MS = 1_000;

/** A bar of BAR_CELLS cells for a percentage already clamped to 0..100. */
export function bar(percent: number): string {
  const filled = Math.round((percent / 100) * BAR_CELLS);
  return `${"█".repeat(filled)}${"░".repeat(BAR_CELLS - filled)}`;
}

/**
 * One line on stderr, redrawn in place: only where stderr is a terminal with a width (some ptys
 * report 0 columns); elsewhere each state is written once, on a line of its own.
 */
export function liveLine(stream: Output) {
  const redraws = Boolean(stream.isTTY && (stream.columns ?? 0) > 0);
  let render: (() => string) | undefined;
  let ticker: ReturnType<typeof setInterval> | undefined;
  const draw = () => {
    if (!render) return;
    const text = render();
    const width = (stream.columns ?? 80) - 1;
    stream.write(`\r\u001b[2K${text.length > width ? text.slice(0, width) : text}`);
  };
  return {
    redraws,
    show(next: () => string) {
      if (!redraws) {
        stream.write(`${next()}\n`);
        return;
      }
      render = next;
      draw();
      if (!ticker) {
        ticker = setInterval(draw, TICK_MS);
        ticker.unref?.();
      }
    },
    clear() {
      clearInterval(ticker);
      ticker = undefined;
      if (render) stream.write("\r\u001b[2K");
      render = undefined;
    },
  };
}
