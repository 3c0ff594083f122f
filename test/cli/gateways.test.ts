// The CLI against the gateways people call: new-api as it answers today and as it did in 2025,
// and a UniAll-shaped answer. create -> wait -> download, get and wait by id, and every error
// those gateways send, with the exit codes the README documents (in process; real sockets).
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LoopbackGateway, sendJson, startLoopbackGateway } from "../support/loopback-gateway.js";
import {
  NEW_API_KEY,
  type NewApiFlavour,
  type NewApiGateway,
  POOR_KEY,
  SAMPLE_VIDEO,
  startNewApiGateway,
} from "../support/new-api-gateway.js";
import { resolve, spec } from "../support/spec.js";
import { runCli } from "./run-cli.js";

const FAST = ["--poll-interval", "5ms", "--json"];
let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "kling-cli-gateways-"));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

describe.each<NewApiFlavour>(["current", "older"])("against a new-api gateway (%s)", (flavour) => {
  let gateway: NewApiGateway;
  const env = (key = NEW_API_KEY) => ({ KLING_VIDEO_BASE_URL: gateway.url, KLING_VIDEO_API_KEY: key });
  beforeAll(async () => {
    gateway = await startNewApiGateway({ flavour });
  });
  afterAll(() => gateway?.close());

  it("create --out: the task is created, waited on, and its video saved", async () => {
    const out = join(folder, `${flavour}-create.mp4`);
    const run = await runCli(["create", "--prompt", "A lighthouse at dusk", "--out", out, ...FAST], { env: env() });
    expect(run.code, run.stderr).toBe(0);
    expect((await readFile(out)).equals(SAMPLE_VIDEO)).toBe(true);
    expect(run.events.map((event) => event.event)).toEqual(expect.arrayContaining(["created", "completed", "saved"]));
    expect(gateway.cdnRequests.every((request) => request.headers.authorization === undefined)).toBe(true);
  });

  it("get, wait and download by id, with times read right whether seconds or milliseconds", async () => {
    const created = await runCli(["create", "--prompt", "A fox", ...FAST], { env: env() });
    const taskId = created.events.find((event) => event.event === "created")!.task.id as string;
    const waited = await runCli(["wait", taskId, ...FAST], { env: env() });
    expect(waited.code, waited.stderr).toBe(0);
    const got = await runCli(["get", taskId], { env: env(), terminal: { columns: 100 } });
    expect(got.code, got.stderr).toBe(0);
    expect(got.stdout).toContain("completed");
    expect(got.stdout).toContain(String(new Date().getUTCFullYear())); // not 1970, not the year 57000
    const out = join(folder, `${flavour}-download.mp4`);
    const downloaded = await runCli(["download", taskId, "--out", out, "--json"], { env: env() });
    expect(downloaded.code, downloaded.stderr).toBe(0);
    expect((await readFile(out)).equals(SAMPLE_VIDEO)).toBe(true);
  });

  it.each([
    ["a wrong key", "sk-newapi-wrong-0123456789abcdefghijklm", "A fox", 3],
    ["a key without quota", POOR_KEY, "A fox", 3],
    ["a request Kling refuses", NEW_API_KEY, "A fox [reject]", 1],
    ["a busy provider", NEW_API_KEY, "A fox [busy]", 1],
    ["a provider failure (a task may exist)", NEW_API_KEY, "A fox [upstream-502]", 6],
  ])(
    "create with %s: the documented exit code, the gateway's request id, never the key",
    async (_, key, prompt, code) => {
      const run = await runCli(["create", "--prompt", prompt, "--json"], { env: env(key) });
      expect(run.code, run.stderr).toBe(code);
      const error = run.events.find((event) => event.event === "error")!.error;
      expect(error.requestId).toMatch(/^\d{14}/);
      expect(run.stdout + run.stderr).not.toContain(key);
    },
  );

  it("a task that fails: exit 4 with the gateway's reason", async () => {
    const run = await runCli(["create", "--prompt", "A fox [fail]", "--wait", ...FAST], { env: env() });
    expect(run.code).toBe(4);
    expect(run.stderr).toContain("Failure to pass the risk control system");
  });

  it("an unknown task id: exit 1 at once, naming it", async () => {
    const before = gateway.requests.length;
    const run = await runCli(["wait", "task_doesnotexist", ...FAST], { env: env() });
    expect(run.code).toBe(1);
    expect(run.events.find((event) => event.event === "error")!.error).toMatchObject({
      taskId: "task_doesnotexist",
      code: "task_not_exist",
    });
    expect(gateway.requests.length - before).toBeLessThanOrEqual(2);
  });
});

describe("against a UniAll-shaped answer", () => {
  let cdn: LoopbackGateway;
  let gateway: LoopbackGateway;
  beforeAll(async () => {
    const uniall = resolve<{ value: Record<string, unknown> }>(spec.components.examples!.TaskCompletedUniAll).value;
    cdn = await startLoopbackGateway(
      ({ res }) => void res.writeHead(200, { "content-type": "video/mp4" }).end(SAMPLE_VIDEO),
    );
    gateway = await startLoopbackGateway(({ res }) => sendJson(res, 200, { ...uniall, video_url: `${cdn.url}/v.mp4` }));
  });
  afterAll(async () => {
    await gateway?.close();
    await cdn?.close();
  });

  it("get shows the video's URL, and download saves it from there without the key", async () => {
    const env = { KLING_VIDEO_BASE_URL: gateway.url, KLING_VIDEO_API_KEY: NEW_API_KEY };
    const got = await runCli(["get", "task_9xV2mQ7rT4kL8pW3nZ6bY1cD5fH0jS2a", "--json"], { env });
    expect(got.code, got.stderr).toBe(0);
    expect(got.events[0]!.task.video_url).toBe(`${cdn.url}/v.mp4`);
    const out = join(folder, "uniall.mp4");
    const run = await runCli(["download", "task_9xV2mQ7rT4kL8pW3nZ6bY1cD5fH0jS2a", "--out", out, "--json"], { env });
    expect(run.code, run.stderr).toBe(0);
    expect((await readFile(out)).equals(SAMPLE_VIDEO)).toBe(true);
    expect(cdn.requests.map((request) => request.headers.authorization)).toEqual([undefined]);
  });
});
