// What generateMany takes: its options, checked before anything is sent, and each job's key (how
// a rerun finds the job in the journal).
import { describe, expect, it, vi } from "vitest";
import { jobKeys } from "../../src/batch/job-keys.js";
import { createVideoClient, InvalidOptionError, type Journal } from "../../src/index.js";
import { API_KEY, json, scriptedFetch, task } from "../support/scripted-fetch.js";

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

describe("options", () => {
  it("are checked before the journal is read or anything is sent", async () => {
    const fetchImpl = scriptedFetch(json(200, task()));
    const client = createVideoClient({ baseUrl: "http://127.0.0.1:4010", apiKey: API_KEY, fetch: fetchImpl });
    const read = vi.fn(async () => []);
    const journal: Journal = { read, append: async () => undefined };
    const jobs = [{ model: MODEL, prompt: "a fox" }];
    for (const [options, option] of [
      [{ concurrency: 0 }, "concurrency"],
      [{ concurrency: 1.5 }, "concurrency"],
      [{ maxPollsPerSecond: Number.NaN }, "maxPollsPerSecond"],
      [{ pollIntervalMs: -1 }, "pollIntervalMs"],
      [{ timeoutMs: 0 }, "timeoutMs"],
      [{ journal: {} as Journal }, "journal"],
      [{ save: "videos/" as never }, "save"],
    ] as const) {
      await expect(client.generateMany(jobs, { journal, ...options }), option).rejects.toMatchObject({ option });
    }
    await expect(client.generateMany("jobs.jsonl" as never, { journal })).rejects.toMatchObject({ option: "jobs" });
    expect(read).not.toHaveBeenCalled();
    expect(await client.generateMany([], { journal })).toMatchObject({ jobs: [], aborted: false });
    expect(fetchImpl.calls).toHaveLength(0);
  });
});
