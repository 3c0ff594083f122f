// @ts-check
// `make build`: the package in dist/, laid out like its entry points (dist/index.js,
// dist/node.js, dist/mock/index.js, dist/cli.js). esbuild compiles the sources and the generated
// runtime code together, split so that every entry shares one copy of the SDK (the CLI included:
// its requests are the SDK's; only a video's bytes may come off a socket of its own, see
// src/cli/socket-body.ts); tsc writes the declarations (tsconfig.build.json).
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { build } from "esbuild";

// Everything but the docs page, which `make docs` builds (and the package ships) beside it.
for (const entry of await readdir("dist").catch(() => [])) {
  if (entry !== "docs") await rm(join("dist", entry), { recursive: true, force: true, maxRetries: 3 });
}
await build({
  entryPoints: {
    index: "src/index.ts",
    node: "src/node.ts",
    "mock/index": "src/mock/index.ts",
    cli: "src/cli/bin.ts",
  },
  outdir: "dist",
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  // The CLI imports the SDK by its public name, as users do; here that is the source itself.
  alias: { "kling-video": "./src/index.ts", "kling-video/node": "./src/node.ts" },
  external: ["openapi-fetch", "msw", "msw/*", "node:*"],
  legalComments: "none",
  logLevel: "warning",
});
