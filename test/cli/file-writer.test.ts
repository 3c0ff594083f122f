// The download's file writer: every byte in order through short writes, the reader held back
// while the backlog is full, and a failed write reported (and nothing closed under a write).
import { closeSync, openSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it, vi } from "vitest";

const fs = vi.hoisted(() => ({ most: Number.POSITIVE_INFINITY, fail: undefined as Error | undefined }));
vi.mock("node:fs", async (original) => {
  const real = await original<typeof import("node:fs")>();
  return {
    ...real,
    // At most `fs.most` bytes a call, as a file system may do; or the error `fs.fail`.
    writev: (fd: number, buffers: Uint8Array[], callback: (error: Error | null, written: number) => void) => {
      if (fs.fail) return setImmediate(() => callback(fs.fail!, 0));
      const some: Uint8Array[] = [];
      let room = fs.most;
      for (const buffer of buffers) {
        if (room <= 0) break;
        some.push(buffer.subarray(0, room));
        room -= Math.min(room, buffer.byteLength);
      }
      real.writev(fd, some, (error, written) => callback(error, written));
    },
  };
});
const { fileWriter } = await import("../../src/cli/file-writer.js");

let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), "kling-writer-"));
  Object.assign(fs, { most: Number.POSITIVE_INFINITY, fail: undefined });
});
afterEach(() => rm(work, { recursive: true, force: true }));

it("writes every byte in order, through short writes", async () => {
  fs.most = 7_000;
  const path = join(work, "video.mp4");
  const fd = openSync(path, "w");
  const writer = fileWriter(fd);
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
  fs.fail = Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
  const fd = openSync(join(work, "video.mp4"), "w");
  const writer = fileWriter(fd);
  expect(writer.write(new Uint8Array(10))).toBeUndefined();
  await writer.settle();
  await expect(writer.write(new Uint8Array(10))).rejects.toThrow("ENOSPC");
  await expect(writer.drain()).rejects.toThrow("ENOSPC");
  closeSync(fd);
});
