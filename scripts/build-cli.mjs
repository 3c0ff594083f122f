// Bundles the CLI (src/cli) with its own dependencies (commander, ora) into dist/cli.js, so the
// SDK's runtime dependency tree stays openapi-fetch alone. The SDK itself is imported from the
// package ("kling-video" resolves to dist/src by self-reference): one HTTP path, not two.
import { readFileSync } from "node:fs";
import { build } from "esbuild";
import { parse } from "yaml";

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const spec = parse(readFileSync(new URL("../generated/openapi.yaml", import.meta.url), "utf8"));

// The flags' help states each field's allowed values as the spec does (never restated by hand).
const resolve = (node) => (node?.$ref ? resolve(spec.components.schemas[node.$ref.split("/").pop()]) : node);
function allowed(node) {
  const schema = resolve(node);
  if (!schema) return undefined;
  if (schema.enum) return schema.enum.join(", ");
  if (schema.minimum !== undefined && schema.maximum !== undefined) return `${schema.minimum} to ${schema.maximum}`;
  for (const branch of schema.oneOf ?? schema.anyOf ?? []) {
    const described = allowed(branch);
    if (described) return described;
  }
  return undefined;
}
const request = spec.components.schemas.CreateVideoTaskRequest.properties;
const extraBody = resolve(request.extra_body).properties;
const fieldHints = Object.fromEntries(
  [...Object.entries(request), ...Object.entries(extraBody)]
    .map(([name, node]) => [name, allowed(node)])
    .filter(([, hint]) => hint),
);
await build({
  entryPoints: ["src/cli/main.ts"],
  outfile: "dist/cli.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["kling-video"],
  define: { KLING_VIDEO_VERSION: JSON.stringify(version), KLING_VIDEO_FIELD_HINTS: JSON.stringify(fieldHints) },
  // commander is CommonJS: give the ESM bundle a require() for its Node built-ins.
  banner: {
    js: '#!/usr/bin/env node\nimport { createRequire as __createRequire } from "node:module";\nconst require = __createRequire(import.meta.url);',
  },
  legalComments: "eof",
  logLevel: "warning",
});
