// The mock gateway over real HTTP (node:http), for what cannot be intercepted in process: the
// CLI, other languages, a browser app on another origin, `make serve` behind Prism. It also
// serves the built docs at /docs/ (dist/docs/index.html ships in the package), and a short
// index at / that lists the routes, scenarios and flavours.
import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { OPERATIONS } from "../../generated/examples.js";
import { FLAVOR_HEADER, MOCK_FLAVORS } from "./flavors.js";
import { createMockGateway, type MockGatewayOptions } from "./gateway.js";
import { MOCK_SCENARIOS, SCENARIO_HEADER } from "./scenarios.js";

export interface MockServerOptions extends MockGatewayOptions {
  /** The port (default 4010; 0 picks a free one). */
  port?: number;
  /** The address to listen on (default 127.0.0.1: this machine only). */
  host?: string;
  /** The docs page served at /docs/ (default: the package's dist/docs/index.html, where it is built); null for none. */
  docsFile?: string | null;
  /** Called once for every request, when it has been answered: a log line, a record for tests. */
  onRequest?: (entry: MockRequestLog) => void;
}

export interface MockRequestLog {
  method: string;
  /** The path and query. */
  path: string;
  /** The status answered, or "dropped" when the connection was closed without an answer. */
  status: number | "dropped";
}

export interface MockServer {
  /** Where the mock answers, e.g. http://127.0.0.1:4010: the SDK's baseUrl. */
  url: string;
  /** Stops listening and closes every open connection. */
  close(): Promise<void>;
}

/**
 * Starts the mock gateway on node:http. Rejects when the port is taken, with an error whose
 * `code` is "EADDRINUSE".
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const { port = 4010, host = "127.0.0.1", onRequest } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new RangeError(`port must be an integer from 0 to 65535, got ${String(port)}`);
  const gateway = createMockGateway(options);
  const docsFile = options.docsFile === undefined ? packageDocs() : options.docsFile;
  let own = "";

  const server = createServer(async (req, res) => {
    const path = req.url ?? "/";
    let response: Response;
    try {
      const request = await toRequest(req, originOf(req, own));
      response = (await gateway.handle(request)) ?? (await page(request, docsFile));
    } catch (error) {
      response = new Response(`The mock failed: ${(error as Error).message}\n`, { status: 500 });
    }
    if (response.type === "error") {
      req.socket.destroy();
      onRequest?.({ method: req.method ?? "", path, status: "dropped" });
      return;
    }
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
    onRequest?.({ method: req.method ?? "", path, status: response.status });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => reject(listenError(error, host, port)));
    server.listen(port, host, () => resolve());
  });
  own = urlOf(server.address() as AddressInfo);
  let closed: Promise<void> | undefined;
  return {
    url: own,
    close: () => {
      closed ??= new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  const reason =
    error.code === "EADDRINUSE"
      ? `port ${port} is already in use (by another mock, Prism, or any other server): stop it, or choose another port`
      : error.message;
  return Object.assign(new Error(`The mock cannot listen on ${host}:${port}: ${reason}`, { cause: error }), {
    code: error.code,
  });
}

function urlOf(address: AddressInfo): string {
  const shown = address.address === "0.0.0.0" ? "127.0.0.1" : address.address === "::" ? "::1" : address.address;
  return `http://${shown.includes(":") ? `[${shown}]` : shown}:${address.port}`;
}

/**
 * The origin the client used (its Host header), so that video URLs work for it: behind a proxy
 * such as Prism, the mock's own address. The server's own URL when Host is unusable.
 */
function originOf(req: IncomingMessage, own: string): string {
  try {
    return new URL(`http://${req.headers.host}`).origin;
  } catch {
    return own;
  }
}

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const headers = new Headers();
  for (let index = 0; index < req.rawHeaders.length; index += 2)
    headers.append(req.rawHeaders[index]!, req.rawHeaders[index + 1]!);
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const method = req.method ?? "GET";
  return new Request(new URL(req.url ?? "/", origin), {
    method,
    headers,
    body: method === "GET" || method === "HEAD" ? undefined : Buffer.concat(chunks),
  });
}

/** Paths that are not the gateway's: the docs, an index, or 404. */
async function page(request: Request, docsFile: string | null): Promise<Response> {
  const { pathname } = new URL(request.url);
  const text = (status: number, body: string) =>
    new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
  if (request.method !== "GET" && request.method !== "HEAD") return text(405, "Method not allowed\n");
  if (pathname === "/docs") return new Response(null, { status: 301, headers: { location: "/docs/" } });
  if (pathname.startsWith("/docs/")) {
    // One page that routes in the browser: every path under /docs/ gets it.
    if (docsFile === null || !existsSync(docsFile))
      return text(404, "The docs page is not built: run `make docs` in the kling-video repository.\n");
    return new Response(await readFile(docsFile), {
      headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" },
    });
  }
  if (pathname === "/") return text(200, indexText(docsFile !== null && existsSync(docsFile)));
  return text(404, "Not found: see / for what the mock serves.\n");
}

function indexText(withDocs: boolean): string {
  const rows = (entries: [string, string][]) => {
    const width = Math.max(...entries.map(([name]) => name.length));
    return entries.map(([name, text]) => `  ${name.padEnd(width)}  ${text}`).join("\n");
  };
  return [
    "kling-video mock gateway",
    "",
    rows(Object.values(OPERATIONS).map(({ method, path }) => [method, path])),
    ...(withDocs ? ["", "API docs: /docs/"] : []),
    "",
    'Any "Authorization: Bearer <key>" is accepted.',
    "",
    `Scenarios (the ${SCENARIO_HEADER} header, comma-separated, or [mock:NAME] in a prompt):`,
    rows(MOCK_SCENARIOS.map(({ name, description }) => [name, description])),
    "",
    `Flavours (the ${FLAVOR_HEADER} header):`,
    rows(MOCK_FLAVORS.map(({ name, description }) => [name, description])),
    "",
  ].join("\n");
}

/** The package's built docs page, found from this module's place in it (source or dist). */
function packageDocs(): string | null {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(folder, "package.json");
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).name === "kling-video")
      return join(folder, "dist", "docs", "index.html");
    const parent = dirname(folder);
    if (parent === folder) return null;
    folder = parent;
  }
}
