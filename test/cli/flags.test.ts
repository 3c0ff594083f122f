// The command line of `kling-video`, run in process: flags from the spec's field table, --body
// and --extra, --dry-run, help, and every way a command line can be wrong (exit 2, nothing sent).
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { REQUEST_FIELDS } from "../../generated/request-fields.js";
import { MOCK_BASE_URL } from "../support/harness.js";
import { API_KEY, json, scriptedFetch, task } from "../support/scripted-fetch.js";
import { resolve, spec } from "../support/spec.js";
import { type Json, runCli, settleCli } from "./run-cli.js";

const GATEWAY = { KLING_VIDEO_BASE_URL: MOCK_BASE_URL, KLING_VIDEO_API_KEY: API_KEY };
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "kling-cli-flags-"));
});
afterAll(() => rm(work, { recursive: true, force: true }));

const dryRun = async (...args: string[]) => {
  const run = await runCli(["create", ...args, "--dry-run"]);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Json;
};

describe("flags come from the spec", () => {
  it("every property of CreateVideoTaskRequest and its extra_body has a create flag", async () => {
    type Schema = { properties: Record<string, unknown> };
    const request = resolve<Schema>(spec.components.schemas!.CreateVideoTaskRequest);
    const extraBody = resolve<Schema>(request.properties.extra_body);
    const paths = [
      ...Object.keys(request.properties).filter((name) => name !== "extra_body"),
      ...Object.keys(extraBody.properties).map((name) => `extra_body.${name}`),
    ];
    const help = (await runCli(["create", "--help"])).stdout;
    for (const path of paths) {
      const field = REQUEST_FIELDS.find((row) => row.path.join(".") === path);
      expect(field, `${path} has no row in the field table`).toBeDefined();
      expect(help, `${path} has no flag in create --help`).toContain(`--${field!.flag} `);
    }
  });

  it("each field's flag puts its value where the table says, typed by its kind", async () => {
    const sample = { text: "a fox", number: "0.5", integer: "5", image: "https://example.com/a.png", list: "close-up" };
    for (const field of REQUEST_FIELDS) {
      const value = field.kind === "choice" ? field.choices!.at(-1)! : sample[field.kind];
      const needs = field.flag === "last-image" ? ["--image", "https://example.com/first.png"] : [];
      const prompt = field.flag === "prompt" || field.kind === "list" ? [] : ["--prompt", "p"];
      const body = await dryRun(...prompt, ...needs, `--${field.flag}`, value);
      const expected = { text: value, number: 0.5, integer: 5, image: value, list: [{ prompt: value }], choice: value };
      expect(
        field.path.reduce<Json | undefined>((node, key) => node?.[key], body),
        field.flag,
      ).toEqual(expected[field.kind]);
    }
  });

  it("the model defaults to the field's cliDefault, unless --body names one", async () => {
    const model = REQUEST_FIELDS.find((field) => field.flag === "model")!;
    expect((await dryRun("--prompt", "a fox")).model).toBe(model.cliDefault);
    const body = JSON.stringify({ model: model.choices!.at(-1), prompt: "from stdin", duration: 10 });
    const run = await runCli(["create", "--body", "-", "--duration", "3", "--dry-run"], { stdin: body });
    expect(JSON.parse(run.stdout)).toEqual({ model: model.choices!.at(-1), prompt: "from stdin", duration: 3 });
  });

  it("--shot repeats into multi_prompt, --extra adds any extra_body field (JSON or text)", async () => {
    const body = await dryRun(
      "--image",
      "https://example.com/a.png",
      "--shot",
      "close-up",
      "--shot",
      "wide",
      "--extra",
      'camera_control={"type":"simple"}',
      "--extra",
      "style=noir",
    );
    expect(body.extra_body).toEqual({
      camera_control: { type: "simple" },
      style: "noir",
      multi_prompt: [{ prompt: "close-up" }, { prompt: "wide" }],
    });
  });

  it("--image takes a local file: sent as a data: URI typed from its bytes", async () => {
    const file = join(work, "frame.jpg"); // a PNG, whatever its name says
    await writeFile(file, PNG);
    const body = await dryRun("--image", file, "--prompt", "a fox");
    expect(body.image).toBe(`data:image/png;base64,${PNG.toString("base64")}`);
  });
});

