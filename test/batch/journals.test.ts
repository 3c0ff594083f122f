// The journals: the JSON-lines file (durable appends, a torn last line survived, damage refused)
// and the in-memory one.
import { mkdtemp, open, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFileJournal } from "kling-video/node";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createMemoryJournal, InvalidOptionError, type JournalEvent } from "../../src/index.js";

let directory: string;
let path: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), "kling-journal-"));
  path = join(directory, "jobs.journal.jsonl");
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(directory, { recursive: true, force: true });
});

const intent = (key: string): JournalEvent => ({ type: "intent", key, at: 1 });
const created = (key: string, taskId: string): JournalEvent => ({ type: "created", key, taskId, at: 2 });
const lines = async () => (await readFile(path, "utf8")).split("\n");

describe("file journal", () => {
  it("reads nothing before the first append, then every event in order, one JSON line each", async () => {
    const journal = createFileJournal(path);
    expect(await journal.read()).toEqual([]);
    const events = Array.from({ length: 50 }, (_, index) => created(`job-${index}`, `task_${index}`));
    await Promise.all(events.map((event) => journal.append(event))); // 50 jobs at once share writes
    expect(await createFileJournal(path).read()).toEqual(events);
    expect((await lines()).map((line) => (line ? JSON.parse(line) : line))).toEqual([...events, ""]);
  });

  it("resolves an append only once its line is written and synced to disk (fdatasync)", async () => {
    const probe = await open(path, "a");
    const FileHandle = Object.getPrototypeOf(probe) as { appendFile: () => unknown; datasync: () => unknown };
    await probe.close();
    const log: string[] = [];
    const appendFile = FileHandle.appendFile;
    vi.spyOn(FileHandle, "appendFile").mockImplementation(function (this: unknown, ...args: unknown[]) {
      log.push(
        `write ${String(args[0])
          .match(/"key":"(\w+)"/g)
          ?.join(" ")}`,
      );
      return (appendFile as (...a: unknown[]) => unknown).apply(this, args);
    });
    const datasync = FileHandle.datasync;
    vi.spyOn(FileHandle, "datasync").mockImplementation(function (this: unknown) {
      log.push("sync");
      return (datasync as () => unknown).apply(this);
    });
    const journal = createFileJournal(path);
    await Promise.all(["a", "b", "c"].map((key) => journal.append(intent(key)).then(() => log.push(`durable ${key}`))));
    expect(log).toEqual([
      'write "key":"a"',
      "sync",
      "durable a",
      'write "key":"b" "key":"c"', // appended while the first write was under way: one write, one sync
      "sync",
      "durable b",
      "durable c",
    ]);
  });

  it("leaves out a last line torn by a crash, and cuts it off before the next append", async () => {
    await writeFile(
      path,
      `${JSON.stringify(intent("a"))}\n${JSON.stringify(intent("b"))}\n{"type":"created","key":"a","ta`,
    );
    const journal = createFileJournal(path);
    expect(await journal.read()).toEqual([intent("a"), intent("b")]);
    await journal.append(created("b", "task_9"));
    expect(await lines()).toEqual([
      JSON.stringify(intent("a")),
      JSON.stringify(intent("b")),
      JSON.stringify(created("b", "task_9")),
      "",
    ]);
  });

  it("keeps a whole last event that only lacks its newline (a hand edit)", async () => {
    await writeFile(path, `${JSON.stringify(intent("a"))}\n${JSON.stringify(created("a", "task_1"))}`);
    const journal = createFileJournal(path);
    expect(await journal.read()).toEqual([intent("a"), created("a", "task_1")]);
    await journal.append(intent("b"));
    expect(await journal.read()).toEqual([intent("a"), created("a", "task_1"), intent("b")]);
  });

  it("refuses a damaged line before the last, naming it, rather than guess", async () => {
    await writeFile(path, `${JSON.stringify(intent("a"))}\nnot json\n${JSON.stringify(intent("b"))}\n`);
    const error = await createFileJournal(path)
      .read()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as Error).message).toMatch(/line 2 is not a journal event/);
    await writeFile(path, `${JSON.stringify({ type: "created", key: "a", at: 1 })}\n${JSON.stringify(intent("b"))}\n`);
    expect(
      String(
        await createFileJournal(path)
          .read()
          .catch((caught: unknown) => caught),
      ),
    ).toMatch(/line 1/);
  });

  it("rejects an append it could not make durable", async () => {
    const journal = createFileJournal(join(directory, "missing", "journal.jsonl"));
    await expect(journal.append(intent("a"))).rejects.toMatchObject({ code: "ENOENT" });
  });
});

describe("memory journal", () => {
  it("keeps copies, and resumes from events passed in", async () => {
    const event = intent("a");
    const journal = createMemoryJournal();
    await journal.append(event);
    event.key = "changed";
    expect(await journal.read()).toEqual([intent("a")]);
    const resumed = createMemoryJournal(journal.events);
    await resumed.append(intent("b"));
    expect(await resumed.read()).toEqual([intent("a"), intent("b")]);
    expect(journal.events).toHaveLength(1);
  });
});
