// The built CLI (dist/cli.js), spawned as users run it: against Prism, against the
// kling-video/mock lifecycle served on loopback, and against fake gateways for the failures.
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { SAMPLE_VIDEO_MP4_BASE64 } from "../../assets/sample-video.js";
import { type FakeGateway, sendJson, startFakeGateway } from "../support/fake-gateway.js";
import { startMockServer } from "../support/mock-server.js";

const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
const KEY = "sk-cli-SECRET-4242";
const version = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8")).version as string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}
interface RunOptions {
  env?: Record<string, string>;
  stdin?: string;
  /** Sends SIGINT once stdout or stderr matches. */
  interruptWhen?: RegExp;
  /** Sends SIGINT once this returns true (checked every 20 ms). */
  interruptOnceTrue?: () => boolean;
}

function cli(args: string[], options: RunOptions = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let interrupted = false;
    const check = () => {
      if (options.interruptWhen && !interrupted && options.interruptWhen.test(stdout + stderr)) {
        interrupted = true;
        child.kill("SIGINT");
      }
    };
    child.stdout.on("data", (chunk) => ((stdout += chunk), check()));
    child.stderr.on("data", (chunk) => ((stderr += chunk), check()));
    child.stdin.end(options.stdin ?? "");
    const poll = options.interruptOnceTrue
      ? setInterval(() => {
          if (!interrupted && options.interruptOnceTrue!()) {
            interrupted = true;
            child.kill("SIGINT");
          }
        }, 20)
      : undefined;
    child.on("close", (code) => {
      clearInterval(poll);
      resolve({ code, stdout, stderr });
    });
  });
}
const jsonLines = (text: string) =>
  text
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, any>);
const noKey = (run: Run) => {
  expect(run.stdout).not.toContain(KEY);
  expect(run.stderr).not.toContain(KEY);
};

