// The generated validator is Ajv's standalone code, shrunk by scripts/generate-validator.mjs. The
// SDK words its messages from the errors it reports, so those must be Ajv's own, not just the
// verdicts (test/contract/differential.test.ts): same errors, same order, on every generated body.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateCreateVideoTaskRequest } from "../../generated/validate-request.js";
import { requestBody } from "../fixtures/request-arbitraries.js";
import { schemaValidator } from "../support/spec.js";

const validateWithSpec = schemaValidator("CreateVideoTaskRequest");
/** Ajv's error without the English `message`, which the generated code leaves out. */
const withoutMessage = ({ message: _, ...error }: { message?: string }) => error;

describe("the generated validator", () => {
  it("reports the errors Ajv reports on the spec, in the same order", () => {
    fc.assert(
      fc.property(requestBody, (generated) => {
        const body: unknown = JSON.parse(JSON.stringify(generated));
        const valid = validateCreateVideoTaskRequest(body);
        expect(valid).toBe(validateWithSpec(body));
        expect(validateCreateVideoTaskRequest.errors ?? null).toEqual(
          validateWithSpec.errors?.map(withoutMessage) ?? null,
        );
      }),
      { numRuns: 2000 },
    );
  });
});
