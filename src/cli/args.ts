// Reading a command line with node:util's parseArgs, with errors written for people: an
// unknown option is one line with the closest known one, a missing value names its option.
import { parseArgs } from "node:util";
import { closest } from "../closest-name.js";
import { UsageError } from "./exit-codes.js";

export interface OptionSpec {
  type: "string" | "boolean";
  /** Repeatable: every value is kept, in order. */
  multiple?: boolean;
  short?: string;
  /** The value's placeholder in --help: "<ms>". */
  value?: string;
  help: string;
}

export type OptionSpecs = Record<string, OptionSpec>;
export type OptionValues = Record<string, string | boolean | string[] | undefined>;

export interface ParsedArgs {
  values: OptionValues;
  positionals: string[];
}

/** Parses `argv` against `specs`; `where` names the command in error messages ("create"). */
export function parseOptions(argv: string[], specs: OptionSpecs, where: string): ParsedArgs {
  const { tokens } = parseArgs({
    args: argv,
    options: toParseArgs(specs),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values: OptionValues = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === "positional") positionals.push(token.value);
    if (token.kind !== "option") continue;
    const spec = specs[token.name];
    if (!spec) throw unknownOption(token.rawName, specs, where);
    if (spec.type === "boolean") {
      if (token.inlineValue)
        throw new UsageError(`${token.rawName} takes no value, got ${JSON.stringify(token.value)}`);
      values[token.name] = true;
      continue;
    }
    // A value that looks like an option is a forgotten value ("--prompt --duration 5"); "-" is stdin.
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith("-") && token.value !== "-")) {
      throw new UsageError(`${token.rawName} needs a value${spec.value ? ` ${spec.value}` : ""}`);
    }
    values[token.name] = spec.multiple
      ? [...((values[token.name] as string[] | undefined) ?? []), token.value]
      : token.value;
  }
  return { values, positionals };
}

/** parseArgs' form of the specs. */
export function toParseArgs(specs: OptionSpecs) {
  return Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => [
      name,
      { type: spec.type, multiple: spec.multiple ?? false, ...(spec.short ? { short: spec.short } : {}) },
    ]),
  );
}

function unknownOption(raw: string, specs: OptionSpecs, where: string): UsageError {
  const guess = closest(raw.replace(/^-+/, ""), Object.keys(specs));
  return new UsageError(
    `unknown option ${raw} for ${where}${guess ? ` (did you mean --${guess}?)` : ""}; see kling-video ${where === "kling-video" ? "" : `${where} `}--help`,
  );
}

/** The options as --help lists them: "  --timeout <ms>   give up waiting after...", wrapped to 100 columns. */
export function formatOptions(specs: OptionSpecs): string {
  const rows = Object.entries(specs).map(([name, spec]) => [
    `${spec.short ? `-${spec.short}, ` : "    "}--${name}${spec.value ? ` ${spec.value}` : ""}`,
    spec.help.replaceAll("`", ""),
  ]);
  const width = Math.min(32, Math.max(...rows.map(([left]) => left!.length)) + 2);
  const indent = " ".repeat(width + 2);
  return rows
    .map(([left, help]) => {
      const lines = wrap(help!, HELP_COLUMNS - indent.length);
      const first = left!.length + 2 > width ? `${left}\n${indent}` : left!.padEnd(width);
      return `  ${first}${lines.join(`\n${indent}`)}`;
    })
    .join("\n");
}

const HELP_COLUMNS = 100;

function wrap(text: string, columns: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > columns) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}
