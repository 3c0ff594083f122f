// A loopback stand-in for a gateway built on new-api (github.com/QuantumNous/new-api), written
// from its Go code (upstream main at 823e2630, August 2026, and its history). Each answer cites
// the file it copies:
// - router/video-router.go: the four routes; router/web-router.go + controller/relay.go
//   RelayNotFound: 404 `Invalid URL (GET ...)` for a path not served.
// - middleware/auth.go + middleware/utils.go abortWithOpenAiMessage: 401 `Invalid token
//   (request id: ...)`, OpenAI error shape; middleware/request-id.go: X-Oneapi-Request-Id.
// - relay/channel/task/kling/adaptor.go: DoResponse (the create answer), ConvertToOpenAIVideo
//   (the poll answer: ms times from Kling, model "", metadata.url, error.code ""), and, before
//   October 2025 (73d9021e9), Kling's own create body with a top-level task_id.
// - model/task.go: NOT_START/SUBMITTED/IN_PROGRESS/SUCCESS/FAILURE and ToVideoStatus;
//   service/task_polling.go + relay/channel/task/taskcommon/helpers.go: progress 0%/10%/30%/100%.
// - relay/relay_task.go: 400 task_not_exist, the TaskDto envelope, `application/json` without
//   charset on the two GET routes; dto/task.go: TaskError {code, message, data}.
// - controller/relay.go respondTaskError: every 429 message replaced; service/billing_session.go:
//   403 insufficient_user_quota; controller/video_proxy.go: the content route and its errors.
// Flavours: "current" (2026) serves every route; "older" (July-October 2025) serves only
// POST /v1/video/generations and GET /v1/video/generations/{id}, and keeps the finished
// video's URL in fail_reason. The provider's CDN is a second server (another origin).
import { randomBytes } from "node:crypto";
import { SAMPLE_VIDEO_MP4_BASE64 } from "../../assets/sample-video.js";
import { type RecordedRequest, startLoopbackGateway } from "./loopback-gateway.js";

export type NewApiFlavour = "current" | "older";
type Status = "NOT_START" | "SUBMITTED" | "IN_PROGRESS" | "SUCCESS" | "FAILURE";

interface Task {
  id: string;
  model: string;
  status: Status;
  failReason: string;
  /** Kling's own times (ms). */
  klingCreatedAt: number;
  klingUpdatedAt: number;
  submitTime: number;
  finishTime: number;
  /** Where the prompt says the task ends: "[fail]" fails it, "[gateway-fail]" fails it without Kling's reason. */
  ending: "success" | "fail" | "gateway-fail";
}

export interface NewApiGateway {
  url: string;
  /** The provider's CDN, where the finished video lives. */
  cdnUrl: string;
  flavour: NewApiFlavour;
  requests: RecordedRequest[];
  cdnRequests: RecordedRequest[];
  /** Every answer sent, for checking against the spec. */
  answers: { method: string; path: string; status: number; contentType: string; body: string }[];
  tasks: Map<string, Task>;
  close(): Promise<void>;
}

export const NEW_API_KEY = "sk-newapi-0123456789abcdefghijklmnopqrstuv";
/** A key the gateway knows but whose owner has no quota left. */
export const POOR_KEY = "sk-newapi-poor-0123456789abcdefghijklmnop";
const PROGRESS: Record<Status, string> = {
  NOT_START: "0%",
  SUBMITTED: "10%",
  IN_PROGRESS: "30%",
  SUCCESS: "100%",
  FAILURE: "100%",
};
/**
 * TaskStatus.ToVideoStatus (model/task.go): SUBMITTED and QUEUED are queued; what it does not name
 * (NOT_START, UNKNOWN) is unknown. This stand-in's tasks use the first five.
 */
export const TO_VIDEO_STATUS: Record<Status | "QUEUED" | "UNKNOWN", string> = {
  NOT_START: "unknown",
  SUBMITTED: "queued",
  QUEUED: "queued",
  IN_PROGRESS: "in_progress",
  SUCCESS: "completed",
  FAILURE: "failed",
  UNKNOWN: "unknown",
};
/** The video every finished task has, unless a test gives its own: the mock's sample MP4. */
export const SAMPLE_VIDEO = Buffer.from(SAMPLE_VIDEO_MP4_BASE64, "base64");

