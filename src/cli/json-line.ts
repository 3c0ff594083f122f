// The --json form of an event: one line of JSON, safe to show on a terminal.

/**
 * JSON.stringify leaves DEL, the C1 controls and U+2028/9 unescaped: escaped here, so that a line
 * shown on a terminal cannot carry a control sequence, and still parses to the same value.
 */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
