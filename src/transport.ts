// Sends one API or download request by the SDK's rules: the key added here and only here (and
// only for the gateway's own origin), a timeout per attempt combined with the caller's signal,
// bounded reads, no redirects for authorised requests, and retries as policy.ts decides.
// Everything else (URLs, paths, bodies) is openapi-fetch's job.
import { readText } from "./body.js";
import { apiErrorFrom } from "./error-response.js";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  InvalidOptionError,
  InvalidResponseError,
  KlingVideoError,
} from "./errors.js";
import { checkDuration, checkRetries } from "./options.js";
import { DEFAULTS, isIdempotent, type Outcome, retryDelayMs, shouldRetry } from "./policy.js";
import type { Redactor } from "./redact.js";
import { after, sleep } from "./timers.js";

/** The part of `fetch` the SDK uses: the global fetch, or any function with its signature. */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/** Per-call options, over the client's defaults (as in openai-node). */
export interface RequestOptions {
  signal?: AbortSignal;
  /** Timeout of each HTTP attempt in ms; for a download, also the longest silence between chunks. */
  timeoutMs?: number;
  /** Retries where retrying is safe. */
  maxRetries?: number;
}

export interface TransportOptions {
  /** The gateway: the only origin that ever receives the key. */
  origin: string;
  apiKey: string;
  /** Defaults to the global fetch, looked up at call time (so test and mock libraries can patch it). */
  fetch: Fetch | undefined;
  timeoutMs: number;
  maxRetries: number;
  redactor: Redactor;
}

export interface SendOptions extends RequestOptions {
  /** Send the key (gateway requests). Off for the video storage host. */
  authorize: boolean;
  /**
   * "json": read the whole body within the timeout, capped; "stream": hand a 2xx body back,
   * guarded; "auto" (client.raw): stream unless the answer is JSON.
   */
  read: "json" | "stream" | "auto";
  /** The body as the caller serialized it, saving a read of the Request's stream. */
  body?: string;
}

/** Connection failures that happen before a single byte is sent: the server cannot have acted. */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
]);
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

export class Transport {
  readonly #options: TransportOptions;

  constructor(options: TransportOptions) {
    this.#options = options;
  }

