// The CLI's download straight off a socket (src/cli/socket-body.ts), on 127.0.0.1: a plain 200
// answer is streamed whole, however it is framed, over http and https; everything else is
// declined before a byte is passed on and saved through the SDK's download instead (redirects,
// error statuses, encodings), so the answer a user sees is the SDK's. Stalls, aborts, cut bodies
// and failed writes end the download with nothing saved and no socket left open.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer as createHttpsServer } from "node:https";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { APIConnectionTimeoutError, APIUserAbortError, DEFAULTS } from "kling-video";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { freePort } from "../../scripts/prism.mjs";
import { saveBody } from "../../src/cli/save-file.js";
import { openSocketBody, type SocketBody } from "../../src/cli/socket-body.js";
import { eventually, trapUnhandledRejections } from "../support/harness.js";
import { type Handler, type LoopbackGateway, sendJson, startLoopbackGateway } from "../support/loopback-gateway.js";
import { API_KEY, task } from "../support/scripted-fetch.js";
import { trackTimers } from "../support/timers.js";
import { runCli } from "./run-cli.js";

const VIDEO = Buffer.from(Array.from({ length: 300_000 }, (_, index) => (index * 7) % 251));
const TASK_ID = "video_123";
const TLS = new URL("../fixtures/tls/", import.meta.url);
const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));

const servers: LoopbackGateway[] = [];
let work: string;

trapUnhandledRejections();
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), "kling-socket-"));
});
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  const started = servers.splice(0);
  try {
    for (const server of started) await eventually(() => server.openSockets() === 0, 2_000, "every socket closed");
  } finally {
    await Promise.all(started.map((server) => server.close()));
    await rm(work, { recursive: true, force: true });
  }
});

async function serve(handler: Handler): Promise<LoopbackGateway> {
  const server = await startLoopbackGateway(handler);
  servers.push(server);
  return server;
}

/** A gateway whose task video_123 is completed with the video at `videoUrl` (a path is on the gateway). */
async function gatewayWithVideoAt(videoUrl: string, storage?: Handler) {
  const gateway = await serve((context) => {
    if (context.req.url === `/v1/videos/${TASK_ID}`)
      return sendJson(context.res, 200, task({ status: "completed", video_url: videoUrl }));
    return storage?.(context);
  });
  return { gateway, env: { KLING_VIDEO_BASE_URL: gateway.url, KLING_VIDEO_API_KEY: API_KEY } };
}

/** The raw answer written straight to the socket, for framings node:http would not produce. */
const raw =
  (...parts: (string | Buffer)[]): Handler =>
  ({ socket }) => {
    for (const part of parts) socket.write(part);
    socket.end();
  };

const chunked = (body: Buffer, size: number) => {
  const parts: (string | Buffer)[] = ["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"];
  for (let at = 0; at < body.byteLength; at += size) {
    const piece = body.subarray(at, at + size);
    parts.push(`${piece.byteLength.toString(16)}\r\n`, piece, "\r\n");
  }
  return [...parts, "0\r\n\r\n"];
};

/** The call's error, or its value. */
const outcome = <T>(call: Promise<T>) =>
  call.then(
    (value) => value as T | unknown,
    (error: unknown) => error,
  );
const leftovers = async () => (await readdir(work)).filter((entry) => entry.endsWith(".part"));
const viaSocket = (storage: LoopbackGateway) =>
  storage.requests.filter((request) => request.headers["user-agent"] === "kling-video").length;

