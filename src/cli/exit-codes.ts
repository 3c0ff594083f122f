// How the command ends: one exit code per kind of outcome, so that scripts can tell them apart,
// and the error for bad command-line use, which always ends the command before anything is sent.

export const EXIT = {
  ok: 0,
  other: 1,
  usage: 2,
  auth: 3,
  taskFailed: 4,
  timeout: 5,
  taskMayExist: 6,
  interrupted: 130,
} as const;

/** The exit codes as --help lists them. */
export const EXIT_CODE_HELP: [code: number, meaning: string][] = [
  [EXIT.ok, "done"],
  [EXIT.other, "any other error"],
  [EXIT.usage, "usage or validation error: nothing was sent"],
  [EXIT.auth, "the gateway refused the key (authentication or permission)"],
  [EXIT.taskFailed, "the task failed"],
  [EXIT.timeout, "timed out (the task keeps running)"],
  [EXIT.taskMayExist, "a create failed after the gateway may have received it: a task may exist, and be billed"],
  [EXIT.interrupted, "interrupted (Ctrl-C or SIGTERM): the task, if any, keeps running"],
];

/** Bad command-line use: an unknown flag, a value that cannot be read, a file in the way. */
export class UsageError extends Error {
  override name = "UsageError";

  /** `details`: one line each, below the message (the problems of a jobs file, line by line). */
  constructor(
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}
