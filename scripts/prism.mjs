// @ts-check
// Starts Prism (mock or proxy) on a free loopback port, waits until it answers, and stops it
// (its whole process group) on demand, at process exit, or on Ctrl-C. The one way this
// project starts Prism: the test setup, the suites that need another mode, and `make conformance`.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const PRISM_CLI = createRequire(import.meta.url).resolve("@stoplight/prism-cli/dist/index.js");
export const BUNDLED_SPEC = fileURLToPath(new URL("../generated/openapi.yaml", import.meta.url));

/**
 * @typedef {object} PrismOptions
 * @property {"mock" | "proxy"} [mode] "mock" (default) or "proxy" (then `upstream` is required)
 * @property {string} [upstream] the real server, in proxy mode
 * @property {string[]} [args] extra flags: ["-d", "--seed", "1"], ["--errors"], ...
 * @property {string} [spec] defaults to the bundled spec
 * @property {number} [readyTimeoutMs]
 * @property {number} [port] a fixed port (default: a free one)
 * @property {boolean} [echo] also print Prism's log to this process's stdout
 *
 * @typedef {object} PrismServer
 * @property {string} url
 * @property {() => string} output everything Prism printed so far
 * @property {() => Promise<void>} stop
 */

/** @type {Set<import("node:child_process").ChildProcess>} */
const running = new Set();

/** @param {import("node:child_process").ChildProcess} child @param {NodeJS.Signals} [signal] */
function killGroup(child, signal = "SIGTERM") {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal); // detached: Prism leads its own process group
  } catch {
    // already gone
  }
}
process.once("exit", () => {
  for (const child of running) killGroup(child, "SIGKILL");
});
for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
  process.once(signal, () => {
    for (const child of running) killGroup(child, "SIGKILL");
    process.exit(130);
  });
}

/** A TCP port that was free on 127.0.0.1 a moment ago (the OS picks it). @returns {Promise<number>} */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === "object" ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** @param {PrismOptions} [options] @returns {Promise<PrismServer>} */
export async function startPrism(options = {}) {
  const mode = options.mode ?? "mock";
  if (mode === "proxy" && !options.upstream) throw new Error("proxy mode needs an upstream URL");
  const positional = [
    options.spec ?? BUNDLED_SPEC,
    ...(mode === "proxy" ? [/** @type {string} */ (options.upstream)] : []),
  ];
  const port = options.port ?? (await freePort());
  const child = spawn(
    process.execPath,
    [PRISM_CLI, mode, ...positional, "-h", "127.0.0.1", "-p", String(port), ...(options.args ?? [])],
    {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  running.add(child);
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk.toString();
    if (options.echo) process.stdout.write(chunk);
  });
  child.stderr?.on("data", (chunk) => (output += chunk.toString()));
  /** @type {Promise<void>} */
  const exited = new Promise((resolve) => child.once("exit", () => resolve()));
  exited.then(() => running.delete(child));

  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    killGroup(child);
    const timer = setTimeout(() => killGroup(child, "SIGKILL"), 3000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitUntilAnswering(url, child, options.readyTimeoutMs ?? 30_000);
  } catch (error) {
    await stop();
    throw new Error(`Prism did not start: ${/** @type {Error} */ (error).message}\n${output}`);
  }
  return { url, output: () => output, stop };
}

/** @param {string} url @param {import("node:child_process").ChildProcess} child @param {number} timeoutMs */
async function waitUntilAnswering(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    try {
      // Any HTTP answer means the server is up (an unknown path gives 404).
      await fetch(`${url}/__ready`, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
  throw new Error(`no answer from ${url} within ${timeoutMs} ms`);
}
