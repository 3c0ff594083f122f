// @ts-check
// `make lint` (the spec part): Redocly on the split spec (redocly.yaml), then Spectral's
// OpenAPI ruleset on the bundle (.spectral.yaml). Zero errors and zero warnings, from both.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { redocly } from "./redocly.mjs";

const { code, output } = await redocly(["lint", "--max-problems", "1000"]);
if (code !== 0 || /You have \d+ warnings?/.test(output)) {
  console.error("make lint: Redocly must report zero errors and zero warnings");
  process.exit(1);
}
const spectral = createRequire(import.meta.url).resolve("@stoplight/spectral-cli/dist/index.js");
try {
  execFileSync(process.execPath, [spectral, "lint", "generated/openapi.yaml", "--fail-severity=hint", "--quiet"], {
    stdio: "inherit",
  });
} catch {
  console.error("make lint: Spectral must report nothing at all");
  process.exit(1);
}
console.log("Spectral: no problems in generated/openapi.yaml");
