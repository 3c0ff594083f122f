// The docs agree with the package: the spec's version is the package's, and the built page
// ships in it (dist/docs/index.html, which `kling-video mock` serves at /docs/).
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { spec } from "../support/spec.js";

const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));

describe("the docs", () => {
  it("carry the package's version", () => {
    expect((spec.info as { version: string }).version).toBe(manifest.version);
  });

  it("say their rules in words: no control-character pattern reaches the page, and each hidden one is described", () => {
    const page = readFileSync(new URL("../../dist/docs/index.html", import.meta.url), "utf8");
    const shown = [...page.matchAll(/"pattern":"((?:[^"\\]|\\.)*)"/g)].map(([, pattern]) => pattern!);
    expect(shown.length).toBeGreaterThan(0);
    for (const pattern of shown) expect(pattern).not.toMatch(/\\\\x00|\\u0000/);
    for (const [name, schema] of Object.entries(spec.components.schemas!) as [string, Record<string, unknown>][])
      if (schema["x-hide-pattern"]) expect(schema.description, `${name} says its rule in words`).toBeTruthy();
  });

  it("show the mock as the first server, a real URL", () => {
    expect((spec.servers as { url: string }[])[0]!.url).toBe("http://127.0.0.1:4010");
  });

  it("ship in the package as dist/docs/index.html", async () => {
    const { stdout } = await promisify(execFile)("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: new URL("../..", import.meta.url),
      maxBuffer: 1 << 24,
    });
    const [packed] = JSON.parse(stdout) as { files: { path: string }[] }[];
    expect(packed!.files.map((file) => file.path)).toContain("dist/docs/index.html");
  });
});
