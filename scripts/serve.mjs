// `make serve`: the Prism mock of the bundled spec on 127.0.0.1:4010 (CORS open) and the built
// docs on 127.0.0.1:4011. Ctrl-C (or SIGTERM) stops both. Ports: MOCK_PORT, DOCS_PORT.
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { startPrism } from "./prism.mjs";

const HOST = "127.0.0.1";
const mockPort = Number(process.env.MOCK_PORT ?? 4010);
const docsPort = Number(process.env.DOCS_PORT ?? 4011);
const docsFile = new URL("../dist/docs/index.html", import.meta.url);

// The docs are one page that routes in the browser (/video/createvideotask...): every path gets it.
const docs = createServer(async (request, response) => {
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405, { "content-type": "text/plain" }).end("Method not allowed\n");
    return;
  }
  try {
    const html = await readFile(docsFile);
    response.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" }).end(html);
  } catch {
    response.writeHead(500, { "content-type": "text/plain" }).end("dist/docs/index.html is missing: run make docs\n");
  }
});
docs.on("error", (error) => {
  console.error(`docs server: ${error.message}`);
  process.exit(1);
});
await new Promise((resolve) => docs.listen(docsPort, HOST, () => resolve(undefined)));
// Prism's own handlers stop it on Ctrl-C; the docs server goes with this process.
const prism = await startPrism({ port: mockPort, echo: true, readyTimeoutMs: 60_000 });
console.log(
  `\n  docs:     http://${HOST}:${docsPort}/\n  mock API: ${prism.url}  (try: curl ${prism.url}/v1/videos/demo -H "Authorization: Bearer sk-test")\n  Ctrl-C stops both.\n`,
);
