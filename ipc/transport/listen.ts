/**
 * `-ipcbind`: accepting IPC connections on a unix socket (named pipe on Windows) or an
 * authenticated TCP port.
 *
 * @module
 */
import net from "node:net";
import type { ByteStream } from "../byte_stream.ts";
import { formatEndpoint, type IpcEndpoint } from "../endpoint.ts";
import type { Logger } from "../../cli/logger.ts";
import { NULL_LOGGER } from "../../cli/logger.ts";
import { authenticateAsListener } from "./authenticated_stream.ts";
import { removeCookie, writeCookie } from "./cookie.ts";
import { socketToByteStream } from "./socket_stream.ts";
import {
  clearStaleSocket,
  listenOn,
  listenOwnerOnly,
  netAddressForPath,
  requireTcpPermission,
  requireUnixSocketPermissions,
  usesNamedPipes,
} from "./unix_path.ts";

/** Options for {@linkcode listen}. */
export interface ListenOptions {
  /** Where to log (category `ipc`); default: nowhere. */
  readonly logger?: Logger;
  /**
   * TCP only, required there: where to write the cookie holding the secret connecting peers
   * must prove they know, usually `<datadir>/<net>/.ipccookie`. Written when listening starts
   * and removed by {@linkcode IpcListener.close}.
   */
  readonly cookiePath?: string;
  /** TCP only: how long a peer may take to authenticate; default 10 s. */
  readonly handshakeTimeoutMs?: number;
}

/** A listening IPC endpoint. */
export interface IpcListener extends AsyncDisposable {
  /** The endpoint actually bound (for `tcp:host:0`, with the port the system chose). */
  readonly endpoint: IpcEndpoint;
  /** Number of connections currently open. */
  readonly connectionCount: number;
  /**
   * Stops listening, closes the connections it accepted, and removes the socket file and
   * cookie. Idempotent.
   */
  close(): Promise<void>;
}

/** Raised when an endpoint cannot be bound; the message is freicoind-style and user-facing. */
export class BindError extends Error {
  override name = "BindError";
}

/**
 * Listens on `endpoint` and calls `onConnection` with a {@linkcode ByteStream} for each peer
 * (for TCP, only after the peer authenticated).
 *
 * @example
 * ```ts ignore
 * const listener = await listen({ kind: "unix", path: "/tmp/x/node.sock" }, (stream) => {
 *   stream.onData((chunk) => stream.write(chunk));
 * });
 * await listener.close();
 * ```
 */
export async function listen(
  endpoint: IpcEndpoint,
  onConnection: (stream: ByteStream) => void,
  options: ListenOptions = {},
): Promise<IpcListener> {
  const logger = options.logger ?? NULL_LOGGER;
  try {
    const listener = endpoint.kind === "unix"
      ? await listenUnix(endpoint.path, onConnection, logger)
      : await listenTcp(endpoint, onConnection, options, logger);
    logger.info(`Listening for IPC requests on address ${formatEndpoint(listener.endpoint)}`);
    return listener;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new BindError(`Unable to bind to IPC address '${formatEndpoint(endpoint)}'. ${why}`, {
      cause: error,
    });
  }
}

async function listenUnix(
  path: string,
  onConnection: (stream: ByteStream) => void,
  logger: Logger,
): Promise<IpcListener> {
  const server = net.createServer({ allowHalfOpen: true });
  const listener = new Listener(server, { kind: "unix", path }, async () => {
    if (!usesNamedPipes()) await Deno.remove(path).catch(() => {});
  });
  let ready = false;
  server.on("connection", (socket: net.Socket) => {
    if (!ready) {
      // Accepted before the socket file was restricted to its owner: drop it.
      socket.destroy();
      return;
    }
    const stream = socketToByteStream(socket, `unix:${path}`);
    logger.debug("ipc", `IPC connection accepted on unix:${path}`);
    listener.track(stream);
    onConnection(stream);
  });
  if (usesNamedPipes()) {
    await listenOn(server, netAddressForPath(path));
  } else {
    requireUnixSocketPermissions(path);
    if (await clearStaleSocket(path) === "removed-stale") {
      logger.debug("ipc", `Removed stale IPC socket file ${path}`);
    }
    await listenOwnerOnly(server, path);
  }
  ready = true;
  return listener;
}

async function listenTcp(
  endpoint: IpcEndpoint & { kind: "tcp" },
  onConnection: (stream: ByteStream) => void,
  options: ListenOptions,
  logger: Logger,
): Promise<IpcListener> {
  const cookiePath = options.cookiePath;
  if (cookiePath === undefined) {
    throw new Error("a TCP IPC listener needs a cookie file for authentication");
  }
  requireTcpPermission(endpoint.host, endpoint.port);
  const secret = await writeCookie(cookiePath);
  const server = net.createServer({ allowHalfOpen: true });
  try {
    await listenOn(server, { host: endpoint.host, port: endpoint.port });
  } catch (error) {
    await removeCookie(cookiePath);
    throw error;
  }
  const address = server.address() as net.AddressInfo;
  const bound: IpcEndpoint = { kind: "tcp", host: endpoint.host, port: address.port };
  const listener = new Listener(server, bound, () => removeCookie(cookiePath));
  let unauthenticated = 0;
  server.on("connection", (socket: net.Socket) => {
    const peer = `tcp:${socket.remoteAddress}:${socket.remotePort}`;
    if (unauthenticated >= MAX_PENDING_HANDSHAKES) {
      // Someone is opening connections without finishing the handshake: keep the listener
      // usable for honest peers instead of holding an unbounded number of sockets.
      logger.debug("ipc", `Too many IPC handshakes in progress; dropping ${peer}`);
      socket.destroy();
      return;
    }
    unauthenticated++;
    socket.setNoDelay(true);
    const raw = socketToByteStream(socket, peer);
    listener.track(raw);
    authenticateAsListener(raw, secret, { timeoutMs: options.handshakeTimeoutMs }).then(
      (stream) => {
        unauthenticated--;
        logger.debug("ipc", `IPC connection from ${peer} authenticated`);
        onConnection(stream);
      },
      (error: Error) => {
        unauthenticated--;
        logger.warning(`IPC authentication failed for connection from ${peer}: ${error.message}`);
      },
    );
  });
  if (!isLoopback(endpoint.host)) {
    logger.info(
      `IPC over TCP on ${endpoint.host} is authenticated but not encrypted; ` +
        "use an SSH tunnel or a VPN across untrusted networks",
    );
  }
  return listener;
}

/** Connections allowed to be mid-handshake at once on a TCP listener. */
export const MAX_PENDING_HANDSHAKES = 32;

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}

class Listener implements IpcListener {
  readonly endpoint: IpcEndpoint;
  #server: net.Server;
  #streams = new Set<ByteStream>();
  #cleanup: () => Promise<void>;
  #closing: Promise<void> | undefined;

  constructor(server: net.Server, endpoint: IpcEndpoint, cleanup: () => Promise<void>) {
    this.#server = server;
    this.endpoint = endpoint;
    this.#cleanup = cleanup;
  }

  get connectionCount(): number {
    return this.#streams.size;
  }

  track(stream: ByteStream): void {
    this.#streams.add(stream);
    stream.onClose(() => this.#streams.delete(stream));
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    const stopped = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    const streamsClosed = [...this.#streams].map((stream) =>
      new Promise<void>((resolve) => stream.onClose(() => resolve()))
    );
    for (const stream of this.#streams) stream.close();
    await Promise.all([stopped, ...streamsClosed]);
    await this.#cleanup();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
