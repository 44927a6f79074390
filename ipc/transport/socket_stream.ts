/**
 * Adapts a `node:net` socket (inherited socketpair, unix socket, named pipe or TCP) to a
 * {@linkcode ByteStream}.
 *
 * @module
 */
import type { Socket } from "node:net";
import type { ByteStream, CloseReason } from "../byte_stream.ts";

/**
 * How long `close()` waits for the peer to acknowledge our end-of-stream before the socket is
 * destroyed. Only a stuck peer ever hits it.
 */
export const CLOSE_GRACE_MS = 2000;

/**
 * Wraps a connected socket as a {@linkcode ByteStream}.
 *
 * Chunks that arrive before a receiver is registered are kept and delivered, in order, to the
 * first receiver. The stream closes when the peer closes (end of stream in either direction
 * ends the whole stream: half-open connections are not used by the RPC layer), on a socket
 * error (the reason is that error), or when {@linkcode ByteStream.close} is called.
 *
 * @example
 * ```ts ignore
 * import net from "node:net";
 * import { socketToByteStream } from "./socket_stream.ts";
 * const stream = socketToByteStream(net.connect("/tmp/node.sock"), "unix:/tmp/node.sock");
 * stream.onData((chunk) => console.log(chunk.length));
 * ```
 */
export function socketToByteStream(socket: Socket, description: string): ByteStream {
  return new SocketByteStream(socket, description);
}

class SocketByteStream implements ByteStream {
  readonly description: string;
  #socket: Socket;
  #receiver: ((chunk: Uint8Array) => void) | undefined;
  #pending: Uint8Array[] = [];
  #closeListeners: ((reason: CloseReason) => void)[] = [];
  #closed = false;
  #closeReason: CloseReason;
  #firstError: Error | undefined;
  #closing = false;
  #graceTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(socket: Socket, description: string) {
    this.description = description;
    this.#socket = socket;
    socket.on("data", (data: Uint8Array) => this.#deliver(data));
    // The peer finished sending: finish our side too so the socket closes fully.
    socket.on("end", () => socket.end());
    socket.on("error", (error: Error) => {
      this.#firstError ??= error;
    });
    socket.on("close", () => this.#finish());
  }

  write(bytes: Uint8Array): void {
    if (this.#closed || this.#closing || bytes.length === 0) return;
    // The socket may hold on to the buffer until it is flushed: give it its own copy so the
    // caller can reuse theirs.
    this.#socket.write(bytes.slice());
  }

  onData(receiver: (chunk: Uint8Array) => void): void {
    this.#receiver = receiver;
    const pending = this.#pending;
    this.#pending = [];
    for (const chunk of pending) receiver(chunk);
  }

  onClose(listener: (reason: CloseReason) => void): void {
    if (this.#closed) {
      const reason = this.#closeReason;
      queueMicrotask(() => listener(reason));
      return;
    }
    this.#closeListeners.push(listener);
  }

  close(): void {
    if (this.#closed || this.#closing) return;
    this.#closing = true;
    this.#socket.end();
    this.#graceTimer = setTimeout(() => this.#socket.destroy(), CLOSE_GRACE_MS);
  }

  #deliver(data: Uint8Array): void {
    if (this.#closed) return;
    // Hand out a plain Uint8Array view, not a Node Buffer.
    const chunk = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (this.#receiver) this.#receiver(chunk);
    else this.#pending.push(chunk);
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#graceTimer !== undefined) clearTimeout(this.#graceTimer);
    // An error after we asked to close (e.g. EPIPE while flushing) is not the peer's fault.
    this.#closeReason = this.#closing ? undefined : this.#firstError;
    const listeners = this.#closeListeners;
    this.#closeListeners = [];
    for (const listener of listeners) listener(this.#closeReason);
  }
}
