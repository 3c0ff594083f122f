// How a batch ended, for people and for scripts: the exit code, the table of jobs, what to do
// about the jobs that were not saved, and the --summary-json record.
import { AuthenticationError, type BatchJobResult, type BatchSummary } from "kling-video";
import { EXIT } from "../exit-codes.js";
import { displayPath, formatBytes, formatElapsed, printable } from "../text.js";

/** The exit code, the most pressing outcome first: a signal, a refused key, then by job status. */
export function batchExitCode(summary: BatchSummary): number {
  const { counts } = summary;
  if (summary.aborted) return EXIT.interrupted;
  if (summary.stoppedBy instanceof AuthenticationError) return EXIT.auth;
  if (counts["may-exist"] > 0) return EXIT.taskMayExist;
  if (counts.failed > 0) return EXIT.taskFailed;
  if (counts.pending > 0) return EXIT.timeout;
  return counts.saved === summary.jobs.length ? EXIT.ok : EXIT.other;
}

/** The exit codes as the batch uses them, for its --help. */
export const BATCH_EXIT_CODES =
  "Exit codes: 0 every job saved; 2 a problem in the command or the jobs file (nothing was sent); else the\n" +
  "first that applies: 130 interrupted; 3 the gateway refused the key; 6 some job may exist (sent, its id\n" +
  "never came); 4 some task failed; 5 some task had not finished (rerun to keep waiting); 1 other jobs not\n" +
  "saved (rerun to carry on).";

/** A job as the summary shows it, with its line in the jobs file. */
export type JobRow = BatchJobResult & { line: number };

export function jobRows(summary: BatchSummary, lines: number[]): JobRow[] {
  return summary.jobs.map((job) => ({ ...job, line: lines[job.index]! }));
}

/** Title, widest, cell; a file path too long keeps its end (the file's name). */
const COLUMNS: [title: string, width: number, cell: (row: JobRow) => string, cut?: "start"][] = [
  ["line", 5, (row) => String(row.line)],
  ["name", 24, (row) => row.name ?? ""],
  ["task", 30, (row) => row.taskId ?? ""],
  ["status", 11, (row) => row.status],
  ["file", 36, (row) => (row.file ? displayPath(row.file) : ""), "start"],
  ["size", 9, (row) => (row.size === undefined ? "" : formatBytes(row.size))],
  ["time", 8, (row) => (row.elapsedMs === undefined ? "" : formatElapsed(row.elapsedMs))],
];

/** The jobs as a table: one row each, columns cut to a width, every gateway string made printable. */
export function jobTable(rows: JobRow[]): string {
  const cells = rows.map((row) => COLUMNS.map(([, , cell]) => printable(cell(row))));
  const widths = COLUMNS.map(([title, max], column) =>
    Math.min(max, Math.max(title.length, ...cells.map((row) => row[column]!.length))),
  );
  const format = (values: string[]) =>
    values
      .map((value, column) => {
        const width = widths[column]!;
        if (value.length <= width) return value.padEnd(width);
        return COLUMNS[column]![3] === "start" ? `…${value.slice(1 - width)}` : `${value.slice(0, width - 1)}…`;
      })
      .join("  ")
      .trimEnd();
  return [format(COLUMNS.map(([title]) => title)), ...cells.map(format)].join("\n");
}

/** What became of the jobs that were not saved, and what to do about each kind; `rerun` is the same command. */
export function adviceLines(rows: JobRow[], summary: BatchSummary, journal: string, rerun: string): string[] {
  const { counts } = summary;
  const lines = [`${rows.length} jobs: ${countsText(counts)}.`];
  const label = (row: JobRow) => `line ${row.line}${row.name ? ` (${printable(row.name)})` : ""}`;
  for (const row of rows) {
    if (row.status !== "saved" && row.status !== "may-exist" && row.error)
      lines.push(`  ${label(row)} ${row.status}: ${printable(row.error)}`);
  }
  const mayExist = rows.filter((row) => row.status === "may-exist");
  if (mayExist.length > 0) {
    lines.push(
      `${mayExist.length} ${mayExist.length === 1 ? "job" : "jobs"} may exist: the create was sent, but its task id never arrived, so the gateway may hold (and bill) a task for it. It is not sent again. To settle each one, look in the gateway's task log:`,
      `  - the task is there: append the job's line below to ${journal}, with the task's id for TASK_ID, and rerun;`,
      "  - it is not: rerun with --retry-unknown, which creates every job that may exist again (one that does exist is then made, and billed, twice).",
      ...mayExist.map(
        (row) => `  ${label(row)}: ${JSON.stringify({ type: "created", key: row.key, taskId: "TASK_ID", at: 0 })}`,
      ),
    );
  }
  if (counts.failed > 0)
    lines.push("A failed task is not created again: to try once more, rename its job (or change its body).");
  if (summary.aborted) lines.push(`Stopped. Created tasks keep their ids in ${journal}; resume with: ${rerun}`);
  else if (counts.saved + counts.failed + counts["may-exist"] < rows.length) lines.push(`Rerun to carry on: ${rerun}`);
  return lines;
}

export function countsText(counts: BatchSummary["counts"]): string {
  return Object.entries(counts)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${status.replace("-", " ")}`)
    .join(", ");
}

/** The --summary-json record. */
export function summaryRecord(rows: JobRow[], summary: BatchSummary, exitCode: number, paths: Record<string, string>) {
  return {
    ...paths,
    exitCode,
    aborted: summary.aborted,
    counts: summary.counts,
    jobs: rows.map(({ index: _index, ...row }) => row),
  };
}
