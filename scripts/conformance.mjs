// @ts-check
// `make conformance BASE_URL=... API_KEY=... TASK_ID=... [CREATE=1]`: checks a real gateway
// against the spec, and says which of the known gateway variants it shows. Prism runs as a
// validating proxy (`prism proxy`) between the SDK and the gateway: every answer passes
// through unchanged, and every way it breaks the spec is reported (its `sl-violations`).
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
const BUILT_SDK = "../dist/index.js";
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
 * @typedef {{ method: string; path: string; status: number; headers: Headers; body: unknown }} Answer
 * @typedef {{ name: string; answers: Answer[]; violations: Violation[]; outcome: string }} Check
 */

const proxy = await startPrism({ mode: "proxy", upstream: BASE_URL });
/** @type {Check[]} */
const checks = [];

/**
 * Runs one SDK call through the proxy and records every answer and what the proxy said of it.
 * @param {string} name what is checked
 * @param {string} apiKey
 * @param {(client: import("../src/index.js").VideoClient) => Promise<unknown>} call
 */
async function check(name, apiKey, call) {
  /** @type {Check} */
  const entry = { name, answers: [], violations: [], outcome: "" };
  const client = createVideoClient({
    baseUrl: proxy.url,
    apiKey,
    maxRetries: 0,
    timeoutMs: 60_000,
    fetch: async (url, init) => {
      const response = await fetch(url, init);
      const header = response.headers.get("sl-violations");
      if (header) entry.violations.push(...JSON.parse(header));
      const text = await response.clone().text();
      let body = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      entry.answers.push({
        method: init.method ?? "GET",
        path: new URL(url).pathname,
        status: response.status,
        headers: response.headers,
        body,
      });
      return response;
    },
  });
  try {
    const result = /** @type {any} */ (await call(client));
    entry.outcome = `VideoTask ${result.id} status=${result.status}`;
  } catch (error) {
    const { name: errorName, message } = /** @type {Error} */ (error);
    entry.outcome = `${errorName}: ${message}`;
  }
  checks.push(entry);
  return entry;
}

/** The known ways gateways differ (README "Gateways"), as this one shows them. */
function variants() {
  const answers = checks.flatMap((entry) => entry.answers);
  const polls = answers.filter((answer) => answer.method === "GET" && /^\/v1\/videos\/[^/]+$/.test(answer.path));
  const legacy = answers.filter((answer) => /^\/v1\/video\/generations\/[^/]+$/.test(answer.path));
  const tasks = [...polls, ...legacy]
    .filter((answer) => answer.status === 200)
    .map((answer) => /** @type {any} */ (answer.body))
    .map((body) => (body?.data && typeof body.data === "object" && "task_id" in body.data ? body.data : body));
  const unknown = answers.findLast((answer) => answer.path.endsWith(MISSING_TASK));
  const created = answers.find((answer) => answer.method === "POST" && answer.status === 200);
  const requestIds = new Set(
    answers.flatMap((answer) => ["x-oneapi-request-id", "x-request-id"].filter((name) => answer.headers.has(name))),
  );
  const times = tasks.map((task) => task.created_at ?? task.submit_time).filter((value) => typeof value === "number");
  /** @type {[string, string][]} */
  const found = [
    [
      "task route",
      legacy.length > 0
        ? "only the older GET /v1/video/generations/{task_id} (GET /v1/videos/{task_id} is not served)"
        : polls.length > 0
          ? "GET /v1/videos/{task_id}"
          : "not seen",
    ],
    [
      "unknown task id",
      unknown
        ? `${unknown.status} ${/** @type {any} */ (unknown.body)?.code ?? /** @type {any} */ (unknown.body)?.error?.code ?? ""}`.trim()
        : "not seen",
    ],
    [
      "error shape",
      answers.some(
        (answer) =>
          answer.status >= 400 &&
          typeof (/** @type {any} */ (answer.body)?.code) === "string" &&
          !(/** @type {any} */ (answer.body)?.error),
      )
        ? "task errors {code, message, data} (new-api) and OpenAI {error: {...}}"
        : "OpenAI {error: {...}}",
    ],
    ["request id header", requestIds.size ? [...requestIds].join(", ") : "none"],
    [
      "times",
      times.length === 0
        ? "not seen"
        : times.every((time) => time >= 1e11)
          ? "milliseconds"
          : times.every((time) => time < 1e11)
            ? "seconds"
            : "seconds and milliseconds",
    ],
    ["progress", [...new Set(tasks.map((task) => typeof task.progress))].join(", ") || "not seen"],
    [
      "video location",
      tasks.some((task) => task.video_url)
        ? "video_url"
        : tasks.some((task) => task.metadata?.url)
          ? "metadata.url"
          : tasks.some((task) => task.result_url || /^https?:/.test(task.fail_reason ?? ""))
            ? "result_url or fail_reason (older route)"
            : "not seen (the task is not completed)",
    ],
  ];
  if (created) {
    found.push([
      "create answer",
      "id" in /** @type {object} */ (created.body)
        ? "a video object with id"
        : "only a top-level task_id (before October 2025)",
    ]);
  }
  return found;
}

try {
  if (TASK_ID) await check(`retrieve the task ${TASK_ID}`, API_KEY, (client) => client.retrieve(TASK_ID));
  await check("retrieve an unknown task (expects an error body)", API_KEY, (client) => client.retrieve(MISSING_TASK));
  await check(
    "retrieve with a wrong key (expects a 401 error body)",
    "sk-kling-video-conformance-wrong-key",
    (client) => client.retrieve(TASK_ID ?? MISSING_TASK),
  );
  if (CREATE === "1") {
    const created = await check(
      `create the cheapest task (${CHEAPEST.model}, ${CHEAPEST.duration} s)`,
      API_KEY,
      (client) => client.create(CHEAPEST),
    );
    const id = /^VideoTask (\S+)/.exec(created.outcome)?.[1];
    if (id) await check(`retrieve the created task ${id}`, API_KEY, (client) => client.retrieve(id));
  }
} finally {
  await proxy.stop();
}

const total = checks.reduce((sum, entry) => sum + entry.violations.length, 0);
console.log(`Conformance of ${BASE_URL} to the kling-video spec (through prism proxy)\n`);
for (const entry of checks) {
  console.log(`${entry.violations.length === 0 ? "ok  " : "FAIL"} ${entry.name}`);
  for (const answer of entry.answers) console.log(`     ${answer.method} ${answer.path} -> ${answer.status}`);
  if (entry.violations.length) console.log(`     ${entry.violations.length} violation(s):`);
  for (const violation of entry.violations) {
    const where = (violation.location ?? []).join(".");
    console.log(`       - ${where}${violation.code ? ` [${violation.code}]` : ""}: ${violation.message}`);
  }
  console.log(`     SDK saw: ${entry.outcome}\n`);
}
console.log('Gateway variants (see the README, "Gateways"):');
for (const [what, seen] of variants()) console.log(`  ${what}: ${seen}`);
console.log(
  total === 0
    ? "\nResult: the gateway conforms to the spec in every check."
    : `\nResult: ${total} violation(s) of the spec.`,
);
process.exit(total === 0 ? 0 : 1);
