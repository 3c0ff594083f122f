// What a failure or an interruption says, in words for a terminal (no class names; a command to
// run next where there is one), as a JSON event for --json, and with which exit code.
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  AuthenticationError,
  DEFAULTS,
  InvalidOptionError,
  InvalidResponseError,
  KlingVideoError,
  PermissionDeniedError,
  TASK_MAY_EXIST_NOTE,
  taskProgress,
  VideoRequestValidationError,
  VideoTaskFailedError,
  VideoUrlExpiredError,
  WaitTimeoutError,
} from "kling-video";
import { REQUEST_FIELDS } from "../../generated/request-fields.js";
import type { Session } from "./context.js";
import { formatDuration } from "./durations.js";
import { EXIT, UsageError } from "./exit-codes.js";
import { DownloadError } from "./save-file.js";
import { printable } from "./text.js";

export interface Failure {
  event: "error" | "interrupted";
  code: number;
  /** For people: the first line says what happened, the next ones what to do. */
  lines: string[];
  /** The --json event's details. */
  json: Record<string, unknown>;
}

const MAY_EXIST_HINT = `${TASK_MAY_EXIST_NOTE}.`;

/** A failure's lines for stderr: an error's first line says who is speaking, as Unix commands do. */
export function failureLines(failure: Failure): string[] {
  return failure.lines.map((line, index) => (index === 0 && failure.event === "error" ? `kling-video: ${line}` : line));
}

export function describeFailure(error: unknown, session: Session): Failure {
  const taskMayExist = error instanceof KlingVideoError && error.taskMayExist;
  const taskId = (error instanceof KlingVideoError ? error.taskId : undefined) ?? session.taskId;
  const message = printable(messageOf(error, session, taskId));
  const hint = taskMayExist ? MAY_EXIST_HINT : hintFor(error, session, taskId);
  const details = error instanceof UsageError ? error.details.map(printable) : [];
  return {
    event: "error",
    code: taskMayExist ? EXIT.taskMayExist : exitCodeOf(error),
    lines: [message, ...details, ...(hint ? [printable(hint)] : [])],
    json: {
      name: error instanceof Error ? error.name : "Error",
      message,
      ...(hint ? { hint } : {}),
      ...(taskId ? { taskId } : {}),
      taskMayExist,
      ...(error instanceof APIError ? { status: error.status, code: error.code, requestId: error.requestId } : {}),
      ...(error instanceof VideoRequestValidationError ? { issues: error.issues } : {}),
      ...(details.length > 0 ? { details } : {}),
    },
  };
}

export function describeInterruption(error: unknown, session: Session): Failure {
  const taskMayExist = error instanceof KlingVideoError && error.taskMayExist;
  const { taskId, resume } = session;
  const lines =
    session.stage === "creating"
      ? ["Interrupted while creating the task.", taskMayExist ? MAY_EXIST_HINT : "Nothing was created."]
      : session.stage === "waiting"
        ? [`Stopped waiting. Task ${taskId} keeps running; resume with: ${resume}`]
        : session.stage === "downloading"
          ? [`Download interrupted: nothing was saved. Resume with: ${resume}`]
          : ["Interrupted."];
  return {
    event: "interrupted",
    code: EXIT.interrupted,
    lines: lines.map(printable),
    json: { taskId: taskId ?? null, ...(resume ? { resume } : {}), taskMayExist },
  };
}

function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError || error instanceof VideoRequestValidationError) return EXIT.usage;
  if (error instanceof InvalidOptionError) return EXIT.usage;
  if (error instanceof AuthenticationError || error instanceof PermissionDeniedError) return EXIT.auth;
  if (error instanceof VideoTaskFailedError) return EXIT.taskFailed;
  const cause = error instanceof DownloadError ? error.cause : error;
  if (cause instanceof WaitTimeoutError || cause instanceof APIConnectionTimeoutError) return EXIT.timeout;
  return EXIT.other;
}

