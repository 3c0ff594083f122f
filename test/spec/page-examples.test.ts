import { describe, expect, it } from "vitest";
import { pageExamples } from "../support/reference-page.js";
import { namedRequestExamples } from "../support/spec.js";

const requestExamples = namedRequestExamples();
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
});
