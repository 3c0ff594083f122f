// A loopback gateway for batches run by the real CLI: a core that makes tasks and serves their
// videos (by default `quickTasks`, whose tasks finish in tens of milliseconds, each with a video
// of its own), behind a front that injects seeded faults: 429 with Retry-After, 5xx, connections
// dropped before or after the core took a create, slow answers, downloads cut short. The front
// records every task the core made (and for which prompt), whatever became of the answer, so a
// test can hold the client to "no job created twice, no task id lost". The faults come from a
// seeded generator, drawn in the order requests arrive: a run's mix is the seed's, its exact
// sequence depends on timing.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { jsonResponse } from "./scripted-fetch.js";

/** Answers a request as a gateway would (undefined: not a gateway path). */
export type GatewayCore = (request: Request) => Promise<Response | undefined>;

/** Chances (0..1) of each fault, per request. */
export interface Faults {
  create: { rateLimited: number; serverError: number; dropBefore: number; dropAfter: number; slow: number };
  poll: { rateLimited: number; serverError: number; drop: number; slow: number };
  download: { cut: number; slow: number };
}

export const NO_FAULTS: Faults = {
  create: { rateLimited: 0, serverError: 0, dropBefore: 0, dropAfter: 0, slow: 0 },
  poll: { rateLimited: 0, serverError: 0, drop: 0, slow: 0 },
  download: { cut: 0, slow: 0 },
};

export interface FaultyGateway {
  url: string;
  /** Every task the core made, in order, with the prompt it was made for. */
  made: { taskId: string; prompt: string }[];
  /** Requests by kind and what the front did with them. */
  log: { kind: "create" | "poll" | "download" | "other"; fault?: string; at: number }[];
  /** The sha256 of the video the core serves for a task. */
  videoSha256(taskId: string): Promise<string>;
  close(): Promise<void>;
}

export interface FaultyGatewayOptions {
  seed: number;
  faults?: Faults;
  /** Builds the core once the server's URL is known (default: quickTasks). */
  core?: (url: string) => GatewayCore;
}

