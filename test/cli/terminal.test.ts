// What a person sees on a terminal, run in process with terminal-like streams: the live
// progress line, `get`'s summary, download bytes and speed, and nothing a hostile gateway sends
// (escape sequences, impossible progress values) reaching the screen as it was sent.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MOCK_BASE_URL } from "../support/harness.js";
import { API_KEY, apiError, json, type Step, scriptedFetch, task } from "../support/scripted-fetch.js";
import { type CliRun, runCli, settleCli } from "./run-cli.js";

const GATEWAY = { KLING_VIDEO_BASE_URL: MOCK_BASE_URL, KLING_VIDEO_API_KEY: API_KEY };
const TERMINAL = { columns: 120 };
const CREATED_S = 1764086400;
const LIVE = "\r\u001b[2K";
/** A task answer written by hand, for values JSON.stringify cannot make (1e999 parses as Infinity). */
const raw =
  (text: string): Step =>
  () =>
    new Response(text, { headers: { "content-type": "application/json" } });
const onTerminal = async (argv: string[], steps: Step[], options: { now?: number } = {}) => {
  vi.useFakeTimers({ now: options.now ?? (CREATED_S + 90) * 1000 });
  try {
    return await settleCli(runCli(argv, { env: GATEWAY, fetch: scriptedFetch(...steps), terminal: TERMINAL }));
  } finally {
    vi.useRealTimers();
  }
};
/** What reached the screen, without the live line's own redraw sequence. */
const screen = (run: CliRun) => (run.stdout + run.stderr).replaceAll(LIVE, "\n");
/** Any control character but the line break. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe("the live progress line", () => {
  it.each([
    ["seconds", CREATED_S],
    ["milliseconds", CREATED_S * 1000],
  ])("shows the bar, percent, status, elapsed time (created_at in %s) and task id", async (_, createdAt) => {
    const run = await onTerminal(
      ["wait", "video_123"],
      [
        json(200, task({ status: "in_progress", progress: 40, created_at: createdAt })),
        json(
          200,
          task({
            status: "completed",
            progress: 100,
            created_at: createdAt,
            video_url: "https://cdn.example.com/v.mp4",
          }),
        ),
      ],
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`${LIVE}████████░░░░░░░░░░░░  40%  in_progress  1:30  video_123`);
    expect(run.stderr).toContain("Task video_123 completed in 1:35.");
    expect(run.stdout).toBe("https://cdn.example.com/v.mp4\n");
    expect(run.stdout).not.toContain("{");
  });

  const [empty, full] = ["░".repeat(20), "█".repeat(20)];
  it.each([
    ["-5", `${empty}   0%`],
    ['"250%"', `${full} 100%`],
    ["1e999", `${empty}   ?%`],
    ["-1e999", `${empty}   ?%`],
    ['"abc"', `${empty}   ?%`],
  ])("progress %s never breaks the line: %s", async (progress, shown) => {
    const base = `"id":"video_123","object":"video","model":"m","created_at":${CREATED_S}`;
    const run = await onTerminal(
      ["wait", "video_123"],
      [
        raw(`{${base},"status":"in_progress","progress":${progress}}`),
        raw(`{${base},"status":"completed","progress":100,"video_url":"https://cdn.example.com/v.mp4"}`),
      ],
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`${LIVE}${shown}  in_progress`);
  });
});

describe("get on a terminal", () => {
  it.each([
    ["seconds", 1],
    ["milliseconds", 1000],
  ])("shows the times right whether sent in %s", async (_, unit) => {
    const finished = task({
      status: "completed",
      progress: 100,
      created_at: CREATED_S * unit,
      completed_at: (CREATED_S + 75) * unit,
      video_url: "https://cdn.example.com/v.mp4",
    });
    const run = await onTerminal(["get", "video_123"], [json(200, finished)]);
    expect(run.stdout).toBe(
      [
        "task      video_123",
        "status    completed (100%)",
        "model     kling-v3-std-silent",
        "created   2025-11-25 16:00:00 UTC",
        "finished  2025-11-25 16:01:15 UTC",
        "video     https://cdn.example.com/v.mp4",
        "",
      ].join("\n"),
    );
  });

  it.each([
    [{ video_url: "https://cdn.example.com/v.mp4" }, "video     https://cdn.example.com/v.mp4"],
    [{ metadata: { url: "https://storage.example.com/m.mp4" } }, "video     https://storage.example.com/m.mp4"],
    [
      { metadata: { url: "" } },
      `video     ${MOCK_BASE_URL}/v1/videos/video_123/content (with your key: kling-video download video_123 --out video.mp4)`,
    ],
  ])("shows where the video is: %j", async (where, line) => {
    const run = await onTerminal(
      ["get", "video_123"],
      [json(200, task({ status: "completed", progress: 100, ...where }))],
    );
    expect(run.stdout).toContain(`${line}\n`);
  });
});

describe("what the gateway sends is made printable", () => {
  const hostile = task({
    id: "video_123",
    model: "\u009b31mkling",
    status: "completed",
    progress: 100,
    video_url: "https://cdn.example.com/v.mp4\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007",
    error: { message: "done\u001b[2J\u001b[Hfake prompt $ ", code: "x\ny" },
  });

  it("on a terminal: no escape sequence or control character from the gateway reaches the screen", async () => {
    for (const argv of [
      ["get", "video_123"],
      ["wait", "video_123"],
    ]) {
      const run = await onTerminal(argv, [json(200, hostile)]);
      expect(run.code).toBe(0);
      expect(screen(run)).not.toMatch(CONTROL);
      expect(screen(run)).toContain("https://cdn.example.com/v.mp4");
    }
  });

  it("in error lines, with or without --json", async () => {
    for (const flags of [[], ["--json"]]) {
      const step = apiError(500, {}, { message: "\u001b]0;owned\u0007boom\u001b[31m" });
      const run = await onTerminal(["get", "video_123", ...flags], [step]);
      expect(run.stderr).toContain("boom");
      expect(run.stderr).not.toMatch(CONTROL);
    }
  });

  it("with --json: C1 controls are escaped, and the line still parses to what was sent", async () => {
    const run = await onTerminal(["get", "video_123", "--json"], [json(200, hostile)]);
    expect(run.stdout).not.toMatch(CONTROL);
    expect(run.events).toEqual([{ event: "task", task: hostile }]);
  });
});

describe("downloads on a terminal", () => {
  let work: string;
  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), "kling-cli-terminal-"));
  });
  afterEach(() => rm(work, { recursive: true, force: true }));

  it("show bytes, total and speed, then the size saved in human units", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: CREATED_S * 1000 });
    try {
      const chunk = new Uint8Array(256 * 1024);
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent === 4) return controller.close();
          vi.setSystemTime(Date.now() + 1000); // each chunk takes a second
          sent++;
          controller.enqueue(chunk);
        },
      });
      const videoStep: Step = () => new Response(body, { headers: { "content-length": String(4 * chunk.length) } });
      const fetch = scriptedFetch(
        json(200, task({ status: "completed", video_url: "https://cdn.example.com/v.mp4" })),
        videoStep,
      );
      const out = join(work, "v.mp4");
      const run = await runCli(["download", "video_123", "--out", out], { env: GATEWAY, fetch, terminal: TERMINAL });
      expect(run.code).toBe(0);
      expect(run.stderr).toContain(`${LIVE}██████████░░░░░░░░░░  50%  512 KB of 1.0 MB  512 KB/s`);
      expect(run.stdout).toBe(`Saved ${out} (1.0 MB).\n`);
    } finally {
      vi.useRealTimers();
    }
  });
});
