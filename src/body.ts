// Reading a whole answer within bounds: JSON up to a size cap, an error body only as far as its
// message. The read gives way to an abort by itself, so that a fetch implementation that ignores
// signals cannot hang a call.

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
