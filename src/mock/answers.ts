// The mock's JSON answers. Every error body is one of the spec's own examples (generated into
// generated/examples.js at `make generate`), with the request's particulars put in place of the
// example's: its request id, task id, model, method and path. No message is typed here twice.
import { HEADER_EXAMPLES, OPERATIONS, PARAMETER_EXAMPLES, RESPONSE_EXAMPLES } from "../../generated/examples.js";
import { REQUEST_FIELDS } from "../../generated/request-fields.js";

export type OperationId = keyof typeof OPERATIONS;
export type ExampleName = keyof typeof RESPONSE_EXAMPLES;

/** The task id the spec's examples and code samples use. */
export const EXAMPLE_TASK_ID: string = PARAMETER_EXAMPLES.TaskId;
const EXAMPLE_REQUEST_ID: string = HEADER_EXAMPLES.XOneapiRequestId;
/** The path an example of a path-not-served answer names. */
const EXAMPLE_REQUEST_LINE = `${OPERATIONS.getVideoTask.method} ${OPERATIONS.getVideoTask.path.replace("{task_id}", EXAMPLE_TASK_ID)}`;
const MODELS: readonly string[] = REQUEST_FIELDS.find((field) => field.path.join(".") === "model")?.choices ?? [];

/** What an answer says of the request it answers. */
export interface AnswerContext {
  method: string;
  path: string;
  requestId: string;
  /** The header that carries the request id: new-api's own, or the usual one. */
  requestIdHeader: string;
  taskId?: string;
  model?: string;
}

export function json(
  status: number,
  body: unknown,
  context: AnswerContext,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", [context.requestIdHeader]: context.requestId, ...headers },
  });
}

/** A spec example as the answer, with this request's particulars (and `replace`'s pairs) in place of the example's. */
export function exampleAnswer(
  name: ExampleName,
  status: number,
  context: AnswerContext,
  options: { replace?: [from: string, to: string][]; headers?: Record<string, string> } = {},
): Response {
  const pairs: [string, string][] = [
    [EXAMPLE_REQUEST_LINE, `${context.method} ${context.path}`],
    [EXAMPLE_REQUEST_ID, context.requestId],
    ...(options.replace ?? []),
  ];
  if (context.taskId !== undefined) pairs.push([EXAMPLE_TASK_ID, context.taskId]);
  if (context.model !== undefined) pairs.push(...MODELS.map((model): [string, string] => [model, context.model!]));
  return json(status, substitute(RESPONSE_EXAMPLES[name], pairs), context, options.headers);
}

/** The operation's documented answer for an error status (its first example), or undefined when the spec has none. */
export function documentedError(
  operationId: OperationId,
  status: number,
  context: AnswerContext,
): Response | undefined {
  const errors: Partial<Record<string, ExampleName>> = OPERATIONS[operationId].errors;
  const name = errors[String(status)];
  if (name === undefined) return undefined;
  // The spec's Retry-After example is the pause the mock asks for.
  const headers: Record<string, string> = status === 429 ? { "retry-after": HEADER_EXAMPLES.RetryAfter } : {};
  return exampleAnswer(name, status, context, { headers });
}

/** A 400 naming the first problem and the field at fault, in the shape of the spec's InvalidFieldError. */
export function invalidRequest(message: string, param: string | null, context: AnswerContext): Response {
  const example = RESPONSE_EXAMPLES.InvalidFieldError;
  return json(400, { error: { ...example.error, message, param } }, context);
}

/** new-api's answer for a path it does not serve (router/web-router.go NoRoute). */
export const routeNotFound = (context: AnswerContext): Response => exampleAnswer("InvalidUrlError", 404, context);

/** Every string in `value` with each pair's first text replaced by its second. */
function substitute(value: unknown, pairs: [string, string][]): unknown {
  if (typeof value === "string") return pairs.reduce((text, [from, to]) => text.replaceAll(from, to), value);
  if (Array.isArray(value)) return value.map((item) => substitute(item, pairs));
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, pairs)]));
  return value;
}
