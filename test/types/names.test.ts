// What a user reads in a hover or a compiler error: the SDK's type names, not their expansion.

import ts from "typescript";
import { describe, expect, it } from "vitest";

/** The compiler's errors for a snippet that imports the SDK by its public name. */
function errorsOf(code: string): string[] {
  const file = "test/types/__snippet.ts";
  const parsed = ts.getParsedCommandLineOfConfigFile(
    "tsconfig.json",
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  const options = { ...parsed!.options, noEmit: true };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (name.endsWith("__snippet.ts") ? code : readFile(name));
  host.fileExists = (
    (exists) => (name: string) =>
      name.endsWith("__snippet.ts") || exists(name)
  )(host.fileExists.bind(host));
  const program = ts.createProgram([file], options, host);
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(file))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

describe("type names in errors", () => {
  it("a task is called VideoTask, not spelled out", () => {
    const errors = errorsOf(`
      import { createVideoClient } from "kling-video";
      const client = createVideoClient({ baseUrl: "http://127.0.0.1:4010", apiKey: "sk-test" });
      export async function f() { const n: number = await client.retrieve("task_1"); return n; }
    `);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBe("Type 'VideoTask' is not assignable to type 'number'.");
  }, 30_000);
});
