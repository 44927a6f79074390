/**
 * The one thing the RPC layer needs from a transport: an ordered, reliable byte stream.
 *
 * Inherited socket pairs, unix sockets and TCP connections all become a `ByteStream`, so the
 * Cap'n Proto RPC code never knows which one it runs on.
 *
 * @module
 */

/** Why a stream ended: `undefined` for an orderly close by either side. */
export type CloseReason = Error | undefined;

/**
 * An ordered, reliable, bidirectional byte stream.
 *
 * Chunks arrive in order but with arbitrary boundaries: a consumer must do its own framing.
 *
 * @example
 * ```ts
 * import type { ByteStream } from "./byte_stream.ts";
 * function echoBack(stream: ByteStream): void {
 *   stream.onData((chunk) => stream.write(chunk));
 * }
 * ```
 */
export interface ByteStream {
  /** Queues bytes for sending. Writing to a closed stream is ignored. */
  write(bytes: Uint8Array): void;
  /** Registers the receiver of incoming chunks (one receiver; a later call replaces it). */
  onData(receiver: (chunk: Uint8Array) => void): void;
  /** Registers a callback run exactly once when the stream ends, for whatever reason. */
  onClose(listener: (reason: CloseReason) => void): void;
  /** Closes the stream; idempotent. Pending writes are flushed when the transport allows. */
  close(): void;
  /** A short human-readable description for logs, e.g. `unix:/path/node.sock` or `fd 3`. */
  readonly description: string;
}
