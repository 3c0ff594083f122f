import { describe, expect, it } from "vitest";
import { pageExamples } from "../support/reference-page.js";
import { operation, resolve } from "../support/spec.js";

const requestExamples = resolve<{ content: Record<string, { examples: Record<string, unknown> }> }>(
  operation("/v1/video/generations", "post").requestBody,
).content["application/json"]!.examples;
const NAMES = ["textToVideo", "imageToVideo", "firstLastFrame", "multiPrompt"];

describe("the source page's examples", () => {
  const page = pageExamples();

  it("are four, each repeated verbatim in its curl command", () => {
    expect(page.map((example) => example.title)).toEqual(["文生视频", "图生视频", "首尾帧图生视频", "使用multi_prompt的图生视频"]);
    for (const example of page) expect(example.curlBody).toEqual(example.body);
  });

  it("are the spec's named request examples, in order and verbatim", () => {
    expect(Object.keys(requestExamples)).toEqual(NAMES);
    NAMES.forEach((name, index) => {
      const example = resolve<{ value: unknown }>(requestExamples[name]);
      expect(example.value, name).toStrictEqual(page[index]!.body);
    });
  });
});
