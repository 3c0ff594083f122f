// Runs a command that has been read and checked: gives it a session and a reporter, and turns
// whatever it throws into words, a --json event and an exit code. An interruption (the signal)
// says what became of the task and how to carry on.
import type { ParsedArgs } from "./args.js";
import type { Command } from "./command.js";
import type { RunContext, Session } from "./context.js";
import { describeFailure, describeInterruption } from "./failure.js";
import { createReporter } from "./reporter.js";

export async function execute(command: Command, args: ParsedArgs, ctx: RunContext): Promise<number> {
  const session: Session = { stage: "preparing" };
  const reporter = createReporter(ctx, args.values.json === true);
  try {
    return await command.run({ ...args, ctx, session, reporter });
  } catch (error) {
    const failure = ctx.signal.aborted ? describeInterruption(error, session) : describeFailure(error, session);
    try {
      reporter.failed(failure);
    } catch {
      // stdout is gone (the words went to stderr first): the exit code still tells.
    }
    return failure.code;
  } finally {
    reporter.close();
  }
}