let mock: FakeGateway;
let work: string;
const mockEnv = () => ({ KLING_VIDEO_BASE_URL: mock.url, KLING_VIDEO_API_KEY: KEY });
beforeAll(async () => {
  mock = await startMockServer({ durationMs: 1200, queueMs: 200 });
  work = await mkdtemp(join(tmpdir(), "kling-cli-"));
});
afterAll(async () => {
  await mock?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe("help and version", () => {
  it.each([[[]], [["create"]], [["get"]], [["wait"]], [["download"]]])(
    "--help %j shows usage and an example",
    async (command) => {
      const run = await cli([...command, "--help"]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Usage: kling-video/);
      if (command.length) expect(run.stdout).toMatch(/Example/);
    },
  );

  it("--version prints the package version", async () => {
    expect((await cli(["--version"])).stdout.trim()).toBe(version);
  });

  it("create --help states each field's allowed values from the spec", async () => {
    const run = await cli(["create", "--help"]);
    expect(run.stdout.replace(/\s+/g, " ")).toContain("aspect ratio (16:9, 9:16, 1:1)");
    expect(run.stdout).toContain("(3 to 15)");
    expect(run.stdout).toContain("extra_body.cfg_scale (0 to 1)");
  });
});

describe("create --dry-run", () => {
  it("prints the exact JSON that would be sent, for every flag, and sends nothing", async () => {
    const before = mock.requests.length;
    const run = await cli(
      [
        "create",
        "--model",
        "kling-v3-pro-audio",
        "--prompt",
        "a fox",
        "--image",
        "https://example.com/a.png",
        "--last-image",
        "https://example.com/z.png",
        "--aspect-ratio",
        "9:16",
        "--duration",
        "8",
        "--cfg-scale",
        "0.5",
        "--shot-type",
        "intelligent",
        "--negative-prompt",
        "blur",
        "--extra",
        'camera_control={"type":"simple"}',
        "--dry-run",
      ],
      { env: mockEnv() },
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      model: "kling-v3-pro-audio",
      prompt: "a fox",
      image: "https://example.com/a.png",
      last_image: "https://example.com/z.png",
      aspect_ratio: "9:16",
      duration: 8,
      extra_body: {
        cfg_scale: 0.5,
        shot_type: "intelligent",
        negative_prompt: "blur",
        camera_control: { type: "simple" },
      },
    });
    expect(run.stdout.trim().split("\n")).toHaveLength(1);
    expect(mock.requests.length).toBe(before);
  });

  it("builds multi_prompt from repeated --shot, and reads --body from stdin with flags on top", async () => {
    const shots = await cli([
      "create",
      "--image",
      "https://example.com/a.png",
      "--shot",
      "close-up",
      "--shot",
      "wide",
      "--dry-run",
    ]);
    expect(JSON.parse(shots.stdout)).toEqual({
      model: "kling-v3-std-silent",
      image: "https://example.com/a.png",
      extra_body: { multi_prompt: [{ prompt: "close-up" }, { prompt: "wide" }] },
    });
    const stdin = await cli(["create", "--body", "-", "--duration", "3", "--dry-run"], {
      stdin: JSON.stringify({ model: "kling-v3-pro-silent", prompt: "from stdin", duration: 10 }),
    });
    expect(JSON.parse(stdin.stdout)).toEqual({ model: "kling-v3-pro-silent", prompt: "from stdin", duration: 3 });
  });

  it.each([
    [["--prompt", "a", "--duration", "16"], "duration must be at most 15"],
    [["--prompt", "a", "--cfg-scale", "1.5"], "extra_body.cfg_scale must be at most 1"],
    [["--prompt", "a", "--aspect-ratio", "4:3"], 'aspect_ratio must be one of: "16:9", "9:16", "1:1"'],
    [["--prompt", "a", "--model", "kling-v2"], "model must be one of"],
    [["--prompt", "a", "--last-image", "https://example.com/z.png"], "image is required when last_image is given"],
    [["--duration", "5"], "Either prompt or extra_body.multi_prompt is required."],
  ])("%j: one line naming the field and rule, exit 2", async (args, message) => {
    const run = await cli(["create", ...args, "--dry-run"]);
    expect(run.code).toBe(2);
    const errorLines = run.stderr.trim().split("\n");
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toContain(message);
    expect(jsonLines(run.stdout)[0]).toMatchObject({ event: "error", error: { name: "VideoRequestValidationError" } });
  });
});

describe("against Prism", () => {
  it("create prints one JSON line per event on a pipe, and nothing else", async () => {
    const run = await cli(["create", "--prompt", "a lighthouse", "--api-key", KEY, "--base-url", inject("prismUrl")]);
    expect(run.code).toBe(0);
    const events = jsonLines(run.stdout);
    expect(events).toEqual([{ event: "created", task: expect.objectContaining({ status: "queued" }) }]);
    noKey(run);
  });

  it("get prints the task", async () => {
    const run = await cli(["get", "video_1", "--json"], {
      env: { KLING_VIDEO_BASE_URL: inject("prismUrl"), KLING_VIDEO_API_KEY: KEY },
    });
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout)).toEqual([{ event: "task", task: expect.objectContaining({ object: "video" }) }]);
  });
});

