// What a journal says about each job: its events folded, in order, into the latest known state.
// A task id, once recorded, is never forgotten: an `intent` or `not-created` after it (which the
// engine never writes, but a hand-edited journal might hold) does not erase it.
import type { JournalEvent } from "./journal.js";

export interface JobHistory {
  /** The last event that counts: "intent" alone means the create may have made a task whose id never arrived. */
  phase: "intent" | "created" | "not-created" | "completed" | "failed" | "saved";
  taskId?: string;
  error?: string;
  file?: { path: string; size: number; sha256: string };
  /** When the latest attempt began (its intent). */
  startedAt?: number;
  /** When the job last moved. */
  at: number;
}

export function replayJournal(events: readonly JournalEvent[]): Map<string, JobHistory> {
  const jobs = new Map<string, JobHistory>();
  for (const event of events) {
    const known = jobs.get(event.key);
    if ((event.type === "intent" || event.type === "not-created") && known?.taskId !== undefined) continue;
    const { at } = event;
    const startedAt = event.type === "intent" ? at : known?.startedAt;
    const next: JobHistory =
      event.type === "intent"
        ? { phase: "intent", at }
        : event.type === "not-created"
          ? { phase: "not-created", error: event.error, at }
          : event.type === "failed"
            ? { phase: "failed", taskId: event.taskId, error: event.error, at }
            : event.type === "saved"
              ? {
                  phase: "saved",
                  taskId: event.taskId,
                  file: { path: event.path, size: event.size, sha256: event.sha256 },
                  at,
                }
              : { phase: event.type, taskId: event.taskId, at };
    if (startedAt !== undefined) next.startedAt = startedAt;
    jobs.set(event.key, next);
  }
  return jobs;
}
