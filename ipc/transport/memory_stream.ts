/**
 * Two connected in-memory {@linkcode ByteStream}s, for tests and for running both sides of an
 * interface in one process.
 *
 * @module
 */
import type { ByteStream, CloseReason } from "../byte_stream.ts";

/**
 * Creates two connected streams: what one writes, the other receives (asynchronously, in
 * order). Closing either closes both.
 *
 * @example
 * ```ts
 * import { createMemoryStreamPair } from "./memory_stream.ts";
 * const [a, b] = createMemoryStreamPair();
 * b.onData((chunk) => console.assert(chunk[0] === 7));
 * a.write(new Uint8Array([7]));
 * a.close();
 * ```
 */
export function createMemoryStreamPair(): [ByteStream, ByteStream] {
  const a = new MemoryStream("memory:a");
  const b = new MemoryStream("memory:b");
  a.peer = b;
  b.peer = a;
  return [a, b];
}

class MemoryStream implements ByteStream {
  readonly description: string;
  peer: MemoryStream | undefined;
  #receiver: ((chunk: Uint8Array) => void) | undefined;
  #pending: Uint8Array[] = [];
  #closeListeners: ((reason: CloseReason) => void)[] = [];
  #closed = false;
  #closing = false;

  constructor(description: string) {
    this.description = description;
  }

  write(bytes: Uint8Array): void {
    if (this.#closed || this.#closing || bytes.length === 0) return;
    const copy = bytes.slice();
    const peer = this.peer;
    queueMicrotask(() => peer?.receive(copy));
  }

  onData(receiver: (chunk: Uint8Array) => void): void {
    this.#receiver = receiver;
    const pending = this.#pending;
    this.#pending = [];
    for (const chunk of pending) receiver(chunk);
  }

  onClose(listener: (reason: CloseReason) => void): void {
    if (this.#closed) queueMicrotask(() => listener(undefined));
    else this.#closeListeners.push(listener);
  }

  close(): void {
    if (this.#closed || this.#closing) return;
    this.#closing = true;
    // Let writes already queued arrive first, as a socket would flush them.
    queueMicrotask(() => {
      this.#end();
      if (this.peer) this.peer.#end();
    });
  }

  receive(chunk: Uint8Array): void {
    if (this.#closed) return;
    if (this.#receiver) this.#receiver(chunk);
    else this.#pending.push(chunk);
  }

  #end(): void {
    if (this.#closed) return;
    this.#closed = true;
    const listeners = this.#closeListeners;
    this.#closeListeners = [];
    for (const listener of listeners) listener(undefined);
  }
}
