// A stateful, in-memory stand-in for the gateway, for UI work and tests: POST creates a task
// that moves queued -> in_progress (progress rising) -> completed over a set time, with a
// playable MP4. Framework-free (Request in, Response out): MSW handlers, a service worker or a
// Node server can all drive it. Bodies are checked with the SDK's own generated validator.
import { SAMPLE_VIDEO_MP4_BASE64 } from "../../assets/sample-video.js";
import type { CreateVideoTaskRequest, ErrorResponse, VideoStatus, VideoTask } from "../types.js";
import { checkCreateVideoTaskRequest } from "../validation.js";

/** What happens to a task: chosen by option, or per task by a marker such as "[mock:failure]" in its prompt. */
export type MockScenario = "success" | "failure" | "rate-limit" | "slow-queue" | "expired-url";
const SCENARIOS: MockScenario[] = ["success", "failure", "rate-limit", "slow-queue", "expired-url"];

export interface MockGatewayOptions {
  /** Time from creation to the final status (default 6 s). */
  durationMs?: number;
  /** Part of it spent queued (default 1 s; "slow-queue" multiplies it by 5). */
  queueMs?: number;
  /** The scenario for every task (default "success"; a prompt marker wins). */
  scenario?: MockScenario;
  /** The clock (default Date.now), for tests. */
  now?: () => number;
}

interface StoredTask {
  id: string;
  model: string;
  createdAt: number;
  scenario: MockScenario;
}

export const MOCK_VIDEO_PATH = "/__kling-video-mock/videos/";
const RETRY_AFTER_SECONDS = 2;

export interface MockGateway {
  /** Answers one request; null when the path is not one of the mock's. */
  handle(request: Request): Promise<Response | null>;
  /** Forgets every task. */
  reset(): void;
}

export function createMockGateway(options: MockGatewayOptions = {}): MockGateway {
  const durationMs = options.durationMs ?? 6_000;
  const now = options.now ?? Date.now;
  const tasks = new Map<string, StoredTask>();
  let counter = 0;
  const baseQueueMs = Math.min(durationMs / 2, options.queueMs ?? 1_000);
  const renderMs = durationMs - baseQueueMs;
  const queueTime = (task: StoredTask) => baseQueueMs * (task.scenario === "slow-queue" ? 5 : 1);

  function view(task: StoredTask, origin: string): VideoTask {
    const elapsed = now() - task.createdAt;
    const queued = queueTime(task);
    const finishedAt = task.createdAt + queued + renderMs;
    const done = now() >= finishedAt;
    const status: VideoStatus = done
      ? task.scenario === "failure"
        ? "failed"
        : "completed"
      : elapsed < queued
        ? "queued"
        : "in_progress";
    const rendered = Math.floor(((elapsed - queued) / renderMs) * 100);
    const progress = status === "completed" ? 100 : status === "in_progress" ? Math.max(1, Math.min(99, rendered)) : 0;
    const seconds = (ms: number) => Math.floor(ms / 1000);
    return {
      id: task.id,
      object: "video",
      model: task.model,
      status,
      progress,
      created_at: seconds(task.createdAt),
      completed_at: done ? seconds(finishedAt) : null,
      expires_at: status === "completed" ? seconds(finishedAt + 24 * 3600_000) : null,
      video_url:
        status === "completed"
          ? `${origin}${MOCK_VIDEO_PATH}${task.id}${task.scenario === "expired-url" ? "-expired" : ""}.mp4`
          : null,
      error: status === "failed" ? { code: "mock_failure", message: "The mock was asked to fail this task." } : null,
      metadata: {},
    };
  }

  async function create(request: Request, origin: string): Promise<Response> {
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      return error(400, "The request body is not valid JSON.", "invalid_request_error", null, "invalid_json");
    }
    const issues = checkCreateVideoTaskRequest(body);
    if (issues.length > 0) {
      return error(
        400,
        issues.map((issue) => issue.message).join("; "),
        "invalid_request_error",
        issues[0]!.path || null,
        "invalid_value",
      );
    }
    const valid = body as CreateVideoTaskRequest;
    const scenario = scenarioOf(valid) ?? options.scenario ?? "success";
    if (scenario === "rate-limit") {
      return error(
        429,
        `Too many concurrent video tasks (mock). Try again in ${RETRY_AFTER_SECONDS} seconds.`,
        "rate_limit_error",
        null,
        "rate_limit_exceeded",
        {
          "retry-after": String(RETRY_AFTER_SECONDS),
        },
      );
    }
    counter += 1;
    const task: StoredTask = {
      id: `video_mock_${counter.toString().padStart(6, "0")}`,
      model: valid.model,
      createdAt: now(),
      scenario,
    };
    tasks.set(task.id, task);
    return json(200, view(task, origin));
  }

  return {
    async handle(request) {
      const url = new URL(request.url);
      if (request.method === "GET" && url.pathname.startsWith(MOCK_VIDEO_PATH)) {
        if (url.pathname.endsWith("-expired.mp4"))
          return new Response("<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>", {
            status: 403,
            headers: { "content-type": "application/xml" },
          });
        const bytes = Uint8Array.from(atob(SAMPLE_VIDEO_MP4_BASE64), (char) => char.charCodeAt(0));
        return new Response(bytes, {
          headers: { "content-type": "video/mp4", "content-length": String(bytes.length), "accept-ranges": "none" },
        });
      }
      const isCreate = request.method === "POST" && url.pathname === "/v1/video/generations";
      const taskId = request.method === "GET" ? /^\/v1\/videos\/([^/]+)$/.exec(url.pathname)?.[1] : undefined;
      if (!isCreate && taskId === undefined) return null;
      if (!/^Bearer \S+/.test(request.headers.get("authorization") ?? "")) {
        return error(
          401,
          "Missing or invalid API key. Send it as: Authorization: Bearer sk-...",
          "authentication_error",
          null,
          "invalid_api_key",
        );
      }
      if (isCreate) return create(request, url.origin);
      const task = tasks.get(decodeURIComponent(taskId!));
      return task
        ? json(200, view(task, url.origin))
        : error(
            404,
            `No video task with id ${decodeURIComponent(taskId!)}.`,
            "invalid_request_error",
            "task_id",
            "task_not_found",
          );
    },
    reset: () => tasks.clear(),
  };
}

function scenarioOf(body: CreateVideoTaskRequest): MockScenario | undefined {
  const text = [body.prompt, ...(body.extra_body?.multi_prompt ?? []).map((shot) => shot.prompt)].join(" ");
  const marker = /\[mock:([a-z-]+)\]/.exec(text)?.[1];
  return SCENARIOS.find((scenario) => scenario === marker);
}

let requestCounter = 0;
function json(status: number, body: VideoTask | ErrorResponse, headers: Record<string, string> = {}): Response {
  requestCounter += 1;
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "x-request-id": `req_mock_${requestCounter}`, ...headers },
  });
}

function error(
  status: number,
  message: string,
  type: string,
  param: string | null,
  code: string,
  headers: Record<string, string> = {},
): Response {
  return json(status, { error: { message, type, param, code } }, headers);
}
