// MSW request handlers over the mock gateway: one per operation of the spec, and the videos.
import { type HttpHandler, http } from "msw";
import { OPERATIONS } from "../../generated/examples.js";
import { createMockGateway, MOCK_VIDEO_PATH, type MockGatewayOptions } from "./gateway.js";

export interface VideoMockHandlerOptions extends MockGatewayOptions {
  /** The base URL the app calls (default: any origin). */
  baseUrl?: string;
}

/**
 * Handlers for `setupWorker(...)` (browser) or `setupServer(...)` (Node): every operation of the
 * spec, and the mock's video files. A dropped connection (the "drop" scenario) is a network error.
 */
export function videoMockHandlers(options: VideoMockHandlerOptions = {}): HttpHandler[] {
  const gateway = createMockGateway(options);
  const base = options.baseUrl?.replace(/\/+$/, "") ?? "*";
  // Every handler answers (the gateway knows each path it is given).
  const answer = async ({ request }: { request: Request }) => (await gateway.handle(request)) ?? undefined;
  return [
    ...Object.values(OPERATIONS).map(({ method, path }) =>
      http[method.toLowerCase() as Lowercase<typeof method>](`${base}${path.replace(/\{(\w+)\}/g, ":$1")}`, answer),
    ),
    http.get(`${base}${MOCK_VIDEO_PATH}:file`, answer),
  ];
}
