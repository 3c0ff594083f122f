// Commands printed for the user to run next (resume a wait, rerun a batch): the options they
// gave, in their order, so that the command talks to the same gateway the same way. The key is
// never printed: --api-key keeps its placeholder (the environment variable needs nothing).
import type { OptionSpecs, OptionValues } from "./args.js";
import { shellWord } from "./text.js";

/** The options in `values` that `specs` holds, as words to type again. */
export function optionWords(values: OptionValues, specs: OptionSpecs): string[] {
  const words: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    const spec = specs[name];
    if (!spec || value === undefined || value === false) continue;
    if (name === "api-key") words.push(`--${name}`, spec.value ?? "<key>");
    else if (spec.type === "boolean") words.push(`--${name}`);
    else for (const item of [value].flat()) words.push(`--${name}`, shellWord(String(item)));
  }
  return words;
}
