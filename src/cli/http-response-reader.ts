// Reading one HTTP/1.1 response as its bytes arrive, for the socket download (socket-body.ts):
// the status line and headers, then the body framed by Content-Length, chunked coding or the
// end of the connection. Body bytes are handed on as views of the caller's chunk, never copied.
// Only what a plain download needs: anything else is reported as unsupported and the download
// goes the SDK's way instead, which handles every answer.

/** The most header bytes read before the answer counts as malformed. */
const MAX_HEAD_BYTES = 64 * 1024;
/** The longest chunk-size line (with extensions) a chunked body may send. */
const MAX_CHUNK_LINE_BYTES = 1024;

export interface ResponseHead {
  status: number;
  headers: Headers;
  /**
   * How the body ends: after `length` bytes, at the end of chunked coding, or when the connection
   * closes; undefined when the framing is one this reader does not take (so the body is not read).
   */
  framing: { length: number } | "chunked" | "close" | undefined;
}

export interface ResponseHandlers {
  /** Returns whether to read the body; false stops the reader. */
  head(head: ResponseHead): boolean;
  /** Body bytes: a view that is only valid during the call. */
  body(chunk: Uint8Array): void;
  end(): void;
}

/** The answer does not follow HTTP/1.1 (or exceeds a limit): the download cannot trust it. */
export class MalformedResponseError extends Error {
  override name = "MalformedResponseError";
}

const CR = 13;
const LF = 10;

export interface ResponseReader {
  /** The next bytes off the connection; throws MalformedResponseError. */
  feed(chunk: Uint8Array): void;
  /** The connection ended: completes a body that ends with it, else throws MalformedResponseError. */
  close(): void;
}

export function responseReader(handlers: ResponseHandlers): ResponseReader {
  let head: Uint8Array = new Uint8Array(0);
  let state: "head" | "length" | "size" | "data" | "data-end" | "trailer" | "close" | "done" = "head";
  /** Body bytes still to come: of the whole body ("length") or of the current chunk ("data"). */
  let remaining = 0;
  /** The chunk-size or trailer line read so far (as text: they are short). */
  let line = "";
  /** CRLF bytes seen after a chunk's data. */
  let crlf = 0;

  const finish = () => {
    state = "done";
    handlers.end();
  };

  /** Reads heads off `chunk`; returns where the body starts in `chunk`, or -1 while a head goes on (or reading stopped). */
  const readHead = (chunk: Uint8Array): number => {
    let start = 0;
    for (;;) {
      const seen = head.byteLength;
      const end = headEnd(head, chunk, start);
      if (end === -1) {
        if (seen + chunk.byteLength - start > MAX_HEAD_BYTES)
          throw new MalformedResponseError(`headers over ${MAX_HEAD_BYTES} bytes`);
        head = concat(head, chunk.subarray(start));
        return -1;
      }
      if (end > MAX_HEAD_BYTES) throw new MalformedResponseError(`headers over ${MAX_HEAD_BYTES} bytes`);
      const parsed = parseHead(
        latin1(end <= seen ? head.subarray(0, end) : concat(head, chunk.subarray(start, start + end - seen))),
      );
      head = new Uint8Array(0);
      start += end + 4 - seen;
      // An informational answer (100 Continue, 103 Early Hints): the real one follows.
      if (parsed.status >= 100 && parsed.status < 200 && parsed.status !== 101) continue;
      if (!handlers.head(parsed)) {
        state = "done";
        return -1;
      }
      const { framing } = parsed;
      if (framing === undefined) throw new MalformedResponseError("unsupported body framing");
      if (framing === "chunked") state = "size";
      else if (framing === "close") state = "close";
      else {
        remaining = framing.length;
        state = "length";
        if (remaining === 0) finish();
      }
      return start;
    }
  };

  const readChunked = (chunk: Uint8Array, from: number) => {
    let at = from;
    while (at < chunk.byteLength && state !== "done") {
      if (state === "data") {
        const take = Math.min(remaining, chunk.byteLength - at);
        handlers.body(chunk.subarray(at, at + take));
        at += take;
        remaining -= take;
        if (remaining === 0) {
          state = "data-end";
          crlf = 0;
        }
      } else if (state === "data-end") {
        if (chunk[at] !== (crlf === 0 ? CR : LF)) throw new MalformedResponseError("chunk not followed by CRLF");
        at++;
        if (++crlf === 2) state = "size";
      } else {
        const end = chunk.indexOf(LF, at);
        const upTo = end === -1 ? chunk.byteLength : end;
        line += latin1(chunk.subarray(at, upTo));
        if (line.length > MAX_CHUNK_LINE_BYTES) throw new MalformedResponseError("chunk line too long");
        at = upTo;
        if (end === -1) break;
        at++;
        if (!line.endsWith("\r")) throw new MalformedResponseError("chunk line not ended by CRLF");
        const text = line.slice(0, -1);
        line = "";
        if (state === "trailer") {
          if (text === "") finish();
        } else {
          const size = /^([0-9a-fA-F]{1,12})[ \t]*(;.*)?$/.exec(text);
          if (!size) throw new MalformedResponseError(`bad chunk size ${JSON.stringify(text.slice(0, 40))}`);
          remaining = Number.parseInt(size[1]!, 16);
          state = remaining === 0 ? "trailer" : "data";
        }
      }
    }
  };

  return {
    feed(chunk) {
      let at = 0;
      if (state === "head") {
        at = readHead(chunk);
        if (at === -1) return;
      }
      if (state === "done" || at === chunk.byteLength) return;
      if (state === "close") handlers.body(chunk.subarray(at));
      else if (state === "length") {
        const take = Math.min(remaining, chunk.byteLength - at);
        handlers.body(chunk.subarray(at, at + take));
        remaining -= take;
        if (remaining === 0) finish(); // anything after the body is ignored: the connection is closed
      } else readChunked(chunk, at);
    },
    close() {
      if (state === "close") finish();
      else if (state !== "done") throw new MalformedResponseError("the connection closed before the response ended");
    },
  };
}

