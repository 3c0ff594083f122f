// Duration flags (--poll-interval, --timeout): 500ms, 90s, 20m, 1h, or plain milliseconds.
import { UsageError } from "./exit-codes.js";

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** The flag's value in milliseconds; anything else is a usage error naming the flag. */
export function parseDuration(flag: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  const ms = match ? Math.round(Number(match[1]) * UNIT_MS[match[2] ?? "ms"]!) : Number.NaN;
  if (!(ms >= 1) || !Number.isFinite(ms)) {
    throw new UsageError(
      `--${flag} must be a duration such as 500ms, 90s, 20m or 1h (or plain milliseconds), got ${JSON.stringify(text)}`,
    );
  }
  return ms;
}

/** A duration in its largest whole unit: 5000 -> "5s", 1200000 -> "20m", 1500 -> "1500ms". */
export function formatDuration(ms: number): string {
  for (const unit of ["h", "m", "s"]) if (ms % UNIT_MS[unit]! === 0) return `${ms / UNIT_MS[unit]!}${unit}`;
  return `${ms}ms`;
}
