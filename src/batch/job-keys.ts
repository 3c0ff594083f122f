// Each job's key: how a rerun finds the job in the journal. A job's `name` when it has one (the
// caller's own stable handle, which also survives edits to the body), else a digest of the body
// and its occurrence among identical bodies. The digest keeps a key stable when jobs are
// reordered, inserted or removed around it; the occurrence keeps two identical bodies two jobs
// (asking twice for the same video is a legitimate way to get two takes). An edited unnamed body
// is, by design, a new job.
import { InvalidOptionError, KlingVideoError } from "../errors.js";
import { withImagesAsText } from "../images.js";
import type { BatchJob } from "./types.js";

export async function jobKeys(jobs: readonly BatchJob[]): Promise<string[]> {
  const occurrences = new Map<string, number>();
  const keys: string[] = [];
  const taken = new Set<string>();
  for (const [index, job] of jobs.entries()) {
    if (job === null || typeof job !== "object" || Array.isArray(job))
      throw new InvalidOptionError(`jobs[${index}]`, "must be a request body (an object)");
    const { name, ...body } = job;
    let key: string;
    if (name !== undefined) {
      if (typeof name !== "string" || name === "" || !name.isWellFormed())
        throw new InvalidOptionError(`jobs[${index}].name`, `must be a non-empty string, got ${String(name)}`);
      key = name;
    } else {
      const digest = await sha256Hex(canonicalJson(await bodyAsSent(body, index)));
      const occurrence = occurrences.get(digest) ?? 0;
      occurrences.set(digest, occurrence + 1);
      key = `sha256:${digest}#${occurrence}`;
    }
    if (taken.has(key))
      throw new InvalidOptionError(
        `jobs[${index}].name`,
        `${JSON.stringify(key)} names an earlier job too: names must be unique`,
      );
    taken.add(key);
    keys.push(key);
  }
  return keys;
}

/** The body with images as the data: URIs that are sent, so that bytes and their URI are one job. */
async function bodyAsSent(body: Omit<BatchJob, "name">, index: number): Promise<unknown> {
  try {
    return await withImagesAsText(body);
  } catch (error) {
    throw error instanceof KlingVideoError ? new InvalidOptionError(`jobs[${index}]`, error.message) : error;
  }
}

/** JSON with object keys sorted at every level: the same body always gives the same text. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
