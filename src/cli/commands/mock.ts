// `kling-video mock`: the local mock gateway (kling-video/node's startMockServer), until Ctrl-C.
// Its defaults are the address --mock talks to; its scenarios and flavours are the mock's own.
import {
  MOCK_FLAVORS,
  MOCK_SCENARIOS,
  type MockFlavor,
  type MockServerOptions,
  startMockServer,
} from "kling-video/node";
import type { Command } from "../command.js";
import { EXIT, UsageError } from "../exit-codes.js";
import { MOCK_BASE_URL } from "../shared-options.js";

const DEFAULT = new URL(MOCK_BASE_URL);
const names = (list: readonly { name: string }[]) => list.map((item) => item.name).join(", ");

export const mock: Command = {
  usage: "mock [options]",
  description:
    "Run the mock gateway: the API as the spec describes it, with tasks that move from queued to completed\n" +
    "and a sample video (docs at /docs/). Any API key works. Point the other commands at it with --mock.\n" +
    `A request picks a scenario with an X-Mock-Scenario header or [mock:NAME] in its prompt: ${names(MOCK_SCENARIOS)}.`,
  options: {
    port: {
      type: "string",
      value: "<port>",
      help: `the port to listen on (default ${DEFAULT.port}; 0 picks a free one)`,
    },
    host: { type: "string", value: "<host>", help: `the address to listen on (default ${DEFAULT.hostname})` },
    speed: { type: "string", value: "<n>", help: "how many times faster than real tasks move (default 1)" },
    flavor: {
      type: "string",
      value: "<name>",
      help: `the gateway to answer as: ${names(MOCK_FLAVORS)} (default openai)`,
    },
  },
  positionals: [],
  examples: ["kling-video mock", "kling-video mock --port 4020 --speed 10 --flavor new-api"],
  async run({ values, ctx, reporter }) {
    const options = mockOptions(values as Record<string, string | undefined>);
    let server: Awaited<ReturnType<typeof startMockServer>>;
    try {
      server = await startMockServer(options);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
      throw new UsageError(`port ${options.port} is in use: stop what listens there, or pick another with --port`);
    }
    reporter.listening(server.url);
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      else ctx.signal.addEventListener("abort", () => resolve(), { once: true });
    });
    await server.close();
    return EXIT.ok;
  },
};

/** The flags, checked before anything listens. */
function mockOptions(values: Record<string, string | undefined>): MockServerOptions {
  const port = values.port ?? DEFAULT.port;
  if (!/^\d+$/.test(port) || Number(port) > 65_535) {
    throw new UsageError(`--port must be a port number from 0 to 65535, got ${JSON.stringify(port)}`);
  }
  const host = values.host ?? DEFAULT.hostname;
  if (host.trim() === "") throw new UsageError("--host needs an address, such as 127.0.0.1");
  const speed = values.speed === undefined ? undefined : Number(values.speed);
  if (speed !== undefined && !(Number.isFinite(speed) && speed > 0)) {
    throw new UsageError(`--speed must be a number above 0, got ${JSON.stringify(values.speed)}`);
  }
  const flavor = values.flavor;
  if (flavor !== undefined && !MOCK_FLAVORS.some((known) => known.name === flavor)) {
    throw new UsageError(`--flavor must be one of ${names(MOCK_FLAVORS)}, got ${JSON.stringify(flavor)}`);
  }
  return {
    port: Number(port),
    host,
    ...(speed === undefined ? {} : { speed }),
    ...(flavor === undefined ? {} : { flavor: flavor as MockFlavor }),
  };
}
