// The SDK against a fault-injecting fake gateway on 127.0.0.1 (real sockets, real timers):
// for each fault, the exact number of requests the server saw, the error and its fields, no
// second create where the task may have been taken, the task id kept, and nothing left open.
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { freePort } from "../../scripts/prism.mjs";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  createVideoClient,
  InternalServerError,
  RateLimitError,
  type VideoClientOptions,
  VideoUrlExpiredError,
  WaitTimeoutError,
} from "../../src/index.js";
import { type FakeGateway, type Handler, sendJson, startFakeGateway } from "../support/fake-gateway.js";
import { API_KEY, task } from "../support/scripted-fetch.js";
import { trackTimers } from "../support/timers.js";

const BODY = { model: "kling-v3-std-silent", prompt: "a fox in the snow" } as const;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);
let gateway: FakeGateway | undefined;
let pendingTimers: Set<unknown>;

beforeEach(() => {
  unhandled.length = 0;
  process.on("unhandledRejection", onUnhandled);
  pendingTimers = trackTimers();
});
afterEach(async () => {
  // Nothing may be left: no timer, no socket (idle keep-alive ones are closed by the server
  // within 100 ms), no rejection nobody handled.
  expect(pendingTimers.size, "timers left running").toBe(0);
  vi.restoreAllMocks();
  await new Promise((resolve) => setTimeout(resolve, 400));
  expect(gateway?.openSockets() ?? 0, "open sockets").toBe(0);
  process.off("unhandledRejection", onUnhandled);
  expect(unhandled).toEqual([]);
  await gateway?.close();
  gateway = undefined;
});

async function serve(handler: Handler, options: { readBody?: boolean } = {}) {
  gateway = await startFakeGateway(handler, options);
  const server = gateway;
  return {
    server,
    client: (overrides: Partial<VideoClientOptions> = {}) =>
      createVideoClient({ baseUrl: server.url, apiKey: API_KEY, timeoutMs: 1000, ...overrides }),
  };
}
/** The call's error, checked on the way for the API key in every rendering of it. */
const fail = <T>(call: Promise<T>) =>
  call.then(
    () => expect.unreachable("the call succeeded"),
    (error: unknown) => {
      for (const rendering of [
        String(error),
        (error as Error).stack,
        JSON.stringify(error),
        inspect(error, { depth: 10, showHidden: true }),
      ]) {
        expect(rendering).not.toContain(API_KEY);
      }
      return error;
    },
  );
const posts = (server: FakeGateway) => server.requests.filter((request) => request.method === "POST").length;

describe("429 with a server-given wait", () => {
  it.each([
    ["Retry-After in seconds", () => ({ "retry-after": "1" }), 900],
    ["Retry-After as an HTTP date", () => ({ "retry-after": new Date(Date.now() + 2000).toUTCString() }), 900],
    ["retry-after-ms", () => ({ "retry-after-ms": "150" }), 140],
  ])("%s: waits, then one more request succeeds (GET and POST)", async (_, headers, atLeastMs) => {
    const arrivals: number[] = [];
    const { server, client } = await serve(({ res, index }) => {
      arrivals.push(Date.now());
      if (index % 2 === 0)
        return sendJson(res, 429, { error: { message: "slow down", type: "rate_limit_error" } }, headers());
      sendJson(res, 200, task());
    });
    await client().retrieve("video_123");
    await client().create(BODY);
    expect(server.requests.map((request) => request.method)).toEqual(["GET", "GET", "POST", "POST"]);
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(atLeastMs);
    expect(arrivals[3]! - arrivals[2]!).toBeGreaterThanOrEqual(atLeastMs);
  });

  it("gives up after maxRetries with RateLimitError and the request id", async () => {
    const { server, client } = await serve(({ res }) =>
      sendJson(
        res,
        429,
        { error: { message: "slow down", code: "rate_limit_exceeded" } },
        { "retry-after-ms": "20", "x-request-id": "req_429" },
      ),
    );
    const error = await fail(client().create(BODY));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, code: "rate_limit_exceeded", requestId: "req_429" });
    expect(posts(server)).toBe(3);
  });
});

describe("5xx runs", () => {
  it.each([500, 502, 503])("GET: two %i then success: three requests", async (status) => {
    const { server, client } = await serve(({ res, index }) =>
      index < 2 ? sendJson(res, status, { error: { message: "busy" } }) : sendJson(res, 200, task()),
    );
    expect(await client().retrieve("video_123")).toMatchObject({ id: "video_123" });
    expect(server.requests).toHaveLength(3);
  });

  it.each([500, 502, 503])("POST: %i is never resent (the task may exist)", async (status) => {
    const { server, client } = await serve(({ res }) =>
      sendJson(res, status, { error: { message: "upstream hiccup" } }),
    );
    const error = await fail(client().create(BODY));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(posts(server)).toBe(1);
  });

  it("an HTML 502 page: InternalServerError with the page title, GET retried twice", async () => {
    const { server, client } = await serve(({ res }) =>
      res
        .writeHead(502, { "content-type": "text/html" })
        .end("<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>"),
    );
    const error = await fail(client().retrieve("video_123"));
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as Error).message).toBe("502 502 Bad Gateway (HTML error page)");
    expect(server.requests).toHaveLength(3);
  });
});

