// Checks what a caller configures, before anything is sent: the key (it must be sendable in a
// header, and no error may ever repeat it), the gateway's base URL, durations and counts. Every
// problem is an InvalidOptionError naming the option.
import { InvalidOptionError } from "./errors.js";

const LOOPBACK = /^(localhost|.+\.localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** Where a variable of the environment is readable (Node, Deno, Bun), its value; "" counts as unset. */
export function fromEnvironment(name: string): string | undefined {
  const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
  return value ? value : undefined;
}

/** A page in a browser, where a key in the code is a key given to every visitor. */
export const inBrowser = (): boolean =>
  typeof (globalThis as { window?: unknown }).window !== "undefined" &&
  typeof (globalThis as { document?: unknown }).document !== "undefined";

export const isLoopback = (url: URL): boolean => LOOPBACK.test(url.hostname);

/** The key, if it can be sent as `Authorization: Bearer <key>`; the error says where it breaks, never what it is. */
export function checkApiKey(key: unknown): string {
  if (typeof key !== "string")
    throw new InvalidOptionError("apiKey", `must be a string, got ${key === null ? "null" : typeof key}`);
  for (let index = 0; index < key.length; index++) {
    const code = key.charCodeAt(index);
    if (code > 0x20 && code < 0x7f) continue;
    const what = code <= 0x20 || code === 0x7f ? "a control or space character" : "a character outside ASCII";
    throw new InvalidOptionError(
      "apiKey",
      `has ${what} at position ${index + 1} of ${key.length}, which cannot be sent in an HTTP header: check how the key was copied`,
    );
  }
  return key;
}

/**
 * The gateway's base URL, normalised (no trailing slash, no trailing /v1: the SDK's paths carry
 * it). Refuses what would leak or mislead: credentials in the URL, a query or fragment, and the
 * key in clear text over plain http:// to anything but this machine unless explicitly allowed.
 */
export function checkBaseUrl(baseUrl: unknown, options: { sendsKey: boolean; allowInsecureHttp: boolean }): URL {
  let url: URL;
  try {
    url = new URL(String(baseUrl));
  } catch {
    throw new InvalidOptionError(
      "baseUrl",
      `must be an absolute http(s) URL, got ${JSON.stringify(stripCredentials(String(baseUrl)))}`,
    );
  }
  if (url.username || url.password) {
    url.username = "";
    url.password = "";
    throw new InvalidOptionError(
      "baseUrl",
      `must not hold credentials (user:password@): pass the key as apiKey; got ${url.href}`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new InvalidOptionError("baseUrl", `must use https:// (or http:// for a local mock), got ${url.protocol}//`);
  }
  if (url.search || url.hash)
    throw new InvalidOptionError("baseUrl", `must not have a query or fragment, got ${url.href}`);
  if (url.protocol === "http:" && options.sendsKey && !options.allowInsecureHttp && !isLoopback(url)) {
    throw new InvalidOptionError(
      "baseUrl",
      `is plain http:// to ${url.hostname}: refusing to send the API key in clear text. Use https://, or pass allowInsecureHttp: true if you accept that risk`,
    );
  }
  url.pathname = url.pathname.replace(/\/+$/, "").replace(/\/v1$/, "");
  return url;
}

/** A URL as text, with any user:password@ removed. */
export function stripCredentials(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, "$1");
}

/** A duration option: a positive, finite number of milliseconds. */
export function checkDuration(option: string, value: unknown): number {
  if (typeof value === "number" && Number.isFinite(value) && value > 0) return value;
  throw new InvalidOptionError(option, `must be a positive number of milliseconds, got ${String(value)}`);
}

/** A retry count: a whole number from 0 (Infinity allowed where it is the default). */
export function checkRetries(value: unknown, option = "maxRetries"): number {
  if (typeof value === "number" && value >= 0 && (Number.isInteger(value) || value === Number.POSITIVE_INFINITY))
    return value;
  throw new InvalidOptionError(option, `must be a whole number from 0, got ${String(value)}`);
}
