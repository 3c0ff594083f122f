// startMockServer (kling-video/node) driven by the SDK over real sockets: every scenario in every
// flavour, chosen by header as a UI would, on a clock that moves one second per request; then
// what only a real server shows: a port clash, a dropped connection, byte ranges, the docs.
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HEADER_EXAMPLES, RESPONSE_EXAMPLES } from "../../generated/examples.js";
import {
  APIConnectionError,
  AuthenticationError,
  createVideoClient,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  type VideoTask,
  VideoTaskFailedError,
} from "../../src/index.js";
import { MOCK_FLAVORS, MOCK_SCENARIOS } from "../../src/mock/index.js";
import { type MockServer, startMockServer } from "../../src/node.js";
import { spec } from "../support/spec.js";

const EXAMPLE_TASK_ID = String(spec.components.parameters!.TaskId!.example);
const BODY = { model: "kling-v3-std-silent", prompt: "a paper boat on a pond" } as const;
let clock = 1_764_086_400_000;
let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer({ port: 0, now: () => clock, docsFile: null });
});
afterAll(() => mock?.close());

/** A client that sends `scenario` and `flavor` headers; each request it makes moves the mock's clock one second (unless `tick` is false). */
function clientFor(flavor: string, scenario?: string, options: { tick?: boolean } = {}) {
  return createVideoClient({
    baseUrl: mock.url,
    apiKey: "sk-mock",
    maxRetries: 0,
    headers: { "X-Mock-Flavor": flavor, ...(scenario ? { "X-Mock-Scenario": scenario } : {}) },
    fetch: (url, init) => {
      if (options.tick !== false) clock += 1_000;
      return fetch(url, init);
    },
  });
}

const isMp4 = (bytes: Uint8Array) => new TextDecoder().decode(bytes.slice(4, 8)) === "ftyp";

