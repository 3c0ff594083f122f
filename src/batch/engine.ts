// generateMany: many create -> wait -> save runs at once, resumable from a journal, under one rule:
// no job is created twice unless the caller says so, and no task id is lost. Each step is
// journaled, durably, before the next begins (the intent before the POST, the id before any poll
// or report), so after a crash at any moment the journal tells, for every job, whether it is
// done, has a task to wait on, may have a task whose id never arrived, or provably has nothing.
import { AuthenticationError, InvalidOptionError, KlingVideoError, RateLimitError } from "../errors.js";
import { DEFAULTS } from "../policy.js";
import { isFinished } from "../task.js";
import type { RequestOptions } from "../transport.js";
import type { CreateVideoTaskInput, VideoTask } from "../types.js";
import { Admission } from "./admission.js";
import { Alarm } from "./alarm.js";
import { jobKeys } from "./job-keys.js";
import type { JournalEvent } from "./journal.js";
import { Poller } from "./poller.js";
import { type JobHistory, replayJournal } from "./replay.js";
import { checkOptions, checkSaved, type Settings } from "./settings.js";
import type {
  BatchCounts,
  BatchEvent,
  BatchJob,
  BatchJobResult,
  BatchJobStatus,
  BatchSummary,
  GenerateManyOptions,
  SavedVideo,
} from "./types.js";

/** The two client calls the engine makes. */
export interface BatchApi {
  create(body: CreateVideoTaskInput, options: RequestOptions): Promise<VideoTask>;
  retrieve(taskId: string, options: RequestOptions): Promise<VideoTask>;
}

/** Where a job is in this run. */
type Stage = "queued" | "creating" | "waiting" | "finishing" | "ended";

/** The engine's record of one job: its result, and what it needs to resume and report. */
interface Run {
  readonly job: BatchJob;
  readonly result: BatchJobResult;
  stage: Stage;
  /** When the latest create attempt began. */
  startedAt: number | undefined;
  /** The journal already says `completed`. */
  completed: boolean;
  /** The last status and progress reported. */
  seen: string;
}

/** An event the journal could not record: the batch stops, since it can no longer keep its promise. */
class JournalFailure {
  constructor(
    readonly event: JournalEvent,
    readonly cause: unknown,
  ) {}
}

const NOT_SENT = "the batch stopped before sending it";
const STOPPED = "the batch stopped; rerun to resume";
const MAY_EXIST =
  "a create was sent but its task id never arrived: a task may exist, and be billed. Check the gateway's task log; rerun with retryUnknown to create it again";

/** What a job is, when the journal failed to record this event about it. */
const STATUS_IF_UNRECORDED: Record<JournalEvent["type"], BatchJobStatus> = {
  intent: "not-started",
  "not-created": "not-created",
  created: "pending",
  completed: "completed",
  failed: "failed",
  saved: "completed",
};

export async function runBatch(
  api: BatchApi,
  jobs: readonly BatchJob[],
  options: GenerateManyOptions = {},
): Promise<BatchSummary> {
  const settings = checkOptions(options);
  if (!Array.isArray(jobs)) throw new InvalidOptionError("jobs", "must be an array of request bodies");
  const keys = await jobKeys(jobs);
  const history = replayJournal(await settings.journal.read());
  return new Batch(api, settings).run(jobs, keys, history);
}

class Batch {
  readonly #api: BatchApi;
  readonly #settings: Settings;
  readonly #runs: Run[] = [];
  readonly #queue: Run[] = [];
  readonly #counts: BatchCounts = { total: 0, queued: 0, running: 0, done: 0, failed: 0 };
  readonly #admission: Admission;
  readonly #poller: Poller<Run>;
  /** Wakes the submit loop. */
  readonly #alarm = new Alarm();
  /** Fires when the batch stops waiting (abort, journal failure): stops `save`. */
  readonly #stop = new AbortController();
  #creating = 0;
  #aborted = false;
  /** No new create is sent (abort, a key the gateway refuses, a pause longer than the SDK waits). */
  #halted = false;
  /** Why the batch stopped on its own: a JournalFailure (or, never expected, an engine error). */
  #fatal: unknown;
  #abortedByCaller = false;
  /** The gateway's answer after which no new create was sent. */
  #stoppedBy: KlingVideoError | undefined;
  /** Task ids that exist but that the journal failed to record. */
  readonly #unrecorded: string[] = [];
  #allEnded: () => void = () => undefined;

