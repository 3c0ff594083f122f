// `make conformance` against two fake gateways on loopback: one that follows the spec (a clean
// report, exit 0) and one that does not (each violation named, exit 1).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeGateway, sendJson, startFakeGateway } from "../support/fake-gateway.js";
import { resolve, spec } from "../support/spec.js";

const KEY = "sk-good-key";
const example = (name: string) => resolve<{ value: Record<string, unknown> }>(spec.components.examples![name]).value;
const errorBody = (name: string) => example(name);
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

describe("make conformance", () => {
  let good: FakeGateway;
  let bad: FakeGateway;
  beforeAll(async () => {
    good = await startFakeGateway(({ req, res }) => {
      if (req.headers.authorization !== `Bearer ${KEY}`) return sendJson(res, 401, errorBody("InvalidApiKeyError"));
      if (req.method === "POST") return sendJson(res, 200, { ...example("TaskQueued"), id: "video_new" });
      if (req.url === "/v1/videos/video_1" || req.url === "/v1/videos/video_new")
        return sendJson(res, 200, example("TaskCompleted"));
      return sendJson(res, 404, errorBody("TaskNotFoundError"));
    });
    bad = await startFakeGateway(({ req, res }) => {
      if (req.headers.authorization !== `Bearer ${KEY}`) return sendJson(res, 401, { message: "bad key" });
      if (req.url === "/v1/videos/video_1") {
        const { id: _, ...withoutId } = example("TaskCompleted");
        return sendJson(res, 200, { ...withoutId, status: "succeed", created_at: 1764086400123 });
      }
      res.writeHead(404, { "content-type": "text/html" }).end("<html><title>404 Not Found</title></html>");
    });
  });
  afterAll(async () => {
    await good?.close();
    await bad?.close();
  });

  it("reports a conforming gateway as clean, with GET requests only", async () => {
    const result = await conformance({ BASE_URL: good.url, API_KEY: KEY, TASK_ID: "video_1" });
    expect(result.stdout).toContain("Result: the gateway conforms to the spec in every check.");
    expect(result.code).toBe(0);
    expect(good.requests.map((request) => request.method)).toEqual(["GET", "GET", "GET"]);
  }, 60_000);

  it("creates exactly one cheapest task with CREATE=1", async () => {
    good.requests.length = 0;
    const result = await conformance({ BASE_URL: good.url, API_KEY: KEY, TASK_ID: "video_1", CREATE: "1" });
    expect(result.code).toBe(0);
    const posts = good.requests.filter((request) => request.method === "POST");
    expect(posts).toHaveLength(1);
    expect(JSON.parse(posts[0]!.body)).toMatchObject({ model: "kling-v3-std-silent", duration: 3 });
    expect(result.stdout).toContain("retrieve the created task video_new");
  }, 60_000);

  it("names every violation of a non-conforming gateway and exits 1", async () => {
    const result = await conformance({ BASE_URL: bad.url, API_KEY: KEY, TASK_ID: "video_1" });
    expect(result.code).toBe(1);
    const report = result.stdout;
    expect(report).toMatch(/response\.body \[required\]: .*required property 'id'/);
    expect(report).toMatch(/response\.body\.status \[enum\]: .*allowed values: queued, in_progress, completed, failed/);
    expect(report).toMatch(/response\.body\.created_at \[maximum\]: .*<= 9999999999/);
    expect(report).toMatch(/The received media type "text\/html" does not match/);
    expect(report).toMatch(/response\.body \[required\]: .*required property 'error'/);
    expect(report).toMatch(/Result: \d+ violation\(s\) of the spec\./);
  }, 60_000);

  it("explains its usage without BASE_URL", async () => {
    const result = await conformance({ BASE_URL: "", API_KEY: "", TASK_ID: "" });
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/usage: make conformance BASE_URL=/);
  });
});
