// The video every mock task makes: the MP4 shipped in the package (assets/sample.mp4), served
// whole or by byte range (one range, as a <video> element asks when it seeks).
import { SAMPLE_VIDEO_MP4_BASE64 } from "../../assets/sample-video.js";

let bytes: Uint8Array<ArrayBuffer> | undefined;
export function sampleVideo(): Uint8Array<ArrayBuffer> {
  bytes ??= Uint8Array.from(atob(SAMPLE_VIDEO_MP4_BASE64), (char) => char.charCodeAt(0));
  return bytes;
}

/** The video's own length in whole seconds, from its `mvhd` box. */
export function sampleVideoSeconds(): number {
  const video = sampleVideo();
  const view = new DataView(video.buffer);
  const box = atob(SAMPLE_VIDEO_MP4_BASE64).indexOf("mvhd");
  // A version 0 box: its type, version and flags, two times, then the timescale and the duration.
  return Math.round(view.getUint32(box + 20) / view.getUint32(box + 16));
}

/** The video as an answer to `request`: 200 with all of it, or 206 with the one range asked for (416 if none fits). */
export function videoAnswer(request: Request, options: { ranges: boolean }): Response {
  const video = sampleVideo();
  const size = video.length;
  const headers: Record<string, string> = { "content-type": "video/mp4" };
  if (options.ranges) headers["accept-ranges"] = "bytes";
  const range = options.ranges ? parseRange(request.headers.get("range"), size) : undefined;
  if (range === "unsatisfiable")
    return new Response(null, { status: 416, headers: { ...headers, "content-range": `bytes */${size}` } });
  const [start, end] = range ?? [0, size - 1];
  const body = request.method === "HEAD" ? null : video.slice(start, end + 1);
  return new Response(body, {
    status: range ? 206 : 200,
    headers: {
      ...headers,
      "content-length": String(end - start + 1),
      ...(range ? { "content-range": `bytes ${start}-${end}/${size}` } : {}),
    },
  });
}

/** `bytes=a-b`, `bytes=a-` or `bytes=-n` as inclusive offsets; undefined (send it all) for anything else. */
function parseRange(header: string | null, size: number): [number, number] | "unsatisfiable" | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? "");
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  const [first, last] = [match[1]!, match[2]!];
  const start = first === "" ? Math.max(0, size - Number(last)) : Number(first);
  const end = first === "" || last === "" ? size - 1 : Math.min(Number(last), size - 1);
  return start > end || start >= size ? "unsatisfiable" : [start, end];
}
