// @ts-check
// `make bundle`: Redocly bundles the split spec (redocly.yaml names the root and the output,
// generated/openapi.yaml); then the operations get their code samples (scripts/code-samples.mjs).
import { readFile, writeFile } from "node:fs/promises";
import { parse, stringify } from "yaml";
import { addCodeSamples } from "./code-samples.mjs";
import { redocly } from "./redocly.mjs";

const OUTPUT = "generated/openapi.yaml";
const { code } = await redocly(["bundle", "main"]);
if (code !== 0) process.exit(code);
const spec = parse(await readFile(OUTPUT, "utf8"));
addCodeSamples(spec);
await writeFile(OUTPUT, stringify(spec, { lineWidth: 0 }));
