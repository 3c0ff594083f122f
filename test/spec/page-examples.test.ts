import { describe, expect, it } from "vitest";
import { pageExamples } from "../support/reference-page.js";
import { namedRequestExamples } from "../support/spec.js";

// The page's four examples, each followed by its English reading (named <name>English).
const requestExamples = namedRequestExamples().filter(([name]) => !name.endsWith("English"));
const NAMES = ["textToVideo", "imageToVideo", "firstLastFrame", "multiPrompt"];

describe("the source page's examples", () => {
  const page = pageExamples();

  it("are four, each repeated verbatim in its curl command", () => {
    expect(page.map((example) => example.title)).toEqual([
      "文生视频",
      "图生视频",
      "首尾帧图生视频",
      "使用multi_prompt的图生视频",
    ]);
    for (const example of page) expect(example.curlBody).toEqual(example.body);
  });

  it("are the spec's named request examples, in order and verbatim", () => {
    expect(requestExamples.map(([name]) => name)).toEqual(NAMES);
    for (const [index, [name, body]] of requestExamples.entries()) expect(body, name).toStrictEqual(page[index]!.body);
  });

  it("each have an English reading beside them, for the same request in the same mode", () => {
    const all = namedRequestExamples<Record<string, unknown>>();
    expect(all.map(([name]) => name)).toEqual(NAMES.flatMap((name) => [name, `${name}English`]));
    for (const [name, body] of requestExamples) {
      const english = all.find(([other]) => other === `${name}English`)![1];
      const shape = (value: Record<string, unknown>) => JSON.stringify(Object.keys(value).sort());
      expect(shape(english), name).toBe(shape(body));
      expect(english.model, name).toBe(body.model);
    }
  });
});
