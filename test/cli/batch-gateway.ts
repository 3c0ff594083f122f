// The gateway for in-process runs of `kling-video batch`: quickTasks (tasks done in tens of
// milliseconds, a video each) as the CLI's fetch, recording what was sent; a test may answer any
// create, poll or download itself first.

import { quickTasks } from "../support/faulty-gateway.js";
import { MOCK_BASE_URL } from "../support/harness.js";
import type { ScriptedFetch, SentRequest } from "../support/scripted-fetch.js";

export interface GatewayScript {
  /** Tasks take this long (default 20 ms). */
  durationMs?: number;
  /** Answers the create numbered `index` (from 0) instead of the gateway, when it returns a Response. */
  create?: (index: number, body: Record<string, unknown>) => Response | undefined | Promise<Response | undefined>;
  /** Answers the download numbered `index` instead of the gateway, when it returns a Response. */
  download?: (index: number) => Response | undefined;
}

export function batchGateway(script: GatewayScript = {}): ScriptedFetch {
  const core = quickTasks(MOCK_BASE_URL, script.durationMs ?? 20);
  const calls: SentRequest[] = [];
  let creates = 0;
  let downloads = 0;
  const fetch = async (url: string, init: RequestInit) => {
    const request = new Request(url, init);
    const body = request.method === "POST" ? await request.clone().text() : "";
    calls.push({ method: request.method, url: request.url, headers: request.headers, body, at: Date.now() });
    const own =
      request.method === "POST"
        ? await script.create?.(creates++, JSON.parse(body) as Record<string, unknown>)
        : url.endsWith(".mp4")
          ? script.download?.(downloads++)
          : undefined;
    return own ?? (await core(request)) ?? new Response("not a gateway path", { status: 404 });
  };
  return Object.assign(fetch, { calls });
}

export const posts = (fetch: ScriptedFetch) => fetch.calls.filter((call) => call.method === "POST");
