// The bundled spec, read once, and Ajv (2020-12 + formats) compiled straight from it: the
// reference verdict that the generated validator, Prism and the examples are held to.
import { readFileSync } from "node:fs";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import ajvFormats from "ajv-formats";
import { parse } from "yaml";
import { BUNDLED_SPEC } from "../../scripts/prism.mjs";

type Json = Record<string, unknown>;
export interface OpenApiDocument extends Json {
  paths: Record<string, Record<string, Json>>;
  components: Record<string, Record<string, Json>>;
}

export const spec = parse(readFileSync(BUNDLED_SPEC, "utf8")) as OpenApiDocument;

// ajv-formats is CommonJS: under NodeNext its default import is the module; .default is the plugin.
const addFormats = ajvFormats.default;
const SPEC_ID = "spec.json";
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
// The paths too, so that a response or request schema written inline can be addressed by pointer.
ajv.addSchema({ $id: SPEC_ID, components: spec.components, paths: spec.paths });

/** An Ajv validator for `#/components/schemas/<name>` or any JSON pointer into the spec. */
export function schemaValidator(nameOrPointer: string): ValidateFunction {
  const pointer = nameOrPointer.startsWith("#") ? nameOrPointer : `#/components/schemas/${nameOrPointer}`;
  const validate = ajv.getSchema(`${SPEC_ID}${pointer}`);
  if (!validate) throw new Error(`no schema at ${pointer}`);
  return validate;
}

/**
 * An Ajv validator for the JSON body of an operation's answer with `status`, e.g.
 * ("/v1/videos/{task_id}", "get", 400); it throws when the spec documents no such answer.
 */
export function responseValidator(path: string, method: string, status: number): ValidateFunction {
  const responses = spec.paths[path]?.[method]?.responses as Record<string, { $ref?: string }> | undefined;
  const ref = responses?.[status]?.$ref;
  const at = ref
    ? ref.replace(/^#\//, "").split("/").map(unescapePointer)
    : ["paths", path, method, "responses", `${status}`];
  const pointer = [...at, "content", "application/json", "schema"].map(escapePointer).join("/");
  const validate = ajv.getSchema(`${SPEC_ID}#/${pointer}`);
  if (!validate) throw new Error(`${method} ${path} documents no JSON answer for ${status}`);
  return validate;
}

/** Follows a local `$ref` ("#/components/...") to the object it names. */
export function resolve<T = Json>(node: unknown): T {
  let current = node as Json;
  while (current && typeof current.$ref === "string") {
    const path = (current.$ref as string).replace(/^#\//, "").split("/").map(unescapePointer);
    current = path.reduce<Json>((object, key) => object[key] as Json, spec as Json);
  }
  return current as T;
}

/** An Ajv validator for a schema written inline (a parameter's or a header's). */
export function compileSchema(schema: Json): ValidateFunction {
  return ajv.compile(schema);
}

function escapePointer(segment: string): string {
  return encodeURIComponent(segment.replace(/~/g, "~0").replace(/\//g, "~1"));
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** The create operation's named request examples (the page's four bodies), as [name, body] in spec order. */
export function namedRequestExamples<T = Record<string, unknown>>(): (readonly [string, T])[] {
  const requestBody = resolve<{ content: Record<string, { examples: Record<string, unknown> }> }>(
    spec.paths["/v1/video/generations"]?.post?.requestBody,
  );
  return Object.entries(requestBody.content["application/json"]!.examples).map(
    ([name, example]) => [name, resolve<{ value: T }>(example).value] as const,
  );
}

/** The value of the first named example of a response: what Prism's static mock answers by default. */
export function firstExample(path: string, method: string, status: string): unknown {
  const operation = spec.paths[path]?.[method] as { responses: Record<string, unknown> } | undefined;
  const response = resolve<{ content: Record<string, { examples: Record<string, unknown> }> }>(
    operation?.responses[status],
  );
  const [example] = Object.values(response.content["application/json"]!.examples);
  return resolve<{ value: unknown }>(example).value;
}
