// MSW request handlers over the mock gateway, typed from the spec's generated types.
import { type HttpHandler, http } from "msw";
import type { CreateVideoTaskRequest, ErrorResponse, VideoTask } from "../types.js";
import { createMockGateway, MOCK_VIDEO_PATH, type MockGatewayOptions } from "./gateway.js";

export interface VideoMockHandlerOptions extends MockGatewayOptions {
  /** The base URL the app calls (default: any origin). */
  baseUrl?: string;
}

/**
 * Handlers for `setupWorker(...)` (browser) or `setupServer(...)` (Node):
 * `POST /v1/video/generations`, `GET /v1/videos/:taskId`, and the mock's video files.
 */
export function videoMockHandlers(options: VideoMockHandlerOptions = {}): HttpHandler[] {
  const gateway = createMockGateway(options);
  const base = options.baseUrl?.replace(/\/+$/, "") ?? "*";
  const answer = async ({ request }: { request: Request }) =>
    (await gateway.handle(request)) ?? new Response(null, { status: 404 });
  return [
    http.post<never, CreateVideoTaskRequest, VideoTask | ErrorResponse>(`${base}/v1/video/generations`, answer),
    http.get<{ taskId: string }, never, VideoTask | ErrorResponse>(`${base}/v1/videos/:taskId`, answer),
    http.get(`${base}${MOCK_VIDEO_PATH}:file`, answer),
  ];
}
