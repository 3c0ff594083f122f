// Every code sample the docs show (x-codeSamples, written into the bundled spec by
// scripts/code-samples.mjs) runs as printed against the mock, with KLING_VIDEO_BASE_URL and
// KLING_VIDEO_API_KEY set: curl, the SDK, and the CLI (`npx kling-video` run as dist/cli.js,
// which the CLI's branch builds).
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MockServer, startMockServer } from "../../src/node.js";
import { CLI, runSnippet, videosIn } from "../support/snippets.js";
import { responseValidator, spec } from "../support/spec.js";

interface Sample {
  path: string;
  method: string;
  operationId: string;
  lang: string;
  label: string;
  source: string;
}

const samples: Sample[] = Object.entries(spec.paths).flatMap(([path, pathItem]) =>
  ["get", "post"].flatMap((method) => {
    const operation = pathItem[method] as { operationId: string; "x-codeSamples"?: Omit<Sample, "path">[] } | undefined;
    return (operation?.["x-codeSamples"] ?? []).map((sample) => ({
      ...sample,
      path,
      method,
      operationId: operation!.operationId,
    }));
  }),
);

let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer({ port: 0, docsFile: null });
});
afterAll(() => mock?.close());

describe("the docs' code samples", () => {
  it("cover every operation with curl, the SDK and the CLI", () => {
    const operations = Object.values(spec.paths).flatMap((pathItem) =>
      ["get", "post"].filter((method) => pathItem[method]),
    );
    expect(samples.map((sample) => sample.label)).toEqual(operations.flatMap(() => ["curl", "SDK", "CLI"]));
  });

  it.each(samples.map((sample) => [`${sample.operationId}, ${sample.label}`, sample] as const))(
    "%s: runs against the mock as printed",
    async (name, sample) => {
      if (sample.label === "CLI")
        expect(existsSync(CLI), "dist/cli.js is missing: the CLI comes from branch cli").toBe(true);
      const language = sample.lang === "JavaScript" ? "javascript" : "shell";
      const run = await runSnippet(language, sample.source, `sample ${name}`, {
        KLING_VIDEO_BASE_URL: mock.url,
        KLING_VIDEO_API_KEY: "sk-docs",
      });
      expect(run.code, `${run.stderr}\n${run.stdout}`).toBe(0);
      const videos = await videosIn(run.folder);
      if (sample.source.includes("video.mp4")) {
        expect(videos).toEqual({ "video.mp4": true });
        return;
      }
      expect(videos).toEqual({});
      if (sample.label === "curl") {
        const validate = responseValidator(sample.path, sample.method, 200);
        expect(validate(JSON.parse(run.stdout)), JSON.stringify(validate.errors)).toBe(true);
      } else {
        expect(run.stdout.trim()).not.toBe("");
      }
    },
  );
});
