/**
 * The HTTP/1.1 server under JSON-RPC, on raw `Deno.listen` sockets so that status lines, header
 * order and keep-alive behave exactly like freicoind's libevent server: per-request client
 * allow-list (403), path handlers (exact `/`, prefix `/wallet/`; anything else 404), a bounded
 * work queue with `-rpcthreads` runners (503 "Work queue depth exceeded"), an 8192-byte limit on
 * the request line and headers (400), a body limit (413), and the `-rpcservertimeout` idle
 * timeout.
 *
 * @module
 */
import type { RpcLogger as Logger } from "./logger.ts";
import {
  errorPage,
  findHeader,
  formatReply,
  type HttpReply,
  parseRequestHead,
  type RequestHead,
} from "./http_message.ts";
import { parseIp, type Subnet, subnetContains } from "./subnet.ts";
import { BufferedConn, endOfHead, latin1 } from "./_buffered_conn.ts";

/** A request as handlers see it. */
export interface HttpRequest {
  method: string;
  /** The request target as sent, e.g. `/wallet/w1`. */
  uri: string;
  headers: [string, string][];
  body: Uint8Array;
  /** The client's address and port, e.g. `127.0.0.1:53412` or `[::1]:53412`. */
  peer: string;
}

/** Answers one request; `subpath` is what follows the matched prefix. */
export type HttpHandler = (request: HttpRequest, subpath: string) => Promise<HttpReply>;

/** An address to listen on. */
export interface HttpEndpoint {
  hostname: string;
  port: number;
}

/** Settings of {@linkcode HttpServer}; defaults are freicoind's. */
export interface HttpServerOptions {
  endpoints: HttpEndpoint[];
  /** Clients outside these get 403 (always include the defaults 127.0.0.0/8 and ::1). */
  allowedSubnets: Subnet[];
  /** `-rpcservertimeout`: idle seconds before a connection is dropped (default 30). */
  timeoutSeconds?: number;
  /** `-rpcworkqueue`: requests that may wait for a runner (default 16, at least 1). */
  workQueueDepth?: number;
  /** `-rpcthreads`: requests handled at once (default 4, at least 1). */
  threads?: number;
  /** Largest request line plus headers (default 8192, as freicoind). */
  maxHeaderBytes?: number;
  /** Largest body (default 64 MiB; freicoind's libevent limit is 2 GiB). */
  maxBodyBytes?: number;
  logger: Logger;
}

interface PathHandler {
  prefix: string;
  exactMatch: boolean;
  handler: HttpHandler;
}

/** Thrown when no endpoint could be bound. */
export class HttpBindError extends Error {
  override name = "HttpBindError";
}

type ReadResult =
  | { kind: "request"; head: RequestHead; body: Uint8Array }
  | { kind: "error"; status: 400 | 413; head?: RequestHead }
  | { kind: "closed" };

/**
 * An HTTP server bound to one or more endpoints.
 *
 * @example
 * ```ts ignore
 * const server = await HttpServer.bind({ endpoints: [{ hostname: "127.0.0.1", port: 0 }],
 *   allowedSubnets: defaultAllowedSubnets(), logger: NULL_LOGGER });
 * server.registerHandler("/", true, async () => ({ status: 200, body: "hi" }));
 * server.start();
 * await server.close();
 * ```
 */
export class HttpServer {
  readonly #options: HttpServerOptions;
  readonly #listeners: Deno.TcpListener[];
  readonly #handlers: PathHandler[] = [];
  readonly #connectionTasks = new Set<Promise<void>>();
  readonly #acceptTasks: Promise<void>[] = [];
  readonly #waiting: (() => void)[] = [];
  #running = 0;
  #interrupted = false;
  #shuttingDown = false;
  #closed = false;
  #sweeper: ReturnType<typeof setInterval> | undefined;
  readonly #io = new Set<BufferedConn>();

  private constructor(options: HttpServerOptions, listeners: Deno.TcpListener[]) {
    this.#options = options;
    this.#listeners = listeners;
  }

