// @ts-check
// The docs' code samples: every operation gets x-codeSamples for curl, the SDK and the CLI,
// written at bundle time from the spec itself (the request example named by the operation's
// x-code-samples-example, the task_id parameter's example, the field table), so they cannot
// drift. A test runs each one against the mock.
import { requestFields } from "./request-fields.mjs";

// The shell expands this, not JavaScript: the mock unless KLING_VIDEO_BASE_URL is set.
const BASE_URL = ['"$', '{KLING_VIDEO_BASE_URL:-http://127.0.0.1:4010}"'].join("");
const ENV_NOTE = "KLING_VIDEO_BASE_URL and KLING_VIDEO_API_KEY come from the environment";

/** A shell word: single-quoted unless plain. @param {string} text */
const shellWord = (text) => (/^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`);

/**
 * @param {{ method: string, path: string, operationId: string, body?: Record<string, any>, taskId?: string, fields: import("./request-fields.mjs").RequestField[] }} operation
 * @returns {{ lang: string, label: string, source: string }[]}
 */
export function codeSamples({ method, path, operationId, body, taskId, fields }) {
  const url = BASE_URL.replace(/"$/, `${taskId ? path.replace("{task_id}", taskId) : path}"`);
  const auth = `-H "Authorization: Bearer $KLING_VIDEO_API_KEY"`;
  const curl =
    method === "post"
      ? `curl -sS ${url} \\\n  ${auth} \\\n  -H "Content-Type: application/json" \\\n  -d ${shellWord(JSON.stringify(body))}`
      : `curl -sS ${url} \\\n  ${auth}${operationId === "getVideoContent" ? " \\\n  -o video.mp4" : ""}`;
  const id = JSON.stringify(taskId);
  /** @type {Record<string, [sdk: string, cli: string]>} */
  const calls = {
    createVideoTask: [
      `const task = await client.create(${JSON.stringify(body, null, 2)});\nconsole.log(task.id, task.status);`,
      `npx kling-video create ${cliFlags(body ?? {}, fields).join(" ")}`,
    ],
    getVideoTask: [
      `const task = await client.retrieve(${id});\nconsole.log(task.status, task.progress);`,
      `npx kling-video get ${taskId}`,
    ],
    getLegacyVideoTask: [
      `const { data } = await client.raw.GET("${path}", { params: { path: { task_id: ${id} } } });\nconsole.log(data?.data.status, data?.data.progress);`,
      `npx kling-video get ${taskId}`,
    ],
    getVideoContent: [
      `const video = await client.download(${id});\nawait writeFile("video.mp4", new Uint8Array(await video.arrayBuffer()));`,
      `npx kling-video download ${taskId} --out video.mp4`,
    ],
  };
  const call = calls[operationId];
  if (!call) throw new Error(`code-samples: no SDK call for ${operationId}`);
  const imports = operationId === "getVideoContent" ? `import { writeFile } from "node:fs/promises";\n` : "";
  return [
    { lang: "Shell", label: "curl", source: curl },
    {
      lang: "JavaScript",
      label: "SDK",
      source: `${imports}import { createVideoClient } from "kling-video";\n\n// ${ENV_NOTE}.\nconst client = createVideoClient();\n${call[0]}`,
    },
    { lang: "Shell", label: "CLI", source: `# ${ENV_NOTE}.\n${call[1]}` },
  ];
}

/** The CLI flags that produce `body`. @param {Record<string, any>} body @param {import("./request-fields.mjs").RequestField[]} fields */
function cliFlags(body, fields) {
  const flags = [];
  const covered = new Set();
  for (const field of fields) {
    const value = field.path.reduce((node, key) => node?.[key], /** @type {any} */ (body));
    if (value === undefined) continue;
    covered.add(field.path.join("."));
    const values =
      field.kind === "list"
        ? value.map((/** @type {any} */ item) => item[/** @type {string} */ (field.itemKey)])
        : [value];
    for (const item of values) flags.push(`--${field.flag} ${shellWord(String(item))}`);
  }
  for (const [key, value] of Object.entries(body.extra_body ?? {})) {
    if (!covered.has(`extra_body.${key}`)) flags.push(`--extra ${shellWord(`${key}=${JSON.stringify(value)}`)}`);
  }
  return flags;
}

/**
 * Adds x-codeSamples to every operation of the bundled spec (in place), and drops the
 * x-code-samples-example that chose the create's example.
 * @param {Record<string, any>} spec
 */
export function addCodeSamples(spec) {
  const fields = requestFields(spec);
  /** @param {any} node @returns {any} */
  const resolve = (node) =>
    node?.$ref
      ? resolve(
          node.$ref
            .slice(2)
            .split("/")
            .reduce((/** @type {any} */ at, /** @type {string} */ key) => at[key], spec),
        )
      : node;
  for (const [path, pathItem] of Object.entries(spec.paths)) {
    const taskId = (pathItem.parameters ?? [])
      .map(resolve)
      .find((/** @type {any} */ parameter) => parameter.name === "task_id")?.example;
    for (const method of ["get", "post"]) {
      const operation = pathItem[method];
      if (!operation) continue;
      const chosen = operation["x-code-samples-example"];
      const body = chosen
        ? resolve(resolve(operation.requestBody).content["application/json"].examples[chosen])?.value
        : undefined;
      if (chosen && !body) throw new Error(`code-samples: ${path} names the example ${chosen}, which it does not have`);
      delete operation["x-code-samples-example"];
      operation["x-codeSamples"] = codeSamples({
        method,
        path,
        operationId: operation.operationId,
        body,
        taskId,
        fields,
      });
    }
  }
}
