// A scriptable HTTP server on 127.0.0.1 standing in for a real gateway (or its video storage):
// each test decides what every request gets, and can see everything that was sent.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** Answers one request. `index` counts requests from 0; `body` is read unless `readBody` is false. */
export type Handler = (context: {
  req: IncomingMessage;
  res: ServerResponse;
  body: string;
  index: number;
  socket: Socket;
}) => unknown;

export interface LoopbackGateway {
  url: string;
  requests: RecordedRequest[];
  /** Sockets currently open (keep-alive included): none should remain once a client is done. */
  openSockets(): number;
  close(): Promise<void>;
}

export interface LoopbackGatewayOptions {
  /** Read the request body before calling the handler (default true). */
  readBody?: boolean;
  /**
   * Node's usual connection timeouts, for a browser (default false). Otherwise idle connections
   * close within 100-200 ms, so that a socket a client leaves open shows in openSockets().
   */
  patient?: boolean;
}

export async function startLoopbackGateway(
  handler: Handler,
  options: LoopbackGatewayOptions = {},
): Promise<LoopbackGateway> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  // A connection that sends no request within 200 ms is closed: after an aborted response,
  // undici opens a spare connection it never uses (nodejs/undici#5845), which is not the SDK's.
  const server = createServer(
    options.patient ? {} : { headersTimeout: 200, requestTimeout: 0, connectionsCheckingInterval: 50 },
    async (req, res) => {
      const index = requests.length;
      const record: RecordedRequest = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: "" };
      requests.push(record);
      if (options.readBody !== false) {
        for await (const chunk of req) record.body += chunk;
      }
      try {
        await handler({ req, res, body: record.body, index, socket: req.socket });
      } catch (error) {
        if (!res.headersSent) res.writeHead(599).end(String(error));
      }
    },
  );
  if (!options.patient) server.keepAliveTimeout = 100; // idle keep-alive sockets close quickly, so leaks show
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address !== "object") throw new Error("fake gateway has no port");
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    openSockets: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res
    .writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers })
    .end(text);
}
