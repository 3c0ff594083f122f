// Every README block marked `runnable` (```ts runnable, ```sh runnable) runs as written against
// the mock, with KLING_VIDEO_BASE_URL and KLING_VIDEO_API_KEY set, `npx kling-video` as the CLI in
// dist/ and the images the README names beside it, and every video it writes plays (an MP4's
// `ftyp` box comes first). The only other code blocks are `setup` (make, npm install, starting
// a server, a real gateway's address): every example is runnable.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MockServer, startMockServer } from "../../src/node.js";
import { runSnippet, type SnippetLanguage, videosIn } from "../support/snippets.js";

const LANGUAGES: Record<string, SnippetLanguage> = {
  ts: "typescript",
  typescript: "typescript",
  js: "javascript",
  javascript: "javascript",
  mjs: "javascript",
  sh: "shell",
  bash: "shell",
  shell: "shell",
};

/** A 1x1 PNG: the README's first-frame.png and last-frame.png. */
const FRAME = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);
const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const blocks = [...readme.matchAll(/^```([^\n]*)\n([\s\S]*?)^```$/gm)].map(([, info = "", source = ""], index) => ({
  info: info.trim(),
  source,
  index,
}));
const runnable = blocks.filter((block) => /\brunnable\b/.test(block.info));

let mock: MockServer;
beforeAll(async () => {
  // Fast enough that a task is done by its first poll.
  mock = await startMockServer({ port: 0, speed: 100_000, docsFile: null });
});
afterAll(() => mock?.close());

describe("the README", () => {
  it("has runnable blocks, and every other code block is setup or output", () => {
    expect(runnable.length).toBeGreaterThan(0);
    const others = blocks.filter((block) => !runnable.includes(block));
    for (const block of others)
      expect(block.info, `block ${block.index + 1}:\n${block.source}`).toMatch(/^(sh setup|text|)$/);
    for (const block of others.filter((block) => block.info === ""))
      expect(block.source, "an untagged block is output, not code").not.toMatch(/\b(import|npx|await)\b/);
  });

  it.concurrent.each(runnable.map((block) => [`block ${block.index + 1} (${block.info})`, block] as const))(
    "%s runs against the mock, and any video it writes plays",
    async (name, block) => {
      const language = LANGUAGES[block.info.split(/\s+/)[0]!];
      expect(language, `a runnable block in a language the test cannot run: ${block.info}`).toBeDefined();
      const run = await runSnippet(
        language!,
        block.source,
        `readme ${name}`,
        { KLING_VIDEO_BASE_URL: mock.url, KLING_VIDEO_API_KEY: "sk-readme" },
        { "first-frame.png": FRAME, "last-frame.png": FRAME },
      );
      expect(run.code, `${run.stderr}\n${run.stdout}`).toBe(0);
      const videos = await videosIn(run.folder);
      if (block.source.includes(".mp4")) expect(Object.keys(videos).length, "the video it writes").toBeGreaterThan(0);
      for (const [file, playable] of Object.entries(videos)) expect(playable, `${file} is an MP4`).toBe(true);
    },
  );
});
