// @ts-check
// Compiles the spec's request schema into a standalone validator module, so the SDK checks
// bodies with the spec's own rules and ships no Ajv. Beside it, two tables the SDK words its
// errors with, keyed by the schema path Ajv reports: the spec's own wording (x-error-message)
// and the property names a closed object knows (for "did you mean ...?"). Ajv's verbose mode
// and messages would carry the same at several times the size. Ajv's code is then shrunk by a few
// exact rewrites (shrink() below) that keep every check and every error as Ajv reports it.
//   node scripts/generate-validator.mjs generated/openapi.yaml generated/validate-request.js
import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { Ajv2020 } from "ajv/dist/2020.js";
import { build } from "esbuild";
import { parse } from "yaml";

// Ajv's standalone generator and runtime helpers are CommonJS; the default export is the function.
const require = createRequire(import.meta.url);
/** @type {typeof import("ajv/dist/standalone/index.js").default} */
const standaloneCode = require("ajv/dist/standalone").default;
/** @type {(text: string) => number} */
const ucs2length = require("ajv/dist/runtime/ucs2length").default;

const [specPath, outPath] = process.argv.slice(2);
if (!specPath || !outPath) throw new Error("usage: generate-validator.mjs <bundled spec> <output .js>");

const spec = parse(await readFile(specPath, "utf8"));
const ROOT = "CreateVideoTaskRequest";

/** Only what validates: annotations, wording and other vendor extensions go. @param {unknown} node @returns {unknown} */
function rulesOnly(node) {
  if (Array.isArray(node)) return node.map(rulesOnly);
  if (node === null || typeof node !== "object") return node;
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (["title", "description", "deprecated", "examples", "example"].includes(key) || key.startsWith("x-")) continue;
    if (key === "properties" || key === "$defs" || key === "dependentSchemas") {
      out[key] = Object.fromEntries(
        Object.entries(/** @type {object} */ (value)).map(([name, schema]) => [name, rulesOnly(schema)]),
      );
    } else if (["enum", "const", "required", "dependentRequired"].includes(key)) out[key] = value;
    else out[key] = rulesOnly(value);
  }
  return out;
}

/**
 * Walks every schema for the wording tables. Ajv's schemaPath is relative to the schema a rule
 * was compiled in: "#/allOf/1/not" in the root, "#/components/schemas/NoNulText/pattern" in a
 * referenced one.
 */
function wordingTables() {
  /** @type {Record<string, string>} */
  const sentences = {};
  /** @type {Record<string, string>} */
  const phrases = {};
  /** @type {Record<string, string[]>} */
  const knownKeys = {};
  /** @param {unknown} node @param {string} at */
  const visit = (node, at) => {
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) visit(item, `${at}/${index}`);
      return;
    }
    if (node === null || typeof node !== "object") return;
    const schema = /** @type {Record<string, any>} */ (node);
    const words = schema["x-error-message"];
    if (typeof words === "string")
      for (const keyword of ["anyOf", "oneOf", "not"]) if (keyword in schema) sentences[`${at}/${keyword}`] = words;
    if (words && typeof words === "object")
      for (const [keyword, phrase] of Object.entries(words)) phrases[`${at}/${keyword}`] = String(phrase);
    if (schema.additionalProperties === false && schema.properties)
      knownKeys[`${at}/additionalProperties`] = Object.keys(schema.properties);
    for (const [key, value] of Object.entries(schema))
      if (!key.startsWith("x-") && key !== "enum" && key !== "required") visit(value, `${at}/${key}`);
  };
  for (const [name, schema] of Object.entries(spec.components.schemas))
    visit(schema, name === ROOT ? "#" : `#/components/schemas/${name}`);
  return { sentences, phrases, knownKeys };
}

const SPEC_ID = "kling-video-openapi.json";
const ajv = new Ajv2020({
  allErrors: true, // report every problem of a body, not just the first
  messages: false, // the SDK words its errors itself
  strict: true,
  // Cross-field rules (anyOf/not of `required`) name properties defined beside them, not in them.
  strictRequired: false,
  code: { source: true, esm: true },
});
ajv.addKeyword("components"); // the container of the schemas, not a validation keyword
ajv.addSchema({ $id: SPEC_ID, components: { schemas: rulesOnly(spec.components.schemas) } });

/**
 * Ajv's standalone code, smaller and the same in effect (test/spec/generated-validator.test.ts
 * compares its errors with Ajv's): each rewrite must apply, so that a change in Ajv's output
 * fails here rather than slipping through unshrunk or half rewritten.
 * @param {string} code
 */
