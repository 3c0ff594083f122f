import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // In-process tests of the CLI and the examples import the SDK by its public name, as users do.
    alias: [
      { find: /^kling-video$/, replacement: source("./src/index.ts") },
      { find: /^kling-video\/node$/, replacement: source("./src/node.ts") },
      { find: /^kling-video\/mock$/, replacement: source("./src/mock/index.ts") },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 20_000,
    // Most suites wait on sockets, child processes and timers rather than the CPU: on a 2-core
    // machine, four workers keep both cores busy.
    maxWorkers: 4,
    // Worker threads start faster than processes, and files that share a worker share its loaded
    // modules (the SDK, Ajv on the spec): no suite here needs a fresh process or module graph,
    // each restores what it changes (timers, globals, environment).
    pool: "threads",
    isolate: false,
    hookTimeout: 60_000,
  },
});
