// Which gateway the command talks to, with which key, and what it says when it cannot: run in
// process over a scripted fetch (and one refused loopback connection).
import { describe, expect, it, vi } from "vitest";
import { MOCK_BASE_URL } from "../support/harness.js";
import { API_KEY, json, networkError, scriptedFetch, task } from "../support/scripted-fetch.js";
import { runCli, settleCli } from "./run-cli.js";

const answersTask = () => scriptedFetch(json(200, task({ status: "completed", progress: 100 })));

describe("the base URL is never assumed", () => {
  it.each([
    ["unset", {}],
    ["empty", { KLING_VIDEO_BASE_URL: "" }],
  ])(
    "with KLING_VIDEO_BASE_URL %s and no --base-url, it says how to name one: exit 2, nothing sent",
    async (_, env) => {
      const fetch = answersTask();
      const run = await runCli(["get", "video_123"], { env: { ...env, KLING_VIDEO_API_KEY: API_KEY }, fetch });
      expect(run.code).toBe(2);
      for (const name of ["--base-url", "KLING_VIDEO_BASE_URL", "--mock"]) expect(run.stderr).toContain(name);
      expect(fetch.calls).toHaveLength(0);
    },
  );

  it("--mock talks to the local mock with a placeholder key, never the real KLING_VIDEO_API_KEY", async () => {
    const fetch = answersTask();
    const run = await runCli(["get", "video_123", "--mock"], { env: { KLING_VIDEO_API_KEY: API_KEY }, fetch });
    expect(run.code).toBe(0);
    expect(fetch.calls[0]!.url).toBe(`${MOCK_BASE_URL}/v1/videos/video_123`);
    expect(fetch.calls[0]!.headers.get("authorization")).toMatch(/^Bearer /);
    expect(fetch.calls[0]!.headers.get("authorization")).not.toContain(API_KEY);
  });

  it("--mock and --base-url together are refused", async () => {
    const run = await runCli(["get", "video_123", "--mock", "--base-url", "https://gateway.example.com"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--mock and --base-url name different gateways");
  });

  it("--dry-run needs neither a base URL nor a key", async () => {
    const run = await runCli(["create", "--prompt", "a fox", "--dry-run"]);
    expect(run.code).toBe(0);
  });

  it("with a base URL but no key, it names --api-key and KLING_VIDEO_API_KEY", async () => {
    const run = await runCli(["get", "video_123", "--base-url", "https://gateway.example.com"], {
      fetch: answersTask(),
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("no API key: pass --api-key <key> or set KLING_VIDEO_API_KEY");
  });
});

describe("the key", () => {
  it.each([
    ["a line break", `${API_KEY}\nX-Injected: 1`],
    ["a NUL", `${API_KEY}\u0000`],
    ["non-ASCII", `${API_KEY}ключ`],
  ])("with %s is refused before anything is sent, and never printed (also with --json)", async (_, key) => {
    for (const json of [[], ["--json"]]) {
      const fetch = answersTask();
      const run = await runCli(["get", "video_123", ...json], {
        env: { KLING_VIDEO_BASE_URL: "https://gateway.example.com", KLING_VIDEO_API_KEY: key },
        fetch,
      });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("the API key (--api-key or KLING_VIDEO_API_KEY) has ");
      expect(run.stdout + run.stderr).not.toContain(API_KEY);
      expect(fetch.calls).toHaveLength(0);
      if (json.length)
        expect(run.events).toEqual([
          { event: "error", error: expect.objectContaining({ name: "InvalidOptionError" }) },
        ]);
    }
  });
});

describe("the gateway's address", () => {
  it("a base URL ending in /v1 is taken as the gateway (never /v1/v1)", async () => {
    const fetch = answersTask();
    const env = { KLING_VIDEO_API_KEY: API_KEY };
    await runCli(["get", "video_123", "--base-url", "https://gateway.example.com/v1/"], { env, fetch });
    expect(fetch.calls[0]!.url).toBe("https://gateway.example.com/v1/videos/video_123");
  });

  it("localhost and 127.0.0.1 are treated alike: plain http with a key, no placeholder key", async () => {
    for (const host of ["localhost", "127.0.0.1"]) {
      const fetch = answersTask();
      const baseUrl = `http://${host}:4010`;
      const ok = await runCli(["get", "video_123", "--base-url", baseUrl, "--api-key", API_KEY], { fetch });
      expect(ok.code).toBe(0);
      expect(fetch.calls[0]!.headers.get("authorization")).toBe(`Bearer ${API_KEY}`);
      const keyless = await runCli(["get", "video_123", "--base-url", baseUrl], { fetch: answersTask() });
      expect(keyless.code).toBe(2);
    }
  });

  it("plain http to another machine needs --allow-insecure-http", async () => {
    const args = ["get", "video_123", "--base-url", "http://gateway.example.com", "--api-key", API_KEY];
    const refused = await runCli(args, { fetch: answersTask() });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("pass --allow-insecure-http if you accept that risk");
    expect(refused.stderr).not.toContain(API_KEY);
    const fetch = answersTask();
    expect((await runCli([...args, "--allow-insecure-http"], { fetch })).code).toBe(0);
    expect(fetch.calls[0]!.url).toBe("http://gateway.example.com/v1/videos/video_123");
  });

  it("--prefer sends a Prefer header (for Prism's mock)", async () => {
    const fetch = answersTask();
    await runCli(["get", "video_123", "--mock", "--prefer", "example=completed"], { fetch });
    expect(fetch.calls[0]!.headers.get("prefer")).toBe("example=completed");
  });

  it("options may come before the command", async () => {
    const fetch = answersTask();
    const run = await runCli(["--mock", "--json", "get", "video_123"], { fetch });
    expect(run.events).toEqual([{ event: "task", task: expect.objectContaining({ id: "video_123" }) }]);
  });

  it("a refused connection names the URL and asks whether the gateway or the mock is running", async () => {
    vi.useFakeTimers();
    try {
      const fetch = scriptedFetch(networkError("ECONNREFUSED"));
      const run = await settleCli(
        runCli(["get", "video_123", "--base-url", "http://localhost:4010", "--api-key", API_KEY], { fetch }),
      );
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        "kling-video: no answer from the gateway at http://localhost:4010 (ECONNREFUSED): is the gateway, or the mock (kling-video mock), running?\n",
      );
    } finally {
      vi.useRealTimers();
    }
  });
});
