// Which gateway a command talks to, and with which key. Nothing is assumed: with no base URL the
// command stops and says how to name one, and the local mock is used only when asked for with
// --mock (then with a placeholder key: the user's real key never goes to a local port by default).
import { createVideoClient, type VideoClient } from "kling-video";
import type { OptionValues } from "./args.js";
import type { RunContext } from "./context.js";
import { UsageError } from "./exit-codes.js";
import { MOCK_BASE_URL } from "./shared-options.js";
import type { DirectAccess } from "./video-download.js";

/** Any key passes the local mock. */
const MOCK_API_KEY = "sk-local-mock";

export interface Gateway {
  client: VideoClient;
  /** Undefined when the client was given ready-made. */
  baseUrl: string | undefined;
  /** For downloads off a socket: only when the client is the CLI's own, over the network (no fetch given). */
  direct: DirectAccess | undefined;
}

export function connect(values: OptionValues, ctx: RunContext): Gateway {
  if (ctx.client) return { client: ctx.client, baseUrl: undefined, direct: undefined };
  const flagUrl = values["base-url"] as string | undefined;
  if (values.mock && flagUrl !== undefined)
    throw new UsageError("--mock and --base-url name different gateways: pass one");
  const baseUrl = values.mock ? MOCK_BASE_URL : (flagUrl ?? ctx.env.KLING_VIDEO_BASE_URL);
  if (!baseUrl) {
    throw new UsageError(
      `no gateway: pass --base-url <url> or set KLING_VIDEO_BASE_URL, or use --mock for the local mock at ${MOCK_BASE_URL} (start it with kling-video mock)`,
    );
  }
  const apiKey =
    (values["api-key"] as string | undefined) ?? (values.mock ? MOCK_API_KEY : ctx.env.KLING_VIDEO_API_KEY);
  if (!apiKey) throw new UsageError("no API key: pass --api-key <key> or set KLING_VIDEO_API_KEY");
  const prefer = values.prefer as string | undefined;
  if (prefer !== undefined && !/^[\x20-\x7e]+$/.test(prefer)) {
    throw new UsageError(`--prefer must be printable ASCII text such as code=429, got ${JSON.stringify(prefer)}`);
  }
  const client = createVideoClient({
    baseUrl,
    apiKey,
    fetch: ctx.fetch,
    allowInsecureHttp: values["allow-insecure-http"] === true,
    ...(prefer === undefined ? {} : { headers: { Prefer: prefer } }),
  });
  return { client, baseUrl, direct: ctx.fetch ? undefined : { apiKey } };
}
