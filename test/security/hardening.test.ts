// Regression tests for the attacks of a hostile or broken server (and careless input) that the
// review found, one block per finding (numbers as in the hardening issue). Time is faked; the
// faults that only sockets show are in test/faults/gateway-faults.test.ts.
import { inspect } from "node:util";
import { describe, expect, it, vi } from "vitest";
import { describeBody } from "../../src/error-response.js";
import {
  APIConnectionTimeoutError,
  APIUserAbortError,
  createVideoClient,
  InternalServerError,
  InvalidOptionError,
  InvalidResponseError,
  NotFoundError,
  RateLimitError,
  type VideoTask,
  VideoTaskFailedError,
  WaitTimeoutError,
} from "../../src/index.js";
import {
  expectNoKey,
  gaps,
  MOCK_BASE_URL,
  scriptedClient,
  settle,
  trapUnhandledRejections,
  useFakeClock,
} from "../support/harness.js";
import { API_KEY, apiError, hang, json, type Step, scriptedFetch, task } from "../support/scripted-fetch.js";

useFakeClock("2026-11-26T12:00:00Z");
trapUnhandledRejections();

const BODY = { model: "kling-v3-std-silent", prompt: "a fox" } as const;
const completed = (fields: Record<string, unknown> = {}) =>
  task({ status: "completed", progress: 100, ...fields }) as VideoTask;
/** A body that sends `first` and then nothing, ever (until cancelled). */
const stalledBody = (first: Uint8Array) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(first);
    },
  });