  constructor(api: BatchApi, settings: Settings) {
    this.#api = api;
    this.#settings = settings;
    this.#admission = new Admission(settings.concurrency);
    this.#poller = new Poller<Run>({
      retrieve: (taskId, options) => api.retrieve(taskId, options),
      pollIntervalMs: settings.pollIntervalMs,
      maxPollsPerSecond: settings.maxPollsPerSecond,
      timeoutMs: settings.timeoutMs,
      onTask: (run, task) => this.#onTask(run, task),
      onLost: (run, error) => this.#end(run, run.completed ? "completed" : "pending", { error: messageOf(error) }),
    });
  }

  async run(jobs: readonly BatchJob[], keys: string[], history: Map<string, JobHistory>): Promise<BatchSummary> {
    const ended = new Promise<void>((resolve) => {
      this.#allEnded = resolve;
    });
    this.#counts.total = jobs.length;
    this.#counts.queued = jobs.length;
    const { signal } = this.#settings;
    const onAbort = () => {
      this.#abortedByCaller = true;
      this.#abort();
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      for (const [index, job] of jobs.entries()) this.#resume(index, job, keys[index]!, history.get(keys[index]!));
      if (signal?.aborted) onAbort();
      await this.#submit();
      this.#checkAllEnded();
      await ended;
    } finally {
      signal?.removeEventListener("abort", onAbort);
      this.#poller.stop();
    }
    const summary = this.#summary();
    if (this.#fatal === undefined) return summary;
    const journal = this.#fatal instanceof JournalFailure;
    const cause = journal ? (this.#fatal as JournalFailure).cause : this.#fatal;
    const lost = this.#unrecorded.length
      ? ` Tasks created but not journaled (wait on them, or append "created" events for them): ${this.#unrecorded.join(", ")}.`
      : "";
    const what = journal ? "its journal failed to record an event" : "an unexpected error";
    throw Object.assign(new KlingVideoError(`The batch stopped: ${what} (${messageOf(cause)}).${lost}`, { cause }), {
      summary,
    });
  }

  /** Starts a job where the journal left it. */
  #resume(index: number, job: BatchJob, key: string, history: JobHistory | undefined): void {
    const result: BatchJobResult = { index, key, status: "not-started", resumed: history !== undefined };
    if (typeof job.name === "string") result.name = job.name;
    if (history?.taskId !== undefined) result.taskId = history.taskId;
    const run: Run = { job, result, stage: "queued", startedAt: history?.startedAt, completed: false, seen: "" };
    this.#runs.push(run);
    const phase = history?.phase;
    if (phase === "saved") this.#end(run, "saved", { file: history?.file, at: history?.at });
    else if (phase === "failed") this.#end(run, "failed", { error: history?.error, at: history?.at });
    else if (phase === "completed" && !this.#settings.save) this.#end(run, "completed", { at: history?.at });
    else if (phase === "intent" && !this.#settings.retryUnknown) {
      run.startedAt = undefined; // it did not end: no time to report
      this.#end(run, "may-exist", { error: MAY_EXIST });
    } else if (history?.taskId !== undefined) {
      // Created, or completed and not yet saved: wait on the task by its id (a fresh URL for saving).
      run.completed = phase === "completed";
      this.#startRunning(run, "waiting");
      this.#poller.track(run, history.taskId, true);
    } else this.#queue.push(run);
  }

  /**
   * Sends creates while the admission allows, until the batch halts or no job can be sent any more:
   * none is queued, and no create is in flight (a 429 puts its job back in the queue).
   */
  async #submit(): Promise<void> {
    while ((this.#queue.length > 0 || this.#creating > 0) && !this.#halted) {
      if (this.#queue.length === 0) {
        await this.#alarm.nap(Number.POSITIVE_INFINITY);
        continue;
      }
      const wait = this.#admission.delay(this.#counts.running, this.#creating, Date.now());
      if (wait > 0) {
        await this.#alarm.nap(wait);
        continue;
      }
      const run = this.#queue.shift()!;
      this.#startRunning(run, "creating");
      this.#creating++;
      void this.#create(run);
    }
  }

  async #create(run: Run): Promise<void> {
    const { key } = run.result;
    let sending = true;
    const release = () => {
      if (!sending) return;
      sending = false;
      this.#creating--;
      this.#alarm.ring();
    };
    try {
      run.startedAt = Date.now();
      await this.#record(run, { type: "intent", key, at: run.startedAt });
      if (this.#halted) {
        // Stopped while the intent was being written: nothing was sent, and the journal must say so.
        release();
        await this.#record(run, { type: "not-created", key, error: NOT_SENT, at: Date.now() });
        return this.#end(run, "not-started", { error: NOT_SENT });
      }
      const sentAt = Date.now();
      const { name: _name, ...body } = run.job;
      let task: VideoTask;
      try {
        // Creates are never retried behind the engine's back: 429s are paced here, for all jobs together.
        task = await this.#api.create(body, { maxRetries: 0 });
      } catch (error) {
        // Pause new creates before anything else can start one.
        const pause =
          error instanceof RateLimitError && !error.taskMayExist
            ? this.#admission.rateLimited(error, sentAt, Date.now())
            : undefined;
        // A job put back in the queue stays counted as in flight until it is there.
        if (pause === undefined) release();
        return await this.#createFailed(run, error, pause, release);
      }
      this.#admission.accepted();
      release();
      run.result.taskId = task.id;
      await this.#record(run, { type: "created", key, taskId: task.id, at: Date.now() });
      if (this.#aborted) return this.#end(run, "pending", { error: STOPPED });
      run.stage = "waiting";
      if (this.#onTask(run, task)) this.#poller.track(run, task.id, false);
    } catch (error) {
      release();
      this.#crashed(run, error);
    }
  }

  /**
   * `pause`: how long new creates wait after this one's 429 (undefined: too long to wait, or no
   * 429); `release` ends the create's place in flight.
   */
  async #createFailed(run: Run, error: unknown, pause: number | undefined, release: () => void): Promise<void> {
    const message = messageOf(error);
    // Only the SDK's word that the create never reached the point of no return proves nothing was made.
    if (!(error instanceof KlingVideoError) || error.taskMayExist)
      return this.#end(run, "may-exist", { error: message });
    if (error instanceof RateLimitError && pause === undefined) {
      this.#stoppedBy ??= error;
      this.#halt(`the gateway asked to pause creates for longer than ${DEFAULTS.maxRetryAfterMs} ms (${message})`);
    }
    if (error instanceof AuthenticationError) {
      this.#stoppedBy ??= error;
      this.#halt(`the gateway refused the API key (${message})`);
    }
    const { key } = run.result;
    await this.#record(run, { type: "not-created", key, error: message, at: Date.now() });
    if (pause === undefined || this.#halted) {
      release();
      return this.#end(run, "not-created", { error: message });
    }
    // A 429 took nothing: the job goes back to the front of the queue, and is sent once the pause is over.
    run.stage = "queued";
    this.#counts.running--;
    this.#counts.queued++;
    this.#queue.unshift(run);
    release();
    this.#emit({
      type: "rate-limited",
      index: run.result.index,
      key,
      retryInMs: pause,
      concurrency: this.#admission.limit,
    });
  }

  /** A task's state (from its create or a poll); true while it is still running. */
  #onTask(run: Run, task: VideoTask): boolean {
    const seen = `${String(task.status)}|${String(task.progress ?? "")}`;
    if (seen !== run.seen) {
      run.seen = seen;
      this.#emit({ type: "progress", index: run.result.index, key: run.result.key, task });
    }
    const finished = isFinished(task);
    if (!finished) return true;
    run.stage = "finishing";
    void this.#finish(run, task, finished);
    return false;
  }

  async #finish(run: Run, task: VideoTask, outcome: "completed" | "failed"): Promise<void> {
    const { key } = run.result;
    const taskId = run.result.taskId ?? task.id;
    try {
      if (outcome === "failed") {
        const reason = task.error
          ? `${task.error.message}${task.error.code ? ` (${task.error.code})` : ""}`
          : "no reason given";
        await this.#record(run, { type: "failed", key, taskId, error: reason, at: Date.now() });
        return this.#end(run, "failed", { error: reason });
      }
      if (!run.completed) {
        await this.#record(run, { type: "completed", key, taskId, at: Date.now() });
        run.completed = true;
      }
      const { save } = this.#settings;
      if (!save) return this.#end(run, "completed");
      if (this.#aborted) return this.#end(run, "completed", { error: "not saved: the batch stopped" });
      let saved: SavedVideo;
      try {
        saved = await save(task, run.job, { signal: this.#stop.signal, key });
        checkSaved(saved);
      } catch (error) {
        return this.#end(run, "completed", { error: `not saved: ${messageOf(error)}` });
      }
      const { path, size, sha256 } = saved;
      await this.#record(run, { type: "saved", key, taskId, path, size, sha256, at: Date.now() });
      this.#end(run, "saved", { file: saved });
    } catch (error) {
      this.#crashed(run, error);
    }
  }

  async #record(run: Run, event: JournalEvent): Promise<void> {
    try {
      await this.#settings.journal.append(event);
    } catch (cause) {
      throw new JournalFailure(event, cause);
    }
    this.#emit({ type: "journal", index: run.result.index, event });
  }

  /** The journal failed (or, never expected, the engine did): stop everything, keep what is known. */
  #crashed(run: Run, error: unknown): void {
    this.#fatal ??= error;
    const unrecorded = error instanceof JournalFailure ? error.event.type : undefined;
    if (unrecorded === "created" && run.result.taskId) this.#unrecorded.push(run.result.taskId);
    this.#abort();
    const status = unrecorded ? STATUS_IF_UNRECORDED[unrecorded] : run.result.taskId ? "pending" : "may-exist";
    const cause = error instanceof JournalFailure ? `the journal failed: ${messageOf(error.cause)}` : messageOf(error);
    this.#end(run, status, { error: cause });
  }

  #startRunning(run: Run, stage: Stage): void {
    run.stage = stage;
    this.#counts.queued--;
    this.#counts.running++;
  }

  /** No new creates: the jobs still queued end not started. */
  #halt(reason: string): void {
    if (this.#halted) return;
    this.#halted = true;
    for (const run of this.#queue.splice(0)) this.#end(run, "not-started", { error: reason });
    this.#alarm.ring();
  }

  /** Stops sending, waiting and saving; creates already sent finish, so that their ids reach the journal. */
  #abort(): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#halt(NOT_SENT);
    this.#poller.stop();
    this.#stop.abort();
    for (const run of this.#runs) {
      if (run.stage === "waiting") this.#end(run, run.completed ? "completed" : "pending", { error: STOPPED });
    }
  }

  #end(
    run: Run,
    status: BatchJobStatus,
    details: { error?: string | undefined; file?: SavedVideo | undefined; at?: number | undefined } = {},
  ): void {
    if (run.stage === "ended") return;
    const { result } = run;
    if (run.stage === "queued") this.#counts.queued--;
    else this.#counts.running--;
    run.stage = "ended";
    result.status = status;
    if (details.error !== undefined) result.error = details.error;
    if (details.file) {
      result.file = details.file.path;
      result.size = details.file.size;
      result.sha256 = details.file.sha256;
    }
    const endedAt = details.at ?? Date.now();
    if (run.startedAt !== undefined) result.elapsedMs = Math.max(0, endedAt - run.startedAt);
    if (status === "saved" || status === "completed") this.#counts.done++;
    else this.#counts.failed++;
    this.#emit({ type: "end", result: { ...result } });
    this.#alarm.ring();
    this.#checkAllEnded();
  }

  #checkAllEnded(): void {
    if (this.#counts.running === 0 && this.#counts.queued === 0) this.#allEnded();
  }

  #emit(event: DistributiveOmit<BatchEvent, "counts">): void {
    try {
      this.#settings.onEvent?.({ ...event, counts: { ...this.#counts } } as BatchEvent);
    } catch {
      // A progress display that throws must not break the batch's promise to the journal.
    }
  }

  #summary(): BatchSummary {
    const counts: Record<BatchJobStatus, number> = {
      saved: 0,
      completed: 0,
      failed: 0,
      "may-exist": 0,
      "not-created": 0,
      pending: 0,
      "not-started": 0,
    };
    for (const { result } of this.#runs) counts[result.status]++;
    const summary: BatchSummary = { jobs: this.#runs.map((run) => run.result), counts, aborted: this.#abortedByCaller };
    if (this.#stoppedBy) summary.stoppedBy = this.#stoppedBy;
    return summary;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