  async send(request: Request, options: SendOptions): Promise<Response> {
    const { method, url } = request;
    const headers = new Headers(request.headers);
    if (options.authorize) {
      const origin = new URL(url).origin;
      if (origin !== this.#options.origin) {
        throw new InvalidOptionError(
          "baseUrl",
          `${origin} is not the gateway: the API key is only sent to ${this.#options.origin}`,
        );
      }
      if (this.#options.apiKey) headers.set("authorization", bearer(this.#options.apiKey));
    }
    const body = options.body ?? (request.body === null ? null : await request.text());
    const signal = options.signal ?? request.signal;
    const maxRetries = options.maxRetries === undefined ? this.#options.maxRetries : checkRetries(options.maxRetries);
    if (options.timeoutMs !== undefined) checkDuration("timeoutMs", options.timeoutMs);
    // A redirect could resend a create: authorised requests never follow one.
    const init: RequestInit = { method, headers, body, redirect: options.authorize ? "manual" : "follow" };
    for (let retry = 0; ; retry++) {
      let outcome: Response | APIConnectionError;
      try {
        outcome = await this.#attempt(url, init, signal, options);
      } catch (error) {
        if (!(error instanceof APIConnectionError)) throw error;
        outcome = error;
      }
      const delay =
        retry < maxRetries && shouldRetry(method, outcome as Outcome)
          ? retryDelayMs(outcome as Outcome, retry)
          : undefined;
      if (delay === undefined) {
        if (outcome instanceof Response) return outcome;
        throw explainUnsent(outcome, method);
      }
      if (outcome instanceof Response) outcome.body?.cancel().catch(() => undefined);
      try {
        await sleep(delay, signal);
      } catch {
        // Paused after an answer that proves nothing was done (or a GET): nothing is in flight.
        throw aborted(signal, true);
      }
    }
  }

  /** One attempt, bounded by the timeout and the caller's signal; connection failures become SDK errors. */
  async #attempt(url: string, init: RequestInit, signal: AbortSignal, options: SendOptions): Promise<Response> {
    if (signal.aborted) throw aborted(signal, true);
    const timeoutMs = options.timeoutMs ?? this.#options.timeoutMs;
    const controller = new AbortController();
    let timedOut = false;
    const cancelTimer = after(timeoutMs, () => {
      timedOut = true;
      controller.abort(new DOMException("The request timed out", "TimeoutError"));
    });
    const forwardAbort = () => controller.abort(signal.reason);
    signal.addEventListener("abort", forwardAbort, { once: true });
    let answered = false;
    let streaming = false;
    const { redactor } = this.#options;
    try {
      const response = await (this.#options.fetch ?? globalThis.fetch)(url, { ...init, signal: controller.signal });
      answered = true;
      const headers = redactor.headers(response.headers);
      if (response.type === "opaqueredirect") throw apiErrorFrom(0, headers, "");
      const stream =
        options.read === "stream" ||
        (options.read === "auto" && !/\bjson\b/i.test(response.headers.get("content-type") ?? ""));
      if (stream && response.ok && response.body) {
        streaming = true;
        cancelTimer();
        const { guardStream } = await import("./stream-guard.js");
        const body = guardStream(response.body, {
          idleMs: timeoutMs,
          signal,
          stop: (reason) => controller.abort(reason),
          done: () => signal.removeEventListener("abort", forwardAbort),
        });
        return new Response(body, { status: response.status, statusText: response.statusText, headers });
      }
      const limit = response.ok ? DEFAULTS.maxJsonBytes : DEFAULTS.maxErrorBodyBytes;
      const text = await readText(response, limit, response.ok ? "refuse" : "truncate", controller.signal);
      if (text === undefined) {
        throw new InvalidResponseError(
          `The gateway answered ${response.status} with more than ${limit / 1024 / 1024} MB: refused`,
          response,
        );
      }
      const rebuilt = NULL_BODY_STATUSES.has(response.status) ? null : redactor.text(text);
      return new Response(rebuilt, { status: response.status, statusText: response.statusText, headers });
    } catch (error) {
      if (error instanceof KlingVideoError) throw error;
      if (signal.aborted) throw aborted(signal, false);
      if (timedOut) throw new APIConnectionTimeoutError(`Request timed out after ${timeoutMs} ms`, { cause: error });
      const notSent = !answered && hasCode(error, NOT_SENT_CODES);
      const stage = answered ? "while reading the response" : "before a response arrived";
      throw new APIConnectionError(
        `Connection error ${stage} from ${new URL(url).origin}: ${describe(error, redactor)}`,
        { cause: error, notSent },
      );
    } finally {
      if (!streaming) {
        cancelTimer();
        signal.removeEventListener("abort", forwardAbort);
      }
    }
  }
}

/** How the gateway takes the key: the Authorization header's value. */
export const bearer = (apiKey: string) => `Bearer ${apiKey}`;

const aborted = (signal: AbortSignal, notSent: boolean) =>
  new APIUserAbortError("Request aborted by the caller", { cause: signal.reason, notSent });

/** For a POST that may have reached the server, say so: the caller must not blindly create again. */
function explainUnsent(error: APIConnectionError, method: string): APIConnectionError {
  if (!isIdempotent(method) && !error.notSent)
    error.message += ". The request may have reached the gateway, so it was not sent again";
  return error;
}

function hasCode(error: unknown, codes: Set<string>): boolean {
  for (let current = error, depth = 0; current && typeof current === "object" && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && codes.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

function describe(error: unknown, redactor: Redactor): string {
  const cause = (error as { cause?: { message?: string; code?: string } } | undefined)?.cause;
  const message = error instanceof Error ? error.message : String(error);
  return redactor.text(
    cause?.message && cause.message !== message ? `${message} (${cause.code ?? cause.message})` : message,
  );
}
