// A fetch that answers from a script, one step per call, and records what it was sent:
// the "injected fetch" of the unit tests (no global mocks, no network).
export interface SentRequest {
  method: string;
  url: string;
  headers: Headers;
  body: string;
  /** Date.now() when the call arrived (fake timers make this exact). */
  at: number;
}

export type Step = (request: Request) => Response | Promise<Response>;

export interface ScriptedFetch {
  (url: string, init: RequestInit): Promise<Response>;
  calls: SentRequest[];
}

/** Steps are used in order; the last one repeats. */
export function scriptedFetch(...steps: Step[]): ScriptedFetch {
  const calls: SentRequest[] = [];
  const fetchImpl = async (url: string, init: RequestInit) => {
    const request = new Request(url, init);
    calls.push({
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: request.body ? await request.clone().text() : "",
      at: Date.now(),
    });
    const step = steps[Math.min(calls.length - 1, steps.length - 1)]!;
    return step(request);
  };
  return Object.assign(fetchImpl, { calls });
}

export const task = (overrides: Record<string, unknown> = {}) => ({
  id: "video_123",
  object: "video",
  model: "kling-v3-std-silent",
  status: "queued",
  progress: 0,
  created_at: 1764086400,
  ...overrides,
});

/** A JSON answer: the one builder every test double uses. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Step {
  return () => jsonResponse(status, body, headers);
}

export function apiError(
  status: number,
  headers: Record<string, string> = {},
  error: Record<string, unknown> = {},
): Step {
  return json(
    status,
    { error: { message: `status ${status}`, type: "server_error", param: null, code: `code_${status}`, ...error } },
    { "x-request-id": `req_${status}`, ...headers },
  );
}

/** A network failure as undici reports it: TypeError("fetch failed") caused by a coded error. */
export function networkError(code: string): Step {
  return () => {
    throw new TypeError("fetch failed", {
      cause: Object.assign(new Error(`connect ${code} 203.0.113.1:443`), { code }),
    });
  };
}

/** A server that never answers: the call settles only when its signal aborts. */
export const hang: Step = (request) =>
  new Promise<Response>((_, reject) => {
    request.signal.addEventListener("abort", () => reject(request.signal.reason), { once: true });
  });

export const API_KEY = "sk-test-SECRET-0123456789abcdef";
