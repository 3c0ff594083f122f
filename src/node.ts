// kling-video/node: what needs Node itself (its file system, node:http): image files, the batch
// journal file, the mock server. Kept out of the browser entry.
import { readFile } from "node:fs/promises";
import { imageToDataUri } from "./images.js";

export { FLAVOR_HEADER, MOCK_FLAVORS, type MockFlavor } from "./mock/flavors.js";
export { MOCK_SCENARIOS, type MockScenario, SCENARIO_HEADER } from "./mock/scenarios.js";
export { type MockRequestLog, type MockServer, type MockServerOptions, startMockServer } from "./mock/server.js";

/**
 * A local image file as the data: URI `image` and `last_image` accept. The type is read from
 * the bytes (PNG or JPEG, which Kling takes; WebP is recognised, then refused by the spec);
 * the size limit is checked with the rest of the request.
 */
export async function imageFromFile(path: string): Promise<string> {
  return imageToDataUri(await readFile(path), path);
}

export { createFileJournal } from "./batch/file-journal.js";
