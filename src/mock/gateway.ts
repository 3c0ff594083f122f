// A stateful, in-memory stand-in for the gateway, for UI work and tests: a create starts a task
// that moves (queued, rendering with progress rising, then completed with a playable MP4, or
// failed), at a speed you set, in the flavour of gateway you ask for, with the failures you ask
// for. Framework-free (a Request in, a Response out): MSW handlers, a service worker or the
// node:http server (server.ts) can all drive it. Its routes and its error bodies come from the
// spec (generated/examples.js), and request bodies are checked with the SDK's own validator.
import { OPERATIONS, RESPONSE_EXAMPLES } from "../../generated/examples.js";
import type { CreateVideoTaskRequest } from "../types.js";
import { checkCreateVideoTaskRequest } from "../validation.js";
import {
  type AnswerContext,
  documentedError,
  EXAMPLE_TASK_ID,
  exampleAnswer,
  invalidRequest,
  json,
  type OperationId,
  routeNotFound,
} from "./answers.js";
import {
  createdBody,
  FLAVOR_HEADER,
  isNewApi,
  legacyStatus,
  legacyTaskBody,
  type MockFlavor,
  parseFlavor,
  type TaskView,
  videoTaskBody,
} from "./flavors.js";
import { newApiRequestId, newTaskId, openAiRequestId } from "./ids.js";
import { type MockTask, type Timing, taskState } from "./lifecycle.js";
import {
  isRequestScenario,
  type MockScenario,
  parseScenarios,
  type RequestScenario,
  SCENARIO_HEADER,
  scenariosInPrompts,
  type TaskScenario,
  UnknownScenarioError,
} from "./scenarios.js";
import { TaskStore } from "./store.js";
import { sampleVideoSeconds, videoAnswer } from "./video.js";

export interface MockGatewayOptions {
  /** How many times faster than real life tasks move (default 1: a few seconds end to end). */
  speed?: number;
  /** Time from creation to the final status at speed 1 (default 6 s). */
  durationMs?: number;
  /** The part of it before rendering starts, at speed 1 (default 1 s; "slow-queue" makes it 5 times longer). */
  queueMs?: number;
  /** The scenarios of a request that names none, by header or prompt marker (default: "success"). */
  scenario?: MockScenario | MockScenario[];
  /** The gateway to play when a request does not say (X-Mock-Flavor); default "openai". */
  flavor?: MockFlavor;
  /** Tasks kept in memory; past this the oldest is forgotten (default 1000). */
  maxTasks?: number;
  /** The clock (default Date.now), for tests. */
  now?: () => number;
}

export interface MockGateway {
  /** Answers one request; null when its path is none of the mock's. A dropped connection is `Response.error()`. */
  handle(request: Request): Promise<Response | null>;
  /** Forgets every task (the docs' example task comes back). */
  reset(): void;
}

/** Where the mock serves each task's video, as a storage host would (no key needed, byte ranges served). */
export const MOCK_VIDEO_PATH = "/__kling-video-mock/videos/";

const ROUTES = (Object.keys(OPERATIONS) as OperationId[]).map((operationId) => {
  const { method, path } = OPERATIONS[operationId];
  const pattern = new RegExp(`^${path.replace(/\{[^}]+\}/g, "([^/]+)")}$`);
  return { operationId, method, pattern };
});

/** Routes on gateways from before October 2025, which only answer GET /v1/video/generations/{task_id}. */
const NOT_ON_LEGACY = new Set<OperationId>(["getVideoTask", "getVideoContent"]);

interface Call {
  request: Request;
  url: URL;
  flavor: MockFlavor;
  context: AnswerContext;
  /** The scenarios the X-Mock-Scenario header names. */
  requested: MockScenario[];
}

