// The socket download's HTTP/1.1 reader: any answer, cut into any pieces, gives back exactly its
// body (by Content-Length, chunked coding or the end of the connection); what it does not take is
// reported as such, and what breaks HTTP is refused.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MalformedResponseError, type ResponseHead, responseReader } from "../../src/cli/http-response-reader.js";

const bytes = (text: string) => new TextEncoder().encode(text);
const join = (parts: Uint8Array[]) => {
  const all = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.byteLength;
  }
  return all;
};

/** Feeds `wire` cut at `cuts`; returns the head, the body (copied chunk by chunk, as a consumer must) and the ends seen. */
function read(wire: Uint8Array, cuts: number[] = [], options: { close?: boolean; accept?: boolean } = {}) {
  let head: ResponseHead | undefined;
  const body: Uint8Array[] = [];
  let ends = 0;
  const reader = responseReader({
    head: (seen) => {
      head = seen;
      return options.accept ?? true;
    },
    body: (chunk) => body.push(chunk.slice()),
    end: () => ends++,
  });
  const points = [...new Set(cuts.map((cut) => cut % (wire.byteLength + 1)))].sort((a, b) => a - b);
  let from = 0;
  for (const point of [...points, wire.byteLength]) {
    reader.feed(wire.subarray(from, point));
    from = point;
  }
  if (options.close) reader.close();
  return { head, body: join(body), ends };
}

/** The body in chunked coding, cut into chunks of the given sizes, with extensions and a trailer now and then. */
function chunked(body: Uint8Array, sizes: number[], flourish: boolean): Uint8Array {
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= body.byteLength) break;
    const piece = body.subarray(at, at + Math.max(1, size));
    at += piece.byteLength;
    parts.push(bytes(`${piece.byteLength.toString(16)}${flourish ? ";name=value" : ""}\r\n`), piece, bytes("\r\n"));
  }
  if (at < body.byteLength) {
    const rest = body.subarray(at);
    parts.push(bytes(`${rest.byteLength.toString(16)}\r\n`), rest, bytes("\r\n"));
  }
  parts.push(bytes(flourish ? "0\r\nExpires: never\r\n\r\n" : "0\r\n\r\n"));
  return join(parts);
}

const HEAD = "HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\n";

describe("a body read whole, however the wire cuts it", () => {
  const body = fc.uint8Array({ maxLength: 3000 });
  const cuts = fc.array(fc.nat(), { maxLength: 12 });

  it("by Content-Length (bytes after it are not body)", () => {
    fc.assert(
      fc.property(body, cuts, (content, at) => {
        const wire = join([bytes(`${HEAD}Content-Length: ${content.byteLength}\r\n\r\n`), content, bytes("HTTP/1.1")]);
        const result = read(wire, at);
        expect(result.body).toEqual(content);
        expect(result.ends).toBe(1);
        expect(result.head?.framing).toEqual({ length: content.byteLength });
      }),
    );
  });

  it("by chunked coding, with chunk extensions and trailers", () => {
    fc.assert(
      fc.property(
        body,
        fc.array(fc.integer({ min: 1, max: 700 }), { maxLength: 8 }),
        fc.boolean(),
        cuts,
        (content, sizes, flourish, at) => {
          const wire = join([bytes(`${HEAD}Transfer-Encoding: chunked\r\n\r\n`), chunked(content, sizes, flourish)]);
          const result = read(wire, at);
          expect(result.body).toEqual(content);
          expect(result.ends).toBe(1);
        },
      ),
    );
  });

  it("by the end of the connection, when no length is given", () => {
    fc.assert(
      fc.property(body, cuts, (content, at) => {
        const result = read(join([bytes(`HTTP/1.0 200 OK\r\n\r\n`), content]), at, { close: true });
        expect(result.body).toEqual(content);
        expect(result.ends).toBe(1);
        expect(result.head?.framing).toBe("close");
      }),
    );
  });

  it("after informational answers (100 Continue, 103 Early Hints)", () => {
    const wire = bytes(
      `HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n${HEAD}Content-Length: 3\r\n\r\nabc`,
    );
    for (const cut of [0, 10, 30, 60, wire.byteLength - 2]) {
      const result = read(wire, [cut]);
      expect(result.head?.status).toBe(200);
      expect(new TextDecoder().decode(result.body)).toBe("abc");
    }
  });

  it("after thousands of informational answers in one read, without recursion", () => {
    const wire = bytes(`${"HTTP/1.1 100 Continue\r\n\r\n".repeat(50_000)}${HEAD}Content-Length: 2\r\n\r\nok`);
    expect(new TextDecoder().decode(read(wire).body)).toBe("ok");
  });

  it("takes header bytes 0x80-0xFF as one character each (a UTF-8 file name, say)", () => {
    const name = Buffer.from('attachment; filename="fox’s.mp4"', "utf8");
    const wire = join([bytes(`${HEAD}Content-Disposition: `), name, bytes("\r\nContent-Length: 0\r\n\r\n")]);
    const { head } = read(wire);
    expect(Buffer.from(head!.headers.get("content-disposition")!, "latin1").toString("utf8")).toContain("fox’s.mp4");
  });

  it("an empty body ends at the head", () => {
    expect(read(bytes(`${HEAD}Content-Length: 0\r\n\r\n`)).ends).toBe(1);
  });
});

