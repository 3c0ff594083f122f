// What a user reads in a hover or a compiler error is the SDK's type names, not their expansion:
// the published declarations name VideoTask (an interface, which TypeScript prints by name)
// wherever a task is returned.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";

const declarations = (file: string) => readFile(new URL(`../../dist/${file}`, import.meta.url), "utf8");

describe("type names in hovers and errors", () => {
  it("VideoTask and VideoTaskError are interfaces, not aliases of the schema's object types", async () => {
    const types = await declarations("types.d.ts");
    expect(types).toMatch(/export interface VideoTask extends /);
    expect(types).toMatch(/export interface VideoTaskError extends /);
  });

  it("every client method that returns a task says VideoTask", async () => {
    const client = await declarations("client.d.ts");
    for (const method of ["create", "retrieve", "wait", "generate"]) {
      expect(client, method).toMatch(new RegExp(`\\n\\s+${method}\\([^)]*\\): Promise<VideoTask>;`));
    }
  });
});
