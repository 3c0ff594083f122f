// The journal as a JSON-lines file, one event a line, for Node. An append resolves once its line
// is on disk (fdatasync). Appends that arrive while a write is under way go out together in the
// next write and sync, so 50 jobs in flight do not queue for 50 syncs. A crash mid-write can only
// tear the last line: read() leaves it out, and the next append first cuts it off, so the file
// stays one event a line. An unreadable line anywhere else is damage, reported, never guessed at.
import { type FileHandle, open, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { InvalidOptionError } from "../errors.js";
import type { Journal, JournalEvent } from "./journal.js";

interface PendingLine {
  line: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** A journal in the file at `path` (created on the first append); pass the same path to resume. */
export function createFileJournal(path: string): Journal {
  let pending: PendingLine[] = [];
  let flushing = false;
  /** The tail has been checked since the file was last written with an error. */
  let repaired = false;

  async function flush(): Promise<void> {
    flushing = true;
    while (pending.length > 0) {
      const lines = pending;
      pending = [];
      try {
        // Opened per write: nothing is left open between appends, whoever owns the journal.
        const handle = await open(path, "a+");
        try {
          if (!repaired) await prepare(handle, path);
          repaired = true;
          await handle.appendFile(lines.map((entry) => entry.line).join(""));
          await handle.datasync();
        } finally {
          await handle.close();
        }
        for (const entry of lines) entry.resolve();
      } catch (error) {
        repaired = false; // a failed write may have left a torn line: cut it before the next one
        for (const entry of lines) entry.reject(error);
      }
    }
    flushing = false;
  }

  return {
    append(event) {
      return new Promise<void>((resolve, reject) => {
        pending.push({ line: `${JSON.stringify(event)}\n`, resolve, reject });
        if (!flushing) void flush();
      });
    },
    async read() {
      let text: string;
      try {
        text = await readFile(path, "utf8");
      } catch (error) {
        if ((error as { code?: unknown }).code === "ENOENT") return [];
        throw error;
      }
      const lines = text.split("\n");
      const last = lines.pop() ?? ""; // "" when the file ends with a newline; else an unfinished last line
      const events: JournalEvent[] = [];
      for (const [index, line] of lines.entries()) {
        if (line.trim() === "") continue;
        const event = parseEvent(line);
        if (!event)
          throw new InvalidOptionError(
            "journal",
            `${path} line ${index + 1} is not a journal event (only the last line can be torn by a crash): ${line.slice(0, 120)}`,
          );
        events.push(event);
      }
      const unfinished = parseEvent(last);
      if (unfinished) events.push(unfinished);
      return events;
    },
  };
}

/** Before the first write: a new file's directory entry made durable, or an existing file's torn last line cut off. */
async function prepare(handle: FileHandle, path: string): Promise<void> {
  const { size } = await handle.stat();
  if (size === 0) return syncDirectory(dirname(path));
  const tailStart = await lastLineStart(handle, size);
  if (tailStart === size) return;
  const tail = Buffer.alloc(size - tailStart);
  await handle.read(tail, 0, tail.length, tailStart);
  // A whole event that only lacks its newline (a hand edit) is kept; anything else is a torn write.
  if (parseEvent(tail.toString("utf8"))) await handle.appendFile("\n");
  else await handle.truncate(tailStart);
  await handle.datasync();
}

/** Where the last line begins: just after the last newline (0 if none; `size` if the file ends with one). */
async function lastLineStart(handle: FileHandle, size: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024);
  for (let end = size; end > 0; ) {
    const start = Math.max(0, end - chunk.length);
    const { bytesRead } = await handle.read(chunk, 0, end - start, start);
    const newline = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (newline !== -1) return start + newline + 1;
    end = start;
  }
  return 0;
}

/** A new file survives a crash only once its directory does (POSIX); elsewhere directories cannot be opened: skip. */
async function syncDirectory(directory: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(directory, "r");
    await handle.sync();
  } catch {
    // Windows cannot open a directory; its file system makes the entry durable with the file.
  } finally {
    await handle?.close();
  }
}

const TEXT_FIELDS: Record<JournalEvent["type"], string[]> = {
  intent: [],
  created: ["taskId"],
  "not-created": ["error"],
  completed: ["taskId"],
  failed: ["taskId", "error"],
  saved: ["taskId", "path", "sha256"],
};

/** The event on a line, if the line holds a whole, well-formed one. */
function parseEvent(line: string): JournalEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== "object") return undefined;
  const event = value as Record<string, unknown>;
  const fields = Object.hasOwn(TEXT_FIELDS, String(event.type))
    ? TEXT_FIELDS[event.type as JournalEvent["type"]]
    : undefined;
  const wellFormed =
    fields !== undefined &&
    typeof event.key === "string" &&
    typeof event.at === "number" &&
    fields.every((field) => typeof event[field] === "string") &&
    (event.type !== "saved" || typeof event.size === "number");
  return wellFormed ? (event as unknown as JournalEvent) : undefined;
}