describe.each(MOCK_FLAVORS.map(({ name }) => name))("through the SDK, flavour %s", (flavor) => {
  it("success: generate reports progress, then download gives a playable MP4", async () => {
    const client = clientFor(flavor);
    const seen: string[] = [];
    const task = await client.generate(BODY, {
      pollIntervalMs: 1,
      onProgress: (update) => void seen.push(String(update.status)),
    });
    expect(task.status).toBe("completed");
    expect(seen).toContain("in_progress");
    const video = await client.download(task);
    expect(video.headers.get("content-type")).toBe("video/mp4");
    expect(isMp4(new Uint8Array(await video.arrayBuffer()))).toBe(true);
  });

  it.each(["failed-early", "failed-midway"])("%s: VideoTaskFailedError with the task", async (scenario) => {
    const error = await clientFor(flavor, scenario)
      .generate(BODY, { pollIntervalMs: 1 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VideoTaskFailedError);
    const reason = (error as VideoTaskFailedError).error?.message;
    // new-api's gateway-side failure has no reason; the older route's record then says so in words.
    if (flavor === "openai" || scenario === "failed-midway")
      expect(reason).toBe(RESPONSE_EXAMPLES.TaskFailed.error.message);
    else expect(reason ?? "no reason given").toBe("no reason given");
  });

  it("401: AuthenticationError with the spec's message and the request id", async () => {
    const error = (await clientFor(flavor, "401")
      .create(BODY)
      .catch((caught: unknown) => caught)) as AuthenticationError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.requestId).toMatch(/\S{16,}/);
    expect(error.message).toBe(
      `401 ${RESPONSE_EXAMPLES.InvalidTokenError.error.message.replace(HEADER_EXAMPLES.XOneapiRequestId, error.requestId!)}`,
    );
  });

  it("403: PermissionDeniedError, insufficient quota", async () => {
    const error = await clientFor(flavor, "403")
      .create(BODY)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error).toMatchObject({ code: RESPONSE_EXAMPLES.InsufficientQuotaError.code, taskMayExist: false });
  });

  it("429: RateLimitError with Retry-After, on a create and (where the route documents it) on a poll", async () => {
    const client = clientFor(flavor, "429");
    const calls =
      flavor === "new-api-legacy"
        ? [() => client.create(BODY)]
        : [() => client.create(BODY), () => client.retrieve(EXAMPLE_TASK_ID)];
    for (const call of calls) {
      const error = await call().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RateLimitError);
      expect((error as RateLimitError).headers.get("retry-after")).toBe(HEADER_EXAMPLES.RetryAfter);
    }
  });

  it.each(["500", "502", "503"])("%s: InternalServerError, and a create's task may exist", async (status) => {
    const error = await clientFor(flavor, status)
      .create(BODY)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: Number(status), taskMayExist: true });
  });

  it("drop: APIConnectionError, and the create's task may exist", async () => {
    const error = await clientFor(flavor, "drop")
      .create(BODY)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).toMatchObject({ taskMayExist: true });
  });

  it("slow-queue: still queued when a plain task is rendering", async () => {
    const slow = await clientFor(flavor, "slow-queue", { tick: false }).create(BODY);
    const client = clientFor(flavor, undefined, { tick: false });
    const plain = await client.create(BODY);
    await client.retrieve(slow.id); // past new-api's unknown
    await client.retrieve(plain.id);
    clock += 3_000;
    expect((await client.retrieve(slow.id)).status).toBe("queued");
    expect((await client.retrieve(plain.id)).status).toBe("in_progress");
  });

  it("unknown-first: the first poll reads unknown", async () => {
    const client = clientFor(flavor, "unknown-first");
    const statuses: string[] = [];
    await client.generate(BODY, { pollIntervalMs: 1, onProgress: (task) => void statuses.push(String(task.status)) });
    expect(statuses[0]).toBe("unknown");
    expect(statuses.at(-1)).toBe("completed");
  });

  it("expired-url: the task completes, its video cannot be downloaded (403)", async () => {
    const client = clientFor(flavor, "expired-url");
    const task = await client.generate(BODY, { pollIntervalMs: 1 });
    // The video is on the gateway's own origin here, so the SDK reads the 403 as the gateway's.
    await expect(client.download(task)).rejects.toMatchObject({ status: 403, taskId: task.id });
  });

  it("an unknown task: NotFoundError carrying its id", async () => {
    const error = await clientFor(flavor)
      .wait("task_nope", { pollIntervalMs: 1 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ taskId: "task_nope" });
  });
});

describe("flavour quirks through the SDK", () => {
  it("new-api-legacy: retrieve falls back to the older route and maps its record", async () => {
    const client = clientFor("new-api-legacy");
    const created = await client.create(BODY);
    clock += 60_000;
    await client.retrieve(created.id);
    const task: VideoTask = await client.retrieve(created.id);
    // The record of that time has no model.
    expect(task).toMatchObject({ id: created.id, status: "completed", model: "", progress: 100 });
    expect(task.video_url).toMatch(/\/__kling-video-mock\/videos\/task_\w+\.mp4$/);
  });

  it("new-api: download finds the video in metadata.url", async () => {
    const client = clientFor("new-api");
    const task = await client.generate(BODY, { pollIntervalMs: 1 });
    expect(task.video_url).toBeUndefined();
    expect(isMp4(new Uint8Array(await (await client.download(task)).arrayBuffer()))).toBe(true);
  });

  it("the docs' example task downloads through the content route", async () => {
    const video = await clientFor("openai").download(EXAMPLE_TASK_ID);
    expect(isMp4(new Uint8Array(await video.arrayBuffer()))).toBe(true);
  });
});

