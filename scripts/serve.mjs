// `make serve`: the Prism mock of the bundled spec on 127.0.0.1:4010 and the built docs on
// 127.0.0.1:4011. Ctrl-C (or SIGTERM) stops both. Ports: MOCK_PORT, DOCS_PORT.
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { createRequire } from "node:module";

const HOST = "127.0.0.1";
const mockPort = Number(process.env.MOCK_PORT ?? 4010);
const docsPort = Number(process.env.DOCS_PORT ?? 4011);
const docsFile = new URL("../dist/docs/index.html", import.meta.url);
const prismCli = createRequire(import.meta.url).resolve("@stoplight/prism-cli/dist/index.js");

const prism = spawn(process.execPath, [prismCli, "mock", "generated/openapi.yaml", "-h", HOST, "-p", String(mockPort)], {
  stdio: "inherit",
});

const docs = createServer(async (request, response) => {
  if (request.url !== "/" && request.url !== "/index.html") {
    response.writeHead(404, { "content-type": "text/plain" }).end("Not found: the docs are at /\n");
    return;
  }
  try {
    const html = await readFile(docsFile);
    response.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" }).end(html);
  } catch {
    response.writeHead(500, { "content-type": "text/plain" }).end("dist/docs/index.html is missing: run make docs\n");
  }
});
docs.listen(docsPort, HOST, () => {
  console.log(`docs: http://${HOST}:${docsPort}/   mock API: http://${HOST}:${mockPort}   (Ctrl-C stops both)`);
});

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  docs.close();
  if (prism.exitCode === null) prism.kill("SIGTERM");
  setTimeout(() => process.exit(code), 200).unref();
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));
prism.on("exit", (code) => {
  if (!stopping) console.error(`Prism exited (code ${code}); stopping the docs server too.`);
  stop(code ?? 1);
});
docs.on("error", (error) => {
  console.error(`docs server: ${error.message}`);
  stop(1);
});
