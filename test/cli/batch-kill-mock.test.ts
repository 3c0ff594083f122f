// kill -9 and resume (kill-and-resume.ts) against the mock gateway (kling-video/mock), its tasks
// sped up, behind the same faults.
import { describe, it } from "vitest";
import { createMockGateway } from "../../src/mock/index.js";
import { startFaultyGateway } from "../support/faulty-gateway.js";
import { FAULTS, JOBS, KILLS, killAndResume, SEED, useBatchWork } from "./kill-and-resume.js";

useBatchWork();

describe(`kill -9 (${KILLS} times) and resume, ${JOBS} jobs, under faults`, () => {
  it("against the mock gateway (kling-video/mock), its tasks sped up", () =>
    killAndResume(() =>
      startFaultyGateway({
        seed: SEED,
        faults: FAULTS,
        core: () => {
          const mock = createMockGateway({ durationMs: 30, queueMs: 5 });
          return async (request) => (await mock.handle(request)) ?? undefined;
        },
      }),
    ));
});