export async function startNewApiGateway(options: {
  flavour: NewApiFlavour;
  video?: Uint8Array;
}): Promise<NewApiGateway> {
  const { flavour, video = SAMPLE_VIDEO } = options;
  const tasks = new Map<string, Task>();
  const answers: NewApiGateway["answers"] = [];
  const cdn = await startLoopbackGateway(({ res }) => {
    res.writeHead(200, { "content-type": "video/mp4", "content-length": video.length }).end(video);
  });
  const now = () => Math.floor(Date.now() / 1000);
  const requestId = () =>
    `${new Date().toISOString().replace(/\D/g, "").slice(0, 14)}${"1".repeat(9)}6b1a2f3a${randomBytes(4).toString("hex")}`;
  const videoUrl = (task: Task) => `${cdn.url}/kcdn/${task.id}/output.mp4`;

  const gateway = await startLoopbackGateway(({ req, res, body }) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const method = req.method ?? "GET";
    const id = requestId();
    const send = (status: number, answer: unknown, charset = true) => {
      const text = JSON.stringify(answer);
      answers.push({
        method,
        path,
        status,
        contentType: charset ? "application/json; charset=utf-8" : "application/json",
        body: text,
      });
      res
        .writeHead(status, {
          "content-type": charset ? "application/json; charset=utf-8" : "application/json",
          "x-oneapi-request-id": id,
          "x-new-api-version": "v0.9.9",
        })
        .end(text);
    };
    const taskError = (status: number, code: string, message: string) => send(status, { code, message, data: null });
    const noRoute = () =>
      send(404, {
        error: { message: `Invalid URL (${method} ${path})`, type: "invalid_request_error", param: "", code: "" },
      });

    const create = method === "POST" && path === "/v1/video/generations";
    const poll = method === "GET" ? /^\/v1\/videos\/([^/]+)$/.exec(path) : null;
    const content = method === "GET" ? /^\/v1\/videos\/([^/]+)\/content$/.exec(path) : null;
    const legacy = method === "GET" ? /^\/v1\/video\/generations\/([^/]+)$/.exec(path) : null;
    if (!create && !legacy && (flavour === "older" || (!poll && !content))) return noRoute();

    const key = (req.headers.authorization ?? "").replace(/^Bearer /i, "");
    if (key !== NEW_API_KEY && key !== POOR_KEY) {
      return send(401, { error: { code: "", message: `Invalid token (request id: ${id})`, type: "new_api_error" } });
    }
    if (create) return answerCreate(body, key, send, taskError);
    const taskId = decodeURIComponent((poll ?? content ?? legacy)![1]!);
    const task = tasks.get(taskId);
    if (content) {
      if (!task) return send(404, { error: { message: "Task not found", type: "invalid_request_error" } });
      if (task.status !== "SUCCESS") {
        return send(400, {
          error: {
            message: `Task is not completed yet, current status: ${task.status}`,
            type: "invalid_request_error",
          },
        });
      }
      answers.push({ method, path, status: 200, contentType: "video/mp4", body: "" });
      res.writeHead(200, {
        "content-type": "video/mp4",
        "cache-control": "public, max-age=86400",
        "x-oneapi-request-id": id,
      });
      return res.end(video);
    }
    if (!task) return taskError(400, "task_not_exist", "task_not_exist");
    advance(task); // the gateway's poller ran since the last question
    return poll
      ? send(200, videoObject(task), false)
      : send(200, { code: "success", message: "", data: taskRecord(task) }, false);
  });

  function answerCreate(
    body: string,
    key: string,
    send: (status: number, answer: unknown) => void,
    taskError: (status: number, code: string, message: string) => void,
  ) {
    const request = JSON.parse(body) as { model: string; prompt?: string };
    const prompt = request.prompt ?? "";
    if (!prompt.trim()) return taskError(400, "invalid_request", "prompt is required");
    if (key === POOR_KEY) return taskError(403, "insufficient_user_quota", "用户额度不足, 剩余额度: ＄0.000000");
    if (prompt.includes("[reject]"))
      return taskError(400, "task_failed", "Invalid parameters, such as incorrect key or illegal value");
    if (prompt.includes("[busy]")) return taskError(429, "fail_to_fetch_task", "当前分组上游负载已饱和，请稍后再试");
    if (prompt.includes("[upstream-502]")) {
      return taskError(502, "fail_to_fetch_task", '{"code":5000,"message":"Server internal error","request_id":"r"}');
    }
    const klingId = String(867283741759111202n + BigInt(tasks.size));
    const id =
      flavour === "current"
        ? `task_${randomBytes(24).toString("base64url").replace(/[-_]/g, "x").slice(0, 32)}`
        : klingId;
    const createdMs = Date.now();
    tasks.set(id, {
      id,
      model: request.model,
      status: "NOT_START",
      failReason: "",
      klingCreatedAt: createdMs,
      klingUpdatedAt: createdMs,
      submitTime: now(),
      finishTime: 0,
      ending: prompt.includes("[gateway-fail]") ? "gateway-fail" : prompt.includes("[fail]") ? "fail" : "success",
    });
    if (flavour === "current") {
      return send(200, {
        id,
        task_id: id,
        object: "video",
        model: request.model,
        status: "queued",
        progress: 0,
        created_at: now(),
      });
    }
    const data = {
      task_id: id,
      task_status: "submitted",
      task_status_msg: "",
      task_result: { videos: null },
      created_at: createdMs,
      updated_at: createdMs,
    };
    return send(200, {
      code: 0,
      message: "SUCCEED",
      task_id: id,
      request_id: "c0656403-1e6e-4b7e-b8f8-2cdd2595f2b9",
      data,
    });
  }

  function advance(task: Task) {
    const next: Partial<Record<Status, Status>> = {
      NOT_START: "SUBMITTED",
      SUBMITTED: "IN_PROGRESS",
      IN_PROGRESS: task.ending === "success" ? "SUCCESS" : "FAILURE",
    };
    const status = next[task.status];
    if (!status) return;
    task.status = status;
    task.klingUpdatedAt += 15_000;
    if (status === "SUCCESS" || status === "FAILURE") task.finishTime = now();
    if (status === "FAILURE")
      task.failReason = task.ending === "fail" ? "Failure to pass the risk control system" : "任务超时（30分钟）";
    // Before February 2026 the finished video's URL was kept in fail_reason.
    if (status === "SUCCESS" && flavour === "older") task.failReason = videoUrl(task);
  }

  function videoObject(task: Task) {
    return {
      id: task.id,
      object: "video",
      model: "",
      status: TO_VIDEO_STATUS[task.status],
      progress: Number.parseInt(PROGRESS[task.status], 10),
      created_at: task.klingCreatedAt,
      completed_at: task.klingUpdatedAt,
      ...(task.status === "SUCCESS" ? { seconds: "5.1", metadata: { url: videoUrl(task) } } : {}),
      ...(task.status === "FAILURE" && task.ending === "fail" ? { error: { message: task.failReason, code: "" } } : {}),
    };
  }

  function taskRecord(task: Task) {
    const common = {
      task_id: task.id,
      action: "textGenerate",
      status: task.status,
      fail_reason: task.failReason,
      submit_time: task.submitTime,
      start_time: task.status === "NOT_START" || task.status === "SUBMITTED" ? 0 : task.submitTime,
      finish_time: task.finishTime,
      progress: PROGRESS[task.status],
    };
    if (flavour === "older") return { ...common, data: {} };
    return {
      id: 42,
      created_at: task.submitTime,
      updated_at: now(),
      ...common,
      ...(task.status === "SUCCESS"
        ? { result_url: videoUrl(task) }
        : task.failReason
          ? { result_url: task.failReason }
          : {}),
      properties: { input: "", upstream_model_name: task.model, origin_model_name: task.model },
      data: {},
    };
  }

  return {
    url: gateway.url,
    cdnUrl: cdn.url,
    flavour,
    requests: gateway.requests,
    cdnRequests: cdn.requests,
    answers,
    tasks,
    close: async () => {
      await gateway.close();
      await cdn.close();
    },
  };
}
