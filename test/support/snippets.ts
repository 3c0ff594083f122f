// Runs code shown to readers (the docs' code samples, the README's runnable blocks) as a reader
// would, against a mock: shell with bash, JavaScript or TypeScript as an ES module that imports
// the package by its name (the file sits inside the repository, so "kling-video" resolves to
// dist/ by self-reference), `npx kling-video` as the CLI built in dist/, each in a fresh folder.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const MODULES = join(REPO, "test-results", "snippets");
export const CLI = join(REPO, "dist", "cli.js");

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The folder it ran in. */
  folder: string;
}

export type SnippetLanguage = "shell" | "javascript" | "typescript";

/** Runs `source` in a fresh folder holding `files`, with `env` (on top of this process's), within 30 s. */
export async function runSnippet(
  language: SnippetLanguage,
  source: string,
  name: string,
  env: Record<string, string>,
  files: Record<string, Uint8Array> = {},
): Promise<Run> {
  const folder = await mkdtemp(join(tmpdir(), "kling-snippet-"));
  for (const [file, bytes] of Object.entries(files)) await writeFile(join(folder, file), bytes);
  if (language === "shell") {
    const script = source.replaceAll("npx kling-video", `node ${JSON.stringify(CLI)}`);
    return run("bash", ["-euo", "pipefail", "-c", script], folder, env);
  }
  const code = language === "typescript" ? (await transform(source, { loader: "ts", format: "esm" })).code : source;
  await mkdir(MODULES, { recursive: true });
  const file = join(MODULES, `${name.replace(/[^\w-]+/g, "-")}.mjs`);
  await writeFile(file, code);
  return run(process.execPath, [file], folder, env);
}

function run(command: string, args: string[], folder: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd: folder, env: { ...process.env, ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
        resolve({ code, stdout, stderr, folder });
      },
    );
  });
}

/** The MP4 files a run left in its folder, each with whether it is playable (an `ftyp` box first). */
export async function videosIn(folder: string): Promise<Record<string, boolean>> {
  const files = (await readdir(folder)).filter((file) => file.endsWith(".mp4"));
  const videos: Record<string, boolean> = {};
  for (const file of files) {
    const bytes = await readFile(join(folder, file));
    videos[file] = bytes.subarray(4, 8).toString("latin1") === "ftyp";
  }
  return videos;
}
