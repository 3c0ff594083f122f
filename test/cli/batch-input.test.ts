// What `kling-video batch` takes: the jobs file (every line checked before anything is sent, each
// problem listed by line), job names as file names, fields as create takes them, and its flags.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nameProblem } from "../../src/cli/batch/file-names.js";
import { MOCK_BASE_URL } from "../support/harness.js";
import { API_KEY } from "../support/scripted-fetch.js";
import { batchGateway, posts } from "./batch-gateway.js";
import { runCli } from "./run-cli.js";

const GATEWAY = { KLING_VIDEO_BASE_URL: MOCK_BASE_URL, KLING_VIDEO_API_KEY: API_KEY };
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), "kling-batch-input-"));
});
afterEach(() => rm(work, { recursive: true, force: true }));

const writeJobs = async (lines: string[], path = join(work, "jobs.jsonl")) => {
  await writeFile(path, `${lines.join("\n")}\n`);
  return path;
};
const batch = (jobs: string, ...extra: string[]) => [
  ...["batch", jobs, "--out-dir", join(work, "videos"), "--poll-interval", "5ms", "--polls-per-second", "1000"],
  ...extra,
];

describe("the jobs file", () => {
  it("is checked whole before anything is sent: every problem, by line; exit 2; no journal, no out-dir", async () => {
    const jobs = await writeJobs([
      '{"name":"fox","prompt":"a fox"}',
      '{"prompt":',
      "[1,2]",
      "",
      '{"name":"owl","prompt":"an owl","duration":99,"colour":"red"}',
      '{"name":"../owl","prompt":"an owl"}',
      '{"name":"Fox.MP4","prompt":"another fox"}',
      '{"name":"cat","prompt":"a cat","image":"missing.png"}',
      '{"name":"dog","model":"kling-v3-std-silent"}',
    ]);
    const fetch = batchGateway();
    const run = await runCli(batch(jobs), { env: GATEWAY, fetch });
    expect(run.code).toBe(2);
    expect(run.stderr.split("\n")).toEqual([
      `kling-video: ${jobs} has 8 problems; nothing was sent:`,
      expect.stringMatching(/^line 2: not JSON \(.+\)$/),
      "line 3: must be a JSON object (a request body), got an array",
      "line 5: duration must be at most 15",
      "line 5: colour is not a known field",
      'line 6: name "../owl" must be a plain file name: no / \\ : * ? " < > | or control characters',
      'line 7: name "Fox.MP4" names the same file as line 1: names must be unique',
      "line 8: image: cannot use missing.png: no such file (give a path, or an http(s) URL)",
      "line 9: Either prompt or extra_body.multi_prompt is required.",
      "",
    ]);
    expect(run.events).toEqual([
      {
        event: "error",
        error: expect.objectContaining({
          details: expect.arrayContaining(["line 3: must be a JSON object (a request body), got an array"]),
        }),
      },
    ]);
    expect(fetch.calls).toHaveLength(0);
    expect(existsSync(join(work, "jobs.journal.jsonl"))).toBe(false);
    expect(existsSync(join(work, "videos"))).toBe(false);
  });

  it("takes fields as create's flags do: flag names, image paths beside the jobs file, the default model", async () => {
    const dir = join(work, "in");
    await mkdir(join(dir, "frames"), { recursive: true });
    await writeFile(join(dir, "frames", "first.png"), PNG);
    const jobs = await writeJobs(
      [
        '{"name":"fox","prompt":"a fox","image":"frames/first.png","aspect-ratio":"16:9","cfg-scale":"0.5"}',
        '{"name":"owl","shot":["wide","close-up"],"duration":5}',
      ],
      join(dir, "jobs.jsonl"),
    );
    const fetch = batchGateway();
    const run = await runCli(batch(jobs), { env: GATEWAY, fetch });
    expect(run.code).toBe(0);
    const sent = posts(fetch).map((post) => JSON.parse(post.body));
    expect(sent).toEqual([
      {
        model: "kling-v3-std-silent",
        prompt: "a fox",
        image: `data:image/png;base64,${PNG.toString("base64")}`,
        aspect_ratio: "16:9",
        extra_body: { cfg_scale: 0.5 },
      },
      {
        model: "kling-v3-std-silent",
        duration: 5,
        extra_body: { multi_prompt: [{ prompt: "wide" }, { prompt: "close-up" }] },
      },
    ]);

    const both = await writeJobs(['{"prompt":"a fox","cfg-scale":0.2,"extra_body":{"cfg_scale":0.3}}']);
    const refused = await runCli(batch(both), { env: GATEWAY, fetch: batchGateway() });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("line 1: extra_body.cfg_scale: give cfg-scale or extra_body.cfg_scale, not both");
  });

  it("with no job in it is a usage error", async () => {
    const run = await runCli(batch(await writeJobs(["", "  "])), { env: GATEWAY, fetch: batchGateway() });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/holds no jobs: give one request body \(JSON\) per line/);
  });
});

describe("job names", () => {
  it.each([
    ["../fox", /plain file name/],
    ["videos/fox", /plain file name/],
    ["a\\b", /plain file name/],
    ["fox?", /plain file name/],
    ["a\u0000b", /plain file name/],
    [".hidden", /must not start with a dot/],
    ["fox.", /must not end with a dot or a space/],
    ["CON", /device name/],
    ["lpt1.mp4", /device name/],
    ["", /must not be empty/],
    [42, /must be text/],
    ["é".repeat(101), /longer than 200 bytes/],
  ])("%j is refused", (name, problem) => {
    expect(nameProblem(name)).toMatch(problem);
  });

  it.each(["fox", "Fox and owl, take 2", "狐狸.mp4", "x".repeat(200)])("%j is a file name", (name) => {
    expect(nameProblem(name)).toBeUndefined();
  });
});

describe("flags", () => {
  it.each([
    [[], "batch needs --out-dir <dir>"],
    [["--concurrency", "0"], "--concurrency must be a whole number from 1"],
    [["--concurrency", "2.5"], "--concurrency must be a whole number from 1"],
    [["--polls-per-second", "fast"], "--polls-per-second must be a number above 0"],
    [["--timeout", "soon"], "--timeout must be a duration"],
    [["--journal", "JOBS"], "--journal names the jobs file itself"],
    [["--summary-json", "/nonexistent-dir/summary.json"], "its directory does not exist"],
  ])("%j: exit 2, nothing sent", async (flags, message) => {
    const jobs = await writeJobs(['{"prompt":"a fox"}']);
    const fetch = batchGateway();
    const args = ["batch", jobs, ...(flags.length === 0 ? [] : ["--out-dir", join(work, "videos")])];
    const run = await runCli([...args, ...flags.map((flag) => (flag === "JOBS" ? jobs : flag))], {
      env: GATEWAY,
      fetch,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(fetch.calls).toHaveLength(0);
  });

  it("a journal damaged before its last line is refused, naming the line; nothing is sent", async () => {
    const jobs = await writeJobs(['{"prompt":"a fox"}']);
    await writeFile(
      join(work, "jobs.journal.jsonl"),
      '{"type":"intent","key":"x","at":1}\nnot an event\n{"type":"x"}\n',
    );
    const fetch = batchGateway();
    const run = await runCli(batch(jobs), { env: GATEWAY, fetch });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("jobs.journal.jsonl line 2 is not a journal event");
    expect(fetch.calls).toHaveLength(0);
  });
});
