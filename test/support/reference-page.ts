// The four example bodies of the source page (reference/create-video-task.zh.txt), parsed
// from its text: each is a JSON object that starts on the line after its title and is
// repeated in the curl command below it.
import { readFileSync } from "node:fs";

const PAGE = new URL("../../reference/create-video-task.zh.txt", import.meta.url);

export interface PageExample {
  title: string;
  body: Record<string, unknown>;
  curlBody: Record<string, unknown>;
}

export function pageExamples(): PageExample[] {
  const lines = readFileSync(PAGE, "utf8").split("\n");
  const examples: PageExample[] = [];
  for (let i = 1; i < lines.length; i++) {
    const titled =
      lines[i] === "{" && !/["{}[\],]/.test(lines[i - 1] ?? "") && !(lines[i - 1] ?? "").startsWith("示例");
    if (!titled) continue;
    const [body, end] = readObject(lines, i, 0);
    const curlStart = lines.findIndex((line, index) => index > end && line.startsWith("-d '{"));
    const [curlBody] = readObject(lines, curlStart, "-d '".length);
    examples.push({ title: lines[i - 1]!, body, curlBody });
    i = end;
  }
  return examples;
}

/** Reads the balanced JSON object that starts at column `from` of line `start`. */
function readObject(lines: string[], start: number, from: number): [Record<string, unknown>, number] {
  let depth = 0;
  const text: string[] = [];
  for (let i = start; i < lines.length; i++) {
    const line = i === start ? lines[i]!.slice(from) : lines[i]!;
    for (const char of line) depth += char === "{" ? 1 : char === "}" ? -1 : 0;
    text.push(line);
    if (depth === 0) return [JSON.parse(text.join("\n").replace(/}'\s*$/, "}")) as Record<string, unknown>, i];
  }
  throw new Error(`unbalanced JSON from line ${start + 1}`);
}
