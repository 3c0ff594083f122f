// Where each job's video goes under --out-dir: `<name>.mp4` for a named job, and for one without
// a name a file named from its key (stable across runs, whatever line the job is on). A name is
// a plain file name, never a path: it cannot leave --out-dir, hide the file, or name a device.
import { createHash } from "node:crypto";

const EXTENSION = ".mp4";
/** Room for the extension and the partial file's decoration (`.<name>.<12 hex>.part`) in 255 bytes. */
const MAX_NAME_BYTES = 200;
/** Characters that are not allowed, or mean something, in a file name on Windows, macOS or Linux. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const FORBIDDEN = /[<>:"/\\|?*\u0000-\u001f\u007f]/;
/** Windows' device names, which no directory can hold as files (with any extension). */
const DEVICE = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/** Why `name` cannot name a file, or undefined when it can. */
export function nameProblem(name: unknown): string | undefined {
  if (typeof name !== "string") return `name must be text, got ${JSON.stringify(name)}`;
  const shown = JSON.stringify(name);
  if (name.trim() === "") return "name must not be empty";
  if (!name.isWellFormed()) return `name ${shown} is not well-formed Unicode`;
  if (FORBIDDEN.test(name))
    return `name ${shown} must be a plain file name: no / \\ : * ? " < > | or control characters`;
  if (name.startsWith(".")) return `name ${shown} must not start with a dot`;
  if (/[. ]$/.test(name)) return `name ${shown} must not end with a dot or a space`;
  if (DEVICE.test(name)) return `name ${shown} is a device name on Windows`;
  if (Buffer.byteLength(name) > MAX_NAME_BYTES)
    return `name ${shown.slice(0, 40)}... is longer than ${MAX_NAME_BYTES} bytes`;
  return undefined;
}

/** The video's file name: the name, with .mp4 added unless it ends so. */
export function videoFileName(name: string): string {
  return name.toLowerCase().endsWith(EXTENSION) ? name : `${name}${EXTENSION}`;
}

/**
 * What two names are compared by: file systems that ignore case (macOS, Windows) or normalise
 * Unicode would put "Fox" and "fox.mp4" in one file.
 */
export function fileIdentity(name: string): string {
  return videoFileName(name).normalize("NFC").toLowerCase();
}

/** A job without a name: a file named from its key, which reruns keep. */
export function unnamedFileName(key: string): string {
  return `job-${createHash("sha256").update(key).digest("hex").slice(0, 16)}${EXTENSION}`;
}

/** Whether `fileName` may be a job's video: one of these names, or an unnamed job's. */
export function isJobFile(fileName: string, named: ReadonlySet<string>): boolean {
  return named.has(fileName) || /^job-[0-9a-f]{16}\.mp4$/.test(fileName);
}
