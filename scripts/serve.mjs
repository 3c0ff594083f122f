// @ts-check
// `make serve`: the stateful mock gateway (kling-video/node's startMockServer, on a free internal
// port) behind Prism as a validating proxy on 127.0.0.1:4010 (MOCK_PORT). Prism checks every
// request and every answer against the bundled spec: a request that breaks it gets Prism's 422,
// an answer that breaks it reaches the client as Prism's 500 (its `validation` list says why)
// and is announced loudly here (scripts/prism-log.mjs). The docs on 127.0.0.1:4011 (DOCS_PORT).
//   node scripts/serve.mjs            MOCK_SPEED (default 1) and MOCK_FLAVOR (default openai) set the mock's defaults
//   node scripts/serve.mjs --static   Prism's static mock of the spec instead (Prefer: code=... / example=...)
// Ctrl-C (or SIGTERM) stops everything. A port that is taken stops it at once, naming the port.
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { PARAMETER_EXAMPLES } from "../generated/examples.js";
import { checkPortFree, startPrism } from "./prism.mjs";
import { violationReporter } from "./prism-log.mjs";

const HOST = "127.0.0.1";
const staticMock = process.argv.includes("--static");
const mockPort = port("MOCK_PORT", 4010);
const docsPort = port("DOCS_PORT", 4011);
const docsFile = new URL("../dist/docs/index.html", import.meta.url);

try {
  await checkPortFree(mockPort, "MOCK_PORT, the mock API");
  await checkPortFree(docsPort, "DOCS_PORT, the docs");
} catch (error) {
  fail(`${/** @type {Error} */ (error).message}: make serve MOCK_PORT=... DOCS_PORT=...`);
}

// The docs are one page that routes in the browser: every path gets it.
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
await new Promise((resolve) => {
  docs.once("error", (error) => fail(`the docs server cannot listen on ${HOST}:${docsPort}: ${error.message}`));
  docs.listen(docsPort, HOST, () => resolve(undefined));
});

/** @type {string | undefined} */
let mockUrl;
/** @type {Awaited<ReturnType<typeof startPrism>>} */
let prism;
try {
  if (staticMock) {
    prism = await startPrism({ port: mockPort, echo: true, readyTimeoutMs: 60_000 });
  } else {
    /** @type {typeof import("../src/node.js")} */
    const { startMockServer } = await import(new URL("../dist/node.js", import.meta.url).href);
    const mock = await startMockServer({
      port: 0,
      host: HOST,
      speed: process.env.MOCK_SPEED ? Number(process.env.MOCK_SPEED) : undefined,
      flavor: /** @type {import("../src/node.js").MockFlavor | undefined} */ (process.env.MOCK_FLAVOR || undefined),
      docsFile: null,
    });
    mockUrl = mock.url;
    const report = violationReporter({ mockUrl: mock.url });
    prism = await startPrism({
      mode: "proxy",
      upstream: mock.url,
      port: mockPort,
      args: ["--errors"],
      readyTimeoutMs: 60_000,
      onLine: (line) => {
        console.log(line);
        report(line);
      },
    });
  }
} catch (error) {
  fail(/** @type {Error} */ (error).message);
}

console.log(
  [
    "",
    `  docs:      http://${HOST}:${docsPort}/`,
    staticMock
      ? `  mock API:  ${prism.url}  (Prism's static mock: pick an answer with Prefer: code=429 or Prefer: example=in_progress)`
      : `  mock API:  ${prism.url}  (the stateful mock ${mockUrl}, every exchange checked by Prism against the spec)`,
    `  try:       curl ${prism.url}/v1/videos/${PARAMETER_EXAMPLES.TaskId} -H "Authorization: Bearer sk-test"`,
    ...(staticMock ? [] : [`  scenarios: ${mockUrl}/ lists them (X-Mock-Scenario header, or [mock:NAME] in a prompt)`]),
    "  Ctrl-C stops everything.",
    "",
  ].join("\n"),
);

/** @param {string} name @param {number} fallback */
function port(name, fallback) {
  const value = Number(process.env[name] || fallback);
  if (!Number.isInteger(value) || value < 1 || value > 65_535)
    fail(`${name} must be a port number, got ${process.env[name]}`);
  return value;
}

/** @param {string} message @returns {never} */
function fail(message) {
  console.error(`make serve: ${message}`);
  process.exit(1);
}