function shrink(code) {
  /** @param {RegExp} pattern @param {string | ((...match: string[]) => string)} replacement */
  const rewrite = (pattern, replacement) => {
    const before = code;
    code = code.replace(pattern, /** @type {any} */ (replacement));
    if (code === before) throw new Error(`generate-validator: Ajv's output no longer matches ${pattern}`);
  };
  // Ajv 2020 tracks evaluated properties for unevaluatedProperties/Items, which the spec does not use.
  if (/"(unevaluatedProperties|unevaluatedItems|\$dynamicRef)"/.test(JSON.stringify(spec.components.schemas)))
    throw new Error("generate-validator: the spec uses unevaluated*/$dynamicRef: drop the evaluated-tracking rewrites");
  rewrite(
    /const evaluated0 = (validate\d+)\.evaluated;if\(evaluated0\.dynamicProps\)\{evaluated0\.props = undefined;\}if\(evaluated0\.dynamicItems\)\{evaluated0\.items = undefined;\}/g,
    "",
  );
  rewrite(/(validate\d+)\.evaluated = \{[^{}]*\};/g, "");
  rewrite(/if\(_valid\d+\)\{var props\d+ = \{\};(props\d+\.\w+ = true;)+\}/g, "");
  // Only instancePath is read; the other context Ajv passes along serves keywords the spec does not use.
  rewrite(
    /\{instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors=\{\}\}=\{\}/g,
    '{instancePath=""}={}',
  );
  rewrite(/,parentData:\w+(\[\w+\])?,parentDataProperty:[^,]+,rootData,dynamicAnchors\}/g, "}");
  // Each error in one statement: appended to the list, created when it is the first.
  const object = String.raw`\{(?:[^{}"]|"(?:[^"\\]|\\.)*"|\{(?:[^{}"]|"(?:[^"\\]|\\.)*")*\})*\}`;
  rewrite(
    new RegExp(
      String.raw`const (err\d+) = (${object});if\(vErrors === null\)\{vErrors = \[\1\];\}else \{vErrors\.push\(\1\);\}`,
      "g",
    ),
    (_, _name, error) => `(vErrors ??= []).push(${error});`,
  );
  // The one runtime helper the spec needs (string length in code points), as source instead of a require().
  rewrite(/require\("ajv\/dist\/runtime\/ucs2length"\)\.default/, ucs2length.toString());
  for (const leftover of ["evaluated", "props0", "rootData", "dynamicAnchors", "vErrors === null){", "require("])
    if (code.includes(leftover)) throw new Error(`generate-validator: "${leftover}" is left after shrinking`);
  return code;
}

const code = shrink(standaloneCode(ajv, { validateCreateVideoTaskRequest: `${SPEC_ID}#/components/schemas/${ROOT}` }));
// esbuild lays the code out readably and drops the schema constants nothing reads.
const bundled = await build({
  stdin: { contents: code, resolveDir: process.cwd(), sourcefile: "validate-request.js" },
  bundle: true,
  format: "esm",
  platform: "neutral",
  mainFields: ["module", "main"],
  write: false,
  legalComments: "none",
});
const { sentences, phrases, knownKeys } = wordingTables();
const header = `// Generated by scripts/generate-validator.mjs from ${specPath}. Do not edit.\n`;
const tables = [
  ["RULE_SENTENCES", "The spec's sentence for a cross-field rule (x-error-message: text)", sentences],
  [
    "RULE_PHRASES",
    "The spec's phrase for a rule, said after the field's name (x-error-message: {keyword: text})",
    phrases,
  ],
  ["KNOWN_PROPERTIES", "The property names of each closed object", knownKeys],
]
  .map(
    ([name, what, table]) =>
      `\n/** ${what}, by the schema path Ajv reports. */\nexport const ${name} = ${JSON.stringify(table, null, 2)};\n`,
  )
  .join("");
await writeFile(outPath, header + /** @type {import("esbuild").OutputFile} */ (bundled.outputFiles[0]).text + tables);

// Ajv's error shape, declared here so consumers need no Ajv types.
const declaration = `${header}
export interface SchemaValidationError {
  /** JSON Pointer to the offending value, "" for the body itself. */
  instancePath: string;
  /** JSON Pointer to the violated keyword, relative to the schema it was compiled in. */
  schemaPath: string;
  /** The violated JSON Schema keyword: "maximum", "enum", "required", "anyOf", ... */
  keyword: string;
  /** The keyword's parameters: { limit }, { allowedValues }, { missingProperty }, ... */
  params: Record<string, unknown>;
}

/** Checks a value against the spec's CreateVideoTaskRequest schema; on false, see .errors. */
export declare const validateCreateVideoTaskRequest: {
  (data: unknown): boolean;
  errors?: SchemaValidationError[] | null;
};

/** The spec's sentence for a cross-field rule (x-error-message: text), by the schema path Ajv reports. */
export declare const RULE_SENTENCES: Record<string, string>;
/** The spec's phrase for a rule, said after the field's name (x-error-message: {keyword: text}), by schema path. */
export declare const RULE_PHRASES: Record<string, string>;
/** The property names of each closed object, by the schema path of its additionalProperties. */
export declare const KNOWN_PROPERTIES: Record<string, string[]>;
`;
await writeFile(outPath.replace(/\.js$/, ".d.ts"), declaration);
