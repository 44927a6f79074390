/**
 * The only place that writes to stdout and stderr directly.
 *
 * @module
 */

const encoder = new TextEncoder();

function writeAll(stream: typeof Deno.stdout | typeof Deno.stderr, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) offset += stream.writeSync(bytes.subarray(offset));
}

/** Writes text to stdout, synchronously and completely. */
export function writeStdout(text: string | Uint8Array): void {
  writeAll(Deno.stdout, typeof text === "string" ? encoder.encode(text) : text);
}

/** Writes text to stderr, synchronously and completely. */
export function writeStderr(text: string | Uint8Array): void {
  writeAll(Deno.stderr, typeof text === "string" ? encoder.encode(text) : text);
}