export function createMockGateway(options: MockGatewayOptions = {}): MockGateway {
  const timing = checkTiming(options);
  const now = options.now ?? Date.now;
  const maxTasks = options.maxTasks ?? 1000;
  if (!Number.isInteger(maxTasks) || maxTasks < 1)
    throw new RangeError(`maxTasks must be a positive integer, got ${maxTasks}`);
  const fallbackFlavor = parseFlavor(options.flavor ?? null, "openai");
  const fallbackScenarios = parseScenarios([options.scenario ?? []].flat().join(","), "the scenario option");
  const store = new TaskStore(maxTasks, (serial) => ({
    id: EXAMPLE_TASK_ID,
    serial,
    model: RESPONSE_EXAMPLES.TaskCreated.model,
    createdAt: Math.round(now() - timing.durationMs / timing.speed),
    scenarios: new Set(),
    duration: undefined,
    withImage: false,
    polled: true,
  }));

  const chosen = (named: MockScenario[]) => (named.length > 0 ? named : fallbackScenarios);
  /** The answer-deciding scenario that applies to this operation: one it documents the status of, or a drop. */
  const refusalFor = (operationId: OperationId, named: MockScenario[]): RequestScenario | undefined =>
    named.filter(isRequestScenario).find((name) => name === "drop" || name in OPERATIONS[operationId].errors);
  const refuse = (call: Call, operationId: OperationId, refusal: RequestScenario): Response =>
    refusal === "drop" ? Response.error() : documentedError(operationId, Number(refusal), call.context)!;

  function view(task: MockTask, call: Call): TaskView {
    const showsUnknown = isNewApi(call.flavor) || task.scenarios.has("unknown-first");
    return {
      task,
      state: taskState(task, timing, now(), showsUnknown),
      videoUrl: `${call.url.origin}${MOCK_VIDEO_PATH}${encodeURIComponent(task.id)}.mp4`,
      seconds: task.duration ?? String(sampleVideoSeconds()),
    };
  }

  /** The task a GET names (marked as polled), or the answer for an unknown one. */
  function polledTask(call: Call, unknown: () => Response): TaskView | Response {
    const task = store.get(call.context.taskId ?? "");
    if (!task) return unknown();
    const seen = view(task, call);
    task.polled = true;
    return seen;
  }

  const operations: Record<OperationId, (call: Call) => Promise<Response>> = {
    async createVideoTask(call) {
      let body: unknown;
      try {
        body = JSON.parse(await call.request.text());
      } catch (error) {
        return invalidRequest(`the request body is not valid JSON: ${(error as Error).message}`, null, call.context);
      }
      const issues = checkCreateVideoTaskRequest(body);
      if (issues[0]) return invalidRequest(issues[0].message, issues[0].path || null, call.context);
      const valid = body as CreateVideoTaskRequest;
      let marked: MockScenario[];
      try {
        marked = scenariosInPrompts(valid);
      } catch (error) {
        if (!(error instanceof UnknownScenarioError)) throw error;
        return invalidRequest(error.message, error.where, call.context);
      }
      const scenarios = chosen([...call.requested, ...marked]);
      const refusal = refusalFor("createVideoTask", scenarios);
      call.context.model = valid.model;
      if (refusal && refusal !== "drop") return refuse(call, "createVideoTask", refusal);
      const task: MockTask = {
        id: newTaskId(),
        serial: store.nextSerial(),
        model: valid.model,
        createdAt: now(),
        scenarios: new Set(scenarios.filter((name): name is TaskScenario => !isRequestScenario(name))),
        duration: valid.duration === undefined ? undefined : String(valid.duration),
        withImage: valid.image !== undefined,
        polled: false,
      };
      store.add(task);
      // A dropped create still made its task: the answer was lost, not the request.
      if (refusal === "drop") return Response.error();
      return json(200, createdBody(call.flavor, task), { ...call.context, taskId: task.id });
    },

    async getVideoTask(call) {
      const refusal = refusalFor("getVideoTask", chosen(call.requested));
      if (refusal) return refuse(call, "getVideoTask", refusal);
      const seen = polledTask(call, () =>
        isNewApi(call.flavor)
          ? exampleAnswer("TaskNotExistError", 400, call.context)
          : exampleAnswer("ContentNotFoundError", 404, call.context),
      );
      return seen instanceof Response ? seen : json(200, videoTaskBody(call.flavor, seen), call.context);
    },

    async getLegacyVideoTask(call) {
      const refusal = refusalFor("getLegacyVideoTask", chosen(call.requested));
      if (refusal) return refuse(call, "getLegacyVideoTask", refusal);
      const seen = polledTask(call, () => exampleAnswer("TaskNotExistError", 400, call.context));
      return seen instanceof Response ? seen : json(200, legacyTaskBody(call.flavor, seen), call.context);
    },

    async getVideoContent(call) {
      const refusal = refusalFor("getVideoContent", chosen(call.requested));
      if (refusal) return refuse(call, "getVideoContent", refusal);
      const task = store.get(call.context.taskId ?? "");
      if (!task) return exampleAnswer("ContentNotFoundError", 404, call.context);
      const { state } = view(task, call);
      if (state.stage !== "completed") {
        // The example names new-api's status for in_progress: put the task's own in its place.
        const replace: [string, string][] = [[legacyStatus("in_progress"), legacyStatus(state.stage)]];
        return exampleAnswer("ContentNotReadyError", 400, call.context, { replace });
      }
      // new-api fetches the provider's URL, which has expired.
      if (task.scenarios.has("expired-url")) return exampleAnswer("ContentFetchFailedError", 502, call.context);
      const video = videoAnswer(call.request, { ranges: false });
      video.headers.set(call.context.requestIdHeader, call.context.requestId);
      return video;
    },
  };

  /** GET of a task's video: the storage host's part, with no key and no gateway error shapes. */
  function videoFile(request: Request, url: URL): Response {
    const id = decodeURIComponent(url.pathname.slice(MOCK_VIDEO_PATH.length)).replace(/\.mp4$/, "");
    const task = store.get(id);
    const done = task && taskState(task, timing, now(), false).stage === "completed";
    if (!done || (request.method !== "GET" && request.method !== "HEAD"))
      return new Response("No such video\n", { status: 404, headers: { "content-type": "text/plain" } });
    if (task.scenarios.has("expired-url")) {
      return new Response("<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>", {
        status: 403,
        headers: { "content-type": "application/xml" },
      });
    }
    return videoAnswer(request, { ranges: true });
  }

  async function answer(request: Request, url: URL, route: Route): Promise<Response> {
    const context: AnswerContext = {
      method: request.method,
      path: url.pathname,
      requestId: openAiRequestId(),
      requestIdHeader: "x-request-id",
      taskId: route.taskId,
    };
    let flavor: MockFlavor;
    let requested: MockScenario[];
    try {
      flavor = parseFlavor(request.headers.get(FLAVOR_HEADER), fallbackFlavor);
    } catch (error) {
      return invalidRequest((error as Error).message, FLAVOR_HEADER, context);
    }
    if (isNewApi(flavor))
      Object.assign(context, { requestId: newApiRequestId(now()), requestIdHeader: "X-Oneapi-Request-Id" });
    try {
      requested = parseScenarios(request.headers.get(SCENARIO_HEADER) ?? "", SCENARIO_HEADER);
    } catch (error) {
      return invalidRequest((error as Error).message, SCENARIO_HEADER, context);
    }
    // new-api answers an unserved path before it looks at the key (router/web-router.go NoRoute).
    if (!route.operationId || (flavor === "new-api-legacy" && NOT_ON_LEGACY.has(route.operationId)))
      return routeNotFound(context);
    if (!/^bearer\s+\S/i.test(request.headers.get("authorization") ?? ""))
      return documentedError(route.operationId, 401, context)!;
    return operations[route.operationId]({ request, url, flavor, context, requested });
  }

  return {
    async handle(request) {
      const url = new URL(request.url);
      const isVideo = url.pathname.startsWith(MOCK_VIDEO_PATH);
      const route = isVideo ? undefined : routeOf(request.method, url.pathname);
      if (!isVideo && !route) return null;
      if (request.method === "OPTIONS") return preflight(request);
      if (!route) return withCors(videoFile(request, url));
      return withCors(await answer(request, url, route));
    },
    reset: () => store.reset(),
  };
}

