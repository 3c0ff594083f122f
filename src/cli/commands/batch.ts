// `kling-video batch <jobs-file> --out-dir <dir>`: many videos from a file of request bodies, a
// thin layer over the SDK's generateMany. Everything is checked before anything is sent (flags,
// every line of the jobs file, the journal, files in the way); then the engine creates, waits and
// saves, recording each step in the journal, and the same command resumes where a run stopped.
import { randomBytes } from "node:crypto";
import { mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { type BatchJob, type BatchSummary, DEFAULTS, type VideoTask } from "kling-video";
import { createFileJournal } from "kling-video/node";
import type { OptionSpecs, OptionValues } from "../args.js";
import { isJobFile, unnamedFileName, videoFileName } from "../batch/file-names.js";
import { readJobsFile } from "../batch/jobs-file.js";
import { lockJournal } from "../batch/journal-lock.js";
import { adviceLines, BATCH_EXIT_CODES, batchExitCode, jobRows, jobTable, summaryRecord } from "../batch/outcome.js";
import { type BatchProgress, batchProgress } from "../batch/progress.js";
import type { Command } from "../command.js";
import { optionWords } from "../command-line.js";
import type { RunContext } from "../context.js";
import { EXIT, UsageError } from "../exit-codes.js";
import { WAIT_OPTIONS, waitSettings } from "../follow.js";
import { connect, type Gateway } from "../gateway.js";
import { partialTarget } from "../save-file.js";
import { GATEWAY_OPTIONS, OUTPUT_OPTIONS } from "../shared-options.js";
import { shellWord } from "../text.js";
import { saveVideoFile } from "../video-download.js";

const OPTIONS: OptionSpecs = {
  "out-dir": { type: "string", value: "<dir>", help: "where the videos go (created if missing)" },
  concurrency: {
    type: "string",
    value: "<n>",
    help: `most jobs in flight at once, from create to saved (default ${DEFAULTS.batchConcurrency}); lowered for a while after a 429`,
  },
  journal: {
    type: "string",
    value: "<file>",
    help: "the journal to record in and resume from (default: beside the jobs file, jobs.jsonl -> jobs.journal.jsonl)",
  },
  "retry-unknown": {
    type: "boolean",
    help: "create again the jobs that may exist (sent, but their task id never arrived): each may then be made, and billed, twice",
  },
  "summary-json": { type: "string", value: "<file>", help: "also write every job's outcome to this file, as JSON" },
  force: { type: "boolean", help: "replace files in --out-dir that are in a job's way" },
  "polls-per-second": {
    type: "string",
    value: "<n>",
    help: `most task polls per second, all jobs together (default ${DEFAULTS.batchPollsPerSecond})`,
  },
  ...WAIT_OPTIONS,
  ...GATEWAY_OPTIONS,
};

export const batch: Command = {
  usage: "batch <jobs-file> --out-dir <dir> [options]",
  description:
    'Make a video for every line of the jobs file: one request body per line (JSON), with an optional "name"\n' +
    "(the video's file name) and fields as create's flags take them (a local image path too). Every line is\n" +
    "checked before anything is sent. Each step is recorded in the journal: run the same command again to\n" +
    "resume. A job is never created twice unless you pass --retry-unknown, and no task id is lost.\n" +
    "Ctrl-C stops sending new jobs; created ones keep their ids in the journal.\n" +
    BATCH_EXIT_CODES,
  options: OPTIONS,
  positionals: ["jobs-file"],
  examples: [
    "kling-video batch jobs.jsonl --out-dir videos/",
    "kling-video batch jobs.jsonl --out-dir videos/ --concurrency 8 --summary-json summary.json",
    "kling-video --mock batch jobs.jsonl --out-dir videos/ --json > events.jsonl",
  ],
  async run({ values, positionals, ctx, session }) {
    const [jobsPath] = positionals as [string];
    const settings = batchSettings(values);
    const outDirGiven = values["out-dir"] as string | undefined;
    if (outDirGiven === undefined) throw new UsageError("batch needs --out-dir <dir>: where the videos go");
    const journalPath = (values.journal as string | undefined) ?? `${jobsPath.replace(/\.jsonl?$/i, "")}.journal.jsonl`;
    if (resolve(journalPath) === resolve(jobsPath))
      throw new UsageError("--journal names the jobs file itself: give the journal a file of its own");
    const summaryPath = values["summary-json"] as string | undefined;
    if (summaryPath !== undefined) await checkSummaryPath(summaryPath);
    const { jobs, lines } = await readJobsFile(jobsPath);
    const outDir = await makeOutDir(outDirGiven);
    const gateway = connect(values, ctx);
    const { client, baseUrl } = gateway;
    session.baseUrl = baseUrl;

    const release = await lockJournal(resolve(journalPath));
    try {
      const journal = createFileJournal(journalPath);
      const known = new Set((await journal.read()).map((event) => event.key));
      if (values.force !== true) await refuseFilesInTheWay(jobs, lines, outDir, known);
      await removeLeftoverPartials(jobs, outDir);
      const progress = batchProgress(ctx, values.json === true, lines);
      if (known.size > 0) progress.say(`Resuming from the journal ${journalPath}.`);
      const stopping = () =>
        progress.say(
          "Stopping: no new job is sent; creates already sent finish, so that their task ids reach the journal. Press Ctrl-C again to quit at once.",
        );
      ctx.signal.addEventListener("abort", stopping, { once: true });
      const report = (summary: BatchSummary) =>
        reportOutcome(summary, { ctx, progress, lines, jobsPath, journalPath, outDir, summaryPath, values });
      let summary: BatchSummary;
      try {
        summary = await client.generateMany(jobs, {
          ...settings,
          journal,
          retryUnknown: values["retry-unknown"] === true,
          signal: ctx.signal,
          onEvent: (event) => progress.onEvent(event),
          save: saver(gateway, ctx, outDir, values.force === true),
        });
      } catch (error) {
        // The journal failed: the summary still says what became of each job; the error says which ids it lost.
        const partial = (error as { summary?: BatchSummary }).summary;
        if (partial) await report(partial);
        throw error;
      } finally {
        ctx.signal.removeEventListener("abort", stopping);
        progress.close();
      }
      return await report(summary);
    } finally {
      await release();
    }
  },
};

interface BatchSettings {
  concurrency: number;
  maxPollsPerSecond: number;
  pollIntervalMs: number;
  timeoutMs: number;
}

/** The flags that tune the engine, checked (before anything is sent). */
function batchSettings(values: OptionValues): BatchSettings {
  const concurrency = (values.concurrency as string | undefined) ?? String(DEFAULTS.batchConcurrency);
  if (!/^\d+$/.test(concurrency) || Number(concurrency) < 1)
    throw new UsageError(`--concurrency must be a whole number from 1, got ${JSON.stringify(concurrency)}`);
  const rate = (values["polls-per-second"] as string | undefined) ?? String(DEFAULTS.batchPollsPerSecond);
  if (!(Number(rate) > 0) || !Number.isFinite(Number(rate)))
    throw new UsageError(`--polls-per-second must be a number above 0, got ${JSON.stringify(rate)}`);
  return { concurrency: Number(concurrency), maxPollsPerSecond: Number(rate), ...waitSettings(values) };
}

async function checkSummaryPath(path: string): Promise<void> {
  const parent = await stat(dirname(resolve(path))).catch(() => undefined);
  if (!parent?.isDirectory()) throw new UsageError(`--summary-json ${path}: its directory does not exist`);
  if ((await stat(path).catch(() => undefined))?.isDirectory())
    throw new UsageError(`--summary-json ${path} is a directory: give a file name`);
}

async function makeOutDir(path: string): Promise<string> {
  const outDir = resolve(path);
  try {
    await mkdir(outDir, { recursive: true });
  } catch (error) {
    throw new UsageError(`cannot use --out-dir ${path}: ${(error as Error).message}`);
  }
  return outDir;
}

/**
 * A named job that the journal has never seen must not overwrite a file that is already there
 * (a file that a journaled job may have written is its own: the save decides by its bytes).
 */
async function refuseFilesInTheWay(jobs: BatchJob[], lines: number[], outDir: string, known: Set<string>) {
  const inTheWay: string[] = [];
  for (const [index, job] of jobs.entries()) {
    // A named job's key is its name (generateMany's key rule).
    if (job.name === undefined || known.has(job.name)) continue;
    const file = join(outDir, videoFileName(job.name));
    if (await stat(file).catch(() => undefined)) inTheWay.push(`line ${lines[index]}: ${file}`);
  }
  if (inTheWay.length > 0) {
    throw new UsageError(
      "files in --out-dir are in the way of new jobs; nothing was sent (pass --force to replace them):",
      inTheWay,
    );
  }
}

/** Partial downloads of this batch's videos that a killed run left behind (with the lock held, nobody else writes them). */
async function removeLeftoverPartials(jobs: BatchJob[], outDir: string): Promise<void> {
  const named = new Set(jobs.flatMap((job) => (job.name === undefined ? [] : [videoFileName(job.name)])));
  for (const entry of await readdir(outDir)) {
    const target = partialTarget(entry);
    if (target !== undefined && isJobFile(target, named)) await rm(join(outDir, entry), { force: true });
  }
}

/** The engine's `save`: the video, downloaded atomically to its file under --out-dir, with its sha256. */
function saver(gateway: Gateway, ctx: RunContext, outDir: string, force: boolean) {
  return async (task: VideoTask, job: BatchJob, { signal, key }: { signal: AbortSignal; key: string }) => {
    const path = join(outDir, job.name === undefined ? unnamedFileName(key) : videoFileName(job.name));
    const saved = await saveVideoFile(gateway, task, path, {
      force,
      signal,
      partialFiles: ctx.partialFiles,
      onBytes: () => undefined,
      hash: true,
    });
    return { path, size: saved.bytes, sha256: saved.sha256! };
  };
}

interface ReportContext {
  ctx: RunContext;
  progress: BatchProgress;
  lines: number[];
  jobsPath: string;
  journalPath: string;
  outDir: string;
  summaryPath: string | undefined;
  values: OptionValues;
}

/** The table, what to do next, --summary-json and the exit code. */
async function reportOutcome(summary: BatchSummary, report: ReportContext): Promise<number> {
  const { ctx, progress, lines, jobsPath, journalPath, outDir, summaryPath, values } = report;
  const rows = jobRows(summary, lines);
  const exitCode = batchExitCode(summary);
  const rerun = rerunCommand(jobsPath, values);
  if (summaryPath !== undefined) {
    const record = summaryRecord(rows, summary, exitCode, { jobsFile: jobsPath, journal: journalPath, outDir });
    await writeAtomically(summaryPath, `${JSON.stringify(record, null, 2)}\n`);
  }
  const table = jobTable(rows);
  const terminal = values.json !== true && ctx.stdout.isTTY === true;
  if (terminal) ctx.stdout.write(`${table}\n`);
  else ctx.stderr.write(`${table}\n`);
  for (const line of adviceLines(rows, summary, journalPath, rerun)) progress.say(line);
  progress.emit({
    event: "summary",
    exitCode,
    aborted: summary.aborted,
    counts: summary.counts,
    journal: journalPath,
    ...(exitCode === EXIT.ok ? {} : { rerun }),
  });
  return exitCode;
}

/**
 * The same command, to resume, its options in the order given: without --retry-unknown (it would
 * create again the jobs this run left in doubt), and with a placeholder for the key.
 */
function rerunCommand(jobsPath: string, values: OptionValues): string {
  const { "retry-unknown": _, ...specs } = { ...OPTIONS, ...OUTPUT_OPTIONS };
  return ["kling-video", "batch", shellWord(jobsPath), ...optionWords(values, specs)].join(" ");
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  await writeFile(temporary, text, { flag: "wx" });
  await rename(temporary, path).catch(async (error: unknown) => {
    await rm(temporary, { force: true });
    throw error;
  });
}
