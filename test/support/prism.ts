// Starts Prism (mock or proxy) on a free loopback port, waits until it answers, and stops it
// (its whole process group) on demand, on process exit, or on Ctrl-C. Used by the global
// setup and by suites that need another mode.
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { freePort } from "./ports.js";

const require = createRequire(import.meta.url);
const PRISM_CLI = require.resolve("@stoplight/prism-cli/dist/index.js");
export const BUNDLED_SPEC = fileURLToPath(new URL("../../generated/openapi.yaml", import.meta.url));

export interface PrismServer {
  url: string;
  /** Everything Prism printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

export interface PrismOptions {
  /** "mock" (default) or "proxy" with `upstream`. */
  mode?: "mock" | "proxy";
  upstream?: string;
  /** Extra flags: ["-d", "--seed", "1"], ["--errors"], ... */
  args?: string[];
  spec?: string;
  readyTimeoutMs?: number;
}

const running = new Set<ChildProcess>();
function killGroup(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal); // detached: Prism leads its own process group
  } catch {
    // already gone
  }
}
process.once("exit", () => running.forEach((child) => killGroup(child, "SIGKILL")));
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    running.forEach((child) => killGroup(child, "SIGKILL"));
    process.exit(130);
  });
}

export async function startPrism(options: PrismOptions = {}): Promise<PrismServer> {
  const port = await freePort();
  const mode = options.mode ?? "mock";
  const positional = mode === "proxy" ? [options.spec ?? BUNDLED_SPEC, requireUpstream(options)] : [options.spec ?? BUNDLED_SPEC];
  const child = spawn(
    process.execPath,
    [PRISM_CLI, mode, ...positional, "-h", "127.0.0.1", "-p", String(port), ...(options.args ?? [])],
    { detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  running.add(child);
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
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
    throw new Error(`Prism did not start: ${(error as Error).message}\n${output}`);
  }
  return { url, output: () => output, stop };
}

function requireUpstream(options: PrismOptions): string {
  if (!options.upstream) throw new Error("proxy mode needs an upstream URL");
  return options.upstream;
}

async function waitUntilAnswering(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
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
