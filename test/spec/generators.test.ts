// A spec other generators can use: @hey-api/openapi-ts generates a client that compiles under
// --strict, no schema name clashes with a generator's own classes, every length rule sits where
// every tool reads it (never beside a $ref), patterns mean the same in every regex engine, and
// integer timestamps say they are 64-bit.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { spec } from "../support/spec.js";

const run = promisify(execFile);
type Node = Record<string, unknown>;

/** Every schema object in the spec, with where it is. */
function schemas(): [string, Node][] {
  const found: [string, Node][] = [];
  const visit = (node: unknown, at: string) => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => {
        visit(item, `${at}/${index}`);
      });
      return;
    }
    if (!node || typeof node !== "object") return;
    const object = node as Node;
    if ("type" in object || "$ref" in object || "allOf" in object || "anyOf" in object || "oneOf" in object)
      found.push([at, object]);
    for (const [key, value] of Object.entries(object))
      if (key !== "example" && key !== "examples") visit(value, `${at}/${key}`);
  };
  visit(spec.components.schemas, "#/components/schemas");
  visit(spec.paths, "#/paths");
  return found;
}

describe("the bundled spec for other generators", () => {
  it("@hey-api/openapi-ts generates a fetch client that compiles under --strict", async () => {
    const out = await mkdtemp(join(tmpdir(), "kling-hey-api-"));
    try {
      await run(process.execPath, [
        "node_modules/@hey-api/openapi-ts/bin/run.js",
        "-i",
        "./generated/openapi.yaml",
        "-o",
        out,
      ]);
      const compilerOptions = {
        strict: true,
        noEmit: true,
        module: "ESNext",
        moduleResolution: "Bundler",
        target: "ES2022",
        lib: ["ES2022", "DOM", "DOM.Iterable"],
        types: [],
      };
      await writeFile(join(out, "tsconfig.json"), JSON.stringify({ compilerOptions, include: ["**/*.ts"] }));
      const result = await run(process.execPath, ["node_modules/typescript/bin/tsc", "-p", out]).catch(
        (error: { stdout: string }) => error,
      );
      expect((result as { stdout: string }).stdout).toBe("");
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 60_000);

  it("names no schema after a generator's own classes (openapi-typescript-codegen's ApiError...)", () => {
    const reserved = [
      "ApiError",
      "ApiRequestOptions",
      "ApiResult",
      "BaseHttpRequest",
      "CancelablePromise",
      "OpenAPI",
      "Error",
    ];
    expect(Object.keys(spec.components.schemas!).filter((name) => reserved.includes(name))).toEqual([]);
  });

  it("writes no validation keyword beside a $ref, where Spectral and hey-api drop it", () => {
    const beside = schemas()
      .filter(([, schema]) => "$ref" in schema)
      .flatMap(([at, schema]) =>
        Object.keys(schema)
          .filter((key) => key !== "$ref" && key !== "description" && !key.startsWith("x-"))
          .map((key) => `${at}: ${key}`),
      );
    expect(beside).toEqual([]);
  });

  it("uses no regex shorthand (\\s \\d \\w) whose meaning differs between JavaScript, Python and Go", () => {
    const patterns = schemas().flatMap(([at, schema]) =>
      typeof schema.pattern === "string" ? [[at, schema.pattern] as const] : [],
    );
    expect(patterns.length).toBeGreaterThan(2);
    for (const [at, pattern] of patterns) expect(pattern, at).not.toMatch(/\\[sSdDwW]/);
  });

  it("marks every timestamp format: int64", () => {
    const timestamps = schemas().filter(([at]) => /UnixTimestamp$/.test(at));
    expect(timestamps).toHaveLength(1);
    expect(timestamps[0]![1]).toMatchObject({ type: "integer", format: "int64" });
  });
});
