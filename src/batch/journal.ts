// The batch journal: an append-only record of what happened to each job, from which a rerun
// resumes. Its one promise is durability: `append` resolves only once the event would survive a
// crash, so the engine never acts on an event it could forget (a task is never polled, saved or
// reported before its id is recorded).

/** One thing that happened to one job (`key`), at `at` (epoch ms). */
export type JournalEvent =
  /** The create is about to be sent: from here until `created`, a task may exist without its id. */
  | { type: "intent"; key: string; at: number }
  | { type: "created"; key: string; taskId: string; at: number }
  /** The create provably made nothing (invalid body, 4xx, a 429): a rerun creates it. */
  | { type: "not-created"; key: string; error: string; at: number }
  | { type: "completed"; key: string; taskId: string; at: number }
  /** The task ended with status `failed`; `error` is the gateway's reason. */
  | { type: "failed"; key: string; taskId: string; error: string; at: number }
  /** The `save` hook stored the video. */
  | { type: "saved"; key: string; taskId: string; path: string; size: number; sha256: string; at: number };

export type JournalEventType = JournalEvent["type"];

/**
 * Where a batch records its events. Implement it over any durable store (a file, IndexedDB, a
 * database row per event); `createMemoryJournal` and, for Node, `createFileJournal` ship.
 */
export interface Journal {
  /** Records one event; resolves only once it is durable. A rejection stops the batch. */
  append(event: JournalEvent): Promise<void>;
  /** Every event recorded so far, in order; a last record torn by a crash mid-append is left out. */
  read(): Promise<JournalEvent[]>;
}

export interface MemoryJournal extends Journal {
  /** The events so far (copies), e.g. to store them elsewhere and pass them back in later. */
  readonly events: readonly JournalEvent[];
}

/**
 * A journal held in memory: a rerun in the same process resumes from it, a crash forgets it. Pass
 * earlier `events` to resume from a copy kept elsewhere.
 */
export function createMemoryJournal(events: readonly JournalEvent[] = []): MemoryJournal {
  const recorded = events.map((event) => ({ ...event }));
  return {
    events: recorded,
    append: async (event) => void recorded.push({ ...event }),
    read: async () => recorded.map((event) => ({ ...event })),
  };
}