describe("1. a key that cannot be sent in a header", () => {
  it.each([
    ["a newline", "sk-live-0123456789\n"],
    ["a NUL", "sk-live-0123\u00004567"],
    ["a space", "sk-live 0123456789"],
    ["a character above U+00FF", "sk-live-ключ-012345"],
    ["a Latin-1 character", "sk-live-é0123456789"],
  ])("with %s is refused at construction with a typed error that never holds the key", (_, key) => {
    const fetchImpl = scriptedFetch(json(200, task()));
    const error = (() => {
      try {
        createVideoClient({ baseUrl: MOCK_BASE_URL, apiKey: key, fetch: fetchImpl });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({
      option: "apiKey",
      message: expect.stringMatching(/cannot be sent in an HTTP header/),
    });
    expectNoKey(error, key);
    expectNoKey(error, key.slice(0, 12));
    expect(fetchImpl.calls).toHaveLength(0);
  });
});

describe("2. the key quoted back by a server", () => {
  const KEY = "sk-live/0123456789abcdef";
  const setup = (...steps: Step[]) => scriptedClient(steps, { apiKey: KEY, maxRetries: 0 });

  it.each([
    ["raw", `{"error":{"message":"bad key ${KEY}"}}`],
    ["JSON-escaped slash", `{"error":{"message":"bad key ${KEY.replace("/", "\\/")}"}}`],
    ["JSON unicode escapes", `{"error":{"message":"bad key \\u0073\\u006b${KEY.slice(2)}"}}`],
    ["in a key of the body", `{"error":{"message":"no"},"${KEY}":1}`],
  ])("in an error body (%s) is redacted from the error", async (_, body) => {
    const { client } = setup(
      () => new Response(body, { status: 401, headers: { "content-type": "application/json" } }),
    );
    const error = await settle(client.retrieve("task_1"));
    expect((error as Error).message).toMatch(/\[redacted API key\]|401 no/);
    expectNoKey(error, KEY);
  });

  it("in a response header is redacted from the error's headers", async () => {
    const { client } = setup(apiError(500, { "x-debug-auth": `Bearer ${KEY}` }));
    const error = await settle(client.retrieve("task_1"));
    expect((error as InternalServerError).headers.get("x-debug-auth")).toBe("Bearer [redacted API key]");
    expectNoKey(error, KEY);
  });

  it("in a failed task's error.message (a 200) is redacted from VideoTaskFailedError, even JSON-escaped", async () => {
    const failed = `{"id":"task_1","object":"video","model":"","status":"failed","created_at":1,"error":{"message":"key ${KEY.replace("/", "\\/")} refused","code":""}}`;
    const { client } = setup(() => new Response(failed, { headers: { "content-type": "application/json" } }));
    const error = await settle(client.wait("task_1"));
    expect(error).toBeInstanceOf(VideoTaskFailedError);
    expect((error as Error).message).toContain("key [redacted API key] refused");
    expectNoKey(error, KEY);
  });

  it("is left alone when too short to be a secret, and only removed as a whole token", async () => {
    const short = scriptedClient([apiError(404, {}, { message: "No video task with id video_test_mock." })], {
      apiKey: "test",
      maxRetries: 0,
    });
    expect(((await settle(short.client.retrieve("video_test_mock"))) as Error).message).toBe(
      "404 No video task with id video_test_mock.",
    );
    const long = scriptedClient([apiError(404, {}, { message: `ids: x${API_KEY} and ${API_KEY}.` })], {
      maxRetries: 0,
    });
    const error = (await settle(long.client.retrieve("task_1"))) as Error;
    expect(error.message).toBe(`404 ids: x${API_KEY} and [redacted API key].`);
  });
});

describe("3. client.raw with another base URL", () => {
  it("refuses to send the key anywhere but the configured gateway", async () => {
    const { client, fetchImpl } = scriptedClient([json(200, task())]);
    const error = await client.raw
      .GET("/v1/videos/{task_id}", { baseUrl: "https://attacker.example", params: { path: { task_id: "task_1" } } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as Error).message).toMatch(/https:\/\/attacker\.example is not the gateway/);
    expect(fetchImpl.calls).toHaveLength(0);
  });
});

describe("5. credentials in a URL", () => {
  it("a baseUrl with user:password is a typed error without the password", () => {
    const error = (() => {
      try {
        createVideoClient({ baseUrl: "https://admin:hunter2@gateway.example.com", apiKey: API_KEY });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(inspect(error, { showHidden: true, depth: 5 })).not.toContain("hunter2");
  });

  it.each(["https://gateway.example.com/?x=1", "https://gateway.example.com/#top"])(
    "a baseUrl with a query or fragment (%s) is refused",
    (baseUrl) => {
      expect(() => createVideoClient({ baseUrl, apiKey: API_KEY })).toThrow(InvalidOptionError);
    },
  );
});

describe("6. summarising an error page", () => {
  it("takes linear time, even for a megabyte of '<' (a quadratic regex takes minutes here)", { timeout: 5_000 }, () => {
    expect(describeBody("<".repeat(1_000_000))).toHaveLength(201);
    expect(describeBody(`<b>${"<i".repeat(200_000)}`)).toMatch(/^<i<i/);
    expect(describeBody("<title".repeat(200_000))).toMatch(/^<title<title/);
    expect(describeBody('<html><title lang="en"> 502 Bad Gateway </title></html>')).toBe(
      "502 Bad Gateway (HTML error page)",
    );
  });

  it("reads only the first kilobytes of an error body", async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 64 * 1024;
        controller.enqueue(new Uint8Array(64 * 1024).fill(0x3c));
      },
    });
    const { client } = scriptedClient([() => new Response(endless, { status: 502 })], { maxRetries: 0 });
    const error = await settle(client.retrieve("task_1"));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(pulled).toBeLessThanOrEqual(3 * 64 * 1024);
  });
});

describe("7. a download body that stalls", () => {
  it("fails with APIConnectionTimeoutError after timeoutMs without data, with the task id", async () => {
    const { client } = scriptedClient([() => new Response(stalledBody(new Uint8Array(10)))], { timeoutMs: 5_000 });
    const response = await client.download(completed({ video_url: "https://cdn.example.com/v.mp4" }));
    const reading = response.arrayBuffer().catch((caught: unknown) => caught);
    await vi.advanceTimersByTimeAsync(4_999);
    await vi.advanceTimersByTimeAsync(2);
    expect(await reading).toBeInstanceOf(APIConnectionTimeoutError);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("a reader that pauses longer than timeoutMs is not a stalled server: only waiting for data counts", async () => {
    const chunks = [new Uint8Array(10), new Uint8Array(20)];
    const body = new ReadableStream<Uint8Array>({
      pull: (controller) => void (chunks.length > 0 && controller.enqueue(chunks.shift()!)), // then nothing, ever
    });
    const { client } = scriptedClient([() => new Response(body)], { timeoutMs: 5_000 });
    const response = await client.download(completed({ video_url: "https://cdn.example.com/v.mp4" }));
    const reader = response.body!.getReader();
    expect((await reader.read()).value).toHaveLength(10);
    await vi.advanceTimersByTimeAsync(60_000); // the reader is busy elsewhere (a slow disk)
    expect((await reader.read()).value).toHaveLength(20);
    const stalled = reader.read().catch((caught: unknown) => caught); // now the server sends nothing more
    await vi.advanceTimersByTimeAsync(5_001);
    expect(await stalled).toBeInstanceOf(APIConnectionTimeoutError);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("stops when the caller's signal fires, after the headers arrived", async () => {
    const controller = new AbortController();
    const { client } = scriptedClient([() => new Response(stalledBody(new Uint8Array(10)))]);
    const response = await client.download(completed({ video_url: "https://cdn.example.com/v.mp4" }), {
      signal: controller.signal,
    });
    const reading = response.arrayBuffer().catch((caught: unknown) => caught);
    await vi.advanceTimersByTimeAsync(1_000);
    controller.abort();
    expect(await reading).toBeInstanceOf(APIUserAbortError);
  });

  it("an error status whose body stalls is bounded by the attempt's timeout", async () => {
    const { client } = scriptedClient([() => new Response(stalledBody(new Uint8Array(10)), { status: 500 })], {
      timeoutMs: 2_000,
      maxRetries: 0,
    });
    const error = await settle(client.download(completed({ video_url: "https://cdn.example.com/v.mp4" })));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(error).toMatchObject({ taskId: "video_123" });
  });
});

describe("8. delays longer than a timer can hold", () => {
  it("a Retry-After of an epoch timestamp gives the error back at once, without a timer overflow", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => void warnings.push(warning.name);
    process.on("warning", onWarning);
    const { client, fetchImpl } = scriptedClient([
      apiError(429, { "retry-after": "1764158400000" }),
      json(200, task()),
    ]);
    const error = await settle(client.retrieve("task_1"));
    process.off("warning", onWarning);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(fetchImpl.calls).toHaveLength(1);
    expect(warnings).not.toContain("TimeoutOverflowWarning");
  });

  it("a huge Retry-After on a poll answer is capped, not a flood of polls", async () => {
    const { client, fetchImpl } = scriptedClient([
      json(200, task({ status: "in_progress" }), { "retry-after": "1764158400000" }),
    ]);
    const waiting = client
      .wait("task_1", { pollIntervalMs: 1_000, timeoutMs: 180_000 })
      .catch((caught: unknown) => caught);
    await vi.advanceTimersByTimeAsync(180_001);
    expect(await waiting).toBeInstanceOf(WaitTimeoutError);
    expect(gaps(fetchImpl.calls).every((gap) => gap === 60_000)).toBe(true);
    expect(fetchImpl.calls).toHaveLength(3);
  });

  it("a wait deadline above 2^31-1 ms works", async () => {
    const { client } = scriptedClient([json(200, task({ status: "in_progress" })), json(200, completed())]);
    const result = await settle(client.wait("task_1", { timeoutMs: 2 ** 31 + 1_000 }));
    expect(result).toMatchObject({ status: "completed" });
    const stuck = scriptedClient([json(200, task({ status: "in_progress" }))]);
    const ending = stuck.client
      .wait("task_1", { timeoutMs: 2 ** 31 + 1_000, pollIntervalMs: 60_000_000 })
      .catch((caught: unknown) => caught);
    await vi.advanceTimersByTimeAsync(2 ** 31 - 1);
    expect(stuck.fetchImpl.calls.length).toBeGreaterThan(1); // still waiting, not failed at once
    await vi.advanceTimersByTimeAsync(60_000_000);
    expect(await ending).toBeInstanceOf(WaitTimeoutError);
  });
});

describe("9. answers without a size limit", () => {
  const huge = () =>
    new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(256 * 1024).fill(0x20));
      },
    });

  it("a JSON answer over the cap is an InvalidResponseError, and reading stops", async () => {
    const { client } = scriptedClient(
      [() => new Response(huge(), { headers: { "content-type": "application/json" } })],
      { maxRetries: 0 },
    );
    expect(await settle(client.retrieve("task_1"))).toBeInstanceOf(InvalidResponseError);
  });

  it("on create it says a task may exist", async () => {
    const { client, fetchImpl } = scriptedClient([() => new Response(huge())]);
    const error = await settle(client.create(BODY));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toMatchObject({ taskMayExist: true, message: expect.stringMatching(/may have been created/) });
    expect(fetchImpl.calls).toHaveLength(1);
  });
});

describe("10. callbacks that never settle", () => {
  const never = () => new Promise<void>(() => undefined);

  it("onProgress cannot hold wait past its deadline, and no timer is left", async () => {
    const { client } = scriptedClient([json(200, task({ status: "in_progress" }))]);
    const error = await settle(client.wait("task_1", { timeoutMs: 10_000, onProgress: never }));
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("onCreated cannot hold generate past the caller's signal, and the task id is kept", async () => {
    const controller = new AbortController();
    const { client } = scriptedClient([json(200, task())]);
    const generating = client
      .generate(BODY, { signal: controller.signal, onCreated: never })
      .catch((caught: unknown) => caught);
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    expect(await generating).toMatchObject({ name: "APIUserAbortError", taskId: "video_123" });
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("11. unusable options", () => {
  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])(
    "pollIntervalMs %s is refused before any request",
    async (value) => {
      const { client, fetchImpl } = scriptedClient([json(200, task())]);
      const error = await settle(client.wait("task_1", { pollIntervalMs: value }));
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect(error).toMatchObject({ option: "pollIntervalMs" });
      expect(fetchImpl.calls).toHaveLength(0);
    },
  );

  it.each([
    ["timeoutMs", -5],
    ["maxRetries", 1.5],
    ["maxRetries", -1],
  ] as const)("%s %s is refused", (option, value) => {
    expect(() => createVideoClient({ baseUrl: MOCK_BASE_URL, apiKey: API_KEY, [option]: value })).toThrow(
      InvalidOptionError,
    );
  });
});

describe("12. a Retry-After that means nothing", () => {
  it.each(["-5", "1, 2", "soon", "Tuesday"])("%j is ignored: the normal backoff applies", async (value) => {
    const { client, fetchImpl } = scriptedClient([apiError(503, { "retry-after": value }), json(200, task())]);
    await settle(client.retrieve("task_1"));
    expect(gaps(fetchImpl.calls)).toEqual([500]);
  });
});

describe("14. a create that may have reached the gateway", () => {
  it.each([
    ["a 5xx", [apiError(502)]],
    ["a timeout", [hang]],
    ["an id-less 200", [json(200, { status: "queued" })]],
    ["a 200 that is not JSON", [() => new Response("<html>ok</html>", { status: 200 })]],
  ])("%s: the error says a task may exist, and how to check", async (_, steps) => {
    const { client, fetchImpl } = scriptedClient(steps as Step[], { timeoutMs: 1_000 });
    const error = await settle(client.create(BODY));
    expect(error).toMatchObject({
      taskMayExist: true,
      message: expect.stringMatching(/may have been created, and billed.*task log/),
    });
    expect(fetchImpl.calls).toHaveLength(1);
  });

  it("an abort while the request is in flight may have created a task; before it is sent, not", async () => {
    const controller = new AbortController();
    const { client } = scriptedClient([hang]);
    const creating = client.create(BODY, { signal: controller.signal }).catch((caught: unknown) => caught);
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    expect(await creating).toMatchObject({ name: "APIUserAbortError", taskMayExist: true });
    const early = await settle(scriptedClient([hang]).client.create(BODY, { signal: AbortSignal.abort() }));
    expect(early).toMatchObject({ name: "APIUserAbortError", taskMayExist: false });
  });

  it.each([400, 401, 403, 429])("a %i proves nothing was created", async (status) => {
    const { client } = scriptedClient([apiError(status)], { maxRetries: 0 });
    expect(await settle(client.create(BODY))).toMatchObject({ taskMayExist: false });
  });
});

describe("20. task ids and URLs a hostile gateway sends", () => {
  it.each([
    ["a lone surrogate", "task_\ud800"],
    ["'.'", "."],
    ["'..'", ".."],
  ])("a created task id with %s: a typed error that keeps the id, and no request to another path", async (_, id) => {
    const { client, fetchImpl } = scriptedClient([json(200, task({ id }))]);
    const error = await settle(client.generate(BODY));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ taskId: id });
    expect(fetchImpl.calls).toHaveLength(1);
  });

  it("a connection error during download carries the task id", async () => {
    const { client } = scriptedClient(
      [
        () => {
          throw new TypeError("fetch failed", {
            cause: Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }),
          });
        },
      ],
      { maxRetries: 0 },
    );
    const error = await settle(client.download(completed({ video_url: "https://cdn.example.com/v.mp4" })));
    expect(error).toMatchObject({ name: "APIConnectionError", taskId: "video_123" });
  });

  it("an unknown id (new-api's 400 task_not_exist) is a NotFoundError with the task id, and wait stops at once", async () => {
    const { client, fetchImpl } = scriptedClient([
      json(400, { code: "task_not_exist", message: "task_not_exist", data: null }),
    ]);
    const error = await settle(client.wait("task_gone"));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ taskId: "task_gone", code: "task_not_exist", status: 400 });
    expect(fetchImpl.calls).toHaveLength(1);
  });
});
