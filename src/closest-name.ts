// "Did you mean": the one rule for suggesting a known name, shared by request validation
// (unknown fields) and the CLI (unknown options and commands).

/** The known name nearest to `name` (case, `-`, `_` and spaces aside; at most a third of it differs), if any. */
export function closest(name: string, known: readonly string[]): string | undefined {
  const normalize = (value: string) => value.toLowerCase().replace(/[-_\s]/g, "");
  const wanted = normalize(name);
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(wanted.length / 3)) + 1;
  for (const candidate of known) {
    const distance = editDistance(wanted, normalize(candidate));
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
