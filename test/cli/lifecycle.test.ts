// create, wait, get and download, run in process over a scripted fetch: the JSON events off a
// terminal, the exit code and words of every way a task can end, and the task id never lost.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { eventually, MOCK_BASE_URL } from "../support/harness.js";
import {
  API_KEY,
  apiError,
  hang,
  json,
  networkError,
  type Step,
  scriptedFetch,
  task,
} from "../support/scripted-fetch.js";
import { type CliOptions, runCli, settleCli, startCli } from "./run-cli.js";

const GATEWAY = { KLING_VIDEO_BASE_URL: MOCK_BASE_URL, KLING_VIDEO_API_KEY: API_KEY };
const VIDEO_URL = "https://cdn.example.com/video_123.mp4";
const completed = (overrides: Record<string, unknown> = {}) =>
  task({ status: "completed", progress: 100, video_url: VIDEO_URL, ...overrides });
const video =
  (bytes: Uint8Array<ArrayBuffer>): Step =>
  () =>
    new Response(bytes, { headers: { "content-type": "video/mp4", "content-length": String(bytes.length) } });
/** A video body that sends `first` and then nothing more (or fails, with `fail`). */
const stalledVideo =
  (first: Uint8Array, fail?: Error): Step =>
  () =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(first);
          if (fail) controller.error(fail);
        },
      }),
      { headers: { "content-type": "video/mp4" } },
    );
const cli = (argv: string[], steps: Step[], options: CliOptions = {}) => {
  const fetch = scriptedFetch(...steps);
  return { fetch, run: runCli(argv, { env: GATEWAY, fetch, ...options }) };
};
const underFakeTimers = async (argv: string[], steps: Step[], options: CliOptions = {}) => {
  vi.useFakeTimers();
  try {
    const { fetch, run } = cli(argv, steps, options);
    return { fetch, run: await settleCli(run) };
  } finally {
    vi.useRealTimers();
  }
};

let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), "kling-cli-"));
});
afterEach(() => rm(work, { recursive: true, force: true }));

