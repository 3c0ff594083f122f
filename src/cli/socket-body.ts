// A video's bytes straight off the socket. Node's fetch hands over every read in a new buffer (a
// 1 GB video is some 16,000 of them): fresh memory each time, which the kernel must fault in and
// zero, and that, not the network, held downloads near half of curl's speed. Here the socket reads
// into one buffer that is reused (net's `onread`) and each read is passed on, to be written,
// before the next: nothing is allocated per chunk. Only a plain 200 answer is read this way. Any
// other (a redirect, an error status, an encoded or oddly framed body, a failed connection) is
// declined before a byte is passed on, and the download goes through the SDK, which owns those
// rules: this path is one more attempt, never a second set of rules.
import { connect as connectTcp, isIP, type Socket } from "node:net";
import { type ConnectionOptions, connect as connectTls } from "node:tls";
import { APIConnectionTimeoutError, APIUserAbortError } from "kling-video";
import { after } from "../timers.js";
import { responseReader } from "./http-response-reader.js";

/** Bytes the socket reads at once: 256 KB measured fastest here (64 KB reads cost a third more time). */
const READ_BUFFER_BYTES = 256 * 1024;

export interface SocketBody {
  headers: Headers;
  /** Passes each chunk to `write` as it arrives (the chunk is only valid during the call) until the body ends. */
  pipeTo(write: (chunk: Uint8Array) => void): Promise<void>;
  /** Closes the connection; a pipeTo under way rejects with `reason`. */
  cancel(reason: unknown): void;
}

export interface SocketRequest {
  /** The Authorization header, for the gateway's own origin only. */
  authorization?: string;
  /** The longest wait for the answer, then the longest silence between reads. */
  timeoutMs: number;
  signal: AbortSignal;
}

/**
 * GET `url` (http or https) as a SocketBody. Resolves undefined, with the connection closed,
 * when the answer is anything but a plain 200 body; rejects only when `signal` aborts.
 */
export function openSocketBody(
  url: URL,
  { authorization, timeoutMs, signal }: SocketRequest,
): Promise<SocketBody | undefined> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(aborted(signal));
    const buffer = new Uint8Array(READ_BUFFER_BYTES);
    let phase: "head" | "held" | "piping" | "over" = "head";
    /** Body bytes that came with the head, before pipeTo: copied, as the buffer is read into again. */
    const early: Uint8Array[] = [];
    let write: ((chunk: Uint8Array) => void) | undefined;
    let ended = false;
    /** Why the body failed while it was held, for pipeTo to report. */
    let failure: unknown;
    let pipe: { resolve(): void; reject(error: unknown): void } | undefined;
    let lastRead = 0;
    let cancelTimer: (() => void) | undefined;

    const stopWatching = () => {
      cancelTimer?.();
      cancelTimer = undefined;
      signal.removeEventListener("abort", onAbort);
    };
    const fail = (error: unknown) => {
      if (phase === "over") return;
      const was = phase;
      phase = "over";
      stopWatching();
      socket.destroy();
      if (was === "head") return signal.aborted ? reject(aborted(signal)) : resolve(undefined);
      if (was === "held") failure = error;
      else pipe?.reject(error);
    };
    const succeed = () => {
      phase = "over";
      stopWatching();
      socket.destroy(); // Connection: close; anything after the body is not read
      pipe?.resolve();
    };
    const onAbort = () => fail(aborted(signal));
    const watchIdle = (ms: number) => {
      cancelTimer = after(ms, () => {
        const silent = Date.now() - lastRead;
        if (silent >= timeoutMs)
          fail(new APIConnectionTimeoutError(`The download stalled: no data for ${timeoutMs} ms`));
        else watchIdle(timeoutMs - silent);
      });
    };

    const reader = responseReader({
      head({ status, headers, framing }) {
        const encoding = headers.get("content-encoding")?.trim().toLowerCase();
        if (status !== 200 || framing === undefined || (encoding && encoding !== "identity")) {
          fail(undefined);
          return false;
        }
        phase = "held";
        cancelTimer?.(); // a slow writer is not a stalled server: the idle watch starts with pipeTo
        cancelTimer = undefined;
        resolve({ headers, pipeTo, cancel: fail });
        return true;
      },
      body(chunk) {
        if (write) write(chunk);
        else early.push(chunk.slice());
      },
      end() {
        ended = true;
        if (phase === "piping") succeed();
        // The whole body came with the head (over TLS, data and the close still arrive after the
        // pause): the connection is done with, and what it does next is not the body's business.
        else socket.destroy();
      },
    });

    const pipeTo = (writer: (chunk: Uint8Array) => void) =>
      new Promise<void>((resolvePipe, rejectPipe) => {
        if (phase !== "held") return rejectPipe(failure ?? new Error("the body was already read"));
        phase = "piping";
        pipe = { resolve: resolvePipe, reject: rejectPipe };
        try {
          for (const chunk of early.splice(0)) writer(chunk);
        } catch (error) {
          return fail(error);
        }
        if (phase !== "piping") return; // cancelled by the writer
        if (ended) return succeed();
        write = writer;
        lastRead = Date.now();
        watchIdle(timeoutMs);
        socket.resume();
      });

    const secure = url.protocol === "https:";
    const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
    const port = Number(url.port) || (secure ? 443 : 80);
    const onread = {
      buffer,
      callback(length: number) {
        try {
          reader.feed(buffer.subarray(0, length));
        } catch (error) {
          fail(error);
          return false;
        }
        lastRead = Date.now(); // after the write: a slow disk is not a silent server
        return phase !== "held"; // paused from the accepted head until pipeTo
      },
    };
    const socket: Socket = secure
      ? connectTls({
          host,
          port,
          ...(isIP(host) ? {} : { servername: host }),
          ALPNProtocols: ["http/1.1"],
          onread,
        } as ConnectionOptions)
      : connectTcp({ host, port, onread });
    // Once the body has ended, only an abort or a cancel can fail it.
    socket.on("error", (error) => ended || fail(error));
    socket.on("end", () => {
      try {
        reader.close();
      } catch (error) {
        fail(error);
      }
    });
    socket.on("close", () => ended || fail(new Error("the connection closed")));
    socket.write(
      `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nUser-Agent: kling-video\r\nAccept: */*\r\n` +
        `Accept-Encoding: identity\r\nConnection: close\r\n${authorization ? `Authorization: ${authorization}\r\n` : ""}\r\n`,
    );
    signal.addEventListener("abort", onAbort, { once: true });
    cancelTimer = after(timeoutMs, () => fail(undefined));
  });
}

const aborted = (signal: AbortSignal) => new APIUserAbortError("Download aborted", { cause: signal.reason });
