// A streamed body (a download) kept under watch for as long as it is read: an idle timeout
// between chunks and the caller's signal. Loaded only when something is streamed.
// A video is tens of thousands of chunks, so nothing here is made per chunk: one timer serves
// the whole body (re-armed only when it fires), and a timeout or an abort errors the stream
// directly instead of racing every read.
import { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError } from "./errors.js";
import { after } from "./timers.js";

/**
 * The same body, failing with APIConnectionTimeoutError when no data comes for `idleMs` while it
 * is being read, and with APIUserAbortError when `signal` fires; `stop` aborts the underlying request.
 */
export function guardStream(
  body: ReadableStream<Uint8Array>,
  options: { idleMs: number; signal: AbortSignal | undefined; stop: (reason: unknown) => void; done: () => void },
): ReadableStream<Uint8Array> {
  const { idleMs, signal } = options;
  const reader = body.getReader();
  let output!: ReadableStreamDefaultController<Uint8Array>;
  let finished = false;
  /** When the pending read began; undefined while nobody waits for data (a slow reader is not a stalled server). */
  let waitingSince: number | undefined;
  let cancelTimer: (() => void) | undefined;

  const finish = () => {
    finished = true;
    cancelTimer?.();
    cancelTimer = undefined;
    signal?.removeEventListener("abort", onAbort);
    options.done();
  };
  const fail = (error: unknown) => {
    if (finished) return;
    finish();
    options.stop(error);
    reader.cancel(error).catch(() => undefined);
    const known = error instanceof APIConnectionError || error instanceof APIUserAbortError;
    output.error(
      known ? error : new APIConnectionError(`The download broke off: ${(error as Error).message}`, { cause: error }),
    );
  };
  const onAbort = () => fail(new APIUserAbortError("Download aborted by the caller", { cause: signal?.reason }));
  const arm = (ms: number) => {
    cancelTimer = after(ms, () => {
      cancelTimer = undefined;
      if (waitingSince === undefined) return; // re-armed by the next read
      const waited = Date.now() - waitingSince;
      if (waited >= idleMs) fail(new APIConnectionTimeoutError(`The download stalled: no data for ${idleMs} ms`));
      else arm(idleMs - waited);
    });
  };

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        output = controller;
        signal?.addEventListener("abort", onAbort, { once: true });
        if (signal?.aborted) onAbort();
      },
      async pull(controller) {
        waitingSince = Date.now();
        if (!cancelTimer) arm(idleMs);
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (error) {
          return fail(error);
        }
        waitingSince = undefined;
        if (finished) return;
        if (chunk.done) {
          finish();
          controller.close();
        } else controller.enqueue(chunk.value);
      },
      cancel(reason) {
        if (!finished) finish();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
