// `kling-video batch` run in process against a quick gateway: videos saved whole under --out-dir
// with their sha256 in the journal, resuming, each outcome's exit code and advice, files in the
// way, the journal's lock, Ctrl-C, and what a terminal shows.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eventually, expectNoKey, MOCK_BASE_URL } from "../support/harness.js";
import { API_KEY, apiError } from "../support/scripted-fetch.js";
import { batchGateway, posts } from "./batch-gateway.js";
import { type CliOptions, type Json, runCli, startCli } from "./run-cli.js";

const GATEWAY = { KLING_VIDEO_BASE_URL: MOCK_BASE_URL, KLING_VIDEO_API_KEY: API_KEY };
const LIVE = "\r\u001b[2K";

let work: string;
let jobs: string;
let out: string;
let journal: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), "kling-batch-"));
  jobs = join(work, "jobs.jsonl");
  out = join(work, "videos");
  journal = join(work, "jobs.journal.jsonl");
});
afterEach(() => rm(work, { recursive: true, force: true }));

const writeJobs = (...lines: Record<string, unknown>[]) =>
  writeFile(jobs, `${lines.map((line) => JSON.stringify(line)).join("\n")}\n`);
const FLAGS = ["--poll-interval", "5ms", "--polls-per-second", "1000"];
const batch = (extra: string[] = [], options: CliOptions = {}) =>
  runCli(["batch", jobs, "--out-dir", out, ...FLAGS, ...extra], { env: GATEWAY, ...options });
/** A video whose connection breaks after 10 bytes. */
const cutVideo = () => {
  let pulls = 0;
  return new Response(
    new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulls++ === 0) controller.enqueue(new Uint8Array(10));
        else controller.error(new TypeError("terminated", { cause: new Error("other side closed") }));
      },
    }),
  );
};
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const journalEvents = async () =>
  (await readFile(journal, "utf8"))
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Json);

describe("a batch", () => {
  it("saves every video whole under --out-dir, journals its sha256 beside the jobs file; a rerun sends nothing", async () => {
    await writeJobs({ name: "fox", prompt: "a fox" }, { name: "owl", prompt: "an owl" }, { prompt: "a cat" });
    const fetch = batchGateway();
    const run = await batch(["--summary-json", join(work, "summary.json")], { fetch });
    expect(run.code).toBe(0);
    const files = (await readdir(out)).sort();
    expect(files).toEqual(["fox.mp4", expect.stringMatching(/^job-[0-9a-f]{16}\.mp4$/), "owl.mp4"]);
    const saved = (await journalEvents()).filter((event) => event.type === "saved");
    expect(saved).toHaveLength(3);
    for (const event of saved) {
      const bytes = await readFile(event.path);
      expect(event).toMatchObject({ size: bytes.length, sha256: sha256(bytes) });
    }
    const summary = JSON.parse(await readFile(join(work, "summary.json"), "utf8")) as Json;
    expect(summary).toMatchObject({ exitCode: 0, aborted: false, journal, counts: { saved: 3 } });
    expect(summary.jobs.map((job: Json) => [job.line, job.name, job.status, job.file])).toEqual([
      [1, "fox", "saved", join(out, "fox.mp4")],
      [2, "owl", "saved", join(out, "owl.mp4")],
      [3, undefined, "saved", join(out, files[1]!)],
    ]);
    // Off a terminal: one JSON object per event on stdout, the table and the words on stderr.
    expect(run.events.filter((event) => event.event === "saved").map((event) => event.line)).toHaveLength(3);
    expect(run.events.at(-1)).toEqual({
      event: "summary",
      exitCode: 0,
      aborted: false,
      counts: expect.objectContaining({ saved: 3 }),
      journal,
    });
    expect(run.stderr).toMatch(/^line +name +task +status +file +size +time\n1 +fox +task_1_\w+ +saved/);
    expect(run.stderr).toContain("3 jobs: 3 saved.");
    expectNoKey(run.stdout + run.stderr + (await readFile(journal, "utf8")));

    const rerun = batchGateway();
    expect((await batch([], { fetch: rerun })).code).toBe(0);
    expect(rerun.calls).toHaveLength(0);
  });

  it.each([
    [
      "a failed task: exit 4; it is not created again",
      { name: "fox", prompt: "a fox [fail]" },
      {},
      4,
      /line 1 \(fox\) failed: refused by the provider \(content_policy\)\nA failed task is not created again/,
    ],
    [
      "a refused key: exit 3, no other create",
      { name: "fox", prompt: "a fox" },
      { create: () => apiError(401)(new Request(MOCK_BASE_URL)) as Response },
      3,
      /line 2 \(owl\) not-started: the gateway refused the API key/,
    ],
    [
      "a download that breaks off: exit 1, and the rerun to carry on",
      { name: "fox", prompt: "a fox" },
      { download: (index: number) => (index === 0 ? cutVideo() : undefined) },
      1,
      /line 1 \(fox\) completed: not saved: the download broke off after 10 B .+\nRerun to carry on: kling-video batch /,
    ],
  ])("%s", async (_, first, script, code, advice) => {
    await writeJobs(first, { name: "owl", prompt: "an owl" });
    const fetch = batchGateway(script);
    const run = await batch(["--concurrency", "1"], { fetch });
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(advice);
    expect(run.events.at(-1)).toMatchObject({ event: "summary", exitCode: code, rerun: expect.any(String) });
    expect(posts(fetch).length).toBeLessThanOrEqual(2);
  });

  it("a job that may exist: exit 6 and how to settle it; not sent again until --retry-unknown, then once", async () => {
    await writeJobs({ name: "fox", prompt: "a fox" }, { name: "owl", prompt: "an owl" });
    const fetch = batchGateway({
      create: (index) => (index === 0 ? new Response("upstream broke", { status: 502 }) : undefined),
    });
    const run = await batch(["--concurrency", "1"], { fetch });
    expect(run.code).toBe(6);
    expect(run.stderr).toContain("1 job may exist: the create was sent, but its task id never arrived");
    expect(run.stderr).toContain(`append the job's line below to ${journal}`);
    expect(run.stderr).toContain('line 1 (fox): {"type":"created","key":"fox","taskId":"TASK_ID","at":0}');
    expect(run.stderr).toContain("rerun with --retry-unknown");

    const again = batchGateway();
    expect((await batch([], { fetch: again })).code).toBe(6);
    expect(posts(again)).toHaveLength(0);
    const retried = batchGateway();
    expect((await batch(["--retry-unknown"], { fetch: retried })).code).toBe(0);
    expect(posts(retried).map((post) => JSON.parse(post.body).prompt)).toEqual(["a fox"]);
  });
});

