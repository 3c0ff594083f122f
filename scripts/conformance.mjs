// @ts-check
// `make conformance BASE_URL=... API_KEY=... TASK_ID=... [CREATE=1]`: checks a real gateway
// against the spec. Prism runs as a validating proxy (`prism proxy --errors`) between the SDK
// and the gateway; every response is checked and every way it breaks the spec is reported.
// Only free GET requests are made, unless CREATE=1: then one cheapest task is created.
// Exit status: 0 conforming, 1 violations found, 2 usage error.
import { startPrism } from "./prism.mjs";

const { BASE_URL, API_KEY, TASK_ID, CREATE } = process.env;
if (!BASE_URL || !API_KEY || (!TASK_ID && CREATE !== "1")) {
  console.error(
    "usage: make conformance BASE_URL=https://gateway.example.com API_KEY=sk-... TASK_ID=<an existing task id> [CREATE=1]",
  );
  process.exit(2);
}
// The built package (make build), typed from its sources.
const BUILT_SDK = "../dist/src/index.js";
/** @type {typeof import("../src/index.js")} */
const { createVideoClient } = await import(BUILT_SDK);

/** The cheapest paid request the spec allows: standard, silent, 3 seconds. @type {import("../src/index.js").CreateVideoTaskRequest} */
const CHEAPEST = {
  model: "kling-v3-std-silent",
  prompt: "A paper boat drifting on a calm pond (conformance check)",
  duration: 3,
};
const MISSING_TASK = "kling-video-conformance-no-such-task";

/**
 * @typedef {{ location?: string[]; code?: string | number; message: string }} Violation
 * @typedef {{ name: string; request: string; status?: number; violations: Violation[]; outcome: string }} Check
 */

const proxy = await startPrism({ mode: "proxy", upstream: BASE_URL, args: ["--errors"] });
/** @type {Check[]} */
const checks = [];

/**
 * Runs one SDK call through the proxy and records what the proxy said about each response.
 * @param {string} name what is checked
 * @param {string} apiKey
 * @param {(client: import("../src/index.js").VideoClient) => Promise<unknown>} call
 * @param {(result: unknown) => string} describeResult
 */
async function check(name, apiKey, call, describeResult) {
  /** @type {Check} */
  const entry = { name, request: "", violations: [], outcome: "" };
  const client = createVideoClient({
    baseUrl: proxy.url,
    apiKey,
    maxRetries: 0,
    timeoutMs: 60_000,
    fetch: async (url, init) => {
      entry.request = `${init.method} ${new URL(url).pathname}`;
      const response = await fetch(url, init);
      entry.status = response.status;
      const header = response.headers.get("sl-violations");
      if (header) entry.violations.push(...JSON.parse(header));
      return response;
    },
  });
  try {
    entry.outcome = describeResult(await call(client));
  } catch (error) {
    const { name: errorName, message } = /** @type {Error} */ (error);
    entry.outcome = `${errorName}: ${message}`;
  }
  checks.push(entry);
  return entry;
}

/** @param {any} task */
const describeTask = (task) => `VideoTask ${task.id} status=${task.status}`;
try {
  if (TASK_ID) {
    await check(`retrieve the task ${TASK_ID}`, API_KEY, (client) => client.retrieve(TASK_ID), describeTask);
  }
  await check(
    "retrieve an unknown task (expects a 404 error body)",
    API_KEY,
    (client) => client.retrieve(MISSING_TASK),
    describeTask,
  );
  await check(
    "retrieve with a wrong key (expects a 401 error body)",
    "sk-kling-video-conformance-wrong-key",
    (client) => client.retrieve(TASK_ID ?? MISSING_TASK),
    describeTask,
  );
  if (CREATE === "1") {
    const created = await check(
      `create the cheapest task (${CHEAPEST.model}, ${CHEAPEST.duration} s)`,
      API_KEY,
      (client) => client.create(CHEAPEST),
      describeTask,
    );
    const id = /^VideoTask (\S+)/.exec(created.outcome)?.[1];
    if (id) await check(`retrieve the created task ${id}`, API_KEY, (client) => client.retrieve(id), describeTask);
  }
} finally {
  await proxy.stop();
}

const total = checks.reduce((sum, entry) => sum + entry.violations.length, 0);
console.log(`Conformance of ${BASE_URL} to the kling-video spec (through prism proxy --errors)`);
console.log("A response that breaks the spec reaches the SDK as Prism's 500, listing the violations.\n");
for (const entry of checks) {
  const verdict = entry.violations.length === 0 ? "conforms" : `${entry.violations.length} violation(s)`;
  console.log(`${entry.violations.length === 0 ? "ok  " : "FAIL"} ${entry.name}`);
  console.log(`     ${entry.request} -> ${entry.status ?? "no answer"}: ${verdict}`);
  for (const violation of entry.violations) {
    const where = (violation.location ?? []).join(".");
    console.log(`       - ${where}${violation.code ? ` [${violation.code}]` : ""}: ${violation.message}`);
  }
  console.log(`     SDK saw: ${entry.outcome}\n`);
}
console.log(
  total === 0
    ? "Result: the gateway conforms to the spec in every check."
    : `Result: ${total} violation(s) of the spec.`,
);
process.exit(total === 0 ? 0 : 1);
