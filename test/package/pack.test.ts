// Packs the package, installs the tarball into fresh projects outside the repository (offline:
// openapi-fetch and its helpers are packed from node_modules beside it), and there type-checks
// and runs consumers: ESM TypeScript under NodeNext, node16 and bundler resolution, and CommonJS.
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const run = promisify(execFile);
const repo = fileURLToPath(new URL("../..", import.meta.url));
const tsc = join(repo, "node_modules/typescript/bin/tsc");
const manifest = JSON.parse(await readFile(join(repo, "package.json"), "utf8"));
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
  const dependencies = ["openapi-fetch", "openapi-typescript-helpers"].map((name) => join(repo, "node_modules", name));
  await run("npm", ["pack", "--pack-destination", project, ...dependencies], { cwd: repo });
  await writeFile(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  const tarballs = [packed!.filename, "openapi-fetch-0.17.0.tgz", "openapi-typescript-helpers-0.1.0.tgz"];
  await run(
    "npm",
    ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", ...tarballs.map((file) => `./${file}`)],
    {
      cwd: project,
    },
  );
  await copyFile(join(repo, "test/package/consumer.ts.txt"), join(project, "consumer.ts"));
  // The smallest PNG there is (a 1x1 pixel), for imageFromFile.
  await writeFile(
    join(project, "pixel.png"),
    Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
      "base64",
    ),
  );
}, 180_000);

afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true });
});

/** Type-checks consumer.ts in a folder of the project with the given compiler options. */
async function typecheck(folder: string, compilerOptions: Record<string, unknown>, packageType?: "commonjs") {
  const dir = join(project, folder);
  await mkdir(dir, { recursive: true });
  await copyFile(join(project, "consumer.ts"), join(dir, "consumer.ts"));
  if (packageType) await writeFile(join(dir, "package.json"), JSON.stringify({ type: packageType }));
  const base = { strict: true, target: "ES2022", lib: ["ES2022", "DOM"], skipLibCheck: false, types: [], noEmit: true };
  await writeFile(
    join(dir, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { ...base, ...compilerOptions }, files: ["consumer.ts"] }),
  );
  const result = await run(process.execPath, [tsc, "-p", dir]).catch((error: { stdout: string }) => error);
  return (result as { stdout: string }).stdout;
}

describe("the packed package", () => {
  it("holds the build, the types, the docs and the spec, and nothing else", () => {
    for (const file of [
      "dist/index.js",
      "dist/index.d.ts",
      "dist/node.js",
      "dist/mock/index.js",
      "generated/openapi.yaml",
      "generated/schema.d.ts",
    ]) {
      expect(packedFiles).toContain(file);
    }
    const unexpected = packedFiles.filter(
      (file) => !/^(dist\/|generated\/(openapi\.yaml|schema\.d\.ts)$|package\.json$|README\.md$|LICENSE$)/.test(file),
    );
    expect(unexpected).toEqual([]);
    expect(packedFiles.filter((file) => file.startsWith("dist/")).every((file) => !file.startsWith("dist/src/"))).toBe(
      true,
    );
  });

  it("declares an ESM exports map (with the spec), no side effects, and openapi-fetch as its only dependency", async () => {
    const installed = JSON.parse(await readFile(join(project, "node_modules/kling-video/package.json"), "utf8"));
    expect(installed.type).toBe("module");
    expect(installed.sideEffects).toBe(false);
    expect(installed.exports["."]).toEqual({ types: "./dist/index.d.ts", default: "./dist/index.js" });
    expect(installed.exports["./openapi.yaml"]).toBe("./generated/openapi.yaml");
    expect(Object.keys(installed.dependencies)).toEqual(["openapi-fetch"]);
    expect(installed.peerDependenciesMeta).toEqual({ msw: { optional: true } });
    const { stdout } = await run(process.execPath, ["-p", 'require.resolve("kling-video/openapi.yaml")'], {
      cwd: project,
    });
    expect(await readFile(stdout.trim(), "utf8")).toContain(`version: ${manifest.version}`);
  });

  it("the main entry never imports msw (the mock sub-path does)", async () => {
    const script = `const sdk = await import("kling-video"); console.log(typeof sdk.createVideoClient);`;
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: project });
    expect(stdout.trim()).toBe("function");
    const mock = await run(process.execPath, ["--input-type=module", "-e", `await import("kling-video/mock")`], {
      cwd: project,
    }).catch((error: Error) => error);
    expect(String((mock as Error).message)).toMatch(/Cannot find package 'msw'/);
  });

  it.concurrent.each([
    ["node16", { module: "Node16", moduleResolution: "Node16" }],
    ["bundler", { module: "ESNext", moduleResolution: "Bundler" }],
  ])(
    "type-checks a strict consumer under %s resolution (every public function; a wrong model and a typo rejected)",
    async (folder, options) => {
      expect(await typecheck(folder, options)).toBe("");
    },
    60_000,
  );

  it("is usable from CommonJS with require() (Node >= 20.19, which the package's engines field says)", async () => {
    expect(manifest.engines.node).toBe(">=20.19");
    const script = `const { createVideoClient, KlingVideoError } = require("kling-video");
const client = createVideoClient({ baseUrl: "http://127.0.0.1:4010", apiKey: "sk-test" });
console.log(typeof client.create, typeof KlingVideoError, require("kling-video/node").imageFromFile.name);`;
    await writeFile(join(project, "consumer.cjs"), script);
    const { stdout, stderr } = await run(process.execPath, ["consumer.cjs"], { cwd: project });
    expect(stdout.trim()).toBe("function function imageFromFile");
    expect(stderr).toBe("");
  });

  it("runs the consumer against the mock", async () => {
    // Types were checked above; here they are only stripped (the @ts-expect-error lines run too).
    const { transform } = await import("esbuild");
    const { code } = await transform(await readFile(join(project, "consumer.ts"), "utf8"), {
      loader: "ts",
      format: "esm",
    });
    await writeFile(join(project, "consumer.mjs"), code);
    await writeFile(
      join(project, "main.mjs"),
      `import { run } from "./consumer.mjs"; console.log(JSON.stringify(await run(process.argv[2], "pixel.png")));`,
    );
    const { stdout } = await run(process.execPath, ["main.mjs", inject("prismUrl")], { cwd: project });
    expect(JSON.parse(stdout)).toEqual([
      "duration must be at most 15",
      "queued",
      "completed",
      "completed",
      "completed",
      "APIConnectionError",
      "200",
      "data:image/png;base64,",
      "30",
      "true",
      "5000",
      "data:image/jpeg;base64,",
      "true",
    ]);
  }, 60_000);
});
