// The mock gateway over real HTTP on a free 127.0.0.1 port (startMockServer, as kling-video/node
// exports it), for clients that cannot be intercepted in process: the CLI, spawned scripts.
// `requests` lists what it answered, in order.
import { type MockRequestLog, type MockServerOptions, startMockServer as start } from "../../src/node.js";

export async function startMockServer(options: Omit<MockServerOptions, "port" | "onRequest"> = {}) {
  const requests: MockRequestLog[] = [];
  const server = await start({ docsFile: null, ...options, port: 0, onRequest: (entry) => requests.push(entry) });
  return { url: server.url, requests, close: server.close };
}
