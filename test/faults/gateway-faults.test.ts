// The SDK against a fault-injecting gateway on 127.0.0.1 (real sockets): what only sockets show.
// For each fault: the error and its fields, no second create where the task may have been taken,
// the task id kept, the key in no rendering, and nothing left open (timers, sockets, rejections).
// How many times a GET is retried, and after how long, is counted under fake timers instead
// (test/sdk/retries.test.ts): here maxRetries is 0 wherever retries are not the point.
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { freePort } from "../../scripts/prism.mjs";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  createVideoClient,
  InternalServerError,
  InvalidResponseError,
  type VideoClientOptions,
  VideoUrlExpiredError,
  WaitTimeoutError,
} from "../../src/index.js";
import { eventually, expectNoKey, trapUnhandledRejections } from "../support/harness.js";
import { type Handler, type LoopbackGateway, sendJson, startLoopbackGateway } from "../support/loopback-gateway.js";
import { API_KEY, task } from "../support/scripted-fetch.js";
import { trackTimers } from "../support/timers.js";

const BODY = { model: "kling-v3-std-silent", prompt: "a fox in the snow" } as const;
const servers: LoopbackGateway[] = [];
let pendingTimers: Set<unknown>;

trapUnhandledRejections();
beforeEach(() => {
  pendingTimers = trackTimers();
});
afterEach(async () => {
  const left = pendingTimers.size;
  vi.restoreAllMocks();
  expect(left, "timers left running").toBe(0);
  // Idle keep-alive sockets close within the server's 100 ms: wait for that, no longer.
  for (const server of servers) await eventually(() => server.openSockets() === 0, 2_000, "every socket closed");
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handler: Handler, options: { readBody?: boolean } = {}) {
  const server = await startLoopbackGateway(handler, options);
  servers.push(server);
  return {
    server,
    client: (overrides: Partial<VideoClientOptions> = {}) =>
      createVideoClient({ baseUrl: server.url, apiKey: API_KEY, timeoutMs: 1000, maxRetries: 0, ...overrides }),
  };
}
/** The call's error, checked on the way for the API key in every rendering of it. */
const fail = <T>(call: Promise<T>) =>
  call.then(
    () => expect.unreachable("the call succeeded"),
    (error: unknown) => {
      expectNoKey(error);
      return error;
    },
  );
const posts = (server: LoopbackGateway) => server.requests.filter((request) => request.method === "POST").length;

describe("429 with a server-given wait", () => {
  it("a create refused with 429 is sent again after the wait, and then succeeds", async () => {
    const { server, client } = await serve(({ res, index }) =>
      index === 0
        ? sendJson(res, 429, { error: { message: "slow down" } }, { "retry-after-ms": "30" })
        : sendJson(res, 200, task()),
    );
    expect(await client({ maxRetries: 1 }).create(BODY)).toMatchObject({ id: "video_123" });
    expect(posts(server)).toBe(2);
  });
});

describe("5xx", () => {
  it.each([500, 502, 503])("POST: %i is never resent (the task may exist)", async (status) => {
    const { server, client } = await serve(({ res }) =>
      sendJson(res, status, { error: { message: "upstream hiccup" } }),
    );
    const error = await fail(client({ maxRetries: 2 }).create(BODY));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ taskMayExist: true });
    expect(posts(server)).toBe(1);
  });

  it("an HTML 502 page: InternalServerError with the page title", async () => {
    const { client } = await serve(({ res }) =>
      res
        .writeHead(502, { "content-type": "text/html" })
        .end("<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>"),
    );
    const error = await fail(client().retrieve("video_123"));
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as Error).message).toBe("502 502 Bad Gateway (HTML error page)");
  });
});

describe("connection resets", () => {
  const resetBeforeBody: Handler = ({ socket }) => void socket.destroy();

  it("before the request body is read: POST sent once (a reset cannot prove the task was not taken)", async () => {
    const { server, client } = await serve(resetBeforeBody, { readBody: false });
    const error = await fail(client({ maxRetries: 2 }).create(BODY));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).toMatchObject({ notSent: false, taskMayExist: true });
    expect(posts(server)).toBe(1);
  });

  it("after the request body is read: POST sent once", async () => {
    const { server, client } = await serve(({ socket, body }) => {
      expect(JSON.parse(body)).toEqual(BODY);
      socket.destroy();
    });
    expect(await fail(client({ maxRetries: 2 }).create(BODY))).toBeInstanceOf(APIConnectionError);
    expect(posts(server)).toBe(1);
  });

  it("connection refused (nothing listening): POST is resent, as it never left", async () => {
    let attempts = 0;
    const refused = createVideoClient({
      baseUrl: `http://127.0.0.1:${await freePort()}`,
      apiKey: API_KEY,
      maxRetries: 1,
      fetch: (url, init) => {
        attempts++;
        return fetch(url, init);
      },
    });
    const error = await fail(refused.create(BODY));
    expect(attempts).toBe(2);
    expect(error).toMatchObject({ name: "APIConnectionError", notSent: true, taskMayExist: false });
    expect((error as Error).message).toMatch(/from http:\/\/127\.0\.0\.1:\d+/);
  });
});

