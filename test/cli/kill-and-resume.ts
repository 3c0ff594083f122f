// The batch's promise, held by real processes: 200 jobs against a gateway that injects faults on
// every kind of request, the CLI (dist/cli.js) killed with SIGKILL at random moments and rerun
// with the same command, then rerun with --retry-unknown for the jobs its journal says may exist,
// until every video is saved. The gateway is a parameter (any core behind the fault injector);
// each gateway's run is a test file of its own, so that they run side by side.
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, expect } from "vitest";
import type { JournalEvent } from "../../src/index.js";
import { createFileJournal } from "../../src/node.js";
import { type Faults, type FaultyGateway, seededRandom } from "../support/faulty-gateway.js";
import { eventually } from "../support/harness.js";
import { API_KEY } from "../support/scripted-fetch.js";

const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
export const SEED = Number(process.env.BATCH_SEED ?? 20_261_126);
export const JOBS = 200;
export const KILLS = 4;

export const FAULTS: Faults = {
  create: { rateLimited: 0.04, serverError: 0.02, dropBefore: 0.015, dropAfter: 0.02, slow: 0.1 },
  // A poll that fails pauses every poll (by Retry-After, else backoff from 0.5 s): drops are kept rare.
  poll: { rateLimited: 0.03, serverError: 0.03, drop: 0.01, slow: 0.1 },
  download: { cut: 0.02, slow: 0.05 },
};

let work: string;
let gateway: FaultyGateway | undefined;
/** Registers each test's work directory (the CLI's working directory) and the gateway's teardown. */
export function useBatchWork(): { work: () => string } {
  beforeEach(async () => {
    // In memory where there is such a file system: a killed process leaves its writes in the page cache
    // all the same, and the journal's syncs, which only an OS crash needs, cost nothing there.
    work = await mkdtemp(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "kling-batch-kill-"));
  });
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
    await rm(work, { recursive: true, force: true });
  });
  return { work: () => work };
}

/** Starts the test's gateway, closed after the test. */
export async function useGateway(start: () => Promise<FaultyGateway>): Promise<FaultyGateway> {
  gateway = await start();
  return gateway;
}

interface Run {
  child: ChildProcess;
  exit: Promise<number | null>;
  stderr: () => string;
}

export function startBatch(url: string, extra: string[] = []): Run {
  const args = [
    ...["batch", "jobs.jsonl", "--out-dir", "videos", "--summary-json", "summary.json"],
    ...["--concurrency", "16", "--poll-interval", "30ms", "--polls-per-second", "1000"],
    ...["--base-url", url, "--api-key", API_KEY, ...extra],
  ];
  const child = spawn(process.execPath, [CLI, ...args], { cwd: work, env: { PATH: process.env.PATH } });
  let stderr = "";
  child.stdout!.resume();
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const exit = new Promise<number | null>((resolve) => child.on("close", resolve));
  return { child, exit, stderr: () => stderr };
}

export const journalText = () => {
  const path = join(work, "jobs.journal.jsonl");
  return existsSync(path) ? readFileSync(path, "utf8") : "";
};
const journalLines = () => journalText().split("\n").length - 1;

/** The journal, read as the next run will read it; it must always be readable, whatever the kill tore. */
export async function readJournal(): Promise<JournalEvent[]> {
  const complete = journalText().split("\n").slice(0, -1);
  for (const line of complete) expect(() => JSON.parse(line), `journal line: ${line}`).not.toThrow();
  return createFileJournal(join(work, "jobs.journal.jsonl")).read();
}

/** Keys whose last create-related event is an intent: the create was sent and its id never came. */
function mayExist(events: JournalEvent[]): string[] {
  const last = new Map<string, string>();
  for (const event of events)
    if (event.type === "intent" || event.type === "created" || event.type === "not-created")
      last.set(event.key, event.type);
  return [...last].filter(([, type]) => type === "intent").map(([key]) => key);
}