interface Route {
  /** The operation, or undefined for a path (or a method) the gateway does not serve. */
  operationId: OperationId | undefined;
  taskId: string | undefined;
}

/** The operation a request is for; for any other /v1/ path, a route to new-api's "Invalid URL" answer. */
function routeOf(method: string, path: string): Route | undefined {
  let taskId: string | undefined;
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    taskId = match[1] === undefined ? undefined : safeDecode(match[1]);
    if (route.method === method) return { operationId: route.operationId, taskId };
  }
  return path.startsWith("/v1/") ? { operationId: undefined, taskId } : undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function checkTiming(options: MockGatewayOptions): Timing {
  const speed = options.speed ?? 1;
  const durationMs = options.durationMs ?? 6_000;
  const queueMs = Math.min(options.queueMs ?? 1_000, durationMs / 2);
  for (const [name, value] of Object.entries({ speed, durationMs })) {
    if (!(typeof value === "number" && Number.isFinite(value) && value > 0))
      throw new RangeError(`${name} must be a positive number, got ${String(value)}`);
  }
  if (!(Number.isFinite(queueMs) && queueMs >= 0))
    throw new RangeError(`queueMs must be zero or more, got ${String(options.queueMs)}`);
  return { speed, durationMs, queueMs };
}

// CORS open to every origin, as with Prism: a page on any local port can call the mock.
function withCors(response: Response): Response {
  if (response.type === "error") return response;
  response.headers.set("access-control-allow-origin", "*");
  response.headers.set("access-control-expose-headers", "*");
  return response;
}

function preflight(request: Request): Response {
  return new Response(null, {
    status: 204,
    headers: {
      "access-control-allow-origin": "*",
      "access-control-allow-methods": "GET, HEAD, POST, OPTIONS",
      // Authorization is never covered by "*": name what the page asked for.
      "access-control-allow-headers": request.headers.get("access-control-request-headers") ?? "*",
      "access-control-max-age": "600",
    },
  });
}
