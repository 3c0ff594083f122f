// Reading what a server sends, within bounds: JSON answers up to a size cap, error bodies only
// as far as their message, and streamed bodies (downloads) with an idle timeout and the
// caller's signal for as long as the stream is read. Every read also gives way to an abort by
// itself, so that a fetch implementation that ignores signals cannot hang a call.
import { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError } from "./errors.js";
import { after } from "./timers.js";

/**
 * The body as text, at most `limit` bytes; stops with the signal's reason when it aborts.
 * Over the limit: the prefix (`truncate`), or undefined (`refuse`).
 */
export async function readText(
  response: Response,
  limit: number,
  over: "truncate" | "refuse",
  signal: AbortSignal,
): Promise<string | undefined> {
  const declared = Number(response.headers.get("content-length"));
  if (over === "refuse" && declared > limit) {
    response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const aborted = new Promise<never>((_, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  aborted.catch(() => reader.cancel().catch(() => undefined));
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  for (;;) {
    const { done, value } = await Promise.race([reader.read(), aborted]);
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > limit) {
      reader.cancel().catch(() => undefined);
      return over === "refuse"
        ? undefined
        : text + decoder.decode(value.subarray(0, value.byteLength - (size - limit)));
    }
    text += decoder.decode(value, { stream: true });
  }
}

/**
 * The same body, failing with APIConnectionTimeoutError when no data comes for `idleMs`, and
 * with APIUserAbortError when `signal` fires; `stop` aborts the underlying request.
 */
export function guardStream(
  body: ReadableStream<Uint8Array>,
  options: { idleMs: number; signal: AbortSignal | undefined; stop: (reason: unknown) => void; done: () => void },
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let fail: ((reason: unknown) => void) | undefined;
  const onAbort = () =>
    fail?.(new APIUserAbortError("Download aborted by the caller", { cause: options.signal?.reason }));
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const finish = () => {
    options.signal?.removeEventListener("abort", onAbort);
    options.done();
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const failed = new Promise<never>((_, reject) => {
          fail = reject;
        });
        const cancelTimer = after(options.idleMs, () =>
          fail?.(new APIConnectionTimeoutError(`The download stalled: no data for ${options.idleMs} ms`)),
        );
        if (options.signal?.aborted) onAbort();
        try {
          const { done, value } = await Promise.race([reader.read(), failed]);
          if (done) {
            finish();
            controller.close();
          } else controller.enqueue(value);
        } catch (error) {
          finish();
          options.stop(error);
          reader.cancel(error).catch(() => undefined);
          const known = error instanceof APIConnectionError || error instanceof APIUserAbortError;
          controller.error(
            known
              ? error
              : new APIConnectionError(`The download broke off: ${(error as Error).message}`, { cause: error }),
          );
        } finally {
          cancelTimer();
          fail = undefined;
        }
      },
      cancel(reason) {
        finish();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
