// @ts-check
// Runs Redocly CLI (`node scripts/redocly.mjs <command> [args]`, or `redocly()` from a script)
// without the boxed Node 20 end-of-support banner it prints on every command; everything else
// it says goes through. Redocly reads redocly.yaml, where the spec's root is written once.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const CLI = createRequire(import.meta.url).resolve("@redocly/cli/bin/cli.js");
const BANNER_LINE = /[║╔╚]/;

/**
 * @param {string[]} args
 * @returns {Promise<{ code: number, output: string }>} the exit code and what it printed (banner removed)
 */
export function redocly(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    });
    let output = "";
    /** @param {NodeJS.WriteStream} stream */
    const relay = (stream) => (/** @type {Buffer} */ chunk) => {
      const text = chunk
        .toString()
        .split("\n")
        .filter((line) => !BANNER_LINE.test(line))
        .join("\n");
      output += text;
      stream.write(text);
    };
    child.stdout.on("data", relay(process.stdout));
    child.stderr.on("data", relay(process.stderr));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { code } = await redocly(process.argv.slice(2));
  process.exitCode = code;
}