  /**
   * Binds every endpoint (logging "Binding RPC on address … port …" and failures like
   * freicoind); throws {@linkcode HttpBindError} when none could be bound. Nothing is accepted
   * until {@linkcode start}.
   */
  static bind(options: HttpServerOptions): HttpServer {
    const listeners: Deno.TcpListener[] = [];
    for (const { hostname, port } of options.endpoints) {
      options.logger.info(`Binding RPC on address ${hostname} port ${port}`);
      try {
        listeners.push(Deno.listen({ hostname: hostname || "0.0.0.0", port }));
        if (hostname === "" || hostname === "0.0.0.0" || hostname === "::") {
          options.logger.info(
            "WARNING: the RPC server is not safe to expose to untrusted networks such as the public internet",
          );
        }
      } catch {
        options.logger.info(`Binding RPC on address ${hostname} port ${port} failed.`);
      }
    }
    if (listeners.length === 0) {
      throw new HttpBindError("Unable to bind any endpoint for RPC server");
    }
    return new HttpServer(options, listeners);
  }

  /** The addresses actually bound (ports resolved when 0 was asked). */
  get addresses(): HttpEndpoint[] {
    return this.#listeners.map((l) => {
      const addr = l.addr as Deno.NetAddr;
      return { hostname: addr.hostname, port: addr.port };
    });
  }

  /** Serves paths equal to `prefix` (exactMatch) or starting with it. */
  registerHandler(prefix: string, exactMatch: boolean, handler: HttpHandler): void {
    this.#handlers.push({ prefix, exactMatch, handler });
  }

  /** Stops serving `prefix`. */
  unregisterHandler(prefix: string, exactMatch: boolean): void {
    const i = this.#handlers.findIndex((h) => h.prefix === prefix && h.exactMatch === exactMatch);
    if (i >= 0) this.#handlers.splice(i, 1);
  }

  /** Starts accepting connections. */
  start(): void {
    this.#options.logger.info(
      `Starting HTTP server with ${Math.max(this.#options.threads ?? 4, 1)} worker threads`,
    );
    for (const listener of this.#listeners) this.#acceptTasks.push(this.#acceptLoop(listener));
    // One timer for all connections: drop those idle (no read or write progress) for longer than
    // -rpcservertimeout, like libevent's per-connection timeouts.
    const timeoutMs = Math.max(this.#options.timeoutSeconds ?? 30, 1) * 1000;
    this.#sweeper = setInterval(() => {
      const now = performance.now();
      for (const io of this.#io) {
        if (!io.processing && now - io.lastActivity > timeoutMs) closeQuietly(io.conn);
      }
    }, Math.min(250, timeoutMs / 4));
  }

  /** From now on every reply carries `Connection: close` (a shutdown was requested). */
  markShuttingDown(): void {
    this.#shuttingDown = true;
  }

  /** Rejects new requests with 503, as freicoind does once shutdown begins. */
  interrupt(): void {
    this.#shuttingDown = true;
    this.#interrupted = true;
    for (const resume of this.#waiting.splice(0)) resume();
  }

  /**
   * Stops listening, lets running requests finish, then closes every connection. Idempotent.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.interrupt();
    for (const listener of this.#listeners) {
      try {
        listener.close();
      } catch { /* already closed */ }
    }
    await Promise.all(this.#acceptTasks);
    // Connections not running a call are dropped now, even halfway through sending a request;
    // running calls finish and their replies are written (the idle sweep still bounds writes).
    for (const io of this.#io) {
      if (!io.processing) closeQuietly(io.conn);
    }
    await Promise.all([...this.#connectionTasks]);
    clearInterval(this.#sweeper);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #acceptLoop(listener: Deno.TcpListener): Promise<void> {
    while (true) {
      let conn: Deno.TcpConn;
      try {
        conn = await listener.accept();
      } catch {
        return;
      }
      if (this.#closed) {
        closeQuietly(conn);
        continue;
      }
      const task = this.#serveConnection(conn).finally(() => this.#connectionTasks.delete(task));
      this.#connectionTasks.add(task);
    }
  }

  async #serveConnection(conn: Deno.TcpConn): Promise<void> {
    // Each reply is a single write, so Nagle's algorithm can only delay it, never merge it.
    try {
      conn.setNoDelay(true);
    } catch { /* the peer already went away; the first read will tell */ }
    const io = new BufferedConn(conn);
    this.#io.add(io);
    const peer = formatPeer(conn.remoteAddr as Deno.NetAddr);
    // The allow-list is fixed for the server's life and the peer for the connection's, so the
    // check is done once, on the first request that gets that far.
    const access = { peer, allowed: undefined as boolean | undefined };
    const slot = { taken: false };
    const releaseSlot = () => {
      if (!slot.taken) return;
      slot.taken = false;
      this.#leaveQueue();
    };
    try {
      while (!this.#closed) {
        const read = await this.#readRequest(io);
        if (read.kind === "closed") break;
        let reply: HttpReply;
        let head: RequestHead | undefined;
        if (read.kind === "error") {
          reply = errorPage(read.status);
          head = read.head;
        } else {
          head = read.head;
          io.processing = true;
          try {
            reply = await this.#dispatch(read.head, read.body, access, slot);
          } finally {
            io.processing = false;
            io.lastActivity = performance.now();
          }
          if (this.#shuttingDown) {
            reply = { ...reply, headers: [...(reply.headers ?? []), ["Connection", "close"]] };
          }
        }
        const { bytes, close } = formatReply(reply, head, new Date());
        try {
          await io.write(bytes);
        } finally {
          releaseSlot();
        }
        if (close || read.kind === "error") break;
      }
    } catch {
      // A dropped or timed-out connection ends here; there is nobody left to answer.
    } finally {
      releaseSlot();
      this.#io.delete(io);
      closeQuietly(conn);
    }
  }

  async #readRequest(io: BufferedConn): Promise<ReadResult> {
    const maxHead = this.#options.maxHeaderBytes ?? 8192;
    let end = endOfHead(io.buffered);
    while (end < 0) {
      // Leading blank lines between requests are tolerated, as libevent does.
      while (io.buffered[0] === 0x0d || io.buffered[0] === 0x0a) io.consume(1);
      if (io.buffered.length > maxHead) return { kind: "error", status: 400 };
      if (!await io.fill()) return { kind: "closed" };
      end = endOfHead(io.buffered);
    }
    if (end > maxHead + 4) return { kind: "error", status: 400 };
    const head = parseRequestHead(latin1.decode(io.consume(end)).trimEnd());
    if (!head) return { kind: "error", status: 400 };
    const maxBody = this.#options.maxBodyBytes ?? 64 * 1024 * 1024;
    const chunked = findHeader(head.headers, "Transfer-Encoding")?.toLowerCase() === "chunked";
    if (chunked) return await this.#readChunked(io, head, maxBody);
    const lengthText = findHeader(head.headers, "Content-Length");
    if (lengthText === undefined) return { kind: "request", head, body: new Uint8Array() };
    if (!/^\+?[0-9]+$/.test(lengthText.trim())) return { kind: "error", status: 400, head };
    const length = Number(lengthText.trim());
    if (length > maxBody) return { kind: "error", status: 413, head };
    await this.#maybeContinue(io, head, length);
    return { kind: "request", head, body: await io.readExact(length) };
  }

  async #maybeContinue(io: BufferedConn, head: RequestHead, length: number): Promise<void> {
    const expect = findHeader(head.headers, "Expect")?.toLowerCase();
    if (expect === "100-continue" && length > 0 && io.buffered.length === 0) {
      await io.write(
        new TextEncoder().encode(`HTTP/${head.major}.${head.minor} 100 Continue\r\n\r\n`),
      );
    }
  }

  async #readChunked(io: BufferedConn, head: RequestHead, maxBody: number): Promise<ReadResult> {
    await this.#maybeContinue(io, head, 1);
    const parts: Uint8Array[] = [];
    let total = 0;
    while (true) {
      const line = await io.readLine(1024);
      const size = line === undefined ? NaN : parseInt(line.split(";")[0].trim(), 16);
      if (!Number.isSafeInteger(size) || size < 0) return { kind: "error", status: 400, head };
      total += size;
      if (total > maxBody) return { kind: "error", status: 413, head };
      if (size === 0) break;
      parts.push(await io.readExact(size));
      if ((await io.readLine(2)) !== "") return { kind: "error", status: 400, head };
    }
    // Trailer lines up to the blank one.
    while (true) {
      const trailer = await io.readLine(this.#options.maxHeaderBytes ?? 8192);
      if (trailer === undefined) return { kind: "error", status: 400, head };
      if (trailer === "") break;
    }
    const body = new Uint8Array(total);
    let offset = 0;
    for (const part of parts) {
      body.set(part, offset);
      offset += part.length;
    }
    return { kind: "request", head, body };
  }

  async #dispatch(
    head: RequestHead,
    body: Uint8Array,
    access: { peer: string; allowed: boolean | undefined },
    slot: { taken: boolean },
  ): Promise<HttpReply> {
    const logger = this.#options.logger;
    const peer = access.peer;
    if (this.#interrupted) {
      logger.debug("http", "Rejecting request while shutting down");
      return errorPage(503);
    }
    access.allowed ??= this.#clientAllowed(peer);
    if (!access.allowed) {
      logger.debug(
        "http",
        `HTTP request from ${peer} rejected: Client network is not allowed RPC access`,
      );
      return { status: 403 };
    }
    if (!SERVED_METHODS.has(head.method)) {
      logger.debug("http", `HTTP request from ${peer} rejected: Unknown HTTP request method`);
      return { status: 405 };
    }
    logger.debug(
      "http",
      () =>
        `Received a ${head.method} request for ${sanitizeUri(head.uri).slice(0, 100)} from ${peer}`,
    );
    const match = this.#handlers.find((h) =>
      h.exactMatch ? head.uri === h.prefix : head.uri.startsWith(h.prefix)
    );
    if (!match) return { status: 404 };
    const request: HttpRequest = {
      method: head.method,
      uri: head.uri,
      headers: head.headers,
      body,
      peer,
    };
    const subpath = head.uri.slice(match.prefix.length);
    // A free runner is taken without a promise; only a full set of runners waits.
    const entered = this.#tryEnterQueue() ?? await this.#waitInQueue();
    if (!entered) {
      if (this.#interrupted) return errorPage(503);
      logger.info(
        "WARNING: request rejected because http work queue depth exceeded, it can be increased with the -rpcworkqueue= setting",
      );
      return { status: 503, body: "Work queue depth exceeded" };
    }
    // The runner stays taken until the reply is handed to the socket (see #serveConnection), so
    // that the queue fills under load the way freicoind's worker threads do.
    slot.taken = true;
    try {
      return await match.handler(request, subpath);
    } catch (error) {
      logger.error(`HTTP handler failed: ${error instanceof Error ? error.message : error}`);
      return { status: 500, body: "Unhandled request" };
    }
  }

  /**
   * Takes a free runner (true), refuses when the queue is full (false), or returns undefined
   * when the request has to wait ({@linkcode #waitInQueue}).
   */
  #tryEnterQueue(): boolean | undefined {
    const threads = Math.max(this.#options.threads ?? 4, 1);
    const depth = Math.max(this.#options.workQueueDepth ?? 16, 1);
    if (this.#running < threads) {
      this.#running++;
      return true;
    }
    if (this.#waiting.length >= depth) return false;
    return undefined;
  }

  /** Waits for a runner; false when the server stopped meanwhile. */
  async #waitInQueue(): Promise<boolean> {
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
    if (this.#interrupted) return false;
    this.#running++;
    return true;
  }

  #leaveQueue(): void {
    this.#running--;
    this.#waiting.shift()?.();
  }

  #clientAllowed(peer: string): boolean {
    const host = peer.startsWith("[") ? peer.slice(1, peer.lastIndexOf("]")) : peer.split(":")[0];
    const address = parseIp(host);
    if (!address) return false;
    return this.#options.allowedSubnets.some((subnet) => subnetContains(subnet, address));
  }
}

/** The methods freicoind's server hands to a path handler; others get 405. */
const SERVED_METHODS = new Set(["GET", "POST", "HEAD", "PUT"]);

function formatPeer(addr: Deno.NetAddr): string {
  const ip = parseIp(addr.hostname);
  // IPv4-mapped IPv6 peers are shown as IPv4, as freicoind does.
  if (ip?.length === 4) return `${ip.join(".")}:${addr.port}`;
  return `[${addr.hostname}]:${addr.port}`;
}

function sanitizeUri(uri: string): string {
  // freicoind's SAFE_CHARS_URI.
  return uri.replace(/[^A-Za-z0-9!*'();:@&=+$,/?#[\]\-_.~%]/g, "");
}

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch { /* already closed */ }
}
