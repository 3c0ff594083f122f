// Sends one request with the SDK's rules: the API key added here (and only here), a timeout per
// attempt combined with the caller's signal, and retries that never resend a request the
// server may have acted on. Everything else (URLs, bodies, parsing) is openapi-fetch's job.
import { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError } from "./errors.js";
import { backoffDelayMs, isIdempotent, isRetryableStatus, MAX_RETRY_AFTER_MS, serverRetryDelayMs } from "./retry-policy.js";
import { sleep } from "./sleep.js";

/** The part of `fetch` the SDK uses: the global fetch, or any function with its signature. */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

export interface TransportOptions {
  apiKey: string;
  /** Defaults to the global fetch, looked up at call time (so test and mock libraries can patch it). */
  fetch?: Fetch;
  timeoutMs: number;
  maxRetries: number;
}

export interface SendOptions {
  /** Add `Authorization: Bearer <key>`. Off for foreign hosts (the video storage). */
  authorize: boolean;
  /** Read the whole body inside the timeout (API calls). Off for streamed downloads. */
  buffer: boolean;
  /** The body as the caller serialized it, saving a read of the Request's stream. */
  body?: string;
}

/** Connection failures that happen before a single byte is sent: the server cannot have acted. */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH", "EADDRNOTAVAIL", "UND_ERR_CONNECT_TIMEOUT",
]);

export class Transport {
  readonly #apiKey: string;
  readonly #fetch: Fetch | undefined;
  readonly #timeoutMs: number;
  readonly #maxRetries: number;

  constructor(options: TransportOptions) {
    this.#apiKey = options.apiKey;
    this.#fetch = options.fetch;
    this.#timeoutMs = options.timeoutMs;
    this.#maxRetries = options.maxRetries;
  }

  async send(request: Request, options: SendOptions): Promise<Response> {
    const method = request.method;
    const body = options.body ?? (request.body === null ? null : await request.arrayBuffer());
    const headers = new Headers(request.headers);
    if (options.authorize && this.#apiKey) headers.set("authorization", `Bearer ${this.#apiKey}`);
    const callerSignal = request.signal;

    for (let retry = 0; ; retry++) {
      const retriesLeft = retry < this.#maxRetries;
      let response: Response;
      try {
        response = await this.#attempt(request.url, { method, headers, body, redirect: request.redirect }, callerSignal, options.buffer);
      } catch (error) {
        const connectionError = error as APIConnectionError;
        const resendable = isIdempotent(method) || (connectionError instanceof APIConnectionError && connectionError.notSent);
        if (!(connectionError instanceof APIConnectionError) || !resendable || !retriesLeft) {
          throw explainUnsent(connectionError, method);
        }
        await this.#pause(backoffDelayMs(retry), callerSignal);
        continue;
      }
      if (!retriesLeft || !isRetryableStatus(response.status, method)) return response;
      const requested = serverRetryDelayMs(response.headers);
      if (requested !== undefined && requested > MAX_RETRY_AFTER_MS) return response;
      discardBody(response);
      await this.#pause(requested ?? backoffDelayMs(retry), callerSignal);
    }
  }

  /** One attempt, bounded by the timeout and the caller's signal; connection failures become SDK errors. */
  async #attempt(url: string, init: RequestInit, callerSignal: AbortSignal, buffer: boolean): Promise<Response> {
    if (callerSignal.aborted) throw new APIUserAbortError("Request aborted by the caller", { cause: callerSignal.reason });
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException("The request timed out", "TimeoutError"));
    }, this.#timeoutMs);
    const forwardAbort = () => controller.abort(callerSignal.reason);
    callerSignal.addEventListener("abort", forwardAbort, { once: true });
    let sent = false;
    try {
      const fetchImpl = this.#fetch ?? globalThis.fetch;
      const response = await fetchImpl(url, { ...init, signal: controller.signal });
      sent = true;
      if (!buffer || response.body === null) return response;
      const content = await response.arrayBuffer();
      const body = response.ok ? content : this.#redact(content);
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    } catch (error) {
      if (callerSignal.aborted) throw new APIUserAbortError("Request aborted by the caller", { cause: callerSignal.reason });
      if (timedOut) throw new APIConnectionTimeoutError(`Request timed out after ${this.#timeoutMs} ms`, { cause: error });
      const notSent = !sent && hasCode(error, NOT_SENT_CODES);
      const stage = sent ? "while reading the response" : "before a response arrived";
      throw new APIConnectionError(`Connection error ${stage}: ${describe(error)}`, { cause: error, notSent });
    } finally {
      clearTimeout(timer);
      callerSignal.removeEventListener("abort", forwardAbort);
    }
  }

  /** Some gateways quote the key they rejected: keep it out of error bodies (and so out of errors). */
  #redact(content: ArrayBuffer): ArrayBuffer | string {
    if (!this.#apiKey) return content;
    const text = new TextDecoder().decode(content);
    return text.includes(this.#apiKey) ? text.replaceAll(this.#apiKey, "[redacted API key]") : content;
  }

  async #pause(ms: number, callerSignal: AbortSignal): Promise<void> {
    try {
      await sleep(ms, callerSignal);
    } catch {
      throw new APIUserAbortError("Request aborted by the caller", { cause: callerSignal.reason });
    }
  }
}

/** Drops a body nobody will read, without waiting: some fetch implementations never settle cancel(). */
export function discardBody(response: Response): void {
  response.body?.cancel().catch(() => undefined);
}

/** For a POST that may have reached the server, say so: the caller must not blindly create again. */
function explainUnsent(error: Error, method: string): Error {
  if (!(error instanceof APIConnectionError) || isIdempotent(method) || error.notSent) return error;
  error.message +=
    ". The request may have reached the gateway, so it was not sent again: a task may exist; check before creating another";
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

function describe(error: unknown): string {
  const cause = (error as { cause?: { message?: string; code?: string } } | undefined)?.cause;
  const message = error instanceof Error ? error.message : String(error);
  return cause?.message && cause.message !== message ? `${message} (${cause.code ?? cause.message})` : message;
}
