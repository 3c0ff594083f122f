// Before any suite: the package is built, and one Prism mock of the bundled spec runs for the
// whole run (tests read its URL with inject("prismUrl")).
import { execFileSync } from "node:child_process";
import type { TestProject } from "vitest/node";
import { startPrism } from "../../scripts/prism.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    prismUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Suites that run the built package (pack, conformance, CLI, browser) need dist/ and the docs
  // current; a no-op when they are.
  execFileSync("make", ["--no-print-directory", "-s", "build", "docs"], { stdio: "inherit" });
  const prism = await startPrism();
  project.provide("prismUrl", prism.url);
  return () => prism.stop();
}