describe("slow and broken responses", () => {
  const neverEnds: Handler = ({ res }) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": "500" });
    res.write('{"id": "video_123", "status": "que');
  };
  it("a response that never ends: the attempt times out, and a POST is not resent", async () => {
    const { server, client } = await serve(neverEnds);
    expect(await fail(client({ timeoutMs: 300 }).retrieve("video_123"))).toBeInstanceOf(APIConnectionTimeoutError);
    const error = await fail(client({ timeoutMs: 300, maxRetries: 2 }).create(BODY));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(error).toMatchObject({ taskMayExist: true });
    expect(posts(server)).toBe(1);
  });

  it("a 200 cut mid-JSON: APIConnectionError while reading, and a POST is not resent", async () => {
    const { server, client } = await serve(({ res, socket }) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "400" });
      res.write('{"id": "video_123", "object": "video", "sta', () => socket.destroy());
    });
    expect((await fail(client().retrieve("video_123"))) as Error).toMatchObject({
      message: expect.stringMatching(/while reading/),
    });
    expect(await fail(client({ maxRetries: 2 }).create(BODY))).toBeInstanceOf(APIConnectionError);
    expect(posts(server)).toBe(1);
  });

  it("a compressed bomb (a small gzip of 64 MB) is refused at the size cap; the create says a task may exist", async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    const { server, client } = await serve(({ res }) =>
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" }).end(bomb),
    );
    const error = await fail(client({ maxRetries: 2 }).create(BODY));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toMatchObject({ taskMayExist: true, message: expect.stringMatching(/more than 4 MB/) });
    expect(posts(server)).toBe(1);
  });

  it("a download whose body stalls on the wire stops after timeoutMs without data, with the task id", async () => {
    const storage = await serve(({ res }) => {
      res.writeHead(200, { "content-type": "video/mp4", "content-length": "100000" });
      res.write(Buffer.alloc(1000));
    });
    const sdk = createVideoClient({ baseUrl: "https://gateway.example.com", apiKey: API_KEY, timeoutMs: 300 });
    const response = await sdk.download(
      task({ status: "completed", video_url: `${storage.server.url}/v.mp4` }) as never,
    );
    const error = await fail(response.arrayBuffer());
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
  });
});

describe("redirects", () => {
  it.each([307, 308])("a %i on create is an error, and the create is never resent by it", async (status) => {
    const { server, client } = await serve(({ res }) =>
      res.writeHead(status, { location: "/v1/video/generations" }).end(),
    );
    const error = await fail(client({ maxRetries: 2 }).create(BODY));
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({
      status,
      taskMayExist: false,
      message: expect.stringMatching(/do not follow redirects/),
    });
    expect(posts(server)).toBe(1);
  });
});

describe("tasks that do not end well", () => {
  it("a task that stays in_progress forever: WaitTimeoutError with the task id and the last task", async () => {
    const { server, client } = await serve(({ req, res }) =>
      sendJson(res, 200, task({ status: req.method === "POST" ? "queued" : "in_progress", progress: 50 })),
    );
    const error = await fail(client().generate(BODY, { pollIntervalMs: 50, timeoutMs: 300 }));
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error).toMatchObject({ taskId: "video_123", lastTask: { status: "in_progress", progress: 50 } });
    expect(posts(server)).toBe(1);
  });

  it("a video URL on another host that answers 403 (expired): VideoUrlExpiredError, and no key sent there", async () => {
    const storage = await serve(({ res }) =>
      res.writeHead(403, { "content-type": "application/xml" }).end("<Error>Expired</Error>"),
    );
    const { client } = await serve(({ res }) =>
      sendJson(res, 200, task({ status: "completed", video_url: `${storage.server.url}/video_123.mp4` })),
    );
    const done = await client().generate(BODY, { pollIntervalMs: 10 });
    const error = await fail(client().download(done));
    expect(error).toBeInstanceOf(VideoUrlExpiredError);
    expect(error).toMatchObject({ status: 403, taskId: "video_123" });
    expect(storage.server.requests.map((request) => request.headers.authorization)).toEqual([undefined]);
  });
});
