// Job keys: how a rerun finds each job in the journal.
import { describe, expect, it } from "vitest";
import { jobKeys } from "../../src/batch/job-keys.js";
import { InvalidOptionError } from "../../src/index.js";

const MODEL = "kling-v3-std-silent" as const;
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

describe("job keys", () => {
  it("are the name when given, else a digest of the body that ignores key order and position", async () => {
    const fox = { model: MODEL, prompt: "a fox", extra_body: { cfg_scale: 0.5, negative_prompt: "blur" } };
    const foxReordered = { extra_body: { negative_prompt: "blur", cfg_scale: 0.5 }, prompt: "a fox", model: MODEL };
    const owl = { model: MODEL, prompt: "an owl" };
    const [named, foxKey, owlKey] = await jobKeys([{ ...owl, name: "owl.mp4" }, fox, owl]);
    expect(named).toBe("owl.mp4");
    expect(foxKey).toMatch(/^sha256:[0-9a-f]{64}#0$/);
    expect(await jobKeys([owl, foxReordered])).toEqual([owlKey, foxKey]);
  });

  it("tell identical bodies apart by occurrence, and treat image bytes as the data: URI they are sent as", async () => {
    const body = { model: MODEL, prompt: "a fox" };
    const [first, second] = await jobKeys([body, { ...body }]);
    expect(first).toMatch(/#0$/);
    expect(second).toBe(first!.replace(/#0$/, "#1"));
    const dataUri = `data:image/png;base64,${Buffer.from(PNG).toString("base64")}`;
    const [bytes, blob, uri] = await jobKeys([
      { ...body, image: PNG },
      { ...body, image: new Blob([PNG]) },
      { ...body, image: dataUri },
    ]);
    expect(bytes!.replace(/#\d$/, "")).toBe(uri!.replace(/#\d$/, ""));
    expect([bytes, blob, uri].map((key) => key!.slice(-2))).toEqual(["#0", "#1", "#2"]);
  });

  it("refuse a repeated or empty name, naming the job", async () => {
    const body = { model: MODEL, prompt: "a" };
    await expect(
      jobKeys([
        { ...body, name: "a" },
        { ...body, name: "a" },
      ]),
    ).rejects.toMatchObject({
      option: "jobs[1].name",
      message: expect.stringMatching(/must be unique/),
    });
    await expect(jobKeys([{ ...body, name: "" }])).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(jobKeys([null as never])).rejects.toMatchObject({ option: "jobs[0]" });
  });
});
