// The shape of a subcommand: its usage, options and examples (for parsing and --help), and what
// it does. Each lives in commands/, loaded only when it is the one asked for.
import type { OptionSpecs, OptionValues } from "./args.js";
import type { RunContext, Session } from "./context.js";
import type { Reporter } from "./reporter.js";

export interface Command {
  /** After "kling-video ": "wait <task-id> [options]". */
  usage: string;
  /** A paragraph for --help, below the usage line. */
  description: string;
  options: OptionSpecs;
  /** The required arguments, by name: ["task-id"]. */
  positionals: string[];
  examples: string[];
  /** Resolves with the exit code; throws for a failure (execute.ts words it). */
  run(input: CommandInput): Promise<number>;
}

export interface CommandInput {
  values: OptionValues;
  positionals: string[];
  ctx: RunContext;
  session: Session;
  reporter: Reporter;
}