describe("off a terminal: one JSON object per line on stdout", () => {
  it("create sends the flags' body and prints the created task; the id also goes to stderr", async () => {
    const { fetch, run } = cli(["create", "--prompt", "a fox", "--duration", "5"], [json(200, task())]);
    const { code, events, stderr } = await run;
    expect(code).toBe(0);
    expect(JSON.parse(fetch.calls[0]!.body)).toEqual({ model: "kling-v3-std-silent", prompt: "a fox", duration: 5 });
    expect(events).toEqual([{ event: "created", task: task() }]);
    expect(stderr).toBe("Task video_123 created; carry on any time with: kling-video wait video_123\n");
  });

  it("create --wait: created, one progress event per change, completed", async () => {
    const { run } = await underFakeTimers(
      ["create", "--prompt", "a fox", "--wait"],
      [
        json(200, task()),
        json(200, task({ status: "in_progress", progress: 30 })),
        json(200, task({ status: "in_progress", progress: 30 })),
        json(200, task({ status: "in_progress", progress: "60%" })),
        json(200, completed()),
      ],
    );
    expect(run.code).toBe(0);
    expect(run.events.map((event) => [event.event, event.task.progress])).toEqual([
      ["created", 0],
      ["progress", 30],
      ["progress", "60%"],
      ["progress", 100],
      ["completed", 100],
    ]);
  });

  it("create --out implies --wait and saves the video; the file appears only once complete", async () => {
    const bytes = new Uint8Array(3000).fill(7);
    const out = join(work, "fox.mp4");
    const { fetch, run } = cli(
      ["create", "--prompt", "a fox", "--out", out],
      [json(200, task()), json(200, completed()), video(bytes)],
    );
    const { code, events } = await run;
    expect(code).toBe(0);
    expect(events.at(-1)).toEqual({ event: "saved", path: out, bytes: 3000 });
    expect(await readFile(out)).toEqual(Buffer.from(bytes));
    expect(await readdir(work)).toEqual(["fox.mp4"]);
    expect(fetch.calls.at(-1)!.headers.get("authorization")).toBeNull(); // the storage host never gets the key
  });

  it("download <id> retrieves the task and fetches the gateway's content route when no URL is given", async () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const out = join(work, "video.mp4");
    const { fetch, run } = cli(
      ["download", "video_123", "--out", out],
      [json(200, completed({ video_url: undefined })), video(bytes)],
    );
    expect((await run).code).toBe(0);
    expect(fetch.calls.map((call) => call.url)).toEqual([
      `${MOCK_BASE_URL}/v1/videos/video_123`,
      `${MOCK_BASE_URL}/v1/videos/video_123/content`,
    ]);
    expect(fetch.calls[1]!.headers.get("authorization")).toBe(`Bearer ${API_KEY}`);
    expect(await readFile(out)).toEqual(Buffer.from(bytes));
  });

  it("wait, get and download work on an older gateway (only GET /v1/video/generations/{id})", async () => {
    const legacy = {
      code: "success",
      message: "",
      data: {
        task_id: "video_123",
        status: "SUCCESS",
        progress: "100%",
        result_url: VIDEO_URL,
        submit_time: 1764086400,
      },
    };
    const notRouted: Step = () => new Response("404 page not found", { status: 404 });
    const waited = await cli(["wait", "video_123"], [notRouted, json(200, legacy)]).run;
    expect(waited.code).toBe(0);
    expect(waited.events).toEqual([
      {
        event: "progress",
        task: expect.objectContaining({ id: "video_123", status: "completed", video_url: VIDEO_URL }),
      },
      { event: "completed", task: expect.objectContaining({ id: "video_123", status: "completed" }) },
    ]);
    const got = await cli(["get", "video_123"], [notRouted, json(200, legacy)]).run;
    expect(got.events).toEqual([
      { event: "task", task: expect.objectContaining({ progress: 100, video_url: VIDEO_URL }) },
    ]);
    const out = join(work, "old.mp4");
    const downloaded = cli(
      ["download", "video_123", "--out", out],
      [notRouted, json(200, legacy), video(new Uint8Array([5]))],
    );
    expect((await downloaded.run).code).toBe(0);
    expect(downloaded.fetch.calls.at(-1)!.url).toBe(VIDEO_URL);
    expect(await readFile(out)).toEqual(Buffer.from([5]));
  });
});

