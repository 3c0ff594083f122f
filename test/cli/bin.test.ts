// The built executable (dist/cli.js), spawned as users run it, for what only a real process
// shows: startup that loads no SDK for --help, signals, a closed stdout, and a pseudo-terminal.
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eventually } from "../support/harness.js";
import { type LoopbackGateway, sendJson, startLoopbackGateway } from "../support/loopback-gateway.js";
import { API_KEY, task } from "../support/scripted-fetch.js";
import { jsonLines } from "./run-cli.js";

const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  version: string;
};

interface Spawned {
  child: ChildProcess;
  output: { stdout: string; stderr: string };
  exit: Promise<number | null>;
}

function spawnCli(args: string[], env: Record<string, string> = {}): Spawned {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, ...env } });
  const output = { stdout: "", stderr: "" };
  child.stdout!.on("data", (chunk) => (output.stdout += chunk));
  child.stderr!.on("data", (chunk) => (output.stderr += chunk));
  const exit = new Promise<number | null>((resolve) => child.on("close", resolve));
  return { child, output, exit };
}

/** Every file a module loads before it runs: its static imports, followed through the chunks. */
function staticGraph(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const source = readFileSync(file, "utf8");
  for (const [, path] of source.matchAll(/^(?:import|export)\s[^;(]*?["'](\.[^"']+)["']/gm)) {
    staticGraph(join(dirname(file), path!), seen);
  }
  return seen;
}
const loadsSdk = (files: Set<string>) =>
  [...files].some((file) => readFileSync(file, "utf8").includes("function createVideoClient("));

let gateway: LoopbackGateway | undefined;
let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), "kling-cli-bin-"));
});
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
  await rm(work, { recursive: true, force: true });
});
const key = () => ["--base-url", gateway!.url, "--api-key", API_KEY];

describe("startup", () => {
  it("--help and --version answer at once, exit 0", async () => {
    const help = spawnCli(["--help"]);
    expect(await help.exit).toBe(0);
    expect(help.output.stdout).toMatch(/^Usage: kling-video <command>/);
    const printed = spawnCli(["--version"]);
    expect(await printed.exit).toBe(0);
    expect(printed.output.stdout).toBe(`${version}\n`);
  });

  it("the executable loads no SDK code before a command is chosen; a command's module does", () => {
    expect(readFileSync(CLI, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    expect(loadsSdk(staticGraph(CLI))).toBe(false);
    const create = readdirSync(join(dirname(CLI), "chunks")).find((file) => file.startsWith("create-"))!;
    expect(loadsSdk(staticGraph(join(dirname(CLI), "chunks", create)))).toBe(true);
  });
});

describe("against a loopback gateway", () => {
  it("create prints the created event as a JSON line on a pipe, never the key", async () => {
    gateway = await startLoopbackGateway(({ res }) => sendJson(res, 200, task()));
    const run = spawnCli(["create", "--prompt", "a fox", ...key()]);
    expect(await run.exit).toBe(0);
    expect(jsonLines(run.output.stdout)).toEqual([{ event: "created", task: task() }]);
    expect(gateway.requests[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(run.output.stdout + run.output.stderr).not.toContain(API_KEY);
  });

  it("SIGINT while waiting: the id and the command to resume, exit 130", async () => {
    gateway = await startLoopbackGateway(({ res }) =>
      sendJson(res, 200, task({ status: "in_progress", progress: 20 })),
    );
    const run = spawnCli(["wait", "video_123", "--poll-interval", "1h", ...key()]);
    await eventually(() => run.output.stdout.includes('"progress"'), 5_000, "the first progress event");
    run.child.kill("SIGINT");
    expect(await run.exit).toBe(130);
    expect(run.output.stderr).toContain(
      "Stopped waiting. Task video_123 keeps running; resume with: kling-video wait video_123",
    );
    expect(jsonLines(run.output.stdout).at(-1)).toMatchObject({ event: "interrupted", taskId: "video_123" });
  });

  it("SIGTERM during a download removes the partial file, exit 130", async () => {
    gateway = await startLoopbackGateway(({ req, res }) => {
      if (req.url === "/video.mp4")
        return void res.writeHead(200, { "content-type": "video/mp4" }).write(Buffer.alloc(4096));
      sendJson(res, 200, task({ status: "completed", progress: 100, video_url: `${gateway!.url}/video.mp4` }));
    });
    const run = spawnCli(["download", "video_123", "--out", join(work, "v.mp4"), ...key()]);
    await eventually(() => readdirSync(work).length > 0, 5_000, "the partial file");
    run.child.kill("SIGTERM");
    expect(await run.exit).toBe(130);
    expect(readdirSync(work)).toEqual([]);
  });

  it("a stdout closed by its reader ends the command quietly", async () => {
    gateway = await startLoopbackGateway(({ res, index }) =>
      sendJson(res, 200, task({ status: "in_progress", progress: Math.min(index, 99) })),
    );
    const run = spawnCli(["wait", "video_123", "--poll-interval", "20ms", ...key()]);
    await eventually(() => run.output.stdout.includes('"progress"'), 5_000, "the first progress event");
    run.child.stdout!.destroy();
    expect(await run.exit).toBe(0);
    expect(run.output.stderr).toBe("");
  });
});

describe("on a pseudo-terminal (script from util-linux)", () => {
  it("shows the live progress line and the URL, not JSON; the same command on a pipe prints JSON", async () => {
    gateway = await startLoopbackGateway(({ res, index }) =>
      sendJson(
        res,
        200,
        index === 0
          ? task({ status: "in_progress", progress: 50 })
          : task({ status: "completed", progress: 100, video_url: "https://cdn.example.com/v.mp4" }),
      ),
    );
    const args = ["wait", "video_123", "--poll-interval", "10ms", ...key()];
    const command = `stty cols 100; ${[process.execPath, CLI, ...args].join(" ")}`;
    const screen = await new Promise<string>((resolve) => {
      const child = spawn("script", ["-qec", command, "/dev/null"], { env: { PATH: process.env.PATH, TERM: "xterm" } });
      let text = "";
      child.stdout.on("data", (chunk) => (text += chunk));
      child.on("close", () => resolve(text));
    });
    expect(screen).toContain("\r\u001b[2K██████████░░░░░░░░░░  50%  in_progress");
    expect(screen).toContain("video_123");
    expect(screen).toContain("https://cdn.example.com/v.mp4");
    expect(screen).not.toContain('{"event"');
    gateway.requests.length = 0;
    const piped = spawnCli(args);
    expect(await piped.exit).toBe(0);
    expect(jsonLines(piped.output.stdout).map((event) => event.event)).toEqual(["progress", "progress", "completed"]);
  });
});
