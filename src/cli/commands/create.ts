// `kling-video create`: one flag per request field, from the spec's field table; --body and
// --extra for the rest. Every flag is checked, and the body validated, before anything is sent.
import { checkCreateVideoTaskRequest, VideoRequestValidationError } from "kling-video";
import { REQUEST_FIELDS, type RequestField } from "../../../generated/request-fields.js";
import type { OptionSpec, OptionSpecs } from "../args.js";
import type { Command } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { follow, outFile, resumeCommand, WAIT_OPTIONS, waitSettings } from "../follow.js";
import { connect } from "../gateway.js";
import { requestBody } from "../request-body.js";
import { GATEWAY_OPTIONS, OUT_OPTIONS } from "../shared-options.js";

const PLACEHOLDER: Record<RequestField["kind"], string> = {
  text: "<text>",
  number: "<number>",
  integer: "<n>",
  choice: "<value>",
  image: "<path|url>",
  list: "<text>",
};

function fieldOption(field: RequestField): OptionSpec {
  const range = field.range && !field.help.includes(field.range) ? ` (${field.range})` : "";
  const allowed = field.choices ? ` One of: ${field.choices.join(", ")}.` : range;
  const notes = [
    field.path.length > 1 ? field.path.join(".") : undefined,
    field.kind === "image" ? "a local PNG or JPEG file, or an http(s) URL" : undefined,
    field.kind === "list" ? "repeat for each" : undefined,
    field.cliDefault ? `default ${field.cliDefault}` : undefined,
  ].filter(Boolean);
  return {
    type: "string",
    multiple: field.kind === "list",
    value: PLACEHOLDER[field.kind],
    help: `${field.help}${allowed}${notes.length ? ` [${notes.join("; ")}]` : ""}`,
  };
}

const FIELD_OPTIONS: OptionSpecs = Object.fromEntries(REQUEST_FIELDS.map((field) => [field.flag, fieldOption(field)]));

export const create: Command = {
  usage: "create [options]",
  description:
    "Create a video task. Every request field has a flag; --body gives the whole body as JSON (flags override\n" +
    "its fields). With --wait, follow the task to the end; --out saves the video (and implies --wait).",
  options: {
    ...FIELD_OPTIONS,
    extra: {
      type: "string",
      multiple: true,
      value: "<key=value>",
      help: "any other extra_body field, the value as JSON or text (repeatable)",
    },
    body: { type: "string", value: "<file|->", help: "the request body as JSON, from a file or - for stdin" },
    "dry-run": { type: "boolean", help: "validate, print the exact JSON that would be sent, send nothing" },
    wait: { type: "boolean", help: "wait until the video is ready" },
    ...OUT_OPTIONS,
    ...WAIT_OPTIONS,
    ...GATEWAY_OPTIONS,
  },
  positionals: [],
  examples: [
    'kling-video create --prompt "A lighthouse at dusk, slow dolly-in" --duration 5 --out lighthouse.mp4',
    "kling-video create --image ./first-frame.png --shot 'close-up' --shot 'wide' --dry-run",
    "kling-video --mock create --prompt 'a fox in the snow' --wait",
  ],
  async run(input) {
    const { values, ctx, session, reporter } = input;
    const settings = waitSettings(values);
    const out = await outFile(values);
    const body = await requestBody(values, ctx);
    const issues = checkCreateVideoTaskRequest(JSON.parse(JSON.stringify(body)));
    if (issues.length > 0) throw new VideoRequestValidationError(issues);
    if (values["dry-run"]) {
      ctx.stdout.write(`${JSON.stringify(body)}\n`);
      return EXIT.ok;
    }
    const gateway = connect(values, ctx);
    const { client, baseUrl } = gateway;
    session.baseUrl = baseUrl;
    session.stage = "creating";
    const task = await client.create(body, { signal: ctx.signal });
    session.taskId = task.id;
    reporter.created(task, resumeCommand("wait", task.id, out, values));
    if (values.wait || out) await follow(input, gateway, task.id, settings, out);
    return EXIT.ok;
  },
};
