// kling-video/mock: a moving, in-memory gateway for UI work and tests. Needs `msw` (an optional
// peer dependency) only for videoMockHandlers; the main entry never imports this module.
export { createMockGateway, type MockGateway, type MockGatewayOptions, type MockScenario } from "./gateway.js";
export { type VideoMockHandlerOptions, videoMockHandlers } from "./msw.js";
