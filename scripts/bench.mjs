// @ts-check
// `make bench`: figures, not tests. Measures the built package (make build) side by side with
// its baseline in one run, prints a table, and records it with the machine in BENCHMARKS.md.
// `--only bundle` (or overhead, validation, wait, download, startup, batch) runs one row and only prints it.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { mock } from "node:test";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { getHeapSpaceStatistics } from "node:v8";
import { gzipSync } from "node:zlib";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { build } from "esbuild";
import createClient from "openapi-fetch";
import { parse } from "yaml";

const ROWS = ["overhead", "validation", "bundle", "wait", "download", "startup", "batch"];
const { only } = parseArgs({ options: { only: { type: "string" } } }).values;
if (only !== undefined && !ROWS.includes(only)) throw new Error(`--only takes one of ${ROWS.join(", ")}`);
/** @param {string} name */
const runs = (name) => only === undefined || only === name;
/** @param {number[]} values */
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

const BUILT_SDK = "../dist/index.js";
const BUILT_VALIDATOR = "../generated/validate-request.js";
const { createVideoClient, DEFAULTS } = await import(BUILT_SDK);
const { validateCreateVideoTaskRequest } = await import(BUILT_VALIDATOR);
const spec = parse(readFileSync(new URL("../generated/openapi.yaml", import.meta.url), "utf8"));
const pageBodies = Object.values(spec.components.examples)
  .map((example) => example.value)
  .filter((value) => value && typeof value === "object" && "model" in value && !("id" in value));
/** @typedef {{ what: string, ours: string, baseline: string, ratio: string, goal: string }} Row */
/** @type {Row[]} */
const rows = [];
/** @param {string} what @param {string} ours @param {string} baseline @param {string} ratio @param {string} goal */
const row = (what, ours, baseline, ratio, goal) => {
  rows.push({ what, ours, baseline, ratio, goal });
  console.log(`${what}\n  ours:     ${ours}\n  baseline: ${baseline}\n  ratio:    ${ratio}   (goal: ${goal})\n`);
};

