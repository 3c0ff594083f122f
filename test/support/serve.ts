// Runs `make serve` (scripts/serve.mjs) on free loopback ports, as a user would, and stops it
// (Ctrl-C) afterwards: the stateful mock behind Prism's validating proxy, and the docs.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { freePort } from "../../scripts/prism.mjs";
import { eventually } from "./harness.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));

export interface Serve {
  /** Prism, in front of the mock (MOCK_PORT). */
  apiUrl: string;
  /** The mock itself, which serves the videos. */
  mockUrl: string;
  docsUrl: string;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts scripts/serve.mjs with `args` and `env` (MOCK_PORT and DOCS_PORT default to free ports) and waits until it is ready. */
export async function startServe(options: { args?: string[]; env?: Record<string, string> } = {}): Promise<Serve> {
  const env = { MOCK_PORT: String(await freePort()), DOCS_PORT: String(await freePort()), ...options.env };
  const { child, output } = spawnServe(options.args ?? [], env);
  const stop = () => stopChild(child);
  try {
    await eventually(
      () => output().includes("Ctrl-C stops everything") || child.exitCode !== null,
      60_000,
      "make serve",
    );
  } catch (error) {
    await stop();
    throw error;
  }
  if (child.exitCode !== null) throw new Error(`make serve exited with ${child.exitCode}:\n${output()}`);
  return {
    apiUrl: `http://127.0.0.1:${env.MOCK_PORT}`,
    mockUrl: /the stateful mock (http:\/\/\S+),/.exec(output())?.[1] ?? "",
    docsUrl: `http://127.0.0.1:${env.DOCS_PORT}/`,
    output,
    stop,
  };
}

/** Runs scripts/serve.mjs to its end (it should fail at once): its exit code and output. */
export async function runServe(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const { child, output } = spawnServe([], env);
  const timer = setTimeout(() => child.kill("SIGINT"), 30_000);
  const [code] = await once(child, "exit");
  clearTimeout(timer);
  return { code, output: output() };
}

/** scripts/serve.mjs with `args` and `env` (on top of this process's), and all it prints, stdout and stderr. */
function spawnServe(args: string[], env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ["scripts/serve.mjs", ...args], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  return { child, output: () => output };
}

/** Ctrl-C, as a user stops it: serve.mjs then stops Prism's whole process group. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGINT");
  await exited;
}
