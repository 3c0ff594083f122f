// The `kling-video` command as a function: argv in, exit code out, with every stream, variable
// and signal passed in (bin.ts passes the process's), so that tests run it in process. This
// module reads the command line and prints help; the command itself, and the SDK with it, are
// loaded only once one is asked for.
import { parseArgs } from "node:util";
import packageJson from "../../package.json" with { type: "json" };
import { closest } from "../closest-name.js";
import { type OptionSpecs, type ParsedArgs, parseOptions, toParseArgs } from "./args.js";
import type { RunContext } from "./context.js";
import { EXIT, UsageError } from "./exit-codes.js";
import { commandHelp, mainHelp } from "./help.js";
import { jsonLine } from "./json-line.js";
import { COMMANDS } from "./registry.js";
import { GATEWAY_OPTIONS, OUTPUT_OPTIONS } from "./shared-options.js";

/** What may come before the command's name: `kling-video --json get <id>` works too. */
const MAIN_OPTIONS: OptionSpecs = {
  ...OUTPUT_OPTIONS,
  ...GATEWAY_OPTIONS,
  version: { type: "boolean", short: "V", help: "print the version" },
};

export async function run(argv: string[], ctx: RunContext): Promise<number> {
  try {
    const { name, rest } = splitCommand(argv);
    if (name === undefined) {
      const { values } = parseOptions(rest, MAIN_OPTIONS, "kling-video");
      if (values.version) return print(ctx, packageJson.version);
      if (values.help) return print(ctx, mainHelp(packageJson.version));
      ctx.stderr.write(`${mainHelp(packageJson.version)}\n`);
      return EXIT.usage;
    }
    if (name === "help") return await help(rest, ctx);
    const entry = COMMANDS[name];
    if (!entry) {
      const guess = closest(name, Object.keys(COMMANDS));
      throw new UsageError(
        `unknown command ${JSON.stringify(name)}${guess ? ` (did you mean ${guess}?)` : ""}; see kling-video --help`,
      );
    }
    const command = await entry.load();
    const options = { ...command.options, ...OUTPUT_OPTIONS };
    const args = parseOptions(rest, options, name);
    if (args.values.help) return print(ctx, commandHelp(command, options));
    checkPositionals(name, command.usage, command.positionals, args);
    const { execute } = await import("./execute.js");
    return await execute(command, args, ctx);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    // The command line could not be read: --json is honoured if it is there at all.
    ctx.stderr.write(`kling-video: ${error.message}\n`);
    if (argv.includes("--json")) {
      const details = { name: error.name, message: error.message, taskMayExist: false };
      ctx.stdout.write(`${jsonLine({ event: "error", error: details })}\n`);
    }
    return EXIT.usage;
  }
}

/** The command's name (the first argument that is not an option or an option's value) and the rest. */
function splitCommand(argv: string[]): { name: string | undefined; rest: string[] } {
  const { tokens } = parseArgs({
    args: argv,
    options: toParseArgs(MAIN_OPTIONS),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const first = tokens.find((token) => token.kind === "positional" || token.kind === "option-terminator");
  if (first?.kind !== "positional") return { name: undefined, rest: argv };
  return { name: first.value, rest: argv.filter((_, index) => index !== first.index) };
}

async function help(rest: string[], ctx: RunContext): Promise<number> {
  const entry = rest[0] === undefined ? undefined : COMMANDS[rest[0]];
  if (!entry) return print(ctx, mainHelp(packageJson.version));
  const command = await entry.load();
  return print(ctx, commandHelp(command, { ...command.options, ...OUTPUT_OPTIONS }));
}

function checkPositionals(name: string, usage: string, expected: string[], args: ParsedArgs): void {
  if (args.positionals.length < expected.length) {
    throw new UsageError(`${name} needs <${expected[args.positionals.length]}>: kling-video ${usage}`);
  }
  if (args.positionals.length > expected.length) {
    throw new UsageError(
      `unexpected argument ${JSON.stringify(args.positionals[expected.length])}: kling-video ${usage}`,
    );
  }
}

function print(ctx: RunContext, text: string): number {
  ctx.stdout.write(`${text}\n`);
  return EXIT.ok;
}
