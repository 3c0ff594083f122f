// --json, or stdout not a terminal: one JSON object per line on stdout, one per change, and
// nothing else there; a line for people on stderr when something needs saying.
import type { VideoTask } from "kling-video";
import type { RunContext } from "./context.js";
import type { Reporter } from "./reporter.js";
import { printable } from "./text.js";

export function jsonReporter({ stdout, stderr }: RunContext): Reporter {
  const emit = (event: Record<string, unknown>) => stdout.write(`${jsonLine(event)}\n`);
  return {
    created: (task, resume) => {
      // Said on stderr first: if stdout fails (a closed pipe, an answer too large to print), the id survives.
      stderr.write(`Task ${printable(task.id)} created; carry on any time with: ${printable(resume)}\n`);
      emit({ event: "created", task });
    },
    progress: (task) => emit({ event: "progress", task }),
    task: (task: VideoTask) => emit({ event: "task", task }),
    completed: (task) => emit({ event: "completed", task }),
    downloading: () => undefined,
    saved: (path, bytes) => emit({ event: "saved", path, bytes }),
    listening: (url) => emit({ event: "listening", url }),
    failed: (failure) => {
      for (const line of failure.lines) stderr.write(`kling-video: ${line}\n`);
      emit({ event: failure.event, ...(failure.event === "error" ? { error: failure.json } : failure.json) });
    },
    close: () => undefined,
  };
}

/**
 * JSON.stringify leaves DEL, the C1 controls and U+2028/9 unescaped: escaped here, so that a line
 * shown on a terminal cannot carry a control sequence, and still parses to the same value.
 */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
