// The `kling-video` command: create, watch and download videos from a terminal, on top of the
// public SDK. Exit codes: 0 ok, 1 other, 2 usage or validation, 3 authentication or
// permission, 4 task failed, 5 timeout, 130 interrupted (Ctrl-C).
import { Command, CommanderError, Option } from "commander";
import {
  APIUserAbortError,
  checkCreateVideoTaskRequest,
  createVideoClient,
  type VideoClient,
  VideoRequestValidationError,
  type VideoTask,
} from "kling-video";
import { downloadToFile } from "./download-file.js";
import { describeFailure, EXIT, exitCodeFor, failureJson, UsageError } from "./exit-codes.js";
import { createReporter, type Reporter } from "./reporter.js";
import { type BodyFlags, DEFAULT_MODEL, requestBodyFrom } from "./request-body.js";

// Set by the build (scripts/build-cli.mjs): the version, and each field's allowed values from the spec.
declare const KLING_VIDEO_VERSION: string;
declare const KLING_VIDEO_FIELD_HINTS: Record<string, string>;
const allowed = (field: string) => (KLING_VIDEO_FIELD_HINTS[field] ? ` (${KLING_VIDEO_FIELD_HINTS[field]})` : "");

const LOCAL_MOCK = "http://127.0.0.1:4010";
/** Any token passes the local mock; a real gateway needs the user's key. */
const MOCK_KEY = "sk-local-mock";

interface GlobalFlags {
  apiKey?: string;
  baseUrl?: string;
  json?: boolean;
}
interface WaitFlags {
  out?: string;
  pollInterval: string;
  timeout: string;
}

// `kling-video ... | head` closes stdout early: that is the reader's choice, not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? EXIT.ok);
  throw error;
});

const interrupt = new AbortController();
let interrupted = false;
/** What the command is doing, so that Ctrl-C can say what became of the task. */
let stage: { doing: "creating" | "waiting" | "downloading" | "reading"; taskId?: string } = { doing: "reading" };
process.on("SIGINT", () => {
  if (interrupted) process.exit(EXIT.interrupted); // a second Ctrl-C does not wait for cleanup
  interrupted = true;
  interrupt.abort(new Error("interrupted"));
});

const program = new Command("kling-video")
  .description("Create, watch and download Kling v3 videos through an AI gateway.")
  .version(KLING_VIDEO_VERSION, "-V, --version")
  .addOption(new Option("--api-key <key>", "gateway API key").env("KLING_VIDEO_API_KEY"))
  .addOption(
    new Option("--base-url <url>", `gateway base URL (default: ${LOCAL_MOCK}, the local mock)`).env(
      "KLING_VIDEO_BASE_URL",
    ),
  )
  .option("--json", "one JSON object per line on stdout (the default when stdout is not a terminal)")
  .showHelpAfterError()
  .exitOverride();

const waitOptions = (command: Command) =>
  command
    .option("--poll-interval <ms>", "time between polls", "5000")
    .option("--timeout <ms>", "give up waiting after this long (the task keeps running)", String(20 * 60_000));

waitOptions(
  program
    .command("create")
    .description("Create a video task (and optionally wait for it and download it).")
    .option("--model <model>", `model${allowed("model")}; default ${DEFAULT_MODEL}, the cheapest`)
    .option("--prompt <text>", "what the video shows")
    .option("--image <url>", "reference image URL: image-to-video (the first frame with --last-image)")
    .option("--last-image <url>", "end-frame image URL (needs --image)")
    .option("--aspect-ratio <ratio>", `aspect ratio${allowed("aspect_ratio")}`)
    .option("--duration <seconds>", `video length in seconds${allowed("duration")}`)
    .option("--cfg-scale <number>", `extra_body.cfg_scale${allowed("cfg_scale")}`)
    .option("--shot-type <type>", `extra_body.shot_type${allowed("shot_type")}`)
    .option("--negative-prompt <text>", "extra_body.negative_prompt: what to avoid")
    .option("--shot <prompt>", "one shot of extra_body.multi_prompt (repeat for each shot)", collect, [])
    .option("--extra <key=value>", "any other extra_body field, value as JSON or text (repeatable)", collect, [])
    .option("--body <file>", "the JSON body from a file, or - for stdin; flags override its fields")
    .option("--dry-run", "validate and print the exact JSON that would be sent; send nothing")
    .option("--wait", "wait until the video is ready")
    .option("--out <file>", "download the video to this file (implies --wait)"),
)
  .addHelpText(
    "after",
    `
Examples:
  $ kling-video create --prompt "A lighthouse at dusk, slow dolly-in" --duration 5 --wait --out lighthouse.mp4
  $ kling-video create --model kling-v3-pro-audio --image https://example.com/a.png --shot "close-up" --shot "wide" --dry-run`,
  )
  .action(async (flags: BodyFlags & WaitFlags & { dryRun?: boolean; wait?: boolean }, command: Command) => {
    const reporter = reporterFor(command);
    const body = await requestBodyFrom(flags, readStdin);
    if (flags.dryRun) {
      const sent = JSON.stringify(body);
      const issues = checkCreateVideoTaskRequest(JSON.parse(sent));
      if (issues.length > 0) throw new VideoRequestValidationError(issues);
      process.stdout.write(`${sent}\n`);
      return;
    }
    const client = clientFor(command, reporter);
    stage = { doing: "creating" };
    const task = await client.create(body, { signal: interrupt.signal });
    stage = { doing: "reading", taskId: task.id };
    reporter.created(task);
    if (flags.wait || flags.out) await follow(client, task.id, flags, reporter);
  });

