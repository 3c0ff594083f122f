// @ts-check
// `make docs`: Redocly's self-contained HTML (renderer inlined) of the bundled spec.
//   node scripts/build-docs.mjs dist/docs/index.html
// Changes for readers: a pattern marked x-hide-pattern is left out (its schema's description
// says the rule in words); the operations lose their tag, so that the page lists them open in its
// sidebar (Redocly folds each tag's operations into a group that starts closed, and has no option
// to open it); every x-codeSamples label gets a tab beside the example's own JSON (Redocly shows
// only the languages its config names); the mock's scenarios and flavours are listed after
// "Getting started", from the mock's own tables (dist/node.js, so `make build` comes first); and
// Redoc's "API docs by Redocly" logo, which it loads from a CDN at view time, is
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
  if (Array.isArray(node)) {
    for (const item of node) patternsInWords(item);
    return;
  }
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

/** Redocly's config for the page: a code sample tab for each label the spec's samples use. @param {Record<string, any>} spec */
function pageConfig(spec) {
  /** @type {Map<string, string>} */
  const tabs = new Map();
  for (const pathItem of Object.values(spec.paths)) {
    for (const operation of Object.values(pathItem)) {
      for (const sample of operation["x-codeSamples"] ?? []) tabs.set(sample.label ?? sample.lang, sample.lang);
    }
  }
  // A tab's `lang` must be one Redocly knows; its shell language is curl.
  const known = (/** @type {string} */ lang) =>
    KNOWN_LANGS.find((name) => name.toLowerCase() === lang.toLowerCase()) ?? "curl";
  const languages = [...tabs].map(([label, lang]) => ({ lang: known(lang), label }));
  // And the request example itself, as JSON (the tab Redocly calls Payload).
  return { openapi: { codeSamples: { languages: [...languages, { lang: "Payload" }] } } };
}
const KNOWN_LANGS = ["curl", "C#", "Go", "Java", "JavaScript", "Node.js", "PHP", "Python", "R", "Ruby"];

/**
 * A section on what the mock can play, after the description's "Getting started".
 * @param {Record<string, any>} spec
 */
async function mockSection(spec) {
  /** @type {typeof import("../src/node.js")} */
  const mock = await import(new URL("../dist/node.js", import.meta.url).href);
  /** @param {readonly { name: string, description: string }[]} rows */
  const table = (rows) =>
    ["| Name | What happens |", "| --- | --- |", ...rows.map((row) => `| \`${row.name}\` | ${row.description} |`)].join(
      "\n",
    );
  const section = [
    "## The mock's scenarios",
    "",
    `Ask the mock for a scenario with an \`${mock.SCENARIO_HEADER}\` header on any request (several: comma-separated), or with \`[mock:NAME]\` in a prompt. A name it does not know is a 400 that lists these. A numbered one is played on the routes that document its status.`,
    "",
    table(mock.MOCK_SCENARIOS),
    "",
    `And for the answers of another gateway with an \`${mock.FLAVOR_HEADER}\` header:`,
    "",
    table(mock.MOCK_FLAVORS),
    "",
  ].join("\n");
  const description = String(spec.info.description);
  const next = description.indexOf("\n## ", description.indexOf("## Getting started") + 1);
  if (next < 0) throw new Error('build-docs: no section after "## Getting started" in info.description');
  spec.info.description = `${description.slice(0, next + 1)}${section}${description.slice(next)}`;
}

const spec = parse(await readFile("generated/openapi.yaml", "utf8"));
const config = pageConfig(spec);
patternsInWords(spec);
operationsOpen(spec);
await mockSection(spec);
const work = await mkdtemp(join(tmpdir(), "kling-docs-"));
try {
  const readerSpec = join(work, "openapi.yaml");
  const readerConfig = join(work, "redocly.yaml");
  await writeFile(readerSpec, stringify(spec, { lineWidth: 0 }));
  await writeFile(readerConfig, stringify(config));
  const { code } = await redocly([
    "build-docs",
    readerSpec,
    "-o",
    output,
    "--inlineBundle",
    "--title",
    "kling-video API",
    "--config",
    readerConfig,
    // Its config schema lists no "Payload" language, which its renderer has.
    "--lint-config",
    "off",
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
