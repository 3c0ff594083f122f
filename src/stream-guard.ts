// A streamed body (a download) kept under watch for as long as it is read: an idle timeout
// between chunks and the caller's signal. Loaded only when something is streamed.
import { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError } from "./errors.js";
import { after } from "./timers.js";

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
