// The kling-video/mock gateway served over real HTTP on 127.0.0.1, for clients that cannot be
// intercepted in-process (the CLI, spawned as a child process).
import type { IncomingMessage } from "node:http";
import { createMockGateway, type MockGatewayOptions } from "../../src/mock/index.js";
import { type FakeGateway, startFakeGateway } from "./fake-gateway.js";

export async function startMockServer(options: MockGatewayOptions = {}): Promise<FakeGateway> {
  const gateway = createMockGateway(options);
  let origin = "";
  const server = await startFakeGateway(async ({ req, res, body }) => {
    const response =
      (await gateway.handle(toRequest(origin, req, body))) ?? new Response("not a mock path", { status: 404 });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  origin = server.url;
  return server;
}

function toRequest(origin: string, req: IncomingMessage, body: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  return new Request(new URL(req.url ?? "/", origin), {
    method: req.method,
    headers,
    body: req.method === "GET" ? undefined : body,
  });
}
