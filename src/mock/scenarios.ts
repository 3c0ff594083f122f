// What the mock is asked to play, and how it is asked: an `X-Mock-Scenario` header on any
// request (a comma-separated list), or `[mock:NAME]` in a create's prompt or a shot's prompt.
// A name the mock does not know is refused with the list of those it does: a misspelled
// scenario must never pass for a plain success.

const SCENARIO_LIST = [
  { name: "success", description: "the task completes with a playable video (the default)" },
  { name: "failed-early", description: "the task fails while queued, before any progress" },
  { name: "failed-midway", description: "the task fails halfway through rendering" },
  { name: "slow-queue", description: "the task stays queued five times longer" },
  {
    name: "unknown-first",
    description: "the task reads `unknown` before `queued`, as on new-api until its poller first runs",
  },
  {
    name: "expired-url",
    description: "the task completes, but its video URL answers 403 (and the content route 502)",
  },
  { name: "401", description: "the request is refused: invalid API key" },
  { name: "403", description: "the create is refused: insufficient quota" },
  { name: "429", description: "the request is refused: rate limited, with Retry-After" },
  { name: "500", description: "the request fails: gateway error" },
  { name: "502", description: "the request fails: the provider failed" },
  { name: "503", description: "the request is refused: no channel for the model" },
  { name: "drop", description: "the connection is closed without an answer (after a create, the task exists)" },
] as const;

export type MockScenario = (typeof SCENARIO_LIST)[number]["name"];
/**
 * Every scenario, in order, with what it does. The numbered ones are played on the routes whose
 * spec documents that status, and answer with its first example.
 */
export const MOCK_SCENARIOS: readonly { name: MockScenario; description: string }[] = SCENARIO_LIST;

/** A scenario that shapes a task's life rather than one answer. */
export type TaskScenario = Exclude<MockScenario, RequestScenario>;
/** A scenario that decides one answer: an error status, or no answer at all. */
export type RequestScenario = "401" | "403" | "429" | "500" | "502" | "503" | "drop";

export const SCENARIO_HEADER = "X-Mock-Scenario";
const NAMES: readonly string[] = MOCK_SCENARIOS.map((scenario) => scenario.name);
const MARKER = /\[mock:([^\]]*)\]/g;

export const isRequestScenario = (name: MockScenario): name is RequestScenario =>
  name === "drop" || /^\d{3}$/.test(name);

/** A name the mock does not know, and where it was found ("X-Mock-Scenario", "prompt", ...). */
export class UnknownScenarioError extends Error {
  readonly where: string;

  constructor(name: string, where: string) {
    super(`Unknown mock scenario ${JSON.stringify(name)} in ${where}: use one of ${NAMES.join(", ")}`);
    this.where = where;
  }
}

/** The scenarios a comma-separated list names (the header, or one marker). */
export function parseScenarios(list: string, where: string): MockScenario[] {
  return list
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "")
    .map((name) => {
      if (!NAMES.includes(name)) throw new UnknownScenarioError(name, where);
      return name as MockScenario;
    });
}

/** The scenarios named by `[mock:...]` markers in a create's prompts. */
export function scenariosInPrompts(body: {
  prompt?: string;
  extra_body?: { multi_prompt?: { prompt: string }[] };
}): MockScenario[] {
  const prompts: [where: string, text: string | undefined][] = [
    ["prompt", body.prompt],
    ...(body.extra_body?.multi_prompt ?? []).map(
      (shot, index) => [`extra_body.multi_prompt[${index}].prompt`, shot.prompt] as [string, string],
    ),
  ];
  return prompts.flatMap(([where, text]) =>
    [...(text ?? "").matchAll(MARKER)].flatMap((match) => {
      const named = parseScenarios(match[1] ?? "", where);
      if (named.length === 0) throw new UnknownScenarioError("", where);
      return named;
    }),
  );
}
