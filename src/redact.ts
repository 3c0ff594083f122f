// Keeps the API key out of everything a server sends back: raw text, parsed JSON (where an
// escaped form such as `sk-live\/abc` or `\u0073k-...` has become the key again), and headers.
// Only a key long enough to be a secret is redacted, and only as a whole token: with a short
// test key such as "test", "video_test_mock" stays as it is.

const MIN_SECRET_LENGTH = 8;
const REDACTED = "[redacted API key]";
const TOKEN_CHAR = /[A-Za-z0-9_-]/;

export interface Redactor {
  text(value: string): string;
  /** A deep copy with the key removed from every string (keys included), or the value itself when it holds none. */
  json<T>(value: T): T;
  headers(headers: Headers): Headers;
}

export function createRedactor(key: string): Redactor {
  if (key.length < MIN_SECRET_LENGTH)
    return { text: (value) => value, json: (value) => value, headers: (headers) => headers };
  const text = (value: string): string => {
    let at = value.indexOf(key);
    if (at === -1) return value;
    let out = "";
    let from = 0;
    for (; at !== -1; at = value.indexOf(key, at + 1)) {
      const end = at + key.length;
      if (at < from || TOKEN_CHAR.test(value[at - 1] ?? "") || TOKEN_CHAR.test(value[end] ?? "")) continue;
      out += value.slice(from, at) + REDACTED;
      from = end;
    }
    return out + value.slice(from);
  };
  const holdsKey = (value: unknown): boolean =>
    typeof value === "string"
      ? value.includes(key)
      : value !== null &&
        typeof value === "object" &&
        Object.entries(value).some(([name, item]) => name.includes(key) || holdsKey(item));
  const copy = (value: unknown): unknown => {
    if (typeof value === "string") return text(value);
    if (Array.isArray(value)) return value.map(copy);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [text(name), copy(item)]));
  };
  return {
    text,
    json: (value) => (holdsKey(value) ? (copy(value) as typeof value) : value),
    headers: (headers) => {
      const entries = [...headers];
      if (!entries.some(([, value]) => value.includes(key))) return headers;
      return new Headers(entries.map(([name, value]) => [name, text(value)]));
    },
  };
}
