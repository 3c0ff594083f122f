// Options more than one command takes. Kept free of the SDK: the command line is read, and
// --help printed, before any command (and the SDK with it) is loaded.
import type { OptionSpecs } from "./args.js";

/** Where `kling-video mock` (and `make serve`) listen; what --mock talks to. */
export const MOCK_BASE_URL = "http://127.0.0.1:4010";

export const OUTPUT_OPTIONS: OptionSpecs = {
  json: { type: "boolean", help: "one JSON object per line on stdout (the default off a terminal)" },
  help: { type: "boolean", short: "h", help: "show this help" },
};

export const GATEWAY_OPTIONS: OptionSpecs = {
  "base-url": {
    type: "string",
    value: "<url>",
    help: "the gateway, with or without /v1 (default: KLING_VIDEO_BASE_URL)",
  },
  "api-key": { type: "string", value: "<key>", help: "the gateway's API key (default: KLING_VIDEO_API_KEY)" },
  mock: { type: "boolean", help: `use the local mock at ${MOCK_BASE_URL} (kling-video mock) with a dummy key` },
  prefer: {
    type: "string",
    value: "<value>",
    help: "send a Prefer header, as code=429 (Prism's mock answers by it)",
  },
  "allow-insecure-http": { type: "boolean", help: "allow sending the key over plain http:// to another machine" },
};

export const OUT_OPTIONS: OptionSpecs = {
  out: { type: "string", value: "<file>", help: "save the video to this file" },
  force: { type: "boolean", help: "replace the --out file if it exists" },
};