describe("against the kling-video/mock lifecycle", () => {
  it("create --wait: created, rising progress, completed", async () => {
    const run = await cli(["create", "--prompt", "a fox", "--wait", "--poll-interval", "100"], { env: mockEnv() });
    expect(run.code).toBe(0);
    const events = jsonLines(run.stdout);
    expect(events[0]).toMatchObject({ event: "created", task: { status: "queued" } });
    expect(events.at(-1)).toMatchObject({ event: "completed", task: { status: "completed", progress: 100 } });
    const progress = events.filter((event) => event.event === "progress").map((event) => event.task.progress as number);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    noKey(run);
  });

  it("create --out downloads the video (and implies --wait); get, wait and download work by id", async () => {
    const out = join(work, "fox.mp4");
    const created = await cli(["create", "--prompt", "a fox", "--out", out, "--poll-interval", "100"], {
      env: mockEnv(),
    });
    expect(created.code).toBe(0);
    const sample = Buffer.from(SAMPLE_VIDEO_MP4_BASE64, "base64");
    expect(await readFile(out)).toEqual(sample);
    expect(jsonLines(created.stdout).at(-1)).toEqual({ event: "saved", path: out, bytes: sample.length });
    const id = jsonLines(created.stdout)[0]!.task.id as string;

    expect(jsonLines((await cli(["get", id], { env: mockEnv() })).stdout)[0]).toMatchObject({
      task: { id, status: "completed" },
    });
    const waited = await cli(["wait", id, "--out", join(work, "again.mp4")], { env: mockEnv() });
    expect(waited.code).toBe(0);
    const downloaded = await cli(["download", id, "--out", join(work, "third.mp4")], { env: mockEnv() });
    expect(downloaded.code).toBe(0);
    expect(await readFile(join(work, "third.mp4"))).toEqual(sample);
    expect(readdirSync(work).filter((file) => file.endsWith(".part"))).toEqual([]);
  });

  it("exit 4 when the task fails, with the task id in the error", async () => {
    const run = await cli(["create", "--prompt", "[mock:failure] a fox", "--wait", "--poll-interval", "100"], {
      env: mockEnv(),
    });
    expect(run.code).toBe(4);
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({
      event: "error",
      error: { name: "VideoTaskFailedError", taskId: expect.stringMatching(/^video_mock_/) },
    });
    expect(run.stderr).toMatch(
      /VideoTaskFailedError: Video task video_mock_\d+ failed: The mock was asked to fail this task/,
    );
  });

  it("exit 5 when the wait times out", async () => {
    const run = await cli(
      ["create", "--prompt", "[mock:slow-queue] a fox", "--wait", "--poll-interval", "50", "--timeout", "300"],
      { env: mockEnv() },
    );
    expect(run.code).toBe(5);
    expect(run.stderr).toMatch(/WaitTimeoutError: .*resume with wait\("video_mock_\d+"\)/);
  });

  it("an expired video URL says so, exit 1, and leaves no file", async () => {
    const out = join(work, "expired.mp4");
    const run = await cli(["create", "--prompt", "[mock:expired-url] a fox", "--out", out, "--poll-interval", "100"], {
      env: mockEnv(),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/VideoUrlExpiredError: The video URL has expired/);
    expect(existsSync(out)).toBe(false);
  });

  it("Ctrl-C while waiting prints the task id and the command to resume, exit 130", async () => {
    const run = await cli(["create", "--prompt", "[mock:slow-queue] a fox", "--wait", "--poll-interval", "50"], {
      env: mockEnv(),
      interruptWhen: /"event":"progress"/,
    });
    expect(run.code).toBe(130);
    const id = jsonLines(run.stdout)[0]!.task.id as string;
    expect(run.stderr).toContain(`resume with: kling-video wait ${id}`);
    expect(jsonLines(run.stdout).at(-1)).toEqual({ event: "interrupted", taskId: id });
    // The task is not lost: it can be resumed.
    expect((await cli(["wait", id, "--poll-interval", "100"], { env: mockEnv() })).code).toBe(0);
  });
});

describe("failures against fake gateways", () => {
  let gateway: FakeGateway;
  afterAll(() => gateway?.close());

  it.each([
    [401, 3],
    [403, 3],
    [404, 1],
    [500, 1],
  ])(
    "HTTP %i: exit %i, one line with status, code, message and request id, never the key",
    async (status, exitCode) => {
      gateway = await startFakeGateway(({ res }) =>
        sendJson(
          res,
          status,
          { error: { message: `the server says ${status}`, code: `code_${status}` } },
          { "x-request-id": "req_cli_1" },
        ),
      );
      const run = await cli(["get", "video_1", "--api-key", KEY, "--base-url", gateway.url]);
      await gateway.close();
      expect(run.code).toBe(exitCode);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.stderr).toMatch(
        new RegExp(`${status} \\(code_${status}\\): the server says ${status} \\[request req_cli_1\\]`),
      );
      noKey(run);
    },
  );

  it("usage errors exit 2: unknown flag, bad number, unreadable body, a body that is not an object", async () => {
    expect((await cli(["create", "--no-such-flag"])).code).toBe(2);
    expect((await cli(["wait", "video_1", "--poll-interval", "soon"])).code).toBe(2);
    const missing = await cli(["create", "--body", join(work, "missing.json"), "--dry-run"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read --body/);
    const array = join(work, "array.json");
    await writeFile(array, "[1, 2]");
    const notObject = await cli(["create", "--body", array, "--dry-run"]);
    expect(notObject.code).toBe(2);
    expect(notObject.stderr).toMatch(/must hold a JSON object, got an array/);
  });

  it("bad input in --body (NUL bytes, a 10 MB prompt, a non-string prompt) is a validation error, exit 2, nothing sent", async () => {
    gateway = await startFakeGateway(({ res }) => sendJson(res, 500, {}));
    for (const [body, message] of [
      [{ model: "kling-v3-std-silent", prompt: "a\u0000b" }, "prompt must not contain NUL characters"],
      [
        { model: "kling-v3-std-silent", prompt: "a".repeat(10 * 1024 * 1024) },
        "prompt must be at most 2500 characters long",
      ],
      [{ model: "kling-v3-std-silent", prompt: 42 }, "prompt must be a string"],
    ] as const) {
      const file = join(work, "bad.json");
      await writeFile(file, JSON.stringify(body));
      const run = await cli(["create", "--body", file, "--api-key", KEY, "--base-url", gateway.url]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(message);
    }
    expect(gateway.requests).toHaveLength(0);
    await gateway.close();
  });

  it("a plain-http remote gateway with a key is refused", async () => {
    const run = await cli(["get", "video_1", "--api-key", KEY, "--base-url", "http://gateway.example.com"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Refusing to send the API key over plain http/);
    noKey(run);
  });

  const slowVideoGateway = (cut: boolean) =>
    startFakeGateway(({ req, res, socket }) => {
      if (req.url!.startsWith("/v1/videos/")) {
        return sendJson(res, 200, {
          id: "video_1",
          object: "video",
          model: "m",
          status: "completed",
          created_at: 1,
          video_url: `${gateway.url}/video.mp4`,
        });
      }
      res.writeHead(200, { "content-type": "video/mp4", "content-length": "1000000" });
      res.write(Buffer.alloc(64 * 1024), () => (cut ? setTimeout(() => socket.destroy(), 100) : undefined)); // then never finishes
    });
  const partials = (name: string) => readdirSync(work).filter((file) => file.includes(name));

  it("an interrupted download (Ctrl-C) leaves neither the file nor a partial one, exit 130", async () => {
    gateway = await slowVideoGateway(false);
    const out = join(work, "interrupted.mp4");
    const run = await cli(["download", "video_1", "--out", out, "--api-key", KEY, "--base-url", gateway.url], {
      interruptOnceTrue: () => partials("interrupted").length > 0,
    });
    expect(run.code).toBe(130);
    expect(run.stderr).toContain(
      "Download interrupted: nothing was saved. Download again with: kling-video download video_1 --out <file>",
    );
    expect(existsSync(out)).toBe(false);
    expect(partials("interrupted")).toEqual([]);
    await gateway.close();
  });

  it("a download cut by the server fails (exit 1) and leaves neither the file nor a partial one", async () => {
    gateway = await slowVideoGateway(true);
    const out = join(work, "cut.mp4");
    const run = await cli(["download", "video_1", "--out", out, "--api-key", KEY, "--base-url", gateway.url]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(
      /^kling-video: DownloadError: the download of task video_1 broke off after \d+ bytes \(.+\); nothing was saved/,
    );
    expect(existsSync(out)).toBe(false);
    expect(partials("cut")).toEqual([]);
    await gateway.close();
  });
});

describe("on a terminal (pseudo-terminal via script)", () => {
  it("renders the spinner and a live status line, then the URL", async () => {
    const command = `stty cols 100 rows 30; ${process.execPath} ${CLI} create --prompt 'a fox' --wait --poll-interval 100`;
    const run = await new Promise<Run>((resolve) => {
      const child = spawn("script", ["-qfec", command, "/dev/null"], {
        env: { PATH: process.env.PATH, TERM: "xterm-256color", ...mockEnv() },
      });
      let stdout = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.on("close", (code) => resolve({ code, stdout, stderr: "" }));
    });
    expect(run.code).toBe(0);
    const screen = run.stdout;
    expect(screen).toMatch(/Task video_mock_\d+ created \(kling-v3-std-silent\)/);
    expect(screen).toContain("\u001b[?25l"); // the spinner hides the cursor
    expect(screen).toMatch(/queued, waiting for a worker/);
    expect(screen).toMatch(/in_progress +█*░* +\d+%/);
    expect(screen).toMatch(/completed in \d+:\d\d/);
    expect(screen).toMatch(new RegExp(`${mock.url}/__kling-video-mock/videos/video_mock_\\d+\\.mp4`));
    expect(screen).not.toContain('{"event"');
  });
});