waitOptions(
  program
    .command("wait")
    .description("Wait for a task to finish (and optionally download the video).")
    .argument("<task-id>", "the id printed by create")
    .option("--out <file>", "download the video to this file"),
)
  .addHelpText("after", "\nExample:\n  $ kling-video wait video_01JH8Y3Z6Q4W9XK2M5N7P8R0ST --out video.mp4")
  .action(async (taskId: string, flags: WaitFlags, command: Command) => {
    const reporter = reporterFor(command);
    await follow(clientFor(command, reporter), taskId, flags, reporter);
  });

program
  .command("get")
  .description("Show a task's current state.")
  .argument("<task-id>", "the id printed by create")
  .addHelpText("after", "\nExample:\n  $ kling-video get video_01JH8Y3Z6Q4W9XK2M5N7P8R0ST --json")
  .action(async (taskId: string, _flags: unknown, command: Command) => {
    const reporter = reporterFor(command);
    reporter.task(await clientFor(command, reporter).retrieve(taskId, { signal: interrupt.signal }));
  });

program
  .command("download")
  .description("Download a finished task's video.")
  .argument("<task-id>", "the id printed by create")
  .requiredOption("--out <file>", "where to save the video")
  .addHelpText("after", "\nExample:\n  $ kling-video download video_01JH8Y3Z6Q4W9XK2M5N7P8R0ST --out video.mp4")
  .action(async (taskId: string, flags: { out: string }, command: Command) => {
    const reporter = reporterFor(command);
    const client = clientFor(command, reporter);
    const task = await client.retrieve(taskId, { signal: interrupt.signal });
    stage = { doing: "downloading", taskId };
    reporter.saved(flags.out, await downloadToFile(client, task, flags.out, interrupt.signal));
  });

async function follow(client: VideoClient, taskId: string, flags: WaitFlags, reporter: Reporter): Promise<VideoTask> {
  stage = { doing: "waiting", taskId };
  const task = await client.wait(taskId, {
    pollIntervalMs: positiveNumber(flags.pollInterval, "--poll-interval"),
    timeoutMs: positiveNumber(flags.timeout, "--timeout"),
    signal: interrupt.signal,
    onProgress: (seen) => reporter.progress(seen),
  });
  reporter.completed(task);
  if (flags.out) {
    stage = { doing: "downloading", taskId };
    reporter.saved(flags.out, await downloadToFile(client, task, flags.out, interrupt.signal));
  }
  return task;
}

let activeReporter: Reporter | undefined;
function reporterFor(command: Command): Reporter {
  activeReporter = createReporter({
    json: Boolean(globals(command).json),
    stdout: process.stdout,
    stderr: process.stderr,
  });
  return activeReporter;
}

function clientFor(command: Command, reporter: Reporter): VideoClient {
  const flags = globals(command);
  const baseUrl = flags.baseUrl ?? LOCAL_MOCK;
  let apiKey = flags.apiKey;
  if (!apiKey) {
    if (baseUrl !== LOCAL_MOCK) throw new UsageError("no API key: set KLING_VIDEO_API_KEY or pass --api-key");
    apiKey = MOCK_KEY;
    reporter.note(
      `Using the local mock at ${LOCAL_MOCK} (start it with make serve); set KLING_VIDEO_BASE_URL for a real gateway.`,
    );
  }
  return createVideoClient({ baseUrl, apiKey });
}

const globals = (command: Command): GlobalFlags => command.optsWithGlobals<GlobalFlags>();

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function positiveNumber(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new UsageError(`${flag} must be a positive number of milliseconds, got ${JSON.stringify(text)}`);
  return value;
}

function interruptionMessage(): string {
  const { doing, taskId } = stage;
  if (doing === "creating")
    return "Interrupted while creating the task: it may or may not exist (check before creating again).";
  if (doing === "downloading")
    return `Download interrupted: nothing was saved. Download again with: kling-video download ${taskId} --out <file>`;
  return taskId
    ? `Stopped waiting. Task ${taskId} keeps running; resume with: kling-video wait ${taskId}`
    : "Interrupted.";
}

async function readStdin(): Promise<string> {
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version are not failures; commander already printed its message.
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else if (interrupted || error instanceof APIUserAbortError) {
    activeReporter?.interrupted(interruptionMessage(), stage.taskId);
    process.exitCode = EXIT.interrupted;
  } else {
    const reporter =
      activeReporter ??
      createReporter({ json: process.argv.includes("--json"), stdout: process.stdout, stderr: process.stderr });
    reporter.failed(describeFailure(error), failureJson(error));
    process.exitCode = exitCodeFor(error);
  }
} finally {
  activeReporter?.close();
}
