// Keeping a long download's memory flat. Every chunk that arrives from the socket is a new
// buffer; V8 frees them only at a garbage collection, which it starts for such outside-the-heap
// memory only once about 64 MB of it has piled up. Written chunks are dead at once, so a minor
// collection (young objects only, under a millisecond) every few megabytes frees them at the same
// pace as they come. V8 offers that collection only behind --expose-gc, which can still be turned
// on while the process runs (as jest's leak detector does); where it cannot, nothing is done.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

type Collect = (options: { type: "minor" }) => void;
let collect: Collect | null | undefined;

export function collectShortLivedGarbage(): void {
  if (collect === undefined) {
    try {
      setFlagsFromString("--expose-gc");
      collect = runInNewContext("gc") as Collect;
    } catch {
      collect = null;
    }
  }
  collect?.({ type: "minor" });
}
