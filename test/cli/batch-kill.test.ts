// kill -9 and resume (kill-and-resume.ts) against quick tasks, each with a video of its own; and a
// SIGTERM, which stops a run the way Ctrl-C does.
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { quickTasks, startFaultyGateway } from "../support/faulty-gateway.js";
import { eventually } from "../support/harness.js";
import {
  FAULTS,
  JOBS,
  journalText,
  KILLS,
  killAndResume,
  readJournal,
  SEED,
  startBatch,
  useBatchWork,
  useGateway,
} from "./kill-and-resume.js";

const batch = useBatchWork();

// Every job created once (one more at most each time it may have existed and was retried), every
// task id kept, every file whole, the journal readable after every kill.
describe(`kill -9 (${KILLS} times) and resume, ${JOBS} jobs, under faults`, () => {
  it("against quick tasks, each with a video of its own", () =>
    killAndResume(() => startFaultyGateway({ seed: SEED, faults: FAULTS })));
});

describe("SIGTERM", () => {
  it("stops sending, keeps the created ids in the journal, prints the command to resume; exit 130", async () => {
    const gateway = await useGateway(() => startFaultyGateway({ seed: SEED, core: (url) => quickTasks(url, 60_000) }));
    const lines = Array.from({ length: 40 }, (_, index) =>
      JSON.stringify({ name: `job-${index}`, prompt: `job ${index}` }),
    );
    await writeFile(join(batch.work(), "jobs.jsonl"), `${lines.join("\n")}\n`);
    const run = startBatch(gateway.url);
    await eventually(() => journalText().includes('"created"'), 10_000, "a created event");
    run.child.kill("SIGTERM");
    expect(await run.exit).toBe(130);
    expect(run.stderr()).toMatch(
      /Stopped\. Created tasks keep their ids in jobs\.journal\.jsonl; resume with: kling-video batch jobs\.jsonl --out-dir videos /,
    );
    const created = (await readJournal()).flatMap((event) => (event.type === "created" ? [event.taskId] : []));
    expect(created.sort()).toEqual(gateway.made.map((task) => task.taskId).sort());
    expect(existsSync(join(batch.work(), "jobs.journal.jsonl.lock"))).toBe(false);
  });
});
