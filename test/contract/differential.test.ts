// One source of truth, proven: for every generated body, the SDK's generated validator, Ajv run
// directly on the bundled spec, and Prism mocking that spec must give the same verdict.
// FUZZ_RUNS sets the number of bodies (make test: 400; make fuzz N=100000).
import fc from "fast-check";
import { describe, expect, inject, it } from "vitest";
import { validateCreateVideoTaskRequest } from "../../generated/validate-request.js";
import { requestBody } from "../fixtures/request-arbitraries.js";
import { postToPrism } from "../support/prism-client.js";
import { resolve, schemaValidator, spec } from "../support/spec.js";

const runs = Number(process.env.FUZZ_RUNS ?? 400);
const baseSeed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
/** Parallel property runs (own seeds) keep Prism busy while a body is being validated. */
const workers = Math.min(4, runs);
const validateWithSpec = schemaValidator("CreateVideoTaskRequest");
const prism = inject("prismUrl");

describe("verdicts on generated request bodies", () => {
  it(
    `agree across the SDK validator, Ajv on the spec, and Prism (${runs} bodies)`,
    async () => {
      const tally = { accepted: 0, rejected: 0 };
      const property = fc.asyncProperty(requestBody, async (generated) => {
        const body: unknown = JSON.parse(JSON.stringify(generated)); // exactly what goes on the wire
        const sdk = validateCreateVideoTaskRequest(body);
        const spec = validateWithSpec(body);
        const answer = await postToPrism(prism, body);
        expect([200, 400], `Prism answered ${answer.status}`).toContain(answer.status);
        const verdicts = { sdk, spec, prism: answer.status === 200 };
        expect(verdicts, JSON.stringify(answer.violations)).toEqual({ sdk: spec, spec, prism: spec });
        tally[spec ? "accepted" : "rejected"]++;
      });
      // A failure reports its seed and the shrunk body; rerun it with FUZZ_SEED=<seed - worker>.
      await Promise.all(
        Array.from({ length: workers }, (_, worker) =>
          fc.assert(property, { numRuns: Math.ceil(runs / workers), seed: baseSeed + worker }),
        ),
      );
      // Both sides of every rule must be exercised, or agreement proves little.
      expect(tally.accepted).toBeGreaterThan(runs * 0.05);
      expect(tally.rejected).toBeGreaterThan(runs * 0.3);
      console.log(
        `differential (seed ${baseSeed}): ${runs} bodies, ${tally.accepted} accepted, ${tally.rejected} rejected, all three agreed`,
      );
    },
    Math.max(120_000, runs * 50),
  );
});

describe("the body generator", () => {
  it("draws every property of the spec's request (and of extra_body), valid and not", () => {
    const request = resolve<{ properties: Record<string, unknown> }>(spec.components.schemas!.CreateVideoTaskRequest);
    const extra = resolve<{ properties: Record<string, unknown> }>(request.properties.extra_body);
    const seen = { valid: new Set<string>(), invalid: new Set<string>() };
    for (const body of fc.sample(requestBody, { numRuns: 3000, seed: 1 })) {
      if (!body || typeof body !== "object") continue;
      const verdict = validateWithSpec(body) ? seen.valid : seen.invalid;
      for (const key of Object.keys(body)) verdict.add(key);
      const inner = (body as { extra_body?: unknown }).extra_body;
      if (inner && typeof inner === "object") for (const key of Object.keys(inner)) verdict.add(`extra_body.${key}`);
    }
    const properties = [
      ...Object.keys(request.properties),
      ...Object.keys(extra.properties).map((key) => `extra_body.${key}`),
    ];
    for (const property of properties) {
      expect(seen.valid, `${property} in a valid body`).toContain(property);
      expect(seen.invalid, `${property} in an invalid body`).toContain(property);
    }
  });
});
