// What users install: the runtime dependency tree, and what the published tarball holds.
import { execFile } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const repo = fileURLToPath(new URL("../..", import.meta.url));

/** What `npm install kling-video` adds: the lockfile's packages that are not dev-only, as name@version. */
async function runtimeTree(): Promise<string[]> {
  const lock = JSON.parse(await readFile(join(repo, "package-lock.json"), "utf8")) as {
    packages: Record<string, { version?: string; dev?: boolean; devOptional?: boolean; optional?: boolean }>;
  };
  return Object.entries(lock.packages)
    .filter(([path, entry]) => path !== "" && !entry.dev && !entry.devOptional)
    .map(([path, entry]) => `${path.replace(/^.*node_modules\//, "")}@${entry.version}`);
}

describe("supply chain", () => {
  it("the runtime dependency tree is openapi-fetch (and its type helpers) alone, as the README lists", async () => {
    const runtime = await runtimeTree();
    expect(runtime.map((entry) => entry.replace(/@[^@]+$/, ""))).toEqual([
      "openapi-fetch",
      "openapi-typescript-helpers",
    ]);
    const readme = await readFile(join(repo, "README.md"), "utf8");
    for (const entry of runtime) expect(readme).toContain(entry);
  }, 60_000);

  it("the tarball holds no tests, sources, secrets or scratch files, even when they lie around", async () => {
    const planted = [".env", "scratch.log", "src/.env", "notes.tmp"].map((file) => join(repo, file));
    try {
      await Promise.all(planted.map((file) => writeFile(file, "API_KEY=sk-should-never-ship\n")));
      const { stdout } = await run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
        cwd: repo,
        maxBuffer: 1 << 24,
      });
      const [packed] = JSON.parse(stdout) as { files: { path: string }[] }[];
      const files = packed!.files.map((file) => file.path);
      expect(files.length).toBeGreaterThan(10);
      for (const file of files) {
        expect(file).toMatch(/^(dist\/|generated\/(openapi\.yaml|schema\.d\.ts)$|package\.json$|README\.md$|LICENSE$)/);
        expect(file).not.toMatch(/(^|\/)(test|\.env|.*\.test\.|.*\.tmp$|.*\.log$)/);
      }
    } finally {
      await Promise.all(planted.map((file) => rm(file, { force: true })));
    }
  }, 60_000);
});