export async function startFaultyGateway(options: FaultyGatewayOptions): Promise<FaultyGateway> {
  const random = seededRandom(options.seed);
  const faults = options.faults ?? NO_FAULTS;
  const made: FaultyGateway["made"] = [];
  const log: FaultyGateway["log"] = [];
  const sockets = new Set<Socket>();
  let core: GatewayCore = async () => undefined;
  let origin = "";

  const forward = async (req: IncomingMessage, body: Buffer) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    const request = new Request(new URL(req.url ?? "/", origin), {
      method: req.method,
      headers,
      ...(req.method === "POST" ? { body: new Uint8Array(body) } : {}),
    });
    return (await core(request)) ?? new Response("not a gateway path", { status: 404 });
  };
  const send = async (res: ServerResponse, response: Response, cutAfter?: number) => {
    const bytes = Buffer.from(await response.arrayBuffer());
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (cutAfter === undefined) return void res.end(bytes);
    res.write(bytes.subarray(0, cutAfter), () => res.socket?.destroy());
  };
  const errorAnswer = (res: ServerResponse, status: number, headers: Record<string, string> = {}) => {
    const text = JSON.stringify({
      error: { message: `injected ${status}`, type: "server_error", code: `fault_${status}` },
    });
    res.writeHead(status, { "content-type": "application/json", ...headers }).end(text);
  };
  const retryAfter = () => ({ "retry-after": "0", "retry-after-ms": String(5 + Math.floor(random() * 30)) });
  const pause = (max: number) => new Promise((resolve) => setTimeout(resolve, 10 + random() * max));

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const path = new URL(req.url ?? "/", origin).pathname;
    const kind =
      req.method === "POST" && path === "/v1/video/generations"
        ? "create"
        : req.method === "GET" && /^\/v1\/(videos|video\/generations)\/[^/]+$/.test(path)
          ? "poll"
          : req.method === "GET"
            ? "download"
            : "other";
    const fault = kind === "other" ? undefined : pick(faults[kind], random());
    log.push({ kind, ...(fault ? { fault } : {}), at: Date.now() });
    try {
      if (kind === "create") {
        if (fault === "rateLimited") return errorAnswer(res, 429, retryAfter());
        if (fault === "serverError") return errorAnswer(res, 503);
        if (fault === "dropBefore") return void req.socket.destroy();
        if (fault === "slow") await pause(60);
        const response = await forward(req, body);
        if (response.ok) {
          const task = (await response.clone().json()) as { id: string };
          made.push({ taskId: task.id, prompt: String((JSON.parse(String(body)) as { prompt?: unknown }).prompt) });
        }
        if (fault === "dropAfter") return void req.socket.destroy();
        return await send(res, response);
      }
      if (kind === "poll") {
        if (fault === "rateLimited") return errorAnswer(res, 429, retryAfter());
        if (fault === "serverError") return errorAnswer(res, 503, retryAfter());
        if (fault === "drop") return void req.socket.destroy();
        if (fault === "slow") await pause(40);
        return await send(res, await forward(req, body));
      }
      const response = await forward(req, body);
      if (kind === "download" && response.ok && fault === "cut") {
        const length = Number(response.headers.get("content-length")) || 2;
        return await send(res, response, Math.floor(length / 2));
      }
      if (fault === "slow") await pause(40);
      return await send(res, response);
    } catch (error) {
      if (!res.headersSent) res.writeHead(599).end(String(error));
    }
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address !== "object") throw new Error("the gateway has no port");
  origin = `http://127.0.0.1:${address.port}`;
  core = (options.core ?? quickTasks)(origin);
  return {
    url: origin,
    made,
    log,
    async videoSha256(taskId) {
      // With a key, as the gateway's own routes want one.
      const ask = async (path: string) =>
        (await core(new Request(new URL(path, origin), { headers: { authorization: "Bearer sk-test" } })))!;
      const task = (await (await ask(`/v1/videos/${taskId}`)).json()) as { video_url?: string };
      const video = await ask(task.video_url ?? `/v1/videos/${taskId}/content`);
      return createHash("sha256")
        .update(Buffer.from(await video.arrayBuffer()))
        .digest("hex");
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A core whose tasks go queued -> in_progress -> completed within `durationMs`, each with a video
 * of its own: a few kilobytes derived from the task id, served at /videos/<id>.mp4. A prompt that
 * holds "[fail]" ends failed instead.
 */
export function quickTasks(origin: string, durationMs = 30): GatewayCore {
  const tasks = new Map<string, { prompt: string; createdAt: number }>();
  const view = (id: string) => {
    const { createdAt, prompt } = tasks.get(id)!;
    const elapsed = Date.now() - createdAt;
    const done = elapsed >= durationMs;
    const failed = done && prompt.includes("[fail]");
    return {
      id,
      object: "video",
      model: "kling-v3-std-silent",
      status: failed ? "failed" : done ? "completed" : elapsed < durationMs / 3 ? "queued" : "in_progress",
      progress: done ? 100 : Math.floor((elapsed / durationMs) * 100),
      created_at: Math.floor(createdAt / 1000),
      ...(done && !failed ? { video_url: `${origin}/videos/${id}.mp4` } : {}),
      ...(failed ? { error: { code: "content_policy", message: "refused by the provider" } } : {}),
    };
  };
  return async (request) => {
    const path = new URL(request.url).pathname;
    if (request.method === "POST" && path === "/v1/video/generations") {
      const { prompt = "" } = (await request.json()) as { prompt?: string };
      const id = `task_${tasks.size + 1}_${createHash("sha256").update(`${prompt}${Math.random()}`).digest("hex").slice(0, 8)}`;
      tasks.set(id, { prompt, createdAt: Date.now() });
      return jsonResponse(200, { ...view(id), status: "queued", progress: 0 });
    }
    const poll = /^\/v1\/videos\/([^/]+)$/.exec(path);
    if (poll)
      return tasks.has(poll[1]!)
        ? jsonResponse(200, view(poll[1]!))
        : jsonResponse(404, { error: { message: "no such task" } });
    const video = /^\/videos\/([^/]+)\.mp4$/.exec(path);
    if (video && tasks.has(video[1]!)) {
      const bytes = videoBytes(video[1]!);
      return new Response(bytes, { headers: { "content-type": "video/mp4", "content-length": String(bytes.length) } });
    }
    return undefined;
  };
}

/** 4 to 36 KB, different for every task id. */
function videoBytes(taskId: string): Uint8Array<ArrayBuffer> {
  const seed = createHash("sha256").update(taskId).digest();
  const bytes = new Uint8Array(4096 + (seed.readUInt16BE(0) % 32_768));
  for (let index = 0; index < bytes.length; index++) bytes[index] = seed[index % seed.length]! ^ (index & 0xff);
  return bytes;
}

/** One fault of the table, each with its chance, from one roll in [0, 1); or none. */
function pick(chances: Record<string, number>, roll: number): string | undefined {
  let edge = 0;
  for (const [name, chance] of Object.entries(chances)) {
    edge += chance;
    if (roll < edge) return name;
  }
  return undefined;
}

/** mulberry32: the same seed gives the same faults, so a failure can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}
