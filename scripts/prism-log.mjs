// @ts-check
// Reads Prism's log as a validating proxy (`make serve`) and says plainly when an exchange broke
// the spec: loudly when the answer did (the client then got Prism's 500), in a line when the
// request did (Prism's 422), and what a dropped connection or a path outside the spec means.

/**
 * @param {{ mockUrl: string, print?: (text: string) => void }} options `print` defaults to stderr
 * @returns {(line: string) => void} takes one line of Prism's log
 */
export function violationReporter({ mockUrl, print = (text) => console.error(text) }) {
  return (line) => {
    const failed = /\[HTTP SERVER\] (\w+) (\S+) .*Request terminated with error: (?:\S+#)?(\w+)/.exec(line);
    if (!failed) return;
    const [, method, path, kind] = failed;
    const exchange = `${method?.toUpperCase()} ${path}`;
    if (kind === "VIOLATIONS") {
      const bar = "!".repeat(78);
      print(
        [
          bar,
          `  SPEC VIOLATION: the exchange ${exchange} breaks generated/openapi.yaml.`,
          "  The client got Prism's 500 instead of the answer: its `validation` list (also in the",
          "  sl-violations header) says what is wrong. The mock must never do this: report it.",
          bar,
        ].join("\n"),
      );
    } else if (kind === "UNPROCESSABLE_ENTITY") {
      print(`  ^ ${exchange}: the request breaks the spec; Prism answered 422 with the list (the mock never saw it).`);
    } else if (kind === "FetchError") {
      print(`  ^ ${exchange}: the mock closed the connection (the drop scenario); Prism answered 500 instead.`);
    } else if (kind === "NO_PATH_MATCHED_ERROR") {
      print(`  ^ ${exchange} is not in the spec (the videos are served by the mock itself, at ${mockUrl}).`);
    }
  };
}
