// The public shapes of a batch: what generateMany takes, reports while it runs, and returns.
import type { KlingVideoError } from "../errors.js";
import type { CreateVideoTaskInput, VideoTask } from "../types.js";
import type { Journal, JournalEvent } from "./journal.js";

/** One video to make: a request body, and optionally its name. */
export interface BatchJob extends CreateVideoTaskInput {
  /**
   * The job's key in the journal (unique in the batch; the CLI's output file name). Without one,
   * the key is a digest of the body: editing an unnamed body makes it a new job.
   */
  name?: string;
}

/** Where `save` put a video; journaled as the `saved` event. */
export interface SavedVideo {
  path: string;
  size: number;
  sha256: string;
}

export interface GenerateManyOptions {
  /** Most jobs in flight at once, from create to saved (default DEFAULTS.batchConcurrency); lowered for a while after a 429. */
  concurrency?: number;
  /** Where events are recorded, and read back to resume (default: a new in-memory journal). */
  journal?: Journal;
  /** Progress: every journaled event, task progress, rate limiting and each job's end. Exceptions it throws are ignored. */
  onEvent?: (event: BatchEvent) => void;
  /**
   * Stops the batch: no new create is sent; creates already sent finish (each within the
   * client's timeoutMs) so that their ids reach the journal; waiting and saving stop. The call
   * then resolves with the summary (`aborted: true`).
   */
  signal?: AbortSignal;
  /**
   * Create again the jobs whose create may have made a task whose id never arrived (status
   * "may-exist"), accepting that each may then exist, and be billed, twice (default false).
   */
  retryUnknown?: boolean;
  /** Least time between two polls of one task (default DEFAULTS.pollIntervalMs). */
  pollIntervalMs?: number;
  /** How long this run waits for each task, from when it starts waiting on it (default DEFAULTS.waitTimeoutMs). */
  timeoutMs?: number;
  /** Most task polls per second, all tasks together (default DEFAULTS.batchPollsPerSecond). */
  maxPollsPerSecond?: number;
  /**
   * Stores a completed task's video; its answer is journaled as `saved`. `signal` fires when the
   * batch stops; `key` is the job's key (a stable file name for a job without a name).
   */
  save?: (task: VideoTask, job: BatchJob, options: { signal: AbortSignal; key: string }) => Promise<SavedVideo>;
}

/**
 * How a job ended:
 * - saved: the video is stored (now or by an earlier run);
 * - completed: the task completed; not saved (no `save` hook, or saving failed: see `error`);
 * - failed: the task ended with status failed (a rerun does not create it again);
 * - may-exist: a create may have made a task whose id never arrived; not sent again unless `retryUnknown`;
 * - not-created: the create provably made nothing (invalid body, 4xx, 429 at the end); a rerun creates it;
 * - pending: the task exists and has not finished within this run (timeout, abort, a poll error); a rerun waits on it;
 * - not-started: the batch stopped before sending it.
 */
export type BatchJobStatus = "saved" | "completed" | "failed" | "may-exist" | "not-created" | "pending" | "not-started";

export interface BatchJobResult {
  /** The job's position in `jobs`. */
  index: number;
  key: string;
  name?: string;
  status: BatchJobStatus;
  taskId?: string;
  /** From the `saved` event. */
  file?: string;
  size?: number;
  sha256?: string;
  /** From the latest create attempt to the end, as journaled (earlier runs included). */
  elapsedMs?: number;
  /** Why the job did not end saved/completed, or why saving failed. */
  error?: string;
  /** The journal already had this job when the run began. */
  resumed: boolean;
}

/** Jobs waiting to be sent, in flight, and ended (done: saved or completed; failed: ended any other way). */
export interface BatchCounts {
  total: number;
  queued: number;
  running: number;
  done: number;
  failed: number;
}

export interface BatchSummary {
  /** One entry per job, in the order of `jobs`. */
  jobs: BatchJobResult[];
  counts: Record<BatchJobStatus, number>;
  /** The signal stopped the batch. */
  aborted: boolean;
  /**
   * Why the batch sent no more creates before the end, when the gateway said so: the error that
   * refused the key (AuthenticationError), or asked for a pause longer than the SDK waits (RateLimitError).
   */
  stoppedBy?: KlingVideoError;
}

/** `index` is the job's position in `jobs`. */
export type BatchEvent =
  | { type: "journal"; index: number; event: JournalEvent; counts: BatchCounts }
  | { type: "progress"; index: number; key: string; task: VideoTask; counts: BatchCounts }
  /** A create got 429: new creates pause for `retryInMs`, and at most `concurrency` jobs run for a while. */
  | { type: "rate-limited"; index: number; key: string; retryInMs: number; concurrency: number; counts: BatchCounts }
  | { type: "end"; result: BatchJobResult; counts: BatchCounts };
