/**
 * A connection's read buffer for the HTTP server: grows by doubling (large bodies cost linear
 * time), reads exact lengths and lines, and records the last progress for the idle sweep.
 *
 * @module
 */

/** The peer went away before a complete message arrived. */
export class ConnectionClosed extends Error {}

/** Reads from a connection, keeping unread bytes. */
export class BufferedConn {
  // Unread bytes are #storage[#start, #end); the storage doubles as needed, so reading a large
  // body costs linear time.
  #storage = new Uint8Array(16 * 1024);
  #start = 0;
  #end = 0;
  /** `performance.now()` of the last completed read or write, for the idle sweep. */
  lastActivity = performance.now();
  /** True while a handler runs: like libevent (reading disabled), no idle timeout then. */
  processing = false;
  constructor(readonly conn: Deno.Conn) {}

  get buffered(): Uint8Array {
    return this.#storage.subarray(this.#start, this.#end);
  }

  #makeRoom(min: number): void {
    if (this.#storage.length - this.#end >= min) return;
    const unread = this.#end - this.#start;
    let size = this.#storage.length;
    while (size - unread < min) size *= 2;
    const storage = size === this.#storage.length ? this.#storage : new Uint8Array(size);
    storage.set(this.#storage.subarray(this.#start, this.#end), 0);
    this.#storage = storage;
    this.#start = 0;
    this.#end = unread;
  }

  /** Reads more bytes into the buffer; false at EOF, timeout or error. */
  async fill(): Promise<boolean> {
    this.#makeRoom(16 * 1024);
    const n = await this.conn.read(this.#storage.subarray(this.#end)).catch(() => null);
    if (n === null || n === 0) return false;
    this.#end += n;
    this.lastActivity = performance.now();
    return true;
  }

  /** Removes and returns the first `n` buffered bytes. */
  take(n: number): Uint8Array {
    const out = this.#storage.slice(this.#start, this.#start + n);
    this.#start += n;
    return out;
  }

  /**
   * Removes the first `n` buffered bytes and returns a view of them that is valid only until
   * the next read (no copy, for bytes decoded at once).
   */
  consume(n: number): Uint8Array {
    const out = this.#storage.subarray(this.#start, this.#start + n);
    this.#start += n;
    return out;
  }

  /** Reads exactly `n` bytes. */
  async readExact(n: number): Promise<Uint8Array> {
    this.#makeRoom(n - (this.#end - this.#start));
    while (this.#end - this.#start < n) {
      if (!await this.fill()) throw new ConnectionClosed();
    }
    return this.take(n);
  }

  /** Reads one CRLF- or LF-terminated line of at most `max` bytes. */
  async readLine(max: number): Promise<string | undefined> {
    while (true) {
      const newline = this.buffered.indexOf(0x0a);
      if (newline >= 0) {
        if (newline > max) return undefined;
        const line = new TextDecoder().decode(this.take(newline + 1));
        return line.replace(/\r?\n$/, "");
      }
      if (this.#end - this.#start > max) return undefined;
      if (!await this.fill()) throw new ConnectionClosed();
    }
  }

  /** Writes all of `bytes`. */
  async write(bytes: Uint8Array): Promise<void> {
    let written = 0;
    while (written < bytes.length) {
      written += await this.conn.write(bytes.subarray(written));
      this.lastActivity = performance.now();
    }
  }
}

/** Request heads are read byte-for-byte (libevent does not decode them either). */
export const latin1: TextDecoder = new TextDecoder("latin1");

/** Where the end of a request head is: the index just past the blank line, or -1. */
export function endOfHead(buffer: Uint8Array): number {
  for (let i = 0; i < buffer.length; i++) {
    if (buffer[i] !== 0x0a) continue;
    if (buffer[i + 1] === 0x0a) return i + 2;
    if (buffer[i + 1] === 0x0d && buffer[i + 2] === 0x0a) return i + 3;
  }
  return -1;
}
