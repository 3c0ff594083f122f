// @ts-check
// Starts Prism (mock or proxy) on a free loopback port, waits until it answers, and stops it
// (its whole process group) on demand, at process exit, or on Ctrl-C. The one way this
// project starts Prism: the test setup, the suites that need another mode, and `make conformance`.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { connect, createServer } from "node:net";
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
 * @property {number} [port] a fixed port (default: a free one); refused at once when it is taken
 * @property {boolean} [echo] also print Prism's log to this process's stdout
 * @property {(line: string) => void} [onLine] called with each line Prism prints
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

/**
 * Resolves when nothing listens on 127.0.0.1:`port`; otherwise rejects with an error whose code is
 * EADDRINUSE and whose message names `what` the port is for.
 * @param {number} port @param {string} what
 * @returns {Promise<void>}
 */
export function checkPortFree(port, what) {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", (/** @type {NodeJS.ErrnoException} */ error) =>
      reject(
        Object.assign(
          new Error(
            error.code === "EADDRINUSE"
              ? `127.0.0.1:${port} (${what}) is already in use: stop what holds it, or choose another port`
              : `127.0.0.1:${port} (${what}) cannot be used: ${error.message}`,
          ),
          { code: error.code },
        ),
      ),
    );
    server.listen(port, "127.0.0.1", () => server.close(() => resolve()));
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
  if (options.port !== undefined) await checkPortFree(options.port, "Prism's port");
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
  let partial = "";
  /** @param {Buffer} chunk */
  const collect = (chunk) => {
    output += chunk.toString();
    const lines = (partial + chunk.toString()).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) options.onLine?.(line);
  };
  child.stdout?.on("data", (chunk) => {
    collect(chunk);
    if (options.echo) process.stdout.write(chunk);
  });
  child.stderr?.on("data", collect);
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
    await waitUntilListening(port, child, options.readyTimeoutMs ?? 30_000);
  } catch (error) {
    await stop();
    throw new Error(`Prism did not start: ${/** @type {Error} */ (error).message}\n${output}`);
  }
  return { url, output: () => output, stop };
}

/**
 * Waits until Prism accepts connections. A bare TCP connection, not a request: Prism would log
 * any request to a path outside the spec as an error.
 * @param {number} port @param {import("node:child_process").ChildProcess} child @param {number} timeoutMs
 */
async function waitUntilListening(port, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    if (await accepts(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`nothing listening on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

/** @param {number} port @returns {Promise<boolean>} */
function accepts(port) {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