/**
 * Where CRLF CRLF begins in the head so far followed by `chunk` from `start` (as one run of bytes),
 * looking no further than a head may be long; -1 when it is not there.
 */
function headEnd(head: Uint8Array, chunk: Uint8Array, start: number): number {
  const seen = head.byteLength;
  const at = (index: number) => (index < seen ? head[index] : chunk[start + index - seen]);
  const last = Math.min(seen + chunk.byteLength - start - 4, MAX_HEAD_BYTES + 1);
  for (let index = Math.max(0, seen - 3); index <= last; index++) {
    if (at(index) === CR && at(index + 1) === LF && at(index + 2) === CR && at(index + 3) === LF) return index;
  }
  return -1;
}

const concat = (first: Uint8Array, second: Uint8Array) => {
  const joined = new Uint8Array(first.byteLength + second.byteLength);
  joined.set(first);
  joined.set(second, first.byteLength);
  return joined;
};

/** Bytes as ISO-8859-1, one character each (TextDecoder's "latin1" is windows-1252). */
const latin1 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");

/** Status line and header fields; Headers refuses names and values HTTP forbids (a folded line among them). */
function parseHead(text: string): ResponseHead {
  const [statusLine = "", ...fields] = text.split("\r\n");
  const status = /^HTTP\/1\.[01] ([1-9]\d\d)(?: [^\r\n]*)?$/.exec(statusLine);
  if (!status) throw new MalformedResponseError(`bad status line ${JSON.stringify(statusLine.slice(0, 40))}`);
  const headers = new Headers();
  for (const field of fields) {
    const colon = field.indexOf(":");
    if (colon <= 0) throw new MalformedResponseError("bad header line");
    try {
      headers.append(field.slice(0, colon), field.slice(colon + 1).trim());
    } catch {
      throw new MalformedResponseError("bad header line");
    }
  }
  return { status: Number(status[1]), headers, framing: framingOf(headers) };
}

function framingOf(headers: Headers): ResponseHead["framing"] {
  const transferEncoding = headers.get("transfer-encoding");
  if (transferEncoding !== null) return transferEncoding.trim().toLowerCase() === "chunked" ? "chunked" : undefined;
  const contentLength = headers.get("content-length");
  if (contentLength === null) return "close";
  // Repeated headers arrive joined by ", ": they must all agree.
  const lengths = new Set(contentLength.split(",").map((value) => value.trim()));
  const [length] = lengths;
  return lengths.size === 1 && /^\d{1,15}$/.test(length!) ? { length: Number(length) } : undefined;
}
