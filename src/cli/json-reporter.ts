// --json, or stdout not a terminal: one JSON object per line on stdout, one per change, and
// nothing else there; a line for people on stderr when something needs saying.
import type { VideoTask } from "kling-video";
import type { RunContext } from "./context.js";
import { failureLines } from "./failure.js";
import { jsonLine } from "./json-line.js";
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
      for (const line of failureLines(failure)) stderr.write(`${line}\n`);
      emit({ event: failure.event, ...(failure.event === "error" ? { error: failure.json } : failure.json) });
    },
    close: () => undefined,
  };
}