describe("how a task ends: exit code, words, and the id", () => {
  it("a failed task: exit 4, its reason, no class names", async () => {
    const failed = task({ status: "failed", error: { message: "The prompt was refused", code: "content_policy" } });
    const { code, stderr, events } = await cli(["wait", "video_123"], [json(200, failed)]).run;
    expect(code).toBe(4);
    expect(stderr).toBe("kling-video: task video_123 failed: The prompt was refused (content_policy)\n");
    expect(events.at(-1)).toMatchObject({ event: "error", error: { taskId: "video_123", taskMayExist: false } });
  });

  it("a wait past --timeout: exit 5, the task keeps running, and the command to resume", async () => {
    const { run } = await underFakeTimers(
      ["wait", "video_123", "--timeout", "5m", "--poll-interval", "1m"],
      [json(200, task({ status: "in_progress", progress: 40 }))],
    );
    expect(run.code).toBe(5);
    expect(run.stderr.split("\n")).toEqual([
      "kling-video: task video_123 did not finish within 5m (last seen in_progress, 40%); it keeps running",
      "Resume with: kling-video wait video_123 --timeout 5m --poll-interval 1m",
      "",
    ]);
  });

  it("the command to resume talks to the same gateway the same way, and never holds the key", async () => {
    const gateway = ["--base-url", `${MOCK_BASE_URL}/v1`, "--api-key", API_KEY, "--prefer", "code=200"];
    const { run } = await underFakeTimers(
      ["wait", "video_123", "--timeout", "5m", ...gateway],
      [json(200, task({ status: "in_progress", progress: 40 }))],
      { env: {} },
    );
    expect(run.code).toBe(5);
    expect(run.stderr).toContain(
      `Resume with: kling-video wait video_123 --timeout 5m --base-url ${MOCK_BASE_URL}/v1 --api-key <key> --prefer code=200\n`,
    );
    expect(run.stderr).not.toContain(API_KEY);
    const download = await cli(
      ["download", "video_123", "--out", join(work, "v.mp4"), "--mock"],
      [networkError("ECONNRESET")],
    ).run;
    expect(download.stderr).toContain(
      `Resume with: kling-video download video_123 --out ${join(work, "v.mp4")} --mock`,
    );
  });

  it.each([
    ["a 500", apiError(500)],
    ["a 200 without a task id", json(200, { object: "video" })],
    ["a connection reset", networkError("ECONNRESET")],
  ])("a create that fails after the gateway may have received it (%s): exit 6, and how to check", async (_, step) => {
    for (const json of [[], ["--json"]]) {
      const { fetch, run } = cli(["create", "--prompt", "a fox", ...json], [step]);
      const { code, stderr, events } = await run;
      expect(code).toBe(6);
      expect(fetch.calls).toHaveLength(1); // never resent
      expect(stderr).toContain(
        "A task may have been created, and billed, without its id reaching you: check the gateway's task log (or its dashboard) before creating it again.",
      );
      expect(events).toEqual([
        { event: "error", error: expect.objectContaining({ taskMayExist: true, hint: expect.any(String) }) },
      ]);
    }
  });

  it.each([
    [401, "refused the API key (401 code_401: status 401 [request req_401]): check --api-key or KLING_VIDEO_API_KEY"],
    [403, "answered 403 code_403: status 403 [request req_403]"],
  ])("HTTP %i: exit 3, status, code, message and request id, never the key", async (status, message) => {
    const { code, stderr } = await cli(["get", "video_123"], [apiError(status)]).run;
    expect(code).toBe(3);
    expect(stderr).toBe(`kling-video: the gateway at ${MOCK_BASE_URL} ${message}\n`);
  });

  it("if stdout cannot take the created event, the id still reaches stderr", async () => {
    const stdout = {
      write: () => {
        throw new RangeError("Invalid string length");
      },
    };
    const { code, stderr } = await cli(["create", "--prompt", "a fox"], [json(200, task())], { stdout }).run;
    expect(stderr).toContain("Task video_123 created; carry on any time with: kling-video wait video_123");
    expect(code).toBe(1);
  });
});