/** Starts the gateway (torn down after the test), then kills and resumes the batch until every job is saved. */
export async function killAndResume(start: () => Promise<FaultyGateway>): Promise<void> {
  const gateway = await useGateway(start);
  const random = seededRandom(SEED);
  // One job in ten has no name (its file is named from its key); prompts tell the jobs apart at the gateway.
  const prompts = Array.from({ length: JOBS }, (_, index) => `job ${index}: a red fox, take ${index}`);
  const lines = prompts.map((prompt, index) =>
    JSON.stringify(index % 10 === 9 ? { prompt } : { name: `job-${index}`, prompt, duration: 5 }),
  );
  await writeFile(join(work, "jobs.jsonl"), `${lines.join("\n")}\n`);

  let killed = 0;
  for (let attempt = 0; attempt < KILLS; attempt++) {
    const target = journalLines() + 20 + Math.floor(random() * 150); // a full run writes about 800 lines
    const run = startBatch(gateway.url);
    let exited = false;
    void run.exit.then(() => (exited = true));
    await eventually(() => exited || journalLines() >= target, 15_000, "the journal to grow");
    if (!exited) {
      run.child.kill("SIGKILL");
      killed++;
    }
    await run.exit;
    await readJournal();
  }
  expect(killed, "runs killed mid-batch").toBeGreaterThanOrEqual(KILLS - 1);

  // Rerun until every job is saved: the same command, or with --retry-unknown when the journal says some job may exist.
  const retries = new Map<string, number>();
  let code: number | null = null;
  for (let rerun = 0; rerun < 10 && code !== 0; rerun++) {
    const doubtful = mayExist(await readJournal());
    for (const key of doubtful) retries.set(key, (retries.get(key) ?? 0) + 1);
    const run = startBatch(gateway.url, doubtful.length > 0 ? ["--retry-unknown"] : []);
    code = await run.exit;
    expect([0, 1, 6], run.stderr()).toContain(code);
  }
  expect(code).toBe(0);

  const events = await readJournal();
  const summary = JSON.parse(await readFile(join(work, "summary.json"), "utf8")) as {
    jobs: { line: number; key: string; status: string; taskId: string; file: string; size: number; sha256: string }[];
  };
  expect(summary.jobs.map((job) => job.status)).toEqual(Array(JOBS).fill("saved"));
  const journaled = new Set(events.flatMap((event) => (event.type === "created" ? [event.taskId] : [])));
  for (const job of summary.jobs) {
    const prompt = prompts[job.line - 1]!;
    const made = gateway.made.filter((task) => task.prompt === prompt).map((task) => task.taskId);
    const lost = made.filter((taskId) => !journaled.has(taskId));
    const retried = retries.get(job.key) ?? 0;
    // One task per job; one more at most for each time it may have existed and was created again.
    if (retried === 0) expect(made, `job on line ${job.line}`).toHaveLength(1);
    expect(made.length, `job on line ${job.line}`).toBeLessThanOrEqual(1 + retried);
    // A task id missing from the journal is one the journal said may exist, never a silent loss.
    expect(lost.length, `job on line ${job.line}: ${lost.join(", ")}`).toBeLessThanOrEqual(retried);
    expect(made).toContain(job.taskId);
    const bytes = await readFile(job.file);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const saved = events.findLast((event) => event.type === "saved" && event.key === job.key);
    expect(saved).toMatchObject({ taskId: job.taskId, sha256, size: bytes.length });
    expect(job.sha256).toBe(sha256);
    expect(await gateway.videoSha256(job.taskId)).toBe(sha256);
  }
  // Every id the journal holds is a task the gateway made; nothing half-written is left behind.
  const madeIds = new Set(gateway.made.map((task) => task.taskId));
  for (const taskId of journaled) expect(madeIds.has(taskId)).toBe(true);
  expect((await readdir(join(work, "videos"))).filter((entry) => !entry.endsWith(".mp4"))).toEqual([]);
  expect(existsSync(join(work, "jobs.journal.jsonl.lock"))).toBe(false);
}