describe("files in --out-dir", () => {
  it("a file in the way of a job the journal never saw: exit 2 before anything is sent; --force replaces it", async () => {
    await writeJobs({ name: "fox", prompt: "a fox" });
    await mkdir(out);
    await writeFile(join(out, "fox.mp4"), "my own video");
    const fetch = batchGateway();
    const run = await batch([], { fetch });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `files in --out-dir are in the way of new jobs; nothing was sent (pass --force to replace them):\nline 1: ${join(out, "fox.mp4")}`,
    );
    expect(fetch.calls).toHaveLength(0);
    expect((await batch(["--force"], { fetch })).code).toBe(0);
    expect(await readFile(join(out, "fox.mp4"), "utf8")).not.toBe("my own video");
  });

  it("a video already there with the very same bytes counts as saved (a crash between the rename and its record)", async () => {
    await writeJobs({ name: "fox", prompt: "a fox" });
    const fetch = batchGateway();
    expect((await batch([], { fetch })).code).toBe(0);
    const withoutSaved = async () => {
      const kept = (await journalEvents()).filter((event) => event.type !== "saved");
      await writeFile(journal, `${kept.map((event) => JSON.stringify(event)).join("\n")}\n`);
    };
    await withoutSaved();
    const rerun = await batch([], { fetch });
    expect(rerun.code).toBe(0);
    expect(posts(fetch)).toHaveLength(1); // completed, not saved: fetched again and saved, never created again
    expect((await journalEvents()).at(-1)).toMatchObject({ type: "saved", key: "fox" });

    await withoutSaved();
    await writeFile(join(out, "fox.mp4"), "something else");
    const changed = await batch([], { fetch });
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain("appeared during the download: pass --force to replace it");
    expect(await readFile(join(out, "fox.mp4"), "utf8")).toBe("something else");
  });

  it("partial downloads a killed run left for this batch's videos are removed; other files stay", async () => {
    await writeJobs({ name: "fox", prompt: "a fox" });
    await mkdir(out);
    const leftovers = [".fox.mp4.0123456789ab.part", ".job-0123456789abcdef.mp4.0123456789ab.part"];
    const others = [".notes.txt.0123456789ab.part", "notes.txt"];
    for (const file of [...leftovers, ...others]) await writeFile(join(out, file), "x");
    expect((await batch([], { fetch: batchGateway() })).code).toBe(0);
    expect((await readdir(out)).sort()).toEqual([...others, "fox.mp4"].sort());
  });
});

