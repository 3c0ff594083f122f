import { KlingVideoError } from "./errors.js";

const LOOPBACK_HOSTS = new Set(["localhost", "[::1]"]);

function isLoopback(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || hostname.endsWith(".localhost") || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Parses the gateway's base URL, refusing to send an API key in clear text over plain http://
 * to anything but this machine unless the caller explicitly allows it.
 */
export function checkBaseUrl(baseUrl: string, options: { sendsKey: boolean; allowInsecureHttp: boolean }): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new KlingVideoError(`baseUrl must be an absolute http(s) URL, got ${JSON.stringify(baseUrl)}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new KlingVideoError(`baseUrl must use https:// (or http:// for a local mock), got ${url.protocol}//`);
  }
  if (url.protocol === "http:" && options.sendsKey && !options.allowInsecureHttp && !isLoopback(url.hostname)) {
    throw new KlingVideoError(
      `Refusing to send the API key over plain http:// to ${url.hostname}: use https://, or pass allowInsecureHttp: true if you accept that risk`,
    );
  }
  return url;
}
