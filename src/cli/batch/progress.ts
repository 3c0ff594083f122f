// What a batch shows while it runs. On a terminal: a live line on stderr (a bar, then how many
// jobs are done, running, queued and failed, and an ETA) with a line above it as each job ends.
// Otherwise (or with --json): one JSON object per line on stdout for every event of the batch.
import type { BatchCounts, BatchEvent, BatchJobResult } from "kling-video";
import type { Output, RunContext } from "../context.js";
import { formatDuration } from "../durations.js";
import { jsonLine } from "../json-line.js";
import { bar, liveLine } from "../live-line.js";
import { displayPath, formatBytes, formatElapsed, printable } from "../text.js";

export interface BatchProgress {
  onEvent(event: BatchEvent): void;
  /** A line for people, on stderr (above the live line). */
  say(text: string): void;
  /** An event of the command's own (the summary), as a JSON line; nothing on a terminal. */
  emit(event: Record<string, unknown>): void;
  close(): void;
}

/** `lines`: each job's line in the jobs file, by index. */
export function batchProgress(ctx: RunContext, json: boolean, lines: number[]): BatchProgress {
  return json || !ctx.stdout.isTTY ? jsonProgress(ctx, lines) : terminalProgress(ctx.stderr, lines);
}

function jsonProgress({ stdout, stderr }: RunContext, lines: number[]): BatchProgress {
  const emit = (event: Record<string, unknown>) => stdout.write(`${jsonLine(event)}\n`);
  return {
    onEvent(event) {
      const { counts } = event;
      if (event.type === "journal") {
        const { type, ...fields } = event.event;
        emit({ event: type, line: lines[event.index], ...fields, counts });
      } else if (event.type === "end") {
        const { index, ...result } = event.result;
        emit({ event: "end", line: lines[index], ...result, counts });
      } else {
        const { type, index, ...fields } = event;
        emit({ event: type, line: lines[index], ...fields, counts });
      }
    },
    say: (text) => stderr.write(`${text}\n`),
    emit,
    close: () => undefined,
  };
}

function terminalProgress(stderr: Output, lines: number[]): BatchProgress {
  const live = liveLine(stderr);
  const startedAt = Date.now();
  /** Jobs this run did something for: only their ends say how fast the batch goes. */
  const worked = new Set<number>();
  let endedHere = 0;
  let counts: BatchCounts | undefined;
  let closed = false;
  let shown = "";
  const render = () => (counts ? progressLine(counts, startedAt, endedHere) : "");
  /** Redrawn when what it says changed (and every second by the live line, for the ETA). */
  const redraw = () => {
    if (closed || !counts || !live.redraws || render() === shown) return;
    shown = render();
    live.show(render);
  };
  const say = (text: string) => {
    live.clear();
    shown = "";
    stderr.write(`${text}\n`);
    redraw();
  };
  return {
    onEvent(event) {
      counts = event.counts;
      if (event.type === "journal" || event.type === "progress") worked.add(event.index);
      if (event.type === "rate-limited") {
        say(
          `The gateway is rate limiting: new creates wait ${formatDuration(event.retryInMs)}, then run at most ${event.concurrency} at a time for a while.`,
        );
      }
      if (event.type === "end" && worked.has(event.result.index)) {
        endedHere++;
        say(endLine(event.result, lines[event.result.index]!));
      } else redraw(); // only where it redraws in place: elsewhere a line per change would flood a log
    },
    say,
    emit: () => undefined,
    close: () => {
      closed = true;
      live.clear();
    },
  };
}

function progressLine(counts: BatchCounts, startedAt: number, endedHere: number): string {
  const { total, done, running, queued, failed } = counts;
  const percent = total === 0 ? 100 : ((done + failed) / total) * 100;
  const elapsed = Date.now() - startedAt;
  const eta = endedHere > 0 ? formatElapsed((elapsed / endedHere) * (running + queued)) : "--:--";
  return `${bar(percent)} ${done}/${total} done  ${running} running  ${queued} queued  ${failed} failed  ETA ${eta}`;
}

function endLine(result: BatchJobResult, line: number): string {
  const job = `line ${line}${result.name ? ` (${printable(result.name)})` : ""}`;
  const time = result.elapsedMs === undefined ? "" : ` in ${formatElapsed(result.elapsedMs)}`;
  if (result.status === "saved")
    return `Saved ${job}: ${printable(displayPath(result.file ?? ""))} (${formatBytes(result.size ?? 0)})${time}.`;
  const task = result.taskId ? `task ${printable(result.taskId)} ` : "";
  return `Not saved: ${job}, ${task}${result.status}${result.error ? `: ${printable(result.error)}` : ""}.`;
}
