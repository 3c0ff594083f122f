// `make serve` (scripts/serve.mjs): the stateful mock behind Prism's validating proxy. A task
// runs through it with the SDK; Prism finds nothing wrong with any answer of any scenario in any
// flavour; a broken answer is announced and reaches the client; a taken port stops it at once.
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startPrism } from "../../scripts/prism.mjs";
import { violationReporter } from "../../scripts/prism-log.mjs";
import { createVideoClient, VideoUrlExpiredError } from "../../src/index.js";
import { MOCK_FLAVORS, MOCK_SCENARIOS } from "../../src/mock/index.js";
import { eventually } from "../support/harness.js";
import { runServe, type Serve, startServe } from "../support/serve.js";
import { spec } from "../support/spec.js";

const EXAMPLE_TASK_ID = String(spec.components.parameters!.TaskId!.example);
const BODY = { model: "kling-v3-std-silent", prompt: "a paper boat on a pond" } as const;
let serve: Serve;
beforeAll(async () => {
  serve = await startServe({ env: { MOCK_SPEED: "30" } });
}, 60_000);
afterAll(() => serve?.stop());

const clientFor = (headers: Record<string, string> = {}) =>
  createVideoClient({ baseUrl: serve.apiUrl, apiKey: "sk-test", maxRetries: 0, headers });

describe("make serve", () => {
  it("runs a real task through Prism: progress, completion, and a video from the mock itself", async () => {
    const client = clientFor();
    const logFrom = serve.output().length; // other tests in this file run scenarios that Prism reports
    const seen: number[] = [];
    const task = await client.generate(BODY, {
      pollIntervalMs: 20,
      onProgress: (update) => void seen.push(Number(update.progress)),
    });
    expect(seen.at(-1)).toBe(100);
    expect(new URL(task.video_url!).origin).toBe(serve.mockUrl);
    const video = new Uint8Array(await (await client.download(task)).arrayBuffer());
    expect(new TextDecoder().decode(video.slice(4, 8))).toBe("ftyp");
    expect(serve.output().slice(logFrom)).not.toMatch(/SPEC VIOLATION|Request terminated/);
  });

  it("expired-url: the storage host is another origin, so the SDK reads its 403 as an expired URL", async () => {
    const client = clientFor({ "X-Mock-Scenario": "expired-url" });
    const task = await client.generate(BODY, { pollIntervalMs: 20 });
    await expect(client.download(task)).rejects.toBeInstanceOf(VideoUrlExpiredError);
  });

  it("Prism finds every answer of every scenario, in every flavour, true to the spec", async () => {
    const problems: string[] = [];
    const send = async (path: string, headers: Record<string, string>, body?: object) => {
      const answer = await fetch(`${serve.apiUrl}${path}`, {
        method: body ? "POST" : "GET",
        headers: { authorization: "Bearer sk-test", "content-type": "application/json", ...headers },
        body: body && JSON.stringify(body),
      });
      const text = await answer.text();
      const fromPrism =
        answer.headers.get("content-type")?.includes("problem+json") || answer.headers.has("sl-violations");
      if (fromPrism && !(headers["X-Mock-Scenario"] === "drop" && text.includes("socket hang up")))
        problems.push(`${headers["X-Mock-Flavor"]} ${headers["X-Mock-Scenario"]} ${path} ${answer.status}: ${text}`);
      return text;
    };
    await Promise.all(
      MOCK_FLAVORS.flatMap(({ name: flavor }) =>
        MOCK_SCENARIOS.map(async ({ name: scenario }) => {
          const headers = { "X-Mock-Flavor": flavor, "X-Mock-Scenario": scenario };
          const created = await send("/v1/video/generations", headers, BODY);
          const id = /"(?:id|task_id)":"(task_\w+)"/.exec(created)?.[1] ?? EXAMPLE_TASK_ID;
          for (let poll = 0; poll < 3; poll++) {
            for (const path of [`/v1/videos/${id}`, `/v1/video/generations/${id}`, `/v1/videos/${id}/content`])
              await send(path, headers);
          }
        }),
      ),
    );
    expect(problems).toEqual([]);
    expect(serve.output()).not.toContain("SPEC VIOLATION");
  });
});

describe("a port that is taken", () => {
  let holder: Server;
  let port: number;
  let hits = 0;
  beforeAll(async () => {
    holder = createServer((_, res) => {
      hits++;
      res.end("someone else");
    }).listen(0, "127.0.0.1");
    await once(holder, "listening");
    port = (holder.address() as { port: number }).port;
  });
  afterAll(() => new Promise((resolve) => holder.close(resolve)));

  it.each(["MOCK_PORT", "DOCS_PORT"])(
    "%s: make serve stops at once, naming the port, and sends it nothing",
    async (name) => {
      const free = String(await freePort());
      const { code, output } = await runServe({ MOCK_PORT: free, DOCS_PORT: free, [name]: String(port) });
      expect(code).toBe(1);
      expect(output).toContain(`make serve: 127.0.0.1:${port} (${name}`);
      expect(output).toContain("is already in use");
      expect(hits).toBe(0);
    },
    30_000,
  );
});

describe("an answer that breaks the spec", () => {
  it("reaches the client as Prism's 500 with the reasons, and is announced loudly", async () => {
    const broken = createServer((_, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end('{"id":"task_1","status":"done"}');
    }).listen(0, "127.0.0.1");
    await once(broken, "listening");
    const printed: string[] = [];
    const report = violationReporter({ mockUrl: "http://mock", print: (text) => void printed.push(text) });
    const upstream = `http://127.0.0.1:${(broken.address() as { port: number }).port}`;
    const prism = await startPrism({ mode: "proxy", upstream, args: ["--errors"], onLine: report });
    try {
      const answer = await fetch(`${prism.url}/v1/videos/task_1`, { headers: { authorization: "Bearer sk" } });
      expect(answer.status).toBe(500);
      expect(JSON.stringify((await answer.json()).validation)).toContain("must have required property 'model'");
      await eventually(() => printed.length > 0, 5_000, "the announcement");
      expect(printed.join("\n")).toContain(
        "SPEC VIOLATION: the exchange GET /v1/videos/task_1 breaks generated/openapi.yaml",
      );
    } finally {
      await prism.stop();
      broken.close();
    }
  }, 30_000);
});

describe("make serve-static", () => {
  it("serves Prism's static mock of the spec: an answer picked by Prefer, the docs beside it", async () => {
    const serveStatic = await startServe({ args: ["--static"] });
    try {
      const headers = { authorization: "Bearer sk-test" };
      const picked = await fetch(`${serveStatic.apiUrl}/v1/videos/${EXAMPLE_TASK_ID}`, {
        headers: { ...headers, prefer: "code=429" },
      });
      expect(picked.status).toBe(429);
      const example = await fetch(`${serveStatic.apiUrl}/v1/videos/${EXAMPLE_TASK_ID}`, { headers });
      expect(example.status).toBe(200);
      expect(await example.json()).toMatchObject({ id: expect.any(String), status: expect.any(String) });
      expect((await fetch(serveStatic.docsUrl)).status).toBe(200);
    } finally {
      await serveStatic.stop();
    }
  }, 60_000);
});