describe("what it reports and stops at", () => {
  it("gives the status and headers, and reads no body when told not to", () => {
    const result = read(bytes("HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 5\r\n\r\nmoved"), [], {
      accept: false,
    });
    expect(result.head?.status).toBe(302);
    expect(result.head?.headers.get("location")).toBe("/elsewhere");
    expect(result.body.byteLength).toBe(0);
    expect(result.ends).toBe(0);
  });

  it.each([
    ["a transfer coding other than chunked", "Transfer-Encoding: gzip, chunked"],
    ["two different lengths", "Content-Length: 5\r\nContent-Length: 6"],
    ["a length that is not a number", "Content-Length: 5x"],
  ])("a framing it does not take is undefined (%s)", (_, field) => {
    let head: ResponseHead | undefined;
    const reader = responseReader({
      head: (seen) => {
        head = seen;
        return false;
      },
      body: () => undefined,
      end: () => undefined,
    });
    reader.feed(bytes(`${HEAD}${field}\r\n\r\n`));
    expect(head?.framing).toBeUndefined();
  });

  it("takes a repeated, equal Content-Length", () => {
    expect(read(bytes(`${HEAD}Content-Length: 2\r\nContent-Length: 2\r\n\r\nok`)).ends).toBe(1);
  });
});

describe("what breaks HTTP is refused", () => {
  it.each([
    ["a status line that is not HTTP/1.x", "HTTP/2 200\r\n\r\n"],
    ["a folded header line", `${HEAD}X-A: 1\r\n X-B: 2\r\nContent-Length: 0\r\n\r\n`],
    ["a header line without a colon", `${HEAD}Nonsense\r\n\r\n`],
    ["a chunk size that is not hex", `${HEAD}Transfer-Encoding: chunked\r\n\r\nzz\r\n`],
    ["a chunk not followed by CRLF", `${HEAD}Transfer-Encoding: chunked\r\n\r\n3\r\nabcX`],
    ["a chunk line ended by a bare LF", `${HEAD}Transfer-Encoding: chunked\r\n\r\n3\nabc`],
  ])("%s", (_, wire) => {
    expect(() => read(bytes(wire))).toThrow(MalformedResponseError);
  });

  it("headers that never end (over 64 KB)", () => {
    expect(() => read(bytes(`${HEAD}X-Long: ${"a".repeat(70_000)}`), [1000, 40_000])).toThrow(/headers over/);
  });

  it("headers over 64 KB that do end, in one read", () => {
    expect(() => read(bytes(`${HEAD}X-Long: ${"a".repeat(70_000)}\r\nContent-Length: 0\r\n\r\n`))).toThrow(
      /headers over/,
    );
  });

  it("a chunk line that never ends", () => {
    expect(() => read(bytes(`${HEAD}Transfer-Encoding: chunked\r\n\r\n${"1".repeat(2000)}`))).toThrow(/too long/);
  });

  it.each([
    ["a body shorter than its Content-Length", `${HEAD}Content-Length: 10\r\n\r\nabc`],
    ["chunked coding cut before its last chunk", `${HEAD}Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n`],
    ["a head cut short", "HTTP/1.1 200 OK\r\nContent-Le"],
  ])("the connection closing early: %s", (_, wire) => {
    expect(() => read(bytes(wire), [], { close: true })).toThrow(/closed before the response ended/);
  });
});