function messageOf(error: unknown, session: Session, taskId: string | undefined): string {
  const gateway = session.baseUrl ? `the gateway at ${session.baseUrl}` : "the gateway";
  if (error instanceof VideoRequestValidationError) {
    return `invalid request, nothing was sent: ${error.issues.map((issue) => withFlags(issue.message)).join("; ")}`;
  }
  if (error instanceof InvalidOptionError)
    return `${OPTION_NAMES[error.option] ?? error.option} ${optionProblem(error)}`;
  if (error instanceof VideoTaskFailedError) {
    const reason = error.error
      ? `${error.error.message}${error.error.code ? ` (${error.error.code})` : ""}`
      : "no reason given";
    return `task ${error.task.id} failed: ${reason}`;
  }
  if (error instanceof WaitTimeoutError) {
    const last = error.lastTask;
    const progress = last && taskProgress(last);
    const seen = last
      ? `last seen ${last.status || "queued"}${progress === undefined ? "" : `, ${progress}%`}`
      : "no status seen";
    const within = session.waitTimeoutMs ? ` within ${formatDuration(session.waitTimeoutMs)}` : "";
    return `task ${error.taskId} did not finish${within} (${seen}); it keeps running`;
  }
  if (error instanceof VideoUrlExpiredError) {
    return `the video URL of task ${taskId} has expired or was removed (storage answered ${error.status})`;
  }
  if (error instanceof APIConnectionTimeoutError) {
    return session.stage === "downloading"
      ? `the download of task ${taskId} stalled: no data for ${formatDuration(DEFAULTS.timeoutMs)}`
      : `${gateway} did not answer within ${formatDuration(DEFAULTS.timeoutMs)}`;
  }
  if (error instanceof APIConnectionError && session.stage === "downloading") {
    // The video may be on another host than the gateway (its storage): the SDK's message names it.
    return `the download of task ${taskId} could not connect: ${sdkText(error)}`;
  }
  if (error instanceof APIConnectionError) {
    return `no answer from ${gateway} (${connectionDetail(error)}): is the gateway, or the mock (kling-video mock), running?`;
  }
  if (error instanceof AuthenticationError) {
    return `${gateway} refused the API key (${apiErrorText(error)}): check --api-key or KLING_VIDEO_API_KEY`;
  }
  if (error instanceof APIError) return `${gateway} answered ${apiErrorText(error)}`;
  if (error instanceof InvalidResponseError) return `${gateway} sent an answer the SDK cannot use: ${sdkText(error)}`;
  if (error instanceof DownloadError && taskId) return `task ${taskId}: ${error.message}`;
  return error instanceof Error ? sdkText(error) : String(error);
}

/** What to run next, when something can be done. */
function hintFor(error: unknown, session: Session, taskId: string | undefined): string | undefined {
  if (error instanceof WaitTimeoutError || error instanceof DownloadError || error instanceof VideoUrlExpiredError) {
    return session.resume ? `Resume with: ${session.resume}` : undefined;
  }
  if (error instanceof APIConnectionError && taskId && session.resume) return `Resume with: ${session.resume}`;
  return undefined;
}

/** The SDK names options as its API does; the command line names them as flags. */
const OPTION_NAMES: Record<string, string> = {
  apiKey: "the API key (--api-key or KLING_VIDEO_API_KEY)",
  baseUrl: "the base URL (--base-url or KLING_VIDEO_BASE_URL)",
  taskId: "the task id",
  pollIntervalMs: "--poll-interval",
  timeoutMs: "--timeout",
};

function optionProblem(error: InvalidOptionError): string {
  return error.message
    .slice(error.option.length + 1)
    .replace("pass allowInsecureHttp: true", "pass --allow-insecure-http")
    .replace("pass the key as apiKey", "pass the key with --api-key");
}

/** "401 (code): message [request id]", from either error shape. */
function apiErrorText(error: APIError): string {
  const text = sdkText(error).replace(/^\d+ /, "");
  const code = error.code ? ` ${error.code}` : "";
  const requestId = error.requestId ? ` [request ${error.requestId}]` : "";
  return `${error.status || "a redirect"}${code}: ${text}${requestId}`;
}

/** The SDK's message without its "may exist" sentence, which the CLI gives a line of its own. */
function sdkText(error: Error): string {
  const note = `. ${TASK_MAY_EXIST_NOTE}`;
  return error.message.endsWith(note) ? error.message.slice(0, -note.length) : error.message;
}

/** The connection failure's cause in a word (ECONNREFUSED) when it has one, else the SDK's words. */
function connectionDetail(error: APIConnectionError): string {
  for (let cause: unknown = error.cause, depth = 0; cause && typeof cause === "object" && depth < 5; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string") return code;
    cause = (cause as { cause?: unknown }).cause;
  }
  return sdkText(error);
}

/** Each request field named in a message gets its flag beside it: "duration (--duration) must be at most 15". */
export function withFlags(message: string): string {
  let result = message;
  for (const field of REQUEST_FIELDS) {
    const path = field.path.join(".").replaceAll(".", "\\.");
    result = result.replace(
      new RegExp(`(?<![\\w.\\-])${path}(?![\\w.\\-[])`, "g"),
      (name) => `${name} (--${field.flag})`,
    );
  }
  return result;
}
