// The API key never leaves through an error, a log-like rendering or a foreign host, and is
// never sent in clear text to a remote host.
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type CreateVideoTaskRequest, createVideoClient, KlingVideoError, type VideoClient } from "../../src/index.js";
import { expectNoKey, scriptedClient, settle } from "../support/harness.js";
import { API_KEY, apiError, hang, json, networkError, type Step, task } from "../support/scripted-fetch.js";

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

const setup = (...steps: Step[]) => scriptedClient(steps, { timeoutMs: 1000 });
async function failure(call: (client: VideoClient) => Promise<unknown>, ...steps: Step[]): Promise<unknown> {
  const error = await settle(call(setup(...steps).client));
  expect(error).toBeInstanceOf(Error);
  return error;
}
const BODY = { model: "kling-v3-std-silent", prompt: "a" } as const;

describe("the API key", () => {
  it("is sent as a bearer token to the gateway", async () => {
    const { fetchImpl, client } = setup(json(200, task()));
    await client.retrieve("video_1");
    expect(fetchImpl.calls[0]!.headers.get("authorization")).toBe(`Bearer ${API_KEY}`);
  });

  const paths: [string, () => Promise<unknown>][] = [
    ...[400, 401, 403, 404, 409, 422, 429, 500, 502, 503].map((status): [string, () => Promise<unknown>] => [
      `${status}`,
      () => failure((client) => client.retrieve("video_1"), apiError(status)),
    ]),
    [
      "401 quoting the key",
      () => failure((client) => client.create(BODY), apiError(401, {}, { message: `Incorrect API key: ${API_KEY}` })),
    ],
    [
      "HTML 502",
      () =>
        failure(
          (client) => client.retrieve("v"),
          () => new Response(`<title>Bad ${API_KEY}</title>`, { status: 502 }),
        ),
    ],
    ["connection refused", () => failure((client) => client.create(BODY), networkError("ECONNREFUSED"))],
    ["connection reset", () => failure((client) => client.create(BODY), networkError("ECONNRESET"))],
    ["timeout", () => failure((client) => client.create(BODY), hang)],
    ["abort", () => failure((client) => client.create(BODY, { signal: AbortSignal.abort() }), hang)],
    [
      "validation",
      () => failure((client) => client.create({ ...BODY, duration: 99 } as CreateVideoTaskRequest), json(200, task())),
    ],
    [
      "invalid JSON",
      () =>
        failure(
          (client) => client.retrieve("v"),
          () => new Response("{oops", { status: 200 }),
        ),
    ],
    [
      "task failed",
      () => failure((client) => client.wait("v"), json(200, task({ status: "failed", error: { message: "x" } }))),
    ],
    ["wait deadline", () => failure((client) => client.wait("v", { timeoutMs: 10 }), hang)],
    [
      "expired video",
      () =>
        failure(
          (client) => client.download("https://cdn.example.com/v.mp4"),
          () => new Response("", { status: 410 }),
        ),
    ],
  ];
  it.each(paths)("never appears in the error of: %s", async (_, produce) => {
    const error = await produce();
    expectNoKey(error);
    expect(inspect(error, { depth: 10 })).not.toMatch(/SECRET/);
  });

  it("never appears when the client is inspected or serialized", () => {
    const { client } = setup(json(200, task()));
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(API_KEY);
    expect(JSON.stringify(client)).not.toContain(API_KEY);
    expect(Object.values(client).map(String).join(" ")).not.toContain(API_KEY);
  });

  it("is not sent to the video storage host", async () => {
    const { fetchImpl, client } = setup(() => new Response("video bytes", { status: 200 }));
    await client.download(task({ status: "completed", video_url: "https://cdn.example.com/v.mp4" }) as never);
    expect(fetchImpl.calls[0]!.url).toBe("https://cdn.example.com/v.mp4");
    expect(fetchImpl.calls[0]!.headers.get("authorization")).toBeNull();
  });
});

describe("plain http", () => {
  it.each(["http://gateway.example.com", "http://10.0.0.5:8080", "http://127.0.0.1.example.com"])(
    "to %s with a key is refused",
    (baseUrl) => {
      expect(() => createVideoClient({ baseUrl, apiKey: API_KEY })).toThrow(KlingVideoError);
      expect(() => createVideoClient({ baseUrl, apiKey: API_KEY })).toThrow(
        /refusing to send the API key in clear text/,
      );
    },
  );

  it.each([
    "http://127.0.0.1:4010",
    "http://localhost:4010",
    "http://[::1]:4010",
    "http://127.1.2.3",
    "https://gateway.example.com",
  ])("to %s is allowed", (baseUrl) => {
    expect(() => createVideoClient({ baseUrl, apiKey: API_KEY })).not.toThrow();
  });

  it("is allowed with allowInsecureHttp: true, and without a key", () => {
    expect(() =>
      createVideoClient({ baseUrl: "http://gateway.lan", apiKey: API_KEY, allowInsecureHttp: true }),
    ).not.toThrow();
    expect(() => createVideoClient({ baseUrl: "http://gateway.lan", apiKey: "" })).not.toThrow();
  });

  it("refuses other schemes and relative URLs", () => {
    expect(() => createVideoClient({ baseUrl: "ftp://gateway.example.com", apiKey: API_KEY })).toThrow(/https/);
    expect(() => createVideoClient({ baseUrl: "/api", apiKey: API_KEY })).toThrow(/absolute/);
  });
});
