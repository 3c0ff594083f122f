// Every named example in the spec validates against the schema it illustrates (Ajv 2020-12
// on the bundled spec), and Redocly's example rule catches a broken one.
import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { ValidateFunction } from "ajv";
import { describe, expect, it } from "vitest";
import { compileSchema, resolve, schemaValidator, spec } from "../support/spec.js";

type Node = Record<string, unknown>;
interface NamedExample {
  where: string;
  validate: ValidateFunction;
  value: unknown;
}

/** Walks every operation's body, responses, parameters and headers for named examples. */
function collectExamples(): NamedExample[] {
  const found: NamedExample[] = [];
  const fromContent = (where: string, pointer: string, contentOwner: Node | undefined) => {
    const content = (contentOwner?.content ?? {}) as Record<string, Node>;
    for (const [mediaType, media] of Object.entries(content)) {
      if (!media.examples) continue; // the video itself (video/mp4) has none
      const validate = schemaValidator(`${pointer}/content/${escapePointer(mediaType)}/schema`);
      for (const [name, example] of Object.entries((media.examples ?? {}) as Record<string, Node>)) {
        found.push({ where: `${where} ${mediaType} examples.${name}`, validate, value: resolve<Node>(example).value });
      }
    }
  };
  const fromSchemaOwner = (where: string, owner: Node) => {
    const resolved = resolve<Node>(owner);
    found.push({ where, validate: compileSchema(resolved.schema as Node), value: resolved.example });
  };
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const parameter of (item.parameters ?? []) as Node[]) fromSchemaOwner(`${path} parameter`, parameter);
    for (const [method, op] of Object.entries(item)) {
      if (method === "parameters") continue;
      const where = `${method.toUpperCase()} ${path}`;
      const at = `#/paths/${escapePointer(path)}/${method}`;
      fromContent(`${where} request`, `${at}/requestBody`, op.requestBody as Node | undefined);
      for (const [status, response] of Object.entries(op.responses as Record<string, Node>)) {
        const resolved = resolve<Node>(response);
        const responsePointer = typeof response.$ref === "string" ? response.$ref : `${at}/responses/${status}`;
        fromContent(`${where} ${status}`, responsePointer, resolved);
        for (const [name, header] of Object.entries((resolved.headers ?? {}) as Record<string, Node>)) {
          fromSchemaOwner(`${where} ${status} header ${name}`, header);
        }
      }
    }
  }
  return found;
}
const examples = collectExamples();

function escapePointer(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

describe("named examples", () => {
  it("cover every operation, status and component example", () => {
    expect(examples.length).toBeGreaterThanOrEqual(40);
    const used = new Set(examples.map((example) => JSON.stringify(example.value)));
    for (const [name, example] of Object.entries(spec.components.examples ?? {})) {
      expect(used.has(JSON.stringify((example as Node).value)), `components.examples.${name} is used`).toBe(true);
    }
  });

  it.each(examples.map((example) => [example.where, example] as const))("%s validates", (_, example) => {
    const valid = example.validate(example.value);
    expect(example.validate.errors ?? [], example.where).toEqual([]);
    expect(valid).toBe(true);
  });
});

describe("Redocly's example rule", () => {
  const run = promisify(execFile);
  const redocly = async (root: string) => {
    try {
      const { stdout } = await run(
        process.execPath,
        ["node_modules/@redocly/cli/bin/cli.js", "lint", join(root, "openapi.yaml"), "--format", "json"],
        { env: { ...process.env, REDOCLY_TELEMETRY: "off" }, maxBuffer: 1 << 24 },
      );
      return JSON.parse(stdout) as { problems: { ruleId: string; severity: string; message: string }[] };
    } catch (error) {
      return JSON.parse((error as { stdout: string }).stdout) as {
        problems: { ruleId: string; severity: string; message: string }[];
      };
    }
  };

  it("agrees with Ajv: an example that breaks its schema is an error", async () => {
    const copy = await mkdtemp(join(tmpdir(), "kling-spec-"));
    try {
      await cp("openapi", copy, { recursive: true });
      const file = join(copy, "components/examples/TaskInProgress.yaml");
      await writeFile(file, (await readFile(file, "utf8")).replace("progress: 30", "progress: 145"));
      const broken = resolve<Node>(spec.components.examples!.TaskInProgress).value as Node;
      expect(schemaValidator("VideoTask")({ ...broken, progress: 145 })).toBe(false);

      const report = await redocly(copy);
      // One problem per way the value misses its schema (progress is a number or a string).
      expect(report.problems.length).toBeGreaterThan(0);
      for (const problem of report.problems) {
        expect(problem).toMatchObject({ ruleId: "no-invalid-media-type-examples", severity: "error" });
        expect(JSON.stringify(problem)).toContain("TaskInProgress.yaml");
      }
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  }, 60_000);
});