describe("kling-video download, straight off the socket", () => {
  it.each([
    [
      "Content-Length",
      ({ res }: Parameters<Handler>[0]) => void res.writeHead(200, { "content-length": VIDEO.byteLength }).end(VIDEO),
    ],
    ["chunked coding", raw(...chunked(VIDEO, 70_001))],
    ["the end of the connection", raw("HTTP/1.0 200 OK\r\nContent-Type: video/mp4\r\n\r\n", VIDEO)],
  ])("saves the whole video framed by %s, in one request, without the key off the gateway", async (_, handler) => {
    const storage = await serve(handler as Handler);
    const { env } = await gatewayWithVideoAt(`${storage.url}/v.mp4?sig=abc`);
    const out = join(work, "v.mp4");
    const run = await runCli(["download", TASK_ID, "--out", out, "--json"], { env });
    expect(run.code, run.stderr).toBe(0);
    expect((await readFile(out)).equals(VIDEO)).toBe(true);
    expect(storage.requests).toHaveLength(1);
    expect(storage.requests[0]).toMatchObject({ method: "GET", url: "/v.mp4?sig=abc" });
    expect(storage.requests[0]!.headers).toMatchObject({
      host: new URL(storage.url).host,
      "user-agent": "kling-video",
      "accept-encoding": "identity",
      connection: "close",
    });
    expect(storage.requests[0]!.headers.authorization).toBeUndefined();
    expect(run.events.at(-1)).toMatchObject({ event: "saved", bytes: VIDEO.byteLength });
  });

  it("sends the key to a video on the gateway's own origin", async () => {
    const { gateway, env } = await gatewayWithVideoAt(
      "/files/v.mp4",
      ({ res }) => void res.writeHead(200, { "content-length": VIDEO.byteLength }).end(VIDEO),
    );
    const run = await runCli(["download", TASK_ID, "--out", join(work, "v.mp4")], { env });
    expect(run.code, run.stderr).toBe(0);
    const video = gateway.requests.find((request) => request.url === "/files/v.mp4")!;
    expect(video.headers).toMatchObject({ authorization: `Bearer ${API_KEY}`, "user-agent": "kling-video" });
  });

  it("follows a storage redirect through the SDK's download (the socket declines it)", async () => {
    const storage = await serve(({ req, res }) =>
      req.url === "/v.mp4"
        ? void res.writeHead(302, { location: "/moved.mp4" }).end()
        : void res.writeHead(200, { "content-length": VIDEO.byteLength }).end(VIDEO),
    );
    const { env } = await gatewayWithVideoAt(`${storage.url}/v.mp4`);
    const out = join(work, "v.mp4");
    const run = await runCli(["download", TASK_ID, "--out", out], { env });
    expect(run.code, run.stderr).toBe(0);
    expect((await readFile(out)).equals(VIDEO)).toBe(true);
    expect(storage.requests.map((request) => request.url)).toEqual(["/v.mp4", "/v.mp4", "/moved.mp4"]);
    expect(viaSocket(storage)).toBe(1);
  });

  it("an expired storage URL is the SDK's error, after one more request through it", async () => {
    const storage = await serve(
      ({ res }) => void res.writeHead(403, { "content-type": "application/xml" }).end("<Error/>"),
    );
    const { env } = await gatewayWithVideoAt(`${storage.url}/v.mp4`);
    const run = await runCli(["download", TASK_ID, "--out", join(work, "v.mp4")], { env });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/expired/i);
    expect(storage.requests).toHaveLength(2);
    expect(await leftovers()).toEqual([]);
  });

  it("a compressed answer is declined and saved decoded, through fetch", async () => {
    const storage = await serve(
      ({ res }) => void res.writeHead(200, { "content-encoding": "gzip" }).end(gzipSync(VIDEO)),
    );
    const { env } = await gatewayWithVideoAt(`${storage.url}/v.mp4`);
    const out = join(work, "v.mp4");
    const run = await runCli(["download", TASK_ID, "--out", out], { env });
    expect(run.code, run.stderr).toBe(0);
    expect((await readFile(out)).equals(VIDEO)).toBe(true);
    expect(storage.requests).toHaveLength(2);
  });

  it("a body cut short: exit 1, nothing saved, no partial file", async () => {
    const storage = await serve(({ socket }) => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${VIDEO.byteLength}\r\n\r\n`);
      socket.write(VIDEO.subarray(0, 100_000));
      socket.end();
    });
    const { env } = await gatewayWithVideoAt(`${storage.url}/v.mp4`);
    const out = join(work, "v.mp4");
    const run = await runCli(["download", TASK_ID, "--out", out], { env });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /the download broke off after \d+ KB \(the connection closed before the response ended\)/,
    );
    expect(await readdir(work)).toEqual([]);
    expect(storage.requests).toHaveLength(1);
  });

  it("a batch saves each video off the socket, with its sha256", async () => {
    const storage = await serve(
      ({ res }) => void res.writeHead(200, { "content-length": VIDEO.byteLength }).end(VIDEO),
    );
    // Every create and poll answers with a task already completed, its video on the storage.
    let created = 0;
    const gateway = await serve(({ res }) =>
      sendJson(res, 200, task({ id: `video_${created++}`, status: "completed", video_url: `${storage.url}/v.mp4` })),
    );
    const jobs = join(work, "jobs.jsonl");
    await writeFile(jobs, '{"name":"one","prompt":"a fox"}\n{"name":"two","prompt":"a cat"}\n');
    const run = await runCli(["batch", jobs, "--out-dir", join(work, "videos"), "--json"], {
      env: { KLING_VIDEO_BASE_URL: gateway.url, KLING_VIDEO_API_KEY: API_KEY },
    });
    expect(run.code, run.stderr).toBe(0);
    for (const name of ["one", "two"])
      expect((await readFile(join(work, "videos", `${name}.mp4`))).equals(VIDEO)).toBe(true);
    expect(viaSocket(storage)).toBe(2);
  });
});

describe("openSocketBody", () => {
  const open = (url: string, options: { signal?: AbortSignal; timeoutMs?: number; authorization?: string } = {}) =>
    openSocketBody(new URL(url), {
      timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
      signal: options.signal ?? new AbortController().signal,
      ...(options.authorization ? { authorization: options.authorization } : {}),
    });
  const collect = async (body: SocketBody) => {
    const chunks: Buffer[] = [];
    await body.pipeTo((chunk) => chunks.push(Buffer.from(chunk)));
    return Buffer.concat(chunks);
  };

  it.each([
    ["an error status", raw("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 2\r\n\r\nno")],
    ["a partial answer", raw("HTTP/1.1 206 Partial Content\r\nContent-Length: 2\r\n\r\nno")],
    ["an unknown transfer coding", raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: br\r\n\r\n")],
    ["a malformed head", raw("HTTP/1.1 200 OK\r\nBroken header\r\n\r\n")],
    ["a connection closed at once", raw()],
  ])("declines %s, leaving nothing open", async (_, handler) => {
    const storage = await serve(handler);
    expect(await open(`${storage.url}/v.mp4`)).toBeUndefined();
  });

  it("declines a refused connection", async () => {
    expect(await open(`http://127.0.0.1:${await freePort()}/v.mp4`)).toBeUndefined();
  });

  it("sends the Authorization it is given, and hands over a body that came with the head", async () => {
    const storage = await serve(raw("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Extra: yes\r\n\r\nhello"));
    const body = (await open(`${storage.url}/v.mp4`, { authorization: "Bearer sk-given" }))!;
    expect(body.headers.get("x-extra")).toBe("yes");
    expect((await collect(body)).toString()).toBe("hello");
    expect(storage.requests[0]!.headers.authorization).toBe("Bearer sk-given");
  });

  it("a body that stalls fails after timeoutMs without data, not before", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const storage = await serve(({ socket }) => void socket.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"));
    const body = (await open(`${storage.url}/v.mp4`, { timeoutMs: 5_000 }))!;
    let received = 0;
    const piped = outcome(
      body.pipeTo((chunk) => {
        received += chunk.byteLength;
      }),
    );
    await eventuallyReal(() => received === 3);
    vi.advanceTimersByTime(4_999);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await Promise.race([piped, "pending"])).toBe("pending");
    vi.advanceTimersByTime(1);
    const error = await piped;
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect((error as Error).message).toBe("The download stalled: no data for 5000 ms");
  });

  it("a write that takes long (a slow disk) does not count as the server's silence", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    let socket: Socket | undefined;
    const storage = await serve((context) => {
      socket = context.socket;
      socket.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n");
    });
    const body = (await open(`${storage.url}/v.mp4`, { timeoutMs: 5_000 }))!;
    let received = 0;
    const piped = outcome(
      body.pipeTo((chunk) => {
        received += chunk.byteLength;
        vi.setSystemTime(Date.now() + 6_000); // the write took 6 s
      }),
    );
    vi.advanceTimersByTime(3_000);
    socket!.write("abc");
    await eventuallyReal(() => received === 3);
    vi.advanceTimersByTime(2_000); // the idle check comes due: the server was silent for 2 s, not 8
    await new Promise((resolve) => setImmediate(resolve));
    expect(await Promise.race([piped, "pending"])).toBe("pending");
    body.cancel(new Error("done"));
    expect(await piped).toMatchObject({ message: "done" });
  });

  it("an answer that never comes is declined after timeoutMs", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const storage = await serve(() => undefined);
    const opening = open(`${storage.url}/v.mp4`, { timeoutMs: 5_000 });
    await eventuallyReal(() => storage.requests.length === 1);
    vi.advanceTimersByTime(5_000);
    expect(await opening).toBeUndefined();
  });

  it("the signal stops it while waiting for the answer, and while reading, leaving no timer", async () => {
    const timers = trackTimers();
    const silent = await serve(() => undefined);
    const waiting = new AbortController();
    const opening = outcome(open(`${silent.url}/v.mp4`, { signal: waiting.signal }));
    await eventually(() => silent.requests.length === 1);
    waiting.abort();
    expect(await opening).toBeInstanceOf(APIUserAbortError);

    const slow = await serve(({ socket }) => void socket.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"));
    const reading = new AbortController();
    const body = (await open(`${slow.url}/v.mp4`, { signal: reading.signal }))!;
    const piped = outcome(body.pipeTo(() => reading.abort()));
    expect(await piped).toBeInstanceOf(APIUserAbortError);
    expect(timers.size, "timers left running").toBe(0);
    vi.restoreAllMocks();
  });

  it("a body that cannot be saved (its folder is gone) is let go: the connection closes", async () => {
    // A body still under way: only the client can end this connection.
    const storage = await serve(({ res }) => void res.writeHead(200, { "content-length": 10_000_000 }).write(VIDEO));
    const body = (await open(`${storage.url}/v.mp4`))!;
    const saving = saveBody(body, join(work, "gone", "v.mp4"), {
      force: false,
      signal: new AbortController().signal,
      partialFiles: undefined,
      onBytes: () => undefined,
    });
    await expect(saving).rejects.toThrow(/ENOENT/);
    await eventually(() => storage.openSockets() === 0, 2_000, "the connection closed");
  });

  it("a write that fails stops the download with its error", async () => {
    const storage = await serve(
      ({ res }) => void res.writeHead(200, { "content-length": VIDEO.byteLength }).end(VIDEO),
    );
    const body = (await open(`${storage.url}/v.mp4`))!;
    const error = await outcome(
      body.pipeTo(() => {
        throw new Error("ENOSPC: no space left on device");
      }),
    );
    expect((error as Error).message).toBe("ENOSPC: no space left on device");
  });
});