describe("the server", () => {
  it("a taken port: rejects with code EADDRINUSE and a message naming the port", async () => {
    const holder = createServer().listen(0, "127.0.0.1");
    await once(holder, "listening");
    const { port } = holder.address() as { port: number };
    try {
      const error = await startMockServer({ port }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: "EADDRINUSE" });
      expect((error as Error).message).toBe(
        `The mock cannot listen on 127.0.0.1:${port}: port ${port} is already in use (by another mock, Prism, or any other server): stop it, or choose another port`,
      );
    } finally {
      holder.close();
    }
  });

  it("drop closes the connection without a byte", async () => {
    const error = await fetch(`${mock.url}/v1/videos/${EXAMPLE_TASK_ID}`, {
      headers: { authorization: "Bearer sk", "x-mock-scenario": "drop" },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TypeError);
    expect(String((error as Error).cause)).toMatch(/other side closed|socket/i);
  });

  it("serves a byte range of the video, as a <video> element asks", async () => {
    const answer = await fetch(`${mock.url}/__kling-video-mock/videos/${EXAMPLE_TASK_ID}.mp4`, {
      headers: { range: "bytes=0-7" },
    });
    expect(answer.status).toBe(206);
    expect(answer.headers.get("content-range")).toMatch(/^bytes 0-7\/\d+$/);
    expect(isMp4(new Uint8Array(await answer.arrayBuffer()))).toBe(true);
  });

  it("answers a CORS preflight from any origin", async () => {
    const answer = await fetch(`${mock.url}/v1/video/generations`, {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:5173",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type",
      },
    });
    expect(answer.status).toBe(204);
    expect(answer.headers.get("access-control-allow-headers")).toBe("authorization,content-type");
  });

  it("lists its routes, scenarios and flavours at /, and answers other paths 404", async () => {
    const index = await (await fetch(`${mock.url}/`)).text();
    for (const { name } of [...MOCK_SCENARIOS, ...MOCK_FLAVORS]) expect(index).toContain(name);
    expect(index).toMatch(/GET +\/v1\/videos\/\{task_id\}\/content/);
    expect((await fetch(`${mock.url}/nothing`)).status).toBe(404);
    const unserved = await fetch(`${mock.url}/v1/videos`);
    expect([unserved.status, (await unserved.json()).error.message]).toEqual([404, "Invalid URL (GET /v1/videos)"]);
  });

  it("serves the docs page at /docs/ (every path under it), and says when it is not built", async () => {
    const folder = await mkdtemp(join(tmpdir(), "kling-docs-"));
    const docsFile = join(folder, "index.html");
    await writeFile(docsFile, "<!doctype html><title>docs</title>");
    const withDocs = await startMockServer({ port: 0, docsFile });
    const missing = await startMockServer({ port: 0, docsFile: join(folder, "absent.html") });
    try {
      const redirect = await fetch(`${withDocs.url}/docs`, { redirect: "manual" });
      expect([redirect.status, redirect.headers.get("location")]).toEqual([301, "/docs/"]);
      for (const path of ["/docs/", "/docs/video/createvideotask"]) {
        const page = await fetch(`${withDocs.url}${path}`);
        expect([page.status, page.headers.get("content-type"), await page.text()]).toEqual([
          200,
          "text/html; charset=utf-8",
          "<!doctype html><title>docs</title>",
        ]);
      }
      const absent = await fetch(`${missing.url}/docs/`);
      expect([absent.status, await absent.text()]).toEqual([404, expect.stringContaining("make docs")]);
    } finally {
      await Promise.all([withDocs.close(), missing.close()]);
      await rm(folder, { recursive: true, force: true });
    }
  });

  it("from the built package, finds the docs that ship in it (dist/docs/index.html)", async () => {
    const built = (await import(new URL("../../dist/node.js", import.meta.url).href)) as {
      startMockServer: typeof startMockServer;
    };
    const server = await built.startMockServer({ port: 0 });
    try {
      const page = await fetch(`${server.url}/docs/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("Kling v3 video generation API");
    } finally {
      await server.close();
    }
  });

  it("refuses a port that cannot be one", async () => {
    await expect(startMockServer({ port: 70_000 })).rejects.toThrow(
      "port must be an integer from 0 to 65535, got 70000",
    );
  });
});