// 1. Per-request overhead against the same local server, interleaved.
if (runs("overhead")) {
  const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 10_000);
  const BLOCK = 250;
  const server = spawn(
    process.execPath,
    [
      "-e",
      `
    const task = JSON.stringify(${JSON.stringify({ id: "video_1", object: "video", model: "kling-v3-std-silent", status: "queued", progress: 0, created_at: 1764086400 })});
    require("node:http").createServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(task) }).end(task));
    }).listen(0, "127.0.0.1", function () { console.log(this.address().port); });
  `,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const port = await new Promise((resolve) =>
    server.stdout.once("data", (data) => resolve(Number(String(data).trim()))),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const body = pageBodies[0];
  const client = createVideoClient({ baseUrl, apiKey: "sk-bench" });
  const bare = async () => {
    const response = await fetch(`${baseUrl}/v1/video/generations`, {
      method: "POST",
      headers: { authorization: "Bearer sk-bench", "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return response.json();
  };
  const sdk = () => client.create(body);
  /** @type {import("openapi-fetch").Client<import("../generated/schema.js").paths>} */
  const plain = createClient({ baseUrl, headers: { authorization: "Bearer sk-bench" } });
  const openapiFetch = async () => (await plain.POST("/v1/video/generations", { body })).data;
  /** @param {() => Promise<unknown>} call @param {number} count */
  const timeBlock = async (call, count) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < count; i++) await call();
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  await timeBlock(bare, 500);
  await timeBlock(sdk, 500);
  await timeBlock(openapiFetch, 500);
  let bareMs = 0;
  let sdkMs = 0;
  let openapiFetchMs = 0;
  for (let done = 0; done < REQUESTS; done += BLOCK) {
    bareMs += await timeBlock(bare, BLOCK);
    sdkMs += await timeBlock(sdk, BLOCK);
    openapiFetchMs += await timeBlock(openapiFetch, BLOCK);
  }
  server.kill();
  /** @param {number} ms */
  const perRequest = (ms) => `${((ms * 1000) / REQUESTS).toFixed(0)} µs/request`;
  row(
    `1. Per-request overhead, ${REQUESTS} POST each, interleaved (client.create, validation on, vs bare fetch)`,
    perRequest(sdkMs),
    `${perRequest(bareMs)} (bare fetch); openapi-fetch alone, no validation or retries: ${perRequest(openapiFetchMs)} = ${(openapiFetchMs / bareMs).toFixed(2)}x`,
    `${(sdkMs / bareMs).toFixed(2)}x`,
    "<= 1.10x",
  );
}

// 2. Validation throughput: the generated validator vs Ajv compiling the spec at run time.
if (runs("validation")) {
  const N = Number(process.env.BENCH_VALIDATIONS ?? 1_000_000);
  /** @param {(body: unknown) => boolean} validate */
  const throughput = (validate) => {
    for (let i = 0; i < 10_000; i++) validate(pageBodies[i % pageBodies.length]);
    const start = process.hrtime.bigint();
    for (let i = 0; i < N; i++) validate(pageBodies[i % pageBodies.length]);
    return N / (Number(process.hrtime.bigint() - start) / 1e9);
  };
  const compileStart = process.hrtime.bigint();
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  ajv.addSchema({ $id: "spec.json", components: spec.components });
  const runtime = ajv.getSchema("spec.json#/components/schemas/CreateVideoTaskRequest");
  if (runtime === undefined) throw new Error("bench: Ajv did not compile CreateVideoTaskRequest");
  const compileMs = Number(process.hrtime.bigint() - compileStart) / 1e6;
  const generated = throughput(validateCreateVideoTaskRequest);
  const compiled = throughput(runtime);
  /** @param {number} perSecond */
  const fmt = (perSecond) => `${(perSecond / 1e6).toFixed(2)} M bodies/s`;
  row(
    `2. Validation of the page's four bodies, ${N} each`,
    `${fmt(generated)} (generated, no compile at start-up)`,
    `${fmt(compiled)} (Ajv compiling the spec at run time, ${compileMs.toFixed(0)} ms to compile)`,
    `${(generated / compiled).toFixed(2)}x`,
    "> 1,000,000/s",
  );
}

// 3. Browser bundle: an app that creates a client and makes one call, bundled for browsers by
// esbuild (minified, gzip -9), beside the same for three other SDKs (bench/package.json).
if (runs("bundle")) {
  const root = new URL("..", import.meta.url).pathname;
  const bench = new URL("../bench/", import.meta.url).pathname;
  /**
   * Bundles `app` (the package as published: dist/, resolved through "kling-video"); gzip -9 sizes per output file.
   * @param {string} app
   * @param {{ resolveDir?: string, splitting?: boolean, plugins?: import("esbuild").Plugin[] }} [options]
   */
  const bundle = async (app, { resolveDir = root, splitting = false, plugins = [] } = {}) => {
    const result = await build({
      stdin: { contents: app, resolveDir, loader: "js", sourcefile: "app.js" },
      absWorkingDir: root,
      alias: { "kling-video": "./dist/index.js" },
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      splitting,
      outdir: "bench-out",
      write: false,
      metafile: true,
      legalComments: "none",
      logLevel: "error",
      plugins,
    });
    const gzipped = new Map(
      result.outputFiles.map((file) => [file.path, gzipSync(file.contents, { level: 9 }).length]),
    );
    const outputs = result.metafile.outputs;
    /** @param {Iterable<string>} files */
    const size = (files) => [...files].reduce((sum, file) => sum + (gzipped.get(resolve(root, file)) ?? 0), 0);
    /**
     * The files `file` loads before it runs: itself and its static imports, transitively.
     * @param {string} file @param {Set<string>} [into] @returns {Set<string>}
     */
    const staticClosure = (file, into = new Set()) => {
      if (into.has(file)) return into;
      into.add(file);
      for (const { path, kind } of outputs[file]?.imports ?? [])
        if (kind === "import-statement") staticClosure(path, into);
      return into;
    };
    const entry = Object.keys(outputs).find((file) => outputs[file]?.entryPoint);
    if (entry === undefined) throw new Error("bench: esbuild produced no entry point");
    const upFront = staticClosure(entry);
    /**
     * What a dynamic import from the up-front files matching `pattern` adds to them.
     * @param {RegExp} pattern
     */
    const onDemand = (pattern) => {
      /** @type {Set<string>} */
      const added = new Set();
      for (const file of upFront)
        for (const { path, kind } of outputs[file]?.imports ?? [])
          if (kind === "dynamic-import" && pattern.test(path)) staticClosure(path, added);
      return size([...added].filter((file) => !upFront.has(file)));
    };
    return { total: size(Object.keys(outputs)), upFront: size(upFront), files: upFront.size, onDemand };
  };
  /**
   * The same with Rolldown (Vite's bundler), code split: up front, and what the first create adds.
   * @param {string} app
   */
  const splitByRolldown = async (app) => {
    const benchRequire = createRequire(new URL("../bench/package.json", import.meta.url));
    const { rolldown } = await import(pathToFileURL(benchRequire.resolve("rolldown")).href);
    const bundle = await rolldown({
      input: "app",
      platform: "browser",
      logLevel: "silent",
      resolve: { alias: { "kling-video": resolve(root, "dist/index.js") } },
      plugins: [
        {
          name: "app",
          resolveId: (/** @type {string} */ id) => (id === "app" ? id : null),
          load: (/** @type {string} */ id) => (id === "app" ? app : null),
        },
      ],
    });
    const { output } = await bundle.generate({ format: "esm", minify: true });
    /** @typedef {{ fileName: string, code: string, imports: string[], dynamicImports: string[], isEntry: boolean }} Chunk */
    /** @type {Chunk[]} */
    const chunkList = output;
    const chunks = new Map(chunkList.map((chunk) => [chunk.fileName, chunk]));
    /** @param {string} name @param {Set<string>} [into] @returns {Set<string>} */
    const closure = (name, into = new Set()) => {
      if (into.has(name)) return into;
      into.add(name);
      for (const imported of chunks.get(name)?.imports ?? []) closure(imported, into);
      return into;
    };
    /** @param {Iterable<string>} names */
    const size = (names) =>
      [...names].reduce((sum, name) => sum + gzipSync(chunks.get(name)?.code ?? "", { level: 9 }).length, 0);
    const entry = chunkList.find((chunk) => chunk.isEntry);
    if (entry === undefined) throw new Error("bench: Rolldown produced no entry chunk");
    const upFront = closure(entry.fileName);
    /** @type {Set<string>} */
    const validator = new Set();
    for (const name of upFront)
      for (const imported of chunks.get(name)?.dynamicImports ?? [])
        if (/^validation-/.test(imported)) closure(imported, validator);
    return {
      upFront: size(upFront),
      files: upFront.size,
      validator: size([...validator].filter((name) => !upFront.has(name))),
    };
  };
  // validate: false never loads the validation module: this stands in for a bundler that leaves it
  // out, by resolving the client's dynamic import of it to an empty module.
  const VALIDATION_CHUNK = /(^|\/)validation-[A-Z0-9]+\.js$/;
  let stubbed = 0;
  /** @type {import("esbuild").Plugin} */
  const withoutValidator = {
    name: "without-validator",
    setup(build) {
      build.onResolve({ filter: VALIDATION_CHUNK }, (args) => {
        if (args.kind !== "dynamic-import") return undefined;
        stubbed++;
        return { path: args.path, namespace: "empty" };
      });
      build.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "export {};", loader: "js" }));
    },
  };
  const create = `model: "kling-v3-std-silent", prompt: "A red fox trotting through fresh snow"`;
  /** @param {string} options */
  const ours = (options) =>
    `import { createVideoClient } from "kling-video";
     const client = createVideoClient({ baseUrl: "https://gateway.example", apiKey: ""${options} });
     console.log(await client.create({ ${create} }));`;
  const withValidator = await bundle(ours(""));
  const noValidator = await bundle(ours(", validate: false"), { plugins: [withoutValidator] });
  if (stubbed === 0) throw new Error("bench: the client's import of the validation chunk was not found in dist/");
  const split = await bundle(ours(""), { splitting: true });
  const lazyValidator = split.onDemand(VALIDATION_CHUNK);
  const vite = await splitByRolldown(ours(""));
  const versions = JSON.parse(readFileSync(new URL("../bench/package.json", import.meta.url), "utf8")).devDependencies;
  const others = {
    openai: `import OpenAI from "openai";
      const client = new OpenAI({ apiKey: "", dangerouslyAllowBrowser: true });
      console.log(await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }] }));`,
    "@fal-ai/client": `import { fal } from "@fal-ai/client";
      fal.config({ proxyUrl: "/api/fal/proxy" });
      console.log(await fal.subscribe("fal-ai/kling-video/v2/master/text-to-video", { input: { prompt: "A fox" } }));`,
    replicate: `import Replicate from "replicate";
      const client = new Replicate({ auth: "" });
      console.log(await client.run("kwaivgi/kling-v2.1", { input: { prompt: "A fox" } }));`,
  };
  /** @type {Record<string, number>} */
  const theirs = {};
  for (const [name, app] of Object.entries(others)) theirs[name] = (await bundle(app, { resolveDir: bench })).total;
  const replicate = theirs.replicate ?? Number.NaN;
  /** @param {number} size */
  const bytes = (size) => `${size.toLocaleString("en")} B`;
  row(
    "3. Browser bundle: createVideoClient() and one create(), from dist/ (esbuild --minify, one file with dynamic imports inlined, gzip -9)",
    `${bytes(withValidator.total)} with the validator; ${bytes(noValidator.total)} with validate: false ` +
      "(the validation chunk replaced by an empty module, as a bundler that never loads it leaves it out); " +
      `code split (esbuild --splitting): ${bytes(split.upFront)} loaded up front (the entry and its static chunks, ` +
      `${split.files} files, gzipped one by one)${lazyValidator > 0 ? `, then ${bytes(lazyValidator)} on the first create (the validator)` : ", the validator among them (see the notes)"}; ` +
      `Rolldown (Vite's bundler) split: ${bytes(vite.upFront)} up front (${vite.files} files), then ` +
      `${bytes(vite.validator)} on the first create (the validator; never with validate: false)`,
    `${Object.entries(theirs)
      .map(([name, size]) => `${name} ${versions[name]}: ${bytes(size)}`)
      .join("; ")} (each: create a client, one call; bundled the same way)`,
    `${(withValidator.total / replicate).toFixed(2)}x / ${(noValidator.total / replicate).toFixed(2)}x replicate`,
    "< 10,240 B with the validator; < replicate's without",
  );
}

// 4. wait(): requests made to follow a task that completes after N seconds (mocked clock).
if (runs("wait")) {
  const INTERVAL_S = 5;
  const results = [];
  for (const seconds of [10, 60, 180]) {
    mock.timers.enable({ apis: ["setTimeout", "Date"], now: 0 });
    let requests = 0;
    const client = createVideoClient({
      baseUrl: "http://127.0.0.1:4010",
      apiKey: "sk-bench",
      fetch: async () => {
        requests++;
        const done = Date.now() >= seconds * 1000;
        const task = {
          id: "video_1",
          object: "video",
          model: "m",
          status: done ? "completed" : "in_progress",
          created_at: 0,
        };
        return new Response(JSON.stringify(task), { headers: { "content-type": "application/json" } });
      },
    });
    let finished = false;
    const waiting = client.wait("video_1").then(() => (finished = true));
    while (!finished) {
      await new Promise((resolve) => setImmediate(resolve));
      mock.timers.tick(100);
    }
    await waiting;
    const detectedAfter = Date.now() / 1000;
    mock.timers.reset();
    results.push(
      `${seconds} s: ${requests} requests, seen at ${detectedAfter.toFixed(1)} s (ideal ${Math.ceil(seconds / INTERVAL_S) + 1})`,
    );
  }
  row(
    `4. wait() with the default ${INTERVAL_S} s interval: requests to follow a task done after N s`,
    results.join("; "),
    `ideal: one poll per interval, ceil(N/${INTERVAL_S}) + 1, seen within ${INTERVAL_S} s`,
    "see row",
    "no extra polls",
  );
}

if (runs("download")) await downloadRow();

/**
 * 5. One large video downloaded through the CLI (`kling-video download <id> --out f.mp4`: the task
 * retrieved through the SDK, the video off the socket into the CLI's atomic file), against curl from
 * the same loopback server, with a bare Node fetch into a file as a third column. Runs
 * alternate; each starts with the page cache flushed (sync) and the output removed. Wall time and
 * the process's peak RSS (GNU time's %M), medians.
 */
async function downloadRow() {
  const BYTES = Number(process.env.BENCH_DOWNLOAD_BYTES ?? 2 ** 30);
  const RUNS = Number(process.env.BENCH_DOWNLOAD_RUNS ?? 5);
  const TIME = "/usr/bin/time";
  const server = spawn(
    process.execPath,
    [
      "-e",
      `
    const size = ${BYTES};
    const chunk = Buffer.alloc(256 * 1024, 7);
    const server = require("node:http").createServer((req, res) => {
      if (req.url === "/v1/videos/video_bench") {
        const task = JSON.stringify({ id: "video_bench", object: "video", model: "kling-v3-std-silent", status: "completed",
          progress: 100, created_at: 1764086400, video_url: "http://127.0.0.1:" + server.address().port + "/video.mp4" });
        return res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(task) }).end(task);
      }
      res.writeHead(200, { "content-type": "video/mp4", "content-length": size });
      let sent = 0;
      const pump = () => {
        while (sent < size) {
          const length = Math.min(chunk.length, size - sent);
          sent += length;
          if (!res.write(length === chunk.length ? chunk : chunk.subarray(0, length))) return res.once("drain", pump);
        }
        res.end();
      };
      pump();
    }).listen(0, "127.0.0.1", () => console.log(server.address().port));
  `,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const port = await new Promise((resolve) =>
    server.stdout.once("data", (data) => resolve(Number(String(data).trim()))),
  );
  const base = `http://127.0.0.1:${port}`;
  const work = mkdtempSync(join(tmpdir(), "kling-bench-download-"));
  const out = join(work, "video.mp4");
  const cli = new URL("../dist/cli.js", import.meta.url).pathname;
  const bareFetch = `
    import { createWriteStream } from "node:fs";
    import { Readable } from "node:stream";
    import { pipeline } from "node:stream/promises";
    const response = await fetch(${JSON.stringify(`${base}/video.mp4`)});
    await pipeline(Readable.fromWeb(response.body), createWriteStream(${JSON.stringify(out)}));
  `;
  /** @typedef {"cli" | "curl" | "fetch"} Runner */
  /** @type {Record<Runner, [string, string[]]>} */
  const commands = {
    cli: [
      process.execPath,
      [cli, "download", "video_bench", "--out", out, "--base-url", base, "--api-key", "sk-bench"],
    ],
    curl: ["curl", ["-sf", "-o", out, `${base}/video.mp4`]],
    fetch: [process.execPath, ["--input-type=module", "-e", bareFetch]],
  };
  /** @type {Record<Runner, { seconds: number, rssMb: number }[]>} */
  const measured = { cli: [], curl: [], fetch: [] };
  /** @param {Runner} name */
  const measure = (name) => {
    rmSync(out, { force: true });
    spawnSync("sync");
    const [command, args] = commands[name];
    const rssFile = join(work, "rss");
    const timed = existsSync(TIME);
    const start = process.hrtime.bigint();
    const result = timed
      ? spawnSync(TIME, ["-f", "%M", "-o", rssFile, command, ...args], { stdio: "ignore" })
      : spawnSync(command, args, { stdio: "ignore" });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const size = existsSync(out) ? statSync(out).size : 0;
    if (result.status !== 0 || size !== BYTES) throw new Error(`${name} failed: exit ${result.status}, ${size} bytes`);
    measured[name].push({ seconds, rssMb: timed ? Number(readFileSync(rssFile, "utf8").trim()) / 1024 : Number.NaN });
  };
  try {
    for (let run = 0; run < RUNS; run++)
      for (const name of /** @type {const} */ (["curl", "cli", "fetch"])) measure(name);
  } finally {
    server.kill();
    rmSync(work, { recursive: true, force: true });
  }
  /** @param {Runner} name */
  const seconds = (name) => median(measured[name].map((run) => run.seconds));
  /** @param {Runner} name */
  const rss = (name) => median(measured[name].map((run) => run.rssMb));
  /** @param {Runner} name */
  const figure = (name) =>
    `${(BYTES / 2 ** 20 / seconds(name)).toFixed(0)} MB/s (${seconds(name).toFixed(2)} s), peak RSS ${rss(name).toFixed(0)} MB`;
  const pairedRatio = median(
    measured.cli.map((run, index) => (measured.curl[index]?.seconds ?? Number.NaN) / run.seconds),
  );
  row(
    `5. Download of one ${(BYTES / 2 ** 30).toFixed(BYTES % 2 ** 30 ? 2 : 0)} GiB video from a loopback server, ${RUNS} alternating runs, medians (kling-video download vs curl)`,
    figure("cli"),
    `curl: ${figure("curl")}; bare Node fetch piped to a file: ${figure("fetch")} = ${(seconds("curl") / seconds("fetch")).toFixed(2)}x curl`,
    `${(seconds("curl") / seconds("cli")).toFixed(2)}x curl (median of paired runs ${pairedRatio.toFixed(2)}x)`,
    ">= 0.9x curl, < 100 MB",
  );
}

if (runs("startup")) startupRow();
if (runs("batch")) await batchRow();

/**
 * 6. How long `kling-video --help` takes to start, against bare Node (`node -e 0`): runs paired
 * and alternating, medians. Only what --help needs is loaded; each command loads on its own.
 */
function startupRow() {
  const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 10);
  /** @param {string[]} args */
  const time = (args) => {
    const start = process.hrtime.bigint();
    spawnSync(process.execPath, args, { stdio: "ignore" });
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  time(["dist/cli.js", "--help"]); // warm the file cache
  /** @type {number[]} */
  const bare = [];
  /** @type {number[]} */
  const help = [];
  for (let run = 0; run < RUNS; run++) {
    bare.push(time(["-e", "0"]));
    help.push(time(["dist/cli.js", "--help"]));
  }
  row(
    `6. Start-up: \`kling-video --help\` vs \`node -e 0\`, ${RUNS} paired runs, medians`,
    `${median(help).toFixed(0)} ms`,
    `${median(bare).toFixed(0)} ms (bare Node)`,
    `${(median(help) / median(bare)).toFixed(2)}x (median of paired ratios ${median(help.map((ms, index) => ms / (bare[index] ?? Number.NaN))).toFixed(2)}x)`,
    "<= 1.5x bare Node",
  );
}

/**
 * 7. The batch engine. (a) 2,000 jobs through \`kling-video batch\` (concurrency 50) against the
 * mock server in another process, its tasks done within a second: wall time, the CLI's peak RSS
 * (GNU time's %M), the journal's size. (b) What waiting costs: 1,000 tasks that stay running, the
 * engine in this process with its default pacing, for 20 s: CPU as a share of one core, and the
 * heap each tracked task takes. (c) The engine's own memory per tracked task, over a fetch and a
 * journal that keep nothing.
 */
async function batchRow() {
  const JOBS = Number(process.env.BENCH_BATCH_JOBS ?? 2000);
  const WAITING = Number(process.env.BENCH_BATCH_WAITING ?? 1000);
  const SECONDS = Number(process.env.BENCH_BATCH_SECONDS ?? 20);
  const work = mkdtempSync(join(tmpdir(), "kling-bench-batch-"));
  try {
    const server = spawn(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `const { startMockServer } = await import(${JSON.stringify(pathToFileURL(resolve("dist/node.js")).href)});
       const mock = await startMockServer({ port: 0, speed: 12, maxTasks: ${JOBS * 2}, docsFile: null }); console.log(mock.url);`,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    const url = await new Promise((done) => server.stdout.once("data", (data) => done(String(data).trim())));
    const jobs = join(work, "jobs.jsonl");
    writeFileSync(
      jobs,
      Array.from({ length: JOBS }, (_, index) =>
        JSON.stringify({ name: `job-${index}`, prompt: `a fox, take ${index}` }),
      ).join("\n"),
    );
    const args = [
      "dist/cli.js",
      "batch",
      jobs,
      "--out-dir",
      join(work, "videos"),
      "--concurrency",
      "50",
      "--poll-interval",
      "250ms",
      "--polls-per-second",
      "200",
      "--json",
    ];
    const started = process.hrtime.bigint();
    const cli = spawnSync("/usr/bin/time", ["-f", "%M", process.execPath, ...args], {
      env: { ...process.env, KLING_VIDEO_BASE_URL: url, KLING_VIDEO_API_KEY: "sk-bench-0123456789" },
      encoding: "utf8",
      maxBuffer: 1 << 28,
    });
    const wallS = Number(process.hrtime.bigint() - started) / 1e9;
    server.kill();
    if (cli.status !== 0) throw new Error(`kling-video batch exited ${cli.status}: ${cli.stderr.slice(-500)}`);
    const peakMb = Number(cli.stderr.trim().split("\n").at(-1)) / 1024;
    const journalKb = statSync(join(work, "jobs.journal.jsonl")).size / 1024;

    // (b) waiting on tasks that stay running: the engine in this process, the mock in another,
    // the journal on disk (a memory journal would count its events as the engine's).
    const slowServer = spawn(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `const { startMockServer } = await import(${JSON.stringify(pathToFileURL(resolve("dist/node.js")).href)});
       const mock = await startMockServer({ port: 0, durationMs: 3600000, maxTasks: ${WAITING * 2}, docsFile: null }); console.log(mock.url);`,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    const slowUrl = await new Promise((done) => slowServer.stdout.once("data", (data) => done(String(data).trim())));
    const { createFileJournal } = await import("../dist/node.js");
    const client = createVideoClient({ baseUrl: slowUrl, apiKey: "sk-bench-0123456789" });
    const stop = new AbortController();
    let created = 0;
    const jobsWaiting = Array.from({ length: WAITING }, (_, index) => ({
      name: `w-${index}`,
      model: "kling-v3-std-silent",
      prompt: `an owl ${index}`,
    }));
    // Warm up first: loading the engine, the validator and fetch is not per-task state.
    await client.generateMany(
      jobsWaiting.slice(0, 2).map((job) => ({ ...job, name: `warm-${job.name}` })),
      {
        journal: createFileJournal(join(work, "warm.journal.jsonl")),
        timeoutMs: 1,
      },
    );
    // Heap for data: compiled code grows with time whatever is tracked, and is left out.
    const dataHeap = () =>
      getHeapSpaceStatistics()
        .filter((space) => !space.space_name.startsWith("code"))
        .reduce((sum, space) => sum + space.space_used_size, 0);
    globalThis.gc?.();
    const heapBefore = dataHeap();
    const batch = client.generateMany(jobsWaiting, {
      concurrency: WAITING,
      journal: createFileJournal(join(work, "waiting.journal.jsonl")),
      signal: stop.signal,
      onEvent: (/** @type {import("kling-video").BatchEvent} */ event) => {
        if (event.type === "journal" && event.event.type === "created") created++;
      },
    });
    while (created < WAITING) await new Promise((done) => setTimeout(done, 50));
    // undici keeps idle connections 4 s: let the creates' sockets close, and their answers go.
    await new Promise((done) => setTimeout(done, 6000));
    globalThis.gc?.();
    const perTaskBytes = (dataHeap() - heapBefore) / WAITING;
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    await new Promise((done) => setTimeout(done, SECONDS * 1000));
    const cpu = process.cpuUsage(cpuBefore);
    const share = (cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore);
    stop.abort();
    await batch;
    slowServer.kill();
    // (c) The engine alone: the same tracking over a fetch that keeps nothing and a journal that
    // writes nothing, so that every byte measured is the engine's (test/batch/memory.test.ts).
    let next = 0;
    /** @param {unknown} _url @param {RequestInit} init */
    const nothing = async (_url, init) =>
      new Response(
        JSON.stringify({
          id: init.method === "POST" ? `task_${++next}` : "task_0",
          object: "video",
          model: "m",
          status: "queued",
          progress: 0,
          created_at: 1,
        }),
        { headers: { "content-type": "application/json" } },
      );
    const bare = createVideoClient({
      baseUrl: "http://127.0.0.1:4010",
      apiKey: "sk-bench-0123456789",
      fetch: nothing,
      validate: false,
    });
    const nowhere = { append: async () => undefined, read: async () => [] };
    await bare.generateMany(jobsWaiting.slice(0, 2), { journal: nowhere, pollIntervalMs: 1, timeoutMs: 1 });
    const stopEngine = new AbortController();
    let tracked = 0;
    globalThis.gc?.();
    const engineBefore = dataHeap();
    const engineBatch = bare.generateMany(jobsWaiting, {
      journal: nowhere,
      concurrency: WAITING,
      pollIntervalMs: 3_600_000,
      signal: stopEngine.signal,
      onEvent: (/** @type {import("kling-video").BatchEvent} */ event) => {
        if (event.type === "journal" && event.event.type === "created") tracked++;
      },
    });
    while (tracked < WAITING) await new Promise((done) => setTimeout(done, 20));
    globalThis.gc?.();
    const engineBytes = (dataHeap() - engineBefore) / WAITING;
    stopEngine.abort();
    await engineBatch;
    row(
      `7. Batch: (a) ${JOBS} jobs through \`kling-video batch\`, concurrency 50, against the mock server; (b) waiting on ${WAITING} running tasks for ${SECONDS} s`,
      `(a) ${wallS.toFixed(1)} s wall, peak RSS ${peakMb.toFixed(0)} MB, journal ${journalKb.toFixed(0)} kB; (b) ${(share * 100).toFixed(1)}% of one core, ${(perTaskBytes / 1024).toFixed(1)} kB of heap per task for the whole process (fetch's connection pool included); (c) the engine alone: ${engineBytes.toFixed(0)} B per tracked task`,
      `(b) pacing: each task polled at most every ${DEFAULTS.pollIntervalMs / 1000} s, at most ${DEFAULTS.batchPollsPerSecond} polls/s in all`,
      "see row",
      "(b) < 10% of one core; (c) < 2 kB per task",
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (only !== undefined) process.exit(0); // one row: printed above, BENCHMARKS.md keeps the full table

const machine = `${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;
const table = [
  "| Measure | kling-video | Baseline | Ratio | Goal |",
  "| --- | --- | --- | --- | --- |",
  ...rows.map((r) => `| ${r.what} | ${r.ours} | ${r.baseline} | ${r.ratio} | ${r.goal} |`),
].join("\n");
writeFileSync(
  new URL("../BENCHMARKS.md", import.meta.url),
  `# Benchmarks\n\nLatest \`make bench\` run, ${new Date().toISOString().slice(0, 10)}, on ${machine}.\n` +
    "Each row is measured side by side with its baseline in the same run. Rerun `make bench` to refresh.\n\n" +
    `${table}\n\n` +
    "Notes. Row 1: openapi-fetch, which the SDK is built on, measures on its own next to bare fetch (its\n" +
    "Request object per call is most of the gap); compare the SDK with that figure to see the cost of\n" +
    "validation, timeouts and retries. Row 3: the one-file figures hold everything the client can load\n" +
    "(the validator, generateMany's batch engine, image bytes, the older task route, the download path),\n" +
    "because a bundler that does not split code inlines every dynamic import(). With validate: false the\n" +
    "client never imports the validation chunk, but no bundler can know that: the second figure is what\n" +
    "an app would ship if it could. esbuild --splitting keeps the lazily loaded parts apart, except\n" +
    "those that index.js also exports (checkCreateVideoTaskRequest, imageToDataUri, createMemoryJournal):\n" +
    "esbuild places whole modules in chunks, so those load up front (evanw/esbuild#3704). Rolldown drops\n" +
    "unused exports across chunks: it loads the validator only on the first create, and never with\n" +
    "validate: false. Split figures add up each file gzipped alone, as they are fetched. Row 5: the CLI\n" +
    "reads a plain 200 answer straight off the socket into one reused buffer (src/cli/socket-body.ts);\n" +
    "the bare fetch column is what a client built on fetch gets here, a new buffer for every read.\n" +
    "Timings vary run to run by a few percent on a shared 2-core machine; sizes and request counts do not.\n",
);
console.log(`machine: ${machine}\nwritten to BENCHMARKS.md`);
