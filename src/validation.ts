// Checks a request body with the validator generated from the spec, and words its findings in
// plain English. The rules themselves live only in the spec; here is just the phrasing of each
// JSON Schema keyword. Where the spec words a rule itself (`x-error-message`: a sentence for a
// cross-field rule, or a phrase per keyword), its words win.
import {
  KNOWN_PROPERTIES,
  RULE_PHRASES,
  RULE_SENTENCES,
  type SchemaValidationError,
  validateCreateVideoTaskRequest,
} from "../generated/validate-request.js";
import { closest } from "./closest-name.js";
import type { ValidationIssue } from "./errors.js";

export function checkCreateVideoTaskRequest(body: unknown): ValidationIssue[] {
  if (validateCreateVideoTaskRequest(body)) return [];
  return describeErrors(validateCreateVideoTaskRequest.errors ?? []);
}

const ALTERNATIVES = new Set(["oneOf", "anyOf"]);

function describeErrors(errors: SchemaValidationError[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const handled = new Set<SchemaValidationError>();
  // Alternatives first: each one decides which of the errors beneath it are worth reporting.
  for (const error of errors) {
    if (!ALTERNATIVES.has(error.keyword) || handled.has(error)) continue;
    const beneath = errors.filter((other) => other !== error && isBeneath(other, error));
    for (const other of beneath) handled.add(other);
    handled.add(error);
    issues.push(...describeAlternatives(error, beneath));
  }
  for (const error of errors) {
    if (handled.has(error) || error.keyword === "if") continue;
    issues.push(describe(error));
  }
  return dedupe(withoutNoiseBesideTypeErrors(issues));
}

/** A value of the wrong type breaks its other rules too (enum, format...): the type is the news. */
function withoutNoiseBesideTypeErrors(issues: ValidationIssue[]): ValidationIssue[] {
  const mistyped = new Set(issues.filter((issue) => issue.rule === "type").map((issue) => issue.path));
  return issues.filter((issue) => issue.rule === "type" || !mistyped.has(issue.path));
}

function isBeneath(error: SchemaValidationError, parent: SchemaValidationError): boolean {
  return error.schemaPath.startsWith(`${parent.schemaPath}/`) && error.instancePath.startsWith(parent.instancePath);
}

/**
 * A value that matched none of several forms. When all but one form fail on the value's type,
 * the value was meant as that form: report what is wrong with it (duration 16 -> "at most 15").
 */
function describeAlternatives(error: SchemaValidationError, beneath: SchemaValidationError[]): ValidationIssue[] {
  const branches = new Map<string, SchemaValidationError[]>();
  for (const other of beneath) {
    const branch = other.schemaPath.slice(error.schemaPath.length + 1).split("/")[0] ?? "";
    branches.set(branch, [...(branches.get(branch) ?? []), other]);
  }
  const typeMismatch = (branch: string, branchErrors: SchemaValidationError[]) =>
    branchErrors.some((other) => other.keyword === "type" && other.schemaPath === `${error.schemaPath}/${branch}/type`);
  const candidates = [...branches].filter(([branch, branchErrors]) => !typeMismatch(branch, branchErrors));
  if (candidates.length === 1) return describeErrors(candidates[0]![1]);
  const path = dotted(error.instancePath);
  const rule = RULE_SENTENCES[error.schemaPath];
  if (rule) return [{ path, rule: error.keyword, message: rule }];
  if (candidates.length === 0) {
    const types = [...branches.values()].flatMap((list) =>
      list.filter((other) => other.keyword === "type").map((other) => other.params.type),
    );
    return [
      {
        path,
        rule: "type",
        message: `${subject(path)} must be ${types.map((type) => article(String(type))).join(" or ")}`,
      },
    ];
  }
  return [{ path, rule: error.keyword, message: `${subject(path)} must match one of the allowed forms` }];
}

function describe(error: SchemaValidationError): ValidationIssue {
  const path = dotted(error.instancePath);
  const params = error.params;
  const say = (rule: string, message: string, at = path): ValidationIssue => ({
    path: at,
    rule,
    message: `${subject(at)} ${message}`,
  });
  const sentence = RULE_SENTENCES[error.schemaPath];
  if (sentence) return { path, rule: error.keyword, message: sentence };
  const phrase = RULE_PHRASES[error.schemaPath];
  if (phrase) return say(error.keyword, phrase);
  switch (error.keyword) {
    case "required": {
      const at = join(path, String(params.missingProperty));
      return say("required", "is required", at);
    }
    case "dependentRequired": {
      const at = join(path, String(params.missingProperty));
      return say("dependentRequired", `is required when ${join(path, String(params.property))} is given`, at);
    }
    case "additionalProperties": {
      const at = join(path, String(params.additionalProperty));
      const known = KNOWN_PROPERTIES[error.schemaPath] ?? [];
      const guess = closest(String(params.additionalProperty), known);
      return say(
        "additionalProperties",
        `is not a known field${guess ? ` (did you mean ${join(path, guess)}?)` : ""}`,
        at,
      );
    }
    case "type":
      return say("type", `must be ${String(params.type).split(",").map(article).join(" or ")}`);
    case "enum":
      return say(
        "enum",
        `must be one of: ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(", ")}`,
      );
    case "minimum":
      return say("minimum", `must be at least ${params.limit}`);
    case "maximum":
      return say("maximum", `must be at most ${params.limit}`);
    case "minLength":
      return say(
        "minLength",
        params.limit === 1 ? "must not be empty" : `must be at least ${params.limit} characters long`,
      );
    case "maxLength":
      return say("maxLength", `must be at most ${params.limit} characters long`);
    case "minItems":
      return say("minItems", `must have at least ${params.limit} item${params.limit === 1 ? "" : "s"}`);
    case "maxItems":
      return say("maxItems", `must have at most ${params.limit} items`);
    case "pattern":
      return say("pattern", `must match ${params.pattern}`);
    case "not":
      return say("not", "is not allowed in this combination");
    default:
      return say(error.keyword, `breaks the rule "${error.keyword}"`);
  }
}

const dotted = (pointer: string) =>
  pointer
    .split("/")
    .slice(1)
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : join(path, segment)), "");
const join = (path: string, key: string) => (path ? `${path}.${key}` : key);
const subject = (path: string) => path || "the request body";
const article = (type: string) =>
  type === "integer" || type === "object" || type === "array" ? `an ${type}` : type === "null" ? "null" : `a ${type}`;

/** A known name that differs only in case, separators or one or two letters. */
function dedupe(issues: ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}|${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
