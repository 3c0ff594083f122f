// The jobs file of `kling-video batch`: one request body per line (JSON lines), with an optional
// "name" (its video's file name), read and checked whole before anything is sent. Fields are as
// `create` takes them (see completeBody: flag names, local image paths, defaults), and each body
// is checked against the spec. Any problem, on any line, stops the batch with all of them listed.
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { type BatchJob, checkCreateVideoTaskRequest } from "kling-video";
import { UsageError } from "../exit-codes.js";
import { completeBody } from "../request-body.js";
import { fileIdentity, nameProblem } from "./file-names.js";

export interface JobsFile {
  jobs: BatchJob[];
  /** Each job's line in the file, from 1. */
  lines: number[];
}

/** Problems listed at most; the count says how many more there are. */
const MAX_PROBLEMS_SHOWN = 50;

export async function readJobsFile(path: string): Promise<JobsFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read the jobs file ${path}: ${(error as Error).message}`);
  }
  const baseDir = dirname(resolve(path));
  const images = new Map<string, Promise<string>>();
  const nameLines = new Map<string, number>();
  const problems: string[] = [];
  const file: JobsFile = { jobs: [], lines: [] };
  for (const [index, raw] of text
    .replace(/^\uFEFF/, "")
    .split("\n")
    .entries()) {
    if (raw.trim() === "") continue;
    const line = index + 1;
    const found: string[] = [];
    const job = await readJob(raw, baseDir, images, found);
    if (job?.name !== undefined && found.length === 0) {
      const identity = fileIdentity(job.name);
      const earlier = nameLines.get(identity);
      if (earlier === undefined) nameLines.set(identity, line);
      else found.push(`name ${JSON.stringify(job.name)} names the same file as line ${earlier}: names must be unique`);
    }
    problems.push(...found.map((problem) => `line ${line}: ${problem}`));
    if (job && found.length === 0) {
      file.jobs.push(job);
      file.lines.push(line);
    }
  }
  if (problems.length > 0) {
    const more = problems.length - MAX_PROBLEMS_SHOWN;
    throw new UsageError(
      `${path} has ${problems.length === 1 ? "a problem" : `${problems.length} problems`}; nothing was sent:`,
      [...problems.slice(0, MAX_PROBLEMS_SHOWN), ...(more > 0 ? [`... and ${more} more`] : [])],
    );
  }
  if (file.jobs.length === 0) throw new UsageError(`${path} holds no jobs: give one request body (JSON) per line`);
  return file;
}

/** The line as a job, its problems added to `problems`. */
async function readJob(
  raw: string,
  baseDir: string,
  images: Map<string, Promise<string>>,
  problems: string[],
): Promise<BatchJob | undefined> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    problems.push(`not JSON (${(error as Error).message})`);
    return undefined;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    problems.push(`must be a JSON object (a request body), got ${Array.isArray(value) ? "an array" : String(value)}`);
    return undefined;
  }
  const { name, ...body } = value as Record<string, unknown>;
  const badName = name === undefined ? undefined : nameProblem(name);
  if (badName) problems.push(badName);
  const unusable = await completeBody(body, baseDir, images);
  problems.push(...unusable.map((problem) => problem.message));
  for (const issue of checkCreateVideoTaskRequest(body)) {
    // A field that could not be completed (an image file that is missing) is not reported twice.
    if (!unusable.some(({ path }) => issue.path === path || issue.path.startsWith(`${path}.`)))
      problems.push(issue.message);
  }
  return { ...(body as unknown as BatchJob), ...(name === undefined ? {} : { name: name as string }) };
}