describe("connection resets", () => {
  const resetBeforeBody: Handler = ({ socket }) => void socket.destroy();
  it("before the request body is read: GET retried to the limit", async () => {
    const { server, client } = await serve(resetBeforeBody, { readBody: false });
    const error = await fail(client().retrieve("video_123"));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(server.requests).toHaveLength(3);
  });

  it("before the request body is read: POST sent once (a reset cannot prove the task was not taken)", async () => {
    const { server, client } = await serve(resetBeforeBody, { readBody: false });
    const error = await fail(client().create(BODY));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as APIConnectionError).notSent).toBe(false);
    expect((error as Error).message).toMatch(/may have reached the gateway/);
    expect(posts(server)).toBe(1);
  });

  it("after the request body is read: POST sent once", async () => {
    const { server, client } = await serve(({ socket, body }) => {
      expect(JSON.parse(body)).toEqual(BODY);
      socket.destroy();
    });
    expect(await fail(client().create(BODY))).toBeInstanceOf(APIConnectionError);
    expect(posts(server)).toBe(1);
  });

  it("connection refused (nothing listening): POST is resent, as it never left", async () => {
    const { server } = await serve(({ res }) => sendJson(res, 200, task()));
    let attempts = 0;
    const refused = createVideoClient({
      baseUrl: `http://127.0.0.1:${await freePort()}`,
      apiKey: API_KEY,
      maxRetries: 2,
      fetch: (url, init) => {
        attempts++;
        return fetch(url, init);
      },
    });
    const error = await fail(refused.create(BODY));
    expect(attempts).toBe(3);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as APIConnectionError).notSent).toBe(true);
    expect(server.requests).toHaveLength(0);
  });
});

describe("slow and broken responses", () => {
  const neverEnds: Handler = ({ res }) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": "500" });
    res.write('{"id": "video_123", "status": "que');
  };
  it("a response that never ends: each GET attempt times out, three in all", async () => {
    const { server, client } = await serve(neverEnds);
    const error = await fail(client({ timeoutMs: 300 }).retrieve("video_123"));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(server.requests).toHaveLength(3);
  });

  it("a response that never ends: POST times out once and is not resent", async () => {
    const { server, client } = await serve(neverEnds);
    const error = await fail(client({ timeoutMs: 300 }).create(BODY));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect((error as Error).message).toMatch(/may have reached the gateway/);
    expect(posts(server)).toBe(1);
  });

  const cutMidJson: Handler = ({ res, socket }) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": "400" });
    res.write('{"id": "video_123", "object": "video", "sta', () => socket.destroy());
  };
  it("a 200 cut mid-JSON: GET retried, then APIConnectionError", async () => {
    const { server, client } = await serve(cutMidJson);
    const error = await fail(client().retrieve("video_123"));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toMatch(/while reading the response/);
    expect(server.requests).toHaveLength(3);
  });

  it("a 200 cut mid-JSON: POST not resent", async () => {
    const { server, client } = await serve(cutMidJson);
    expect(await fail(client().create(BODY))).toBeInstanceOf(APIConnectionError);
    expect(posts(server)).toBe(1);
  });
});

describe("tasks that do not end well", () => {
  it("a task that stays in_progress forever: WaitTimeoutError with the task id and the last task", async () => {
    const { server, client } = await serve(({ req, res }) =>
      sendJson(res, 200, task({ status: req.method === "POST" ? "queued" : "in_progress", progress: 50 })),
    );
    const error = await fail(client().generate(BODY, { pollIntervalMs: 50, timeoutMs: 500 }));
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error).toMatchObject({ taskId: "video_123", lastTask: { status: "in_progress", progress: 50 } });
    expect(posts(server)).toBe(1);
    expect(server.requests.length).toBeGreaterThanOrEqual(5);
  });

  it("a status the spec does not know: reported through onProgress, bounded by the deadline", async () => {
    const { client } = await serve(({ req, res }) =>
      sendJson(res, 200, task({ status: req.method === "POST" ? "queued" : "succeed" })),
    );
    const statuses: string[] = [];
    const error = await fail(
      client().generate(BODY, {
        pollIntervalMs: 50,
        timeoutMs: 400,
        onProgress: (seen) => void statuses.push(seen.status),
      }),
    );
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as WaitTimeoutError).taskId).toBe("video_123");
    expect(statuses).toEqual(["succeed"]);
  });

  it("a video_url that answers 403 (expired): VideoUrlExpiredError with the task id", async () => {
    const { server, client } = await serve(({ req, res }) => {
      if (req.url?.startsWith("/storage/"))
        return res.writeHead(403, { "content-type": "application/xml" }).end("<Error>Expired</Error>");
      sendJson(res, 200, task({ status: "completed", video_url: `${server.url}/storage/video_123.mp4` }));
    });
    const done = await client().generate(BODY, { pollIntervalMs: 10 });
    const error = await fail(client().download(done));
    expect(error).toBeInstanceOf(VideoUrlExpiredError);
    expect(error).toMatchObject({ status: 403, taskId: "video_123" });
    const storage = server.requests.filter((request) => request.url.startsWith("/storage/"));
    expect(storage).toHaveLength(1);
    expect(storage[0]!.headers.authorization).toBeUndefined();
  });
});
