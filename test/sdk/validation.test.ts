import { describe, expect, it } from "vitest";
import { type CreateVideoTaskRequest, createVideoClient, VideoRequestValidationError } from "../../src/index.js";
import { checkCreateVideoTaskRequest } from "../../src/validation.js";
import { invalidCases, validCases } from "../fixtures/request-cases.js";
import { API_KEY, json, scriptedFetch, task } from "../support/scripted-fetch.js";

const client = (fetchImpl = scriptedFetch(json(200, task()))) =>
  createVideoClient({ baseUrl: "http://127.0.0.1:4010", apiKey: API_KEY, fetch: fetchImpl });
const issuePath = (path: string) => path.replace(/\.(\d+)(?=\.|$)/g, "[$1]");

describe("request validation", () => {
  it.each(invalidCases.map((testCase) => [testCase.name, testCase] as const))(
    "%s: names the field and rule, sends nothing",
    async (_, testCase) => {
      const fetchImpl = scriptedFetch(json(200, task()));
      const error = await client(fetchImpl)
        .create(testCase.body as CreateVideoTaskRequest)
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(VideoRequestValidationError);
      const issues = (error as VideoRequestValidationError).issues;
      expect(issues.length).toBeGreaterThan(0);
      for (const issue of issues) {
        expect(issue.message.length).toBeGreaterThan(10);
        if (issue.path) expect(issue.message).toContain(issue.path);
      }
      expect(fetchImpl.calls).toHaveLength(0);
    },
  );

  it.each([
    [
      { extra_body: { cfg_scale: 1.5 } },
      [{ path: "extra_body.cfg_scale", rule: "maximum", message: "extra_body.cfg_scale must be at most 1" }],
    ],
    [{ duration: 16 }, [{ path: "duration", rule: "maximum", message: "duration must be at most 15" }]],
    [{ duration: 2 }, [{ path: "duration", rule: "minimum", message: "duration must be at least 3" }]],
    [{ duration: 5.5 }, [{ path: "duration", rule: "type", message: "duration must be an integer or a string" }]],
    [{ prompt: "" }, [{ path: "prompt", rule: "minLength", message: "prompt must not be empty" }]],
    [
      { aspect_ratio: "4:3" },
      [{ path: "aspect_ratio", rule: "enum", message: 'aspect_ratio must be one of: "16:9", "9:16", "1:1"' }],
    ],
    [
      { aspectRatio: "1:1" },
      [
        {
          path: "aspectRatio",
          rule: "additionalProperties",
          message: "aspectRatio is not a known field (did you mean aspect_ratio?)",
        },
      ],
    ],
    [{ model: 3 }, [{ path: "model", rule: "type", message: "model must be a string" }]],
    [
      { prompt: "a\u0000" },
      [{ path: "prompt", rule: "pattern", message: "prompt must not contain NUL characters (U+0000)" }],
    ],
    [
      { last_image: "https://example.com/z.png" },
      [{ path: "image", rule: "dependentRequired", message: "image is required when last_image is given" }],
    ],
    [
      { extra_body: { multi_prompt: [{ prompt: "a" }, { prompt: "x".repeat(513) }] } },
      [
        {
          path: "extra_body.multi_prompt[1].prompt",
          rule: "maxLength",
          message: "extra_body.multi_prompt[1].prompt must be at most 512 characters long",
        },
      ],
    ],
  ])("words %j as %j", (patch, expected) => {
    expect(checkCreateVideoTaskRequest({ model: "kling-v3-std-silent", prompt: "a", ...patch })).toEqual(expected);
  });

  it("words cross-field rules with the spec's own sentence", () => {
    expect(checkCreateVideoTaskRequest({ model: "kling-v3-std-silent" })).toEqual([
      { path: "", rule: "anyOf", message: "Either prompt or extra_body.multi_prompt is required." },
    ]);
    expect(
      checkCreateVideoTaskRequest({
        model: "kling-v3-std-silent",
        image: "https://example.com/a.png",
        prompt: "a",
        extra_body: { multi_prompt: [{ prompt: "b" }] },
      }),
    ).toEqual([
      {
        path: "",
        rule: "not",
        message: "With image (image-to-video mode), send prompt or extra_body.multi_prompt, not both.",
      },
    ]);
  });

  it("lists every problem of a body at once", async () => {
    const error = (await client()
      .create({
        model: "kling-v3-std-silent",
        prompt: "",
        duration: 99,
        extra_body: { cfg_scale: -1 },
      } as CreateVideoTaskRequest)
      .catch((caught: unknown) => caught)) as VideoRequestValidationError;
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(["duration", "extra_body.cfg_scale", "prompt"]);
    expect(error.message).toContain("nothing was sent");
    expect(error.message).toContain("extra_body.cfg_scale must be at least 0");
  });

  it.each(invalidCases.map((testCase) => [testCase.name, testCase] as const))(
    "%s: reports the spec's rule at its path",
    (_, testCase) => {
      const issues = checkCreateVideoTaskRequest(testCase.body);
      const expectedPath = issuePath(testCase.path);
      const acceptable = testCase.keyword === "oneOf" ? ["oneOf", "type"] : [testCase.keyword];
      const matching = issues.filter(
        (issue) =>
          acceptable.includes(issue.rule) &&
          (issue.path === expectedPath || issue.path.startsWith(`${expectedPath ? `${expectedPath}.` : ""}`)),
      );
      expect(matching, JSON.stringify(issues)).not.toHaveLength(0);
    },
  );

  it.each(validCases.map((testCase) => [testCase.name, testCase] as const))(
    "accepts %s and sends it unchanged",
    async (_, testCase) => {
      const fetchImpl = scriptedFetch(json(200, task()));
      await client(fetchImpl).create(testCase.body as CreateVideoTaskRequest);
      expect(fetchImpl.calls).toHaveLength(1);
      expect(JSON.parse(fetchImpl.calls[0]!.body)).toEqual(testCase.body);
    },
  );

  it("checks the JSON that is sent, not the object: undefined fields are dropped, circular ones refused", async () => {
    const fetchImpl = scriptedFetch(json(200, task()));
    const body = { model: "kling-v3-std-silent", prompt: "a", aspect_ratio: undefined, aspectRatio: undefined };
    await client(fetchImpl).create(body as unknown as CreateVideoTaskRequest);
    expect(JSON.parse(fetchImpl.calls[0]!.body)).toEqual({ model: "kling-v3-std-silent", prompt: "a" });

    const circular: Record<string, unknown> = { model: "kling-v3-std-silent", prompt: "a", extra_body: {} };
    (circular.extra_body as Record<string, unknown>).self = circular;
    const error = await client(fetchImpl)
      .create(circular as CreateVideoTaskRequest)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VideoRequestValidationError);
    expect((error as VideoRequestValidationError).issues[0]).toMatchObject({ path: "", rule: "json" });
    expect(fetchImpl.calls).toHaveLength(1);
  });

  it("can be switched off (validate: false) for gateways that accept more than the spec", async () => {
    const fetchImpl = scriptedFetch(json(200, task()));
    const lenient = createVideoClient({
      baseUrl: "http://127.0.0.1:4010",
      apiKey: API_KEY,
      fetch: fetchImpl,
      validate: false,
    });
    await lenient.create({ model: "kling-v3-std-silent", prompt: "a", duration: 30 } as CreateVideoTaskRequest);
    expect(fetchImpl.calls).toHaveLength(1);
  });
});
