// @ts-check
// `make docs`: Redocly's self-contained HTML (renderer inlined) of the bundled spec.
//   node scripts/build-docs.mjs dist/docs/index.html
// Three changes for readers: a pattern marked x-hide-pattern is left out (its schema's description
// says the rule in words); the operations lose their tag, so that the page lists them open in its
// sidebar (Redocly folds each tag's operations into a group that starts closed, and has no option
// to open it); and Redoc's "API docs by Redocly" logo, which it loads from a CDN at view time, is
// swapped for an inline copy so that the page makes no request off this machine.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { redocly } from "./redocly.mjs";

const [output] = process.argv.slice(2);
if (!output) throw new Error("usage: build-docs.mjs <output .html>");

/** @param {unknown} node */
function patternsInWords(node) {
  if (Array.isArray(node)) return node.forEach(patternsInWords);
  if (node === null || typeof node !== "object") return;
  const schema = /** @type {Record<string, unknown>} */ (node);
  if (schema["x-hide-pattern"]) {
    delete schema.pattern;
    delete schema["x-hide-pattern"];
  }
  Object.values(schema).forEach(patternsInWords);
}

/** @param {Record<string, any>} spec */
function operationsOpen(spec) {
  delete spec.tags;
  for (const pathItem of Object.values(spec.paths)) {
    for (const operation of Object.values(pathItem)) if (!Array.isArray(operation)) delete operation.tags;
  }
}

const spec = parse(await readFile("generated/openapi.yaml", "utf8"));
patternsInWords(spec);
operationsOpen(spec);
const work = await mkdtemp(join(tmpdir(), "kling-docs-"));
try {
  const readerSpec = join(work, "openapi.yaml");
  await writeFile(readerSpec, stringify(spec, { lineWidth: 0 }));
  const { code } = await redocly([
    "build-docs",
    readerSpec,
    "-o",
    output,
    "--inlineBundle",
    "--title",
    "kling-video API",
  ]);
  if (code !== 0) process.exit(code);
} finally {
  await rm(work, { recursive: true, force: true });
}

const CDN_LOGOS = /https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(?:-full)?\.svg/g;
const inlineLogo = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="16"><text x="0" y="12" font-family="sans-serif" font-size="12" fill="#0044d4">Redocly</text></svg>',
)}`;
const html = await readFile(output, "utf8");
if (!CDN_LOGOS.test(html))
  throw new Error("build-docs: the Redocly logo URL was not found; check the page still works offline");
await writeFile(output, html.replace(CDN_LOGOS, inlineLogo));
