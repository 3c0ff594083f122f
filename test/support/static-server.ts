// Serves files to the browser tests from 127.0.0.1: chosen repository paths, plus files built
// in memory (the bundled demo script, MSW's worker).
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { type LoopbackGateway, startLoopbackGateway } from "./loopback-gateway.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".json": "application/json",
  ".mp4": "video/mp4",
};

/** `routes` maps URL paths to in-memory content; `roots` are repository folders served as is. */
export function startStaticServer(options: {
  roots: string[];
  routes?: Record<string, string | Uint8Array>;
}): Promise<LoopbackGateway> {
  return startLoopbackGateway(
    async ({ req, res }) => {
      const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
      const type = TYPES[extname(path)] ?? "application/octet-stream";
      const inMemory = options.routes?.[path];
      if (inMemory !== undefined) return res.writeHead(200, { "content-type": type }).end(inMemory);
      const relative = normalize(path).replace(/^\/+/, "");
      if (!options.roots.some((root) => relative.startsWith(`${root}/`)) || relative.includes("..")) {
        return res.writeHead(404, { "content-type": "text/plain" }).end("not served");
      }
      try {
        res.writeHead(200, { "content-type": type }).end(await readFile(join(REPO, relative)));
      } catch {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      }
    },
    { patient: true },
  );
}