describe("a wrong command line: one line, exit 2, nothing sent", () => {
  it.each([
    [["--duration", "16"], "duration (--duration) must be at most 15"],
    [["--cfg-scale", "1.5"], "extra_body.cfg_scale (--cfg-scale) must be at most 1"],
    [["--cfg-scale", "much"], "extra_body.cfg_scale (--cfg-scale) must be a number"],
    [["--aspect-ratio", "4:3"], 'aspect_ratio (--aspect-ratio) must be one of: "16:9", "9:16", "1:1"'],
    [["--last-image", "https://example.com/z.png"], "image (--image) is required when last_image (--last-image)"],
  ])("%j names the flag and the rule", async (args, message) => {
    const fetch = scriptedFetch(json(200, task()));
    const run = await runCli(["create", "--prompt", "a fox", ...args], { env: GATEWAY, fetch });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toEqual([expect.stringContaining(message)]);
    expect(fetch.calls).toHaveLength(0);
  });

  it("a missing prompt names --prompt and --shot", async () => {
    const run = await runCli(["create", "--duration", "5", "--dry-run"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Either prompt (--prompt) or extra_body.multi_prompt (--shot) is required.");
  });

  it("an unknown option is one line with the closest match, and a JSON error line with --json", async () => {
    const run = await runCli(["create", "--promt", "a fox"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "kling-video: unknown option --promt for create (did you mean --prompt?); see kling-video create --help\n",
    );
    expect(run.stdout).toBe("");
    const asJson = await runCli(["create", "--promt", "a fox", "--json"]);
    expect(asJson.events).toEqual([
      {
        event: "error",
        error: { name: "UsageError", message: expect.stringContaining("did you mean --prompt?"), taskMayExist: false },
      },
    ]);
  });

  it("an unknown command suggests the closest one", async () => {
    const run = await runCli(["craete"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown command "craete" (did you mean create?)');
  });

  it("a missing task id or value says which", async () => {
    expect((await runCli(["wait"])).stderr).toContain("wait needs <task-id>");
    expect((await runCli(["create", "--prompt"])).stderr).toContain("--prompt needs a value");
    expect((await runCli(["create", "--prompt", "--duration", "5"])).stderr).toContain("--prompt needs a value");
  });

  it.each([
    ["--image", "missing.png", "cannot use --image missing.png: no such file"],
    ["--last-image", "notes.txt", "cannot use --last-image notes.txt: it is not a PNG, JPEG or WebP image"],
  ])("%s %s is refused before anything is sent", async (flag, name, message) => {
    await writeFile(join(work, "notes.txt"), "just text");
    const run = await runCli([
      "create",
      "--prompt",
      "x",
      "--image",
      "https://e.com/a.png",
      flag,
      join(work, name),
      "--dry-run",
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message.replace(name, join(work, name)));
  });

  it("an image file over the spec's size limit is refused, naming --image", async () => {
    const file = join(work, "huge.png");
    await writeFile(file, Buffer.concat([PNG, Buffer.alloc(10_000_001)]));
    const run = await runCli(["create", "--prompt", "x", "--image", file, "--dry-run"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("image (--image) must be at most 10 MB");
  });

  it.each([
    ["--body", "missing.json", "cannot read --body"],
    ["--body", "array.json", "must hold a JSON object, got an array"],
    ["--extra", "novalue", "--extra expects key=value"],
  ])("%s %s", async (flag, value, message) => {
    await writeFile(join(work, "array.json"), "[1, 2]");
    const run = await runCli(["create", flag, flag === "--body" ? join(work, value) : value, "--dry-run"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});

describe("durations", () => {
  it.each(["20x", "soon", "0", "-5s", "1.5.2m"])(
    "create --wait --timeout %s is refused before the task is created",
    async (value) => {
      const fetch = scriptedFetch(json(200, task()));
      const run = await runCli(["create", "--prompt", "a fox", "--wait", `--timeout=${value}`], {
        env: GATEWAY,
        fetch,
      });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        `--timeout must be a duration such as 500ms, 90s, 20m or 1h (or plain milliseconds), got "${value}"`,
      );
      expect(fetch.calls).toHaveLength(0);
    },
  );

  it.each([
    ["500ms", 500],
    ["90s", 90_000],
    ["2m", 120_000],
    ["1h", 3_600_000],
    ["1500", 1_500],
  ])("--poll-interval %s polls every %i ms", async (value, ms) => {
    vi.useFakeTimers();
    try {
      const fetch = scriptedFetch(
        json(200, task()),
        json(200, task({ status: "in_progress", progress: 10 })),
        json(200, task({ status: "in_progress", progress: 50 })),
        json(200, task({ status: "completed", progress: 100, video_url: "https://cdn.example.com/v.mp4" })),
      );
      const run = await settleCli(
        runCli(["create", "--prompt", "a fox", "--wait", "--poll-interval", value, "--timeout", "10h"], {
          env: GATEWAY,
          fetch,
        }),
      );
      expect(run.code).toBe(0);
      expect(fetch.calls.slice(1).map((call, index) => call.at - fetch.calls[index]!.at)).toEqual([0, ms, ms]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("help", () => {
  it("--help lists the commands and every exit code, and loads no command", async () => {
    const run = await runCli(["--help"]);
    expect(run.code).toBe(0);
    for (const command of ["create", "get", "wait", "download", "batch", "mock"])
      expect(run.stdout).toMatch(new RegExp(`\\n  ${command} `));
    for (const code of [0, 1, 2, 3, 4, 5, 6, 130]) expect(run.stdout).toMatch(new RegExp(`\\n  ${code} +\\w`));
  });

  it("each command has help with an example; `help <command>` is the same page", async () => {
    for (const command of ["create", "get", "wait", "download", "batch", "mock"]) {
      const run = await runCli([command, "--help"]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Usage: kling-video ${command}`));
      expect(run.stdout).toContain(`$ kling-video `);
      expect((await runCli(["help", command])).stdout).toBe(run.stdout);
    }
  });

  it("no command prints the help on stderr, exit 2", async () => {
    const run = await runCli([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^Usage: kling-video <command>/);
  });
});

describe("kling-video mock: its flags", () => {
  it.each([
    [["--port", "abc"], "--port must be a port number from 0 to 65535"],
    [["--port", "70000"], "--port must be a port number from 0 to 65535"],
    [["--speed", "0"], "--speed must be a number above 0"],
    [["--host", ""], "--host needs an address"],
  ])("%j: exit 2", async (args, message) => {
    const run = await runCli(["mock", ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it("a taken port: exit 2 at once, naming the port, and nothing is sent to what holds it", async () => {
    let hits = 0;
    const holder = createServer(() => void hits++).listen(0, "127.0.0.1");
    await once(holder, "listening");
    const { port } = holder.address() as AddressInfo;
    try {
      const run = await runCli(["mock", "--port", String(port)]);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        `kling-video: port ${port} is in use: stop what listens there, or pick another with --port\n`,
      );
      expect(hits).toBe(0);
    } finally {
      holder.close();
    }
  });
});
