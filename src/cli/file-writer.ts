// Writing a download to a file while it is still arriving. One write is under way at a time, in
// Node's thread pool, and it takes every chunk that came in meanwhile (writev): the download reads
// on while the disk writes, with one callback per write instead of a stream's machinery per chunk
// (a 1 GB video is some 16,000 chunks; this roughly halves the time fs.WriteStream adds).
import { writev } from "node:fs";

/** The most bytes waiting for the next write (besides the one under way) before `write` asks the reader to wait. */
const BACKLOG_BYTES = 1024 * 1024;

export interface FileWriter {
  /** Queues the chunk; returns a promise to await only when the backlog is full. */
  write(chunk: Uint8Array): Promise<void> | undefined;
  /** Resolves once everything queued is on the file (or rejects with the write's error). */
  drain(): Promise<void>;
  /** Resolves once no write is under way, whatever became of it: then the file may be closed. */
  settle(): Promise<void>;
}

/** `write` is fs.writev, or a stand-in that writes less, or fails, as a file system may (tests). */
export function fileWriter(fd: number, write: typeof writev = writev): FileWriter {
  let queue: Uint8Array[] = [];
  /** Bytes in `queue`. */
  let backlog = 0;
  let writing = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const wait = () => new Promise<void>((resolve) => (wake = resolve));
  const pump = () => {
    if (writing || queue.length === 0 || failure) return;
    writing = true;
    const batch = queue;
    queue = [];
    backlog = 0;
    write(fd, batch, (error, written) => {
      writing = false;
      if (error) failure = error;
      else {
        const rest = unwritten(batch, written); // a short write: the rest goes first
        queue = [...rest, ...queue];
        for (const chunk of rest) backlog += chunk.byteLength;
        pump();
      }
      const resume = wake;
      wake = undefined;
      resume?.();
    });
  };
  return {
    write(chunk) {
      if (failure) return Promise.reject(failure);
      queue.push(chunk);
      backlog += chunk.byteLength;
      pump();
      if (backlog < BACKLOG_BYTES) return undefined;
      return (async () => {
        while (backlog >= BACKLOG_BYTES && !failure) await wait();
        if (failure) throw failure;
      })();
    },
    async drain() {
      while ((writing || queue.length > 0) && !failure) await wait();
      if (failure) throw failure;
    },
    async settle() {
      while (writing) await wait();
    },
  };
}

/** What a write of `written` bytes left of `batch`. */
function unwritten(batch: Uint8Array[], written: number): Uint8Array[] {
  let skip = written;
  const rest: Uint8Array[] = [];
  for (const chunk of batch) {
    if (skip >= chunk.byteLength) skip -= chunk.byteLength;
    else {
      rest.push(skip > 0 ? chunk.subarray(skip) : chunk);
      skip = 0;
    }
  }
  return rest;
}
