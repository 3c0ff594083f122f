// kling-video: the SDK's public API. Runs wherever fetch, URL and AbortSignal exist (browsers,
// Node 20+, Deno, Bun); Node-only helpers are in kling-video/node, the mock in kling-video/mock.

export type { Journal, JournalEvent, JournalEventType, MemoryJournal } from "./batch/journal.js";
export { createMemoryJournal } from "./batch/journal.js";
export type {
  BatchCounts,
  BatchEvent,
  BatchJob,
  BatchJobResult,
  BatchJobStatus,
  BatchSummary,
  GenerateManyOptions,
  SavedVideo,
} from "./batch/types.js";
export type { GenerateOptions, RequestOptions, VideoClientOptions } from "./client.js";
export { createVideoClient, VideoClient } from "./client.js";
export * from "./errors.js";
export { imageToDataUri } from "./images.js";
export { DEFAULTS } from "./policy.js";
export { taskProgress, timestampMs } from "./task.js";
export type { Fetch } from "./transport.js";
export type * from "./types.js";
export { checkCreateVideoTaskRequest } from "./validation.js";
export type { WaitOptions } from "./wait.js";
