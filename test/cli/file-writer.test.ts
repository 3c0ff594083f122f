// The download's file writer: every byte in order through short writes, the reader held back
// while the backlog is full, and a failed write reported (and nothing closed under a write).
import { closeSync, openSync, readFileSync, writev } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { fileWriter } from "../../src/cli/file-writer.js";

/** fs.writev as a file system may behave: at most `most` bytes a call, or failing with `fail`. */
function fileSystem(options: { most?: number; fail?: Error }): typeof writev {
  return ((fd: number, buffers: Uint8Array[], callback: (error: Error | null, written: number) => void) => {
    if (options.fail) return setImmediate(() => callback(options.fail!, 0));
    const some: Uint8Array[] = [];
    let room = options.most ?? Number.POSITIVE_INFINITY;
    for (const buffer of buffers) {
      if (room <= 0) break;
      some.push(buffer.subarray(0, room));
      room -= Math.min(room, buffer.byteLength);
    }
    writev(fd, some, (error, written) => callback(error, written));
  }) as typeof writev;
}

let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), "kling-writer-"));
});
afterEach(() => rm(work, { recursive: true, force: true }));

it("writes every byte in order, through short writes", async () => {
  const path = join(work, "video.mp4");
  const fd = openSync(path, "w");
  const writer = fileWriter(fd, fileSystem({ most: 7_000 }));
  const chunks = Array.from({ length: 50 }, (_, index) => new Uint8Array(3_000 + index).fill(index));
  for (const chunk of chunks) await writer.write(chunk);
  await writer.drain();
  closeSync(fd);
  expect(readFileSync(path)).toEqual(Buffer.concat(chunks));
});

it("asks the reader to wait once a mebibyte waits for the disk", async () => {
  const fd = openSync(join(work, "video.mp4"), "w");
  const writer = fileWriter(fd);
  expect(writer.write(new Uint8Array(600_000))).toBeUndefined(); // written at once
  expect(writer.write(new Uint8Array(600_000))).toBeUndefined(); // waits for that write
  const full = writer.write(new Uint8Array(600_000));
  expect(full).toBeInstanceOf(Promise);
  await full;
  await writer.drain();
  closeSync(fd);
});

it("a failed write rejects the next write and drain; settle waits for the write under way", async () => {
  const fd = openSync(join(work, "video.mp4"), "w");
  const fail = Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
  const writer = fileWriter(fd, fileSystem({ fail }));
  expect(writer.write(new Uint8Array(10))).toBeUndefined();
  await writer.settle();
  await expect(writer.write(new Uint8Array(10))).rejects.toThrow("ENOSPC");
  await expect(writer.drain()).rejects.toThrow("ENOSPC");
  closeSync(fd);
});