describe("https", () => {
  let storage: ReturnType<typeof createHttpsServer>;
  let storageUrl: string;
  const requests: string[] = [];

  beforeEach(async () => {
    requests.length = 0;
    storage = createHttpsServer(
      { key: readFileSync(new URL("loopback.key", TLS)), cert: readFileSync(new URL("loopback.crt", TLS)) },
      (req, res) => {
        requests.push(String(req.headers["user-agent"]));
        // A tiny body arrives with the head and the close: the case TLS delivers after a pause.
        const body = req.url === "/tiny.mp4" ? Buffer.from("tiny") : VIDEO;
        res.writeHead(200, { "content-length": body.byteLength, connection: "close" }).end(body);
      },
    );
    await new Promise<void>((resolve) => storage.listen(0, "127.0.0.1", resolve));
    storageUrl = `https://127.0.0.1:${(storage.address() as { port: number }).port}`;
  });
  afterEach(async () => {
    storage.closeAllConnections();
    await new Promise((resolve) => storage.close(resolve));
  });

  it("saves a body that came whole with the head and the close (TLS delivers them after the pause)", async () => {
    // In process, with verification off for this test only: what is under test is the framing.
    const verify = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
    try {
      for (const attempt of [1, 2, 3]) {
        const body = await openSocketBody(new URL(`${storageUrl}/tiny.mp4`), {
          timeoutMs: DEFAULTS.timeoutMs,
          signal: new AbortController().signal,
        });
        const target = join(work, `tiny-${attempt}.mp4`);
        await saveBody(body!, target, {
          force: false,
          signal: new AbortController().signal,
          partialFiles: undefined,
          onBytes: () => undefined,
        });
        expect(await readFile(target, "utf8")).toBe("tiny");
      }
    } finally {
      if (verify === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = verify;
    }
  });

  /** The built CLI in its own process, since trusted certificates are read at start-up. */
  const spawnCli = (args: string[], env: Record<string, string>) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child: ChildProcess = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, ...env } });
      let stderr = "";
      child.stderr!.on("data", (data) => (stderr += data));
      child.on("close", (code) => resolve({ code, stderr }));
    });

  it("verifies the storage's certificate: trusted, the video comes off the socket; untrusted, nothing is saved", async () => {
    const trust = { NODE_EXTRA_CA_CERTS: fileURLToPath(new URL("loopback.crt", TLS)) };
    const { env } = await gatewayWithVideoAt(`${storageUrl}/v.mp4`);
    const out = join(work, "v.mp4");
    const trusted = await spawnCli(["download", TASK_ID, "--out", out], { ...env, ...trust });
    expect(trusted.code, trusted.stderr).toBe(0);
    expect((await readFile(out)).equals(VIDEO)).toBe(true);
    expect(requests).toEqual(["kling-video"]);

    requests.length = 0;
    const untrusted = await spawnCli(["download", TASK_ID, "--out", join(work, "again.mp4")], env);
    expect(untrusted.code).not.toBe(0);
    expect(untrusted.stderr).toMatch(
      /^kling-video: the download of task video_123 could not connect: .* from https:\/\/127\.0\.0\.1:\d+: .*DEPTH_ZERO_SELF_SIGNED_CERT/,
    );
    expect(requests).toEqual([]);
    expect(await readdir(work)).toEqual(["v.mp4"]);
  });
});

/** Waits on real I/O while the timers are fake (performance.now() is not faked). */
async function eventuallyReal(condition: () => boolean): Promise<void> {
  const deadline = performance.now() + 5_000;
  while (!condition() && performance.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
  expect(condition()).toBe(true);
}