describe("the journal's lock", () => {
  it("refuses a second batch on a journal in use; takes over the lock of a process that is gone", async () => {
    await writeJobs({ name: "fox", prompt: "a fox" });
    await writeFile(`${journal}.lock`, String(process.pid));
    const fetch = batchGateway();
    const refused = await batch([], { fetch });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`the journal ${journal} is in use by process ${process.pid}`);
    expect(fetch.calls).toHaveLength(0);

    const gone = spawnSync(process.execPath, ["-e", "0"]).pid!;
    await writeFile(`${journal}.lock`, String(gone));
    expect((await batch([], { fetch })).code).toBe(0);
    expect(existsSync(`${journal}.lock`)).toBe(false);
  });
});

describe("Ctrl-C", () => {
  it("stops sending, keeps the ids it has, and prints the command to resume (no --retry-unknown, no key); exit 130", async () => {
    await writeJobs({ name: "fox", prompt: "a fox" }, { name: "owl", prompt: "an owl" });
    const interrupt = new AbortController();
    const fetch = batchGateway({ durationMs: 60_000 });
    const running = startCli(
      ["batch", jobs, "--out-dir", out, ...FLAGS, "--concurrency", "1", "--retry-unknown", "--api-key", API_KEY],
      { env: { KLING_VIDEO_BASE_URL: MOCK_BASE_URL }, fetch, signal: interrupt.signal },
    );
    await eventually(() => running.stdout.text.includes('"event":"created"'));
    interrupt.abort();
    const run = await running.done;
    expect(run.code).toBe(130);
    expect(run.stderr).toContain("Stopping: no new job is sent");
    expect(run.stderr).toContain(
      `Stopped. Created tasks keep their ids in ${journal}; resume with: kling-video batch ${jobs} --out-dir ${out} --poll-interval 5ms --polls-per-second 1000 --concurrency 1 --api-key <key>\n`,
    );
    const ends = run.events.filter((event) => event.event === "end").map((event) => [event.name, event.status]);
    expect(ends).toEqual([
      ["owl", "not-started"],
      ["fox", "pending"],
    ]);
    expect((await journalEvents()).map((event) => event.type)).toEqual(["intent", "created"]);
    expect(posts(fetch)).toHaveLength(1);
    expectNoKey(run.stdout + run.stderr);
  });
});

describe("on a terminal", () => {
  it("a live line with the counts and an ETA, a line as each job ends, then the table on stdout", async () => {
    await writeJobs({ name: "fox", prompt: "a fox" }, { name: "owl", prompt: "an owl [fail]" });
    const run = await batch(["--concurrency", "1"], { fetch: batchGateway(), terminal: { columns: 120 } });
    expect(run.code).toBe(4);
    expect(run.stderr).toContain(`${LIVE}░░░░░░░░░░░░░░░░░░░░ 0/2 done  1 running  1 queued  0 failed  ETA --:--`);
    expect(run.stderr).toContain(`${LIVE}Saved line 1 (fox): `);
    expect(run.stderr).toMatch(/Not saved: line 2 \(owl\), task task_2_\w+ failed: refused by the provider/);
    expect(run.stderr).toMatch(/░{10} 1\/2 done {2}1 running {2}0 queued {2}0 failed {2}ETA 0:00/);
    expect(run.stdout).toMatch(
      /^line +name +task +status +file +size +time\n1 +fox .+ saved +.*fox\.mp4 .+\n2 +owl .+ failed/,
    );
    expect(run.stdout).not.toContain('{"event"');
  });
});

describe("sizes", () => {
  it("the table gives each file's size as saved", async () => {
    await writeJobs({ name: "fox", prompt: "a fox" });
    const run = await batch([], { fetch: batchGateway() });
    const { size } = await stat(join(out, "fox.mp4"));
    expect(run.events.find((event) => event.event === "saved")).toMatchObject({ size });
  });
});
