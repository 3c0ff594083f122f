// `make docs`: Redocly's self-contained HTML (renderer inlined) for the bundled spec. Redoc 3
// still loads its "API docs by Redocly" logo from a CDN at view time; that image is swapped
// for an inline copy so the page makes no request off this machine (a browser test checks).
//   node scripts/build-docs.mjs generated/openapi.yaml dist/docs/index.html
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const [spec, output] = process.argv.slice(2);
if (!spec || !output) throw new Error("usage: build-docs.mjs <bundled spec> <output .html>");
const redocly = createRequire(import.meta.url).resolve("@redocly/cli/bin/cli.js");
execFileSync(process.execPath, [redocly, "build-docs", spec, "-o", output, "--inlineBundle", "--title", "kling-video API"], {
  stdio: ["ignore", "inherit", "pipe"],
});

const CDN_LOGOS = /https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(?:-full)?\.svg/g;
const inlineLogo = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="16"><text x="0" y="12" font-family="sans-serif" font-size="12" fill="#0044d4">Redocly</text></svg>',
)}`;
const html = readFileSync(output, "utf8");
const found = html.match(CDN_LOGOS)?.length ?? 0;
if (found === 0) throw new Error("build-docs: the Redocly logo URL was not found; check the page still works offline");
writeFileSync(output, html.replace(CDN_LOGOS, inlineLogo));
