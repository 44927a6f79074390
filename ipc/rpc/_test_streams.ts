/**
 * Test helpers: an in-memory ByteStream pair (optionally re-chunking what it carries), a
 * unix-socket pair over node:net, and a logger that keeps its lines.
 *
 * @module
 */
import type { ByteStream, CloseReason } from "../byte_stream.ts";
import type { Logger, LogMessage } from "../../cli/logger.ts";
import type { LogCategory, LogLevel } from "../../cli/log_categories.ts";

/** Options for {@linkcode memoryPair}. */
export interface MemoryPairOptions {
  /** Splits every write into chunks of at most this many bytes (default: no splitting). */
  chunkSize?: number;
}

class MemoryStream implements ByteStream {
  readonly description: string;
  peer: MemoryStream | null = null;
  #receiver: ((chunk: Uint8Array) => void) | null = null;
  #closeListeners: ((reason: CloseReason) => void)[] = [];
  #closed = false;
  #chunkSize: number;
  bytesWritten = 0;

  constructor(description: string, chunkSize: number) {
    this.description = description;
    this.#chunkSize = chunkSize;
  }

  write(bytes: Uint8Array): void {
    if (this.#closed || bytes.length === 0) return;
    this.bytesWritten += bytes.length;
    const copy = bytes.slice();
    const peer = this.peer!;
    queueMicrotask(() => {
      for (let at = 0; at < copy.length; at += this.#chunkSize) {
        peer.receive(copy.subarray(at, Math.min(copy.length, at + this.#chunkSize)));
      }
    });
  }

  receive(chunk: Uint8Array): void {
    if (!this.#closed) this.#receiver?.(chunk);
  }

  onData(receiver: (chunk: Uint8Array) => void): void {
    this.#receiver = receiver;
  }

  onClose(listener: (reason: CloseReason) => void): void {
    if (this.#closed) queueMicrotask(() => listener(undefined));
    else this.#closeListeners.push(listener);
  }

  close(): void {
    this.#end(undefined);
    const peer = this.peer;
    if (peer !== null) queueMicrotask(() => peer.#end(undefined));
  }

  #end(reason: CloseReason): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const l of this.#closeListeners.splice(0)) l(reason);
  }
}

/** Two connected in-memory streams; writes arrive asynchronously, in order. */
export function memoryPair(options: MemoryPairOptions = {}): [ByteStream, ByteStream] {
  const size = options.chunkSize ?? Number.MAX_SAFE_INTEGER;
  const a = new MemoryStream("memory:a", size);
  const b = new MemoryStream("memory:b", size);
  a.peer = b;
  b.peer = a;
  return [a, b];
}

/** Wraps a node:net socket as a ByteStream. */
export function socketStream(
  socket: import("node:net").Socket,
  description: string,
): ByteStream {
  let closed = false;
  const listeners: ((reason: CloseReason) => void)[] = [];
  const end = (reason: CloseReason) => {
    if (closed) return;
    closed = true;
    for (const l of listeners.splice(0)) l(reason);
  };
  socket.setNoDelay?.(true);
  socket.on("error", (e: Error) => end(e));
  socket.on("close", () => end(undefined));
  return {
    description,
    write(bytes) {
      if (!closed) socket.write(bytes);
    },
    onData(receiver) {
      socket.on("data", (chunk: Uint8Array) => receiver(chunk));
    },
    onClose(listener) {
      if (closed) queueMicrotask(() => listener(undefined));
      else listeners.push(listener);
    },
    close() {
      socket.destroy();
      end(undefined);
    },
  };
}

/** A connected pair of ByteStreams over a real unix socket (or TCP loopback) in this process. */
export async function socketPair(
  kind: "unix" | "tcp" = "unix",
): Promise<{ client: ByteStream; server: ByteStream; close: () => Promise<void> }> {
  const net = await import("node:net");
  const dir = kind === "unix" ? Deno.makeTempDirSync({ prefix: "ipc-test-" }) : "";
  const path = `${dir}/s.sock`;
  const server = net.createServer();
  const accepted = new Promise<import("node:net").Socket>((resolve) =>
    server.once("connection", resolve)
  );
  await new Promise<void>((resolve) => {
    if (kind === "unix") server.listen(path, resolve);
    else server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  const clientSocket = kind === "unix"
    ? net.connect(path)
    : net.connect((address as import("node:net").AddressInfo).port, "127.0.0.1");
  await new Promise<void>((resolve) => clientSocket.once("connect", () => resolve()));
  const serverSocket = await accepted;
  return {
    client: socketStream(clientSocket, `${kind}:client`),
    server: socketStream(serverSocket, `${kind}:server`),
    close: async () => {
      clientSocket.destroy();
      serverSocket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (dir) Deno.removeSync(dir, { recursive: true });
    },
  };
}

/** A logger that records lines; `enabled` decides what willLog says for debug. */
export class MemoryLogger implements Logger {
  lines: string[] = [];
  enabled: boolean;
  constructor(enabled = true) {
    this.enabled = enabled;
  }
  #text(m: LogMessage): string {
    return typeof m === "string" ? m : m();
  }
  info(m: LogMessage): void {
    this.lines.push(this.#text(m));
  }
  warning(m: LogMessage): void {
    this.lines.push(`[warning] ${this.#text(m)}`);
  }
  error(m: LogMessage): void {
    this.lines.push(`[error] ${this.#text(m)}`);
  }
  debug(_c: LogCategory, m: LogMessage): void {
    if (this.enabled) this.lines.push(this.#text(m));
  }
  trace(): void {}
  willLog(_c: LogCategory, level: LogLevel): boolean {
    return this.enabled || level !== "debug" && level !== "trace";
  }
}
