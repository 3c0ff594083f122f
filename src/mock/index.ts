// kling-video/mock: a moving, in-memory gateway for UI work and tests. Needs `msw` (an optional
// peer dependency) for videoMockHandlers; the main entry never imports this module. The same
// gateway over HTTP is startMockServer in kling-video/node.
export { FLAVOR_HEADER, MOCK_FLAVORS, type MockFlavor } from "./flavors.js";
export { createMockGateway, MOCK_VIDEO_PATH, type MockGateway, type MockGatewayOptions } from "./gateway.js";
export { type VideoMockHandlerOptions, videoMockHandlers } from "./msw.js";
export { MOCK_SCENARIOS, type MockScenario, SCENARIO_HEADER } from "./scenarios.js";
