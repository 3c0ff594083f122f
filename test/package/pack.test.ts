// Packs the package, installs the tarball into a fresh project outside the repository, and
// there type-checks and runs a consumer: what a user gets from `npm install kling-video`.
import { execFile } from "node:child_process";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const run = promisify(execFile);
const repo = fileURLToPath(new URL("../..", import.meta.url));
const tsc = join(repo, "node_modules/typescript/bin/tsc");
let project: string;
let packedFiles: string[];

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), "kling-consumer-"));
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", project], {
    cwd: repo,
    maxBuffer: 1 << 24,
  });
  const [packed] = JSON.parse(stdout.slice(stdout.search(/^\[/m))) as { filename: string; files: { path: string }[] }[];
  packedFiles = packed!.files.map((file) => file.path);
  await writeFile(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  await writeFile(
    join(project, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        module: "NodeNext",
        moduleResolution: "NodeNext",
        target: "ES2022",
        lib: ["ES2022", "DOM"],
        outDir: "out",
        skipLibCheck: false,
        types: [],
      },
      files: ["consumer.ts"],
    }),
  );
  await copyFile(join(repo, "test/package/consumer.ts.txt"), join(project, "consumer.ts"));
  // Offline: openapi-fetch comes from the npm cache that `npm ci` filled.
  await run(
    "npm",
    ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", join(project, packed!.filename)],
    { cwd: project },
  );
}, 180_000);

afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true });
});

describe("the packed package", () => {
  it("holds the build, the types and the spec, and nothing else", () => {
    expect(packedFiles).toContain("dist/src/index.js");
    expect(packedFiles).toContain("dist/src/index.d.ts");
    expect(packedFiles).toContain("dist/generated/validate-request.js");
    expect(packedFiles).toContain("generated/openapi.yaml");
    expect(packedFiles).toContain("dist/cli.js");
    expect(packedFiles).toContain("dist/src/mock/index.js");
    const unexpected = packedFiles.filter(
      (file) =>
        !/^(dist\/(src|generated)\/|dist\/cli\.js$|generated\/openapi\.yaml$|package\.json$|README\.md$|LICENSE$)/.test(
          file,
        ),
    );
    expect(unexpected).toEqual([]);
  });

  it("declares an ESM exports map, no side effects, and openapi-fetch as its only dependency", async () => {
    const manifest = JSON.parse(await readFile(join(project, "node_modules/kling-video/package.json"), "utf8"));
    expect(manifest.type).toBe("module");
    expect(manifest.sideEffects).toBe(false);
    expect(manifest.exports["."]).toEqual({ types: "./dist/src/index.d.ts", default: "./dist/src/index.js" });
    expect(Object.keys(manifest.dependencies)).toEqual(["openapi-fetch"]);
    expect(manifest.exports["./mock"]).toEqual({
      types: "./dist/src/mock/index.d.ts",
      default: "./dist/src/mock/index.js",
    });
    expect(manifest.peerDependenciesMeta).toEqual({ msw: { optional: true } });
  });

  it("installs the kling-video command", async () => {
    const { stdout } = await run(join(project, "node_modules/.bin/kling-video"), ["--version"], { cwd: project });
    expect(stdout.trim()).toBe(JSON.parse(await readFile(join(repo, "package.json"), "utf8")).version);
  });

  it("the main entry never imports msw (the mock sub-path does)", async () => {
    const script = `const sdk = await import("kling-video"); console.log(typeof sdk.createVideoClient);`;
    // msw is not installed in the consumer project: loading the main entry must not need it.
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: project });
    expect(stdout.trim()).toBe("function");
    const mock = await run(process.execPath, ["--input-type=module", "-e", `await import("kling-video/mock")`], {
      cwd: project,
    }).catch((error: Error) => error);
    expect(String((mock as Error).message)).toMatch(/Cannot find package 'msw'/);
  });

  it("type-checks a strict consumer that uses every public function (and rejects a wrong model)", async () => {
    const result = await run(process.execPath, [tsc, "-p", project]).catch((error: { stdout: string }) => error);
    expect((result as { stdout: string }).stdout).toBe("");
  }, 60_000);

  it("runs that consumer against the mock", async () => {
    const script = `import { run } from "./out/consumer.js"; console.log(JSON.stringify(await run(process.argv[2])));`;
    await writeFile(join(project, "main.mjs"), script);
    const { stdout } = await run(process.execPath, ["main.mjs", inject("prismUrl")], { cwd: project });
    expect(JSON.parse(stdout)).toEqual([
      "duration must be at most 15",
      "queued",
      "completed",
      "completed",
      "completed",
      "APIConnectionError",
      "200",
      "true",
    ]);
  }, 60_000);
});
