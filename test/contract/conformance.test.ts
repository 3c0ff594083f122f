// `make conformance` against gateways on loopback: new-api as it answers today and as it did in
// 2025 (clean reports, each naming its variants), and one that breaks the spec (every violation
// named, exit 1).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LoopbackGateway, sendJson, startLoopbackGateway } from "../support/loopback-gateway.js";
import { NEW_API_KEY, type NewApiGateway, startNewApiGateway } from "../support/new-api-gateway.js";
import { resolve, spec } from "../support/spec.js";

const run = promisify(execFile);

async function conformance(env: Record<string, string>) {
  return run(process.execPath, ["scripts/conformance.mjs"], { env: { ...process.env, ...env } }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout + error.stderr,
    }),
  );
}

/** A task that has finished, on a gateway that moves a task one step per question. */
async function finishedTask(gateway: NewApiGateway): Promise<string> {
  const headers = { authorization: `Bearer ${NEW_API_KEY}`, "content-type": "application/json" };
  const created = await fetch(`${gateway.url}/v1/video/generations`, {
    method: "POST",
    headers,
    body: JSON.stringify({ model: "kling-v3-std-silent", prompt: "a boat" }),
  }).then((response) => response.json() as Promise<{ id?: string; task_id: string }>);
  const id = created.id ?? created.task_id;
  for (let step = 0; step < 3; step++) await fetch(`${gateway.url}/v1/video/generations/${id}`, { headers });
  return id;
}

describe("make conformance against new-api", () => {
  const gateways: NewApiGateway[] = [];
  afterAll(() => Promise.all(gateways.map((gateway) => gateway.close())));
  const start = async (flavour: "current" | "older") => {
    const gateway = await startNewApiGateway({ flavour });
    gateways.push(gateway);
    return gateway;
  };

  // Each run starts its own Prism proxy: side by side, they take the time of one.
  it.concurrent("as it answers today: a clean run, GET requests only, and the variants it shows", async ({
    expect,
  }) => {
    const gateway = await start("current");
    const taskId = await finishedTask(gateway);
    const before = gateway.requests.length;
    const result = await conformance({ BASE_URL: gateway.url, API_KEY: NEW_API_KEY, TASK_ID: taskId });
    expect(result.stdout).toContain("Result: the gateway conforms to the spec in every check.");
    expect(result.code).toBe(0);
    expect(gateway.requests.slice(before).every((request) => request.method === "GET")).toBe(true);
    for (const variant of [
      "task route: GET /v1/videos/{task_id}",
      "times: milliseconds",
      "progress: number",
      "video location: metadata.url",
      "unknown task id: 400 task_not_exist",
      "request id header: x-oneapi-request-id",
    ]) {
      expect(result.stdout).toContain(variant);
    }
  }, 60_000);

  it.concurrent("as it answered in 2025, with CREATE=1: exactly one cheapest task, and what the create answered", async ({
    expect,
  }) => {
    const gateway = await start("older");
    const taskId = await finishedTask(gateway);
    const result = await conformance({ BASE_URL: gateway.url, API_KEY: NEW_API_KEY, TASK_ID: taskId, CREATE: "1" });
    expect(result.stdout).toContain("Result: the gateway conforms to the spec in every check.");
    expect(result.code).toBe(0);
    const posts = gateway.requests.filter((request) => request.method === "POST");
    expect(posts).toHaveLength(2); // the task finishedTask made, and conformance's one
    expect(JSON.parse(posts.at(-1)!.body)).toMatchObject({ model: "kling-v3-std-silent", duration: 3 });
    for (const variant of [
      "task route: only the older GET /v1/video/generations/{task_id}",
      "times: seconds",
      "progress: string",
      "video location: result_url or fail_reason",
      "create answer: only a top-level task_id",
    ]) {
      expect(result.stdout).toContain(variant);
    }
  }, 60_000);
});

describe.concurrent("make conformance against a gateway that breaks the spec", () => {
  let bad: LoopbackGateway;
  beforeAll(async () => {
    const completed = resolve<{ value: Record<string, unknown> }>(spec.components.examples!.TaskCompleted).value;
    bad = await startLoopbackGateway(({ req, res }) => {
      if (req.headers.authorization !== `Bearer ${NEW_API_KEY}`) return sendJson(res, 401, { message: "bad key" });
      if (req.url === "/v1/videos/video_1") {
        const { id: _, ...withoutId } = completed;
        return sendJson(res, 200, { ...withoutId, status: "succeed", progress: 130 });
      }
      res.writeHead(404, { "content-type": "text/html" }).end("<html><title>404 Not Found</title></html>");
    });
  });
  afterAll(() => bad?.close());

  it("names every violation and exits 1", async () => {
    const result = await conformance({ BASE_URL: bad.url, API_KEY: NEW_API_KEY, TASK_ID: "video_1" });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/response\.body \[required\]: .*required property 'id'/);
    expect(result.stdout).toMatch(/response\.body\.status/);
    expect(result.stdout).toMatch(/response\.body\.progress/);
    expect(result.stdout).toMatch(/The received media type "text\/html" does not match/);
    expect(result.stdout).toMatch(/Result: \d+ violation\(s\) of the spec\./);
  }, 60_000);

  it("explains its usage without BASE_URL", async () => {
    const result = await conformance({ BASE_URL: "", API_KEY: "", TASK_ID: "" });
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/usage: make conformance BASE_URL=/);
  });
});