describe("Ctrl-C (the run's signal)", () => {
  it("while waiting: stops, prints the id and the command to resume (with the same --out), exit 130", async () => {
    const interrupt = new AbortController();
    const out = join(work, "fox.mp4");
    const running = startCli(["create", "--prompt", "a fox", "--out", out, "--poll-interval", "1h"], {
      env: GATEWAY,
      fetch: scriptedFetch(json(200, task()), json(200, task({ status: "in_progress", progress: 10 }))),
      signal: interrupt.signal,
    });
    await eventually(() => running.stdout.text.includes('"progress"'));
    interrupt.abort();
    const { code, stderr, events } = await running.done;
    expect(code).toBe(130);
    expect(stderr).toContain(
      `Stopped waiting. Task video_123 keeps running; resume with: kling-video wait video_123 --out ${out} --poll-interval 1h`,
    );
    expect(events.at(-1)).toEqual({
      event: "interrupted",
      taskId: "video_123",
      resume: `kling-video wait video_123 --out ${out} --poll-interval 1h`,
      taskMayExist: false,
    });
  });

  it("while creating: says a task may exist", async () => {
    const interrupt = new AbortController();
    const fetch = scriptedFetch(hang);
    const running = startCli(["create", "--prompt", "a fox"], { env: GATEWAY, fetch, signal: interrupt.signal });
    await eventually(() => fetch.calls.length === 1);
    interrupt.abort();
    const { code, stderr } = await running.done;
    expect(code).toBe(130);
    expect(stderr).toContain("Interrupted while creating the task.");
    expect(stderr).toContain("A task may have been created, and billed");
  });

  it("while a body is being read from stdin: stops reading, nothing sent", async () => {
    const interrupt = new AbortController();
    const fetch = scriptedFetch(json(200, task()));
    const endless: AsyncIterable<string> = {
      [Symbol.asyncIterator]: () => ({
        next: () => new Promise<IteratorResult<string>>(() => undefined),
        return: async () => ({ done: true, value: undefined }),
      }),
    };
    const running = startCli(["create", "--body", "-"], {
      env: GATEWAY,
      fetch,
      stdin: endless,
      signal: interrupt.signal,
    });
    interrupt.abort();
    const { code, stderr } = await running.done;
    expect(code).toBe(130);
    expect(stderr).toBe("Interrupted.\n");
    expect(fetch.calls).toHaveLength(0);
  });

  it("a stalled download: the first Ctrl-C ends it, and no file or partial file is left", async () => {
    const interrupt = new AbortController();
    const partialFiles = new Set<string>();
    const out = join(work, "out.mp4");
    const running = startCli(["download", "video_123", "--out", out], {
      env: GATEWAY,
      fetch: scriptedFetch(json(200, completed()), stalledVideo(new Uint8Array(1024))),
      signal: interrupt.signal,
      partialFiles,
    });
    await eventually(() => partialFiles.size === 1);
    const [partial] = [...partialFiles];
    expect(partial).toMatch(new RegExp(`^${work}/\\.out\\.mp4\\.[0-9a-f]{12}\\.part$`)); // beside the target, a random name
    interrupt.abort();
    const { code, stderr } = await running.done;
    expect(code).toBe(130);
    expect(stderr).toContain(
      `Download interrupted: nothing was saved. Resume with: kling-video download video_123 --out ${out}`,
    );
    expect(await readdir(work)).toEqual([]);
    expect(partialFiles.size).toBe(0);
  });
});

describe("--out is checked before anything is sent", () => {
  it.each([
    ["a directory", () => work, "is a directory"],
    ["a name ending in /", () => `${work}/new/`, "names a directory"],
    ["an empty path", () => "", "--out needs a file name"],
    ["a missing directory", () => join(work, "missing", "v.mp4"), "does not exist"],
    ["an existing file", () => join(work, "taken.mp4"), "already exists: pass --force to replace it"],
  ])("%s: exit 2", async (_, path, message) => {
    await writeFile(join(work, "taken.mp4"), "precious");
    const { fetch, run } = cli(["create", "--prompt", "a fox", "--out", path()], [json(200, task())]);
    const { code, stderr } = await run;
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(fetch.calls).toHaveLength(0);
    expect(await readFile(join(work, "taken.mp4"), "utf8")).toBe("precious");
  });

  it("--force replaces an existing file, once the new one is complete", async () => {
    const out = join(work, "taken.mp4");
    await writeFile(out, "old");
    const { run } = cli(
      ["download", "video_123", "--out", out, "--force"],
      [json(200, completed()), video(new Uint8Array([9]))],
    );
    expect((await run).code).toBe(0);
    expect(await readFile(out)).toEqual(Buffer.from([9]));
  });

  it("a download the server cuts: exit 1, nothing saved, no partial file, the command to try again", async () => {
    const out = join(work, "cut.mp4");
    await mkdir(work, { recursive: true });
    const { run } = cli(
      ["download", "video_123", "--out", out],
      [json(200, completed()), stalledVideo(new Uint8Array(24 * 1024), new Error("socket hang up"))],
    );
    const { code, stderr } = await run;
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^kling-video: task video_123: the download broke off after (0 B|24 KB) \(.+\): nothing was saved\n/,
    );
    expect(stderr).toContain(`Resume with: kling-video download video_123 --out ${out}`);
    expect(existsSync(out)).toBe(false);
    expect(await readdir(work)).toEqual([]);
  });
});
