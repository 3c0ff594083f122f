// The --help pages: the main one (commands, configuration, exit codes) and one per command
// (usage, options, examples). The exit codes are listed from exit-codes.ts, the options from
// each command's definition, so the help cannot drift from what the command does.
import { formatOptions, type OptionSpecs } from "./args.js";
import type { Command } from "./command.js";
import { EXIT_CODE_HELP } from "./exit-codes.js";
import { COMMANDS } from "./registry.js";
import { MOCK_BASE_URL, OUTPUT_OPTIONS } from "./shared-options.js";

export function mainHelp(version: string): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length)) + 2;
  return [
    `Usage: kling-video <command> [options]`,
    "",
    `Create, follow and download Kling v3 videos through an AI gateway (kling-video ${version}).`,
    "",
    "Commands:",
    ...Object.entries(COMMANDS).map(([name, entry]) => `  ${name.padEnd(width)}${entry.summary}`),
    "",
    "Options:",
    formatOptions({ ...OUTPUT_OPTIONS, version: { type: "boolean", short: "V", help: "print the version" } }),
    "",
    "Configuration:",
    "  KLING_VIDEO_BASE_URL and KLING_VIDEO_API_KEY name the gateway and its key (or --base-url, --api-key).",
    `  With neither, pass --mock to use the local mock at ${MOCK_BASE_URL} (start it with kling-video mock).`,
    "",
    exitCodes(),
    "",
    "Run kling-video <command> --help for a command's options and examples.",
  ].join("\n");
}

export function commandHelp(command: Command, options: OptionSpecs): string {
  return [
    `Usage: kling-video ${command.usage}`,
    "",
    command.description,
    "",
    "Options:",
    formatOptions(options),
    "",
    "Examples:",
    ...command.examples.map((example) => `  $ ${example}`),
    "",
    exitCodes(),
  ].join("\n");
}

function exitCodes(): string {
  return ["Exit codes:", ...EXIT_CODE_HELP.map(([code, meaning]) => `  ${String(code).padEnd(5)}${meaning}`)].join(
    "\n",
  );
}
