// Each rule of CreateVideoTaskRequest, at and just past its edge, judged three ways: Ajv on the
// bundled spec, the generated validator the SDK ships, and a real Prism mock of the spec.
import { describe, expect, inject, it } from "vitest";
import { validateCreateVideoTaskRequest } from "../../generated/validate-request.js";
import { invalidCases, validCases } from "../fixtures/request-cases.js";
import { postToPrism } from "../support/prism-client.js";
import { firstExample, namedRequestExamples, schemaValidator } from "../support/spec.js";

const validateWithSpec = schemaValidator("CreateVideoTaskRequest");
const dotted = (pointer: string) => pointer.split("/").filter(Boolean).join(".");
const invalidTable = invalidCases.map((testCase) => [testCase.name, testCase] as const);
const validTable = validCases.map((testCase) => [testCase.name, testCase] as const);

describe("the spec's request schema", () => {
  it("has a case for every rule it states", () => {
    expect(invalidCases.length).toBeGreaterThanOrEqual(25);
    const keywords = new Set(invalidCases.map((testCase) => testCase.keyword));
    for (const rule of [
      "required",
      "enum",
      "type",
      "minLength",
      "maxLength",
      "dependentRequired",
      "minimum",
      "maximum",
      "oneOf",
      "minItems",
      "maxItems",
      "anyOf",
      "not",
      "additionalProperties",
      "pattern",
    ]) {
      expect(keywords, rule).toContain(rule);
    }
  });
});

const validators = [
  ["Ajv 2020-12 on the bundled spec", validateWithSpec],
  ["the generated validator", validateCreateVideoTaskRequest],
] as const;
describe.each(validators)("%s", (_, validate) => {
  it.each(invalidTable)("rejects: %s", (_, testCase) => {
    expect(validate(testCase.body)).toBe(false);
    const reported = (validate.errors ?? []).map((error) => `${error.keyword}@${dotted(error.instancePath)}`);
    expect(reported).toContain(`${testCase.keyword}@${testCase.path}`);
  });

  it.each(validTable)("accepts: %s", (_, testCase) => {
    expect(validate(testCase.body), JSON.stringify(validate.errors)).toBe(true);
  });
});

describe("Prism mocking the bundled spec", () => {
  const prism = inject("prismUrl");
  const pageExamples = namedRequestExamples();

  it.each(pageExamples)("accepts the page example %s with a queued task", async (_, body) => {
    const answer = await postToPrism(prism, body);
    expect(answer.violations).toEqual([]);
    expect(answer.status).toBe(200);
    expect(schemaValidator("VideoTask")(answer.body)).toBe(true);
  });

  it.each(validTable)("accepts: %s", async (_, testCase) => {
    const answer = await postToPrism(prism, testCase.body);
    expect(answer.violations).toEqual([]);
    expect(answer.status).toBe(200);
  });

  it.each(invalidTable)("rejects with 400 and the rule in sl-violations: %s", async (_, testCase) => {
    const answer = await postToPrism(prism, testCase.body);
    expect(answer.status).toBe(400);
    // Prism's locations are ["request", "body", ...path]; its codes are Ajv keywords.
    const reported = answer.violations.map((violation) => `${violation.code}@${violation.location.slice(2).join(".")}`);
    expect(reported).toContain(`${testCase.keyword}@${testCase.path}`);
    // The body is the spec's first 400 example: the gateway's error shape, not problem+json.
    expect(answer.body).toEqual(firstExample("/v1/video/generations", "post", "400"));
    expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
  });
});
