/** Whether an image is given as bytes (a Blob or File, a Uint8Array or Buffer) rather than as text. */
export const isImageBytes = (value: unknown): value is Blob | Uint8Array =>
  value instanceof Uint8Array || (typeof Blob !== "undefined" && value instanceof Blob);
