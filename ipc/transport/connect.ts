/**
 * `-ipcconnect`: opening an IPC connection to a unix socket (named pipe on Windows) or an
 * authenticated TCP port.
 *
 * @module
 */
import net from "node:net";
import type { ByteStream } from "../byte_stream.ts";
import { type AutoEndpoint, formatEndpoint, type IpcEndpoint } from "../endpoint.ts";
import { authenticateAsClient } from "./authenticated_stream.ts";
import { readCookie } from "./cookie.ts";
import { socketToByteStream } from "./socket_stream.ts";
import {
  netAddressForPath,
  requireTcpPermission,
  requireUnixSocketPermissions,
} from "./unix_path.ts";

/** Options for {@linkcode connect}. */
export interface ConnectOptions {
  /** TCP only, required there: the listener's cookie file (or a copy of it). */
  readonly cookiePath?: string;
  /** TCP only: how long the listener may take to answer the handshake; default 10 s. */
  readonly handshakeTimeoutMs?: number;
}

/** Raised when a connection cannot be made. */
export class ConnectError extends Error {
  override name = "ConnectError";
  /** True when nothing listens there (no socket file, or connection refused). */
  readonly nobodyListening: boolean;

  constructor(message: string, nobodyListening: boolean, options?: ErrorOptions) {
    super(message, options);
    this.nobodyListening = nobodyListening;
  }
}

/**
 * Connects to `endpoint`. For TCP, the cookie handshake runs first and the returned stream
 * carries only what follows it.
 *
 * @throws {ConnectError} when the connection or the authentication fails.
 * @example
 * ```ts ignore
 * const stream = await connect({ kind: "tcp", host: "127.0.0.1", port: 8335 }, {
 *   cookiePath: "/home/u/.freicoin/.ipccookie",
 * });
 * ```
 */
export async function connect(
  endpoint: IpcEndpoint,
  options: ConnectOptions = {},
): Promise<ByteStream> {
  const where = formatEndpoint(endpoint);
  try {
    if (endpoint.kind === "unix") {
      requireUnixSocketPermissions(endpoint.path);
      const socket = await openSocket(() => net.connect(netAddressForPath(endpoint.path)));
      return socketToByteStream(socket, where);
    }
    if (options.cookiePath === undefined) {
      throw new Error("a TCP IPC connection needs the listener's cookie file");
    }
    const secret = await readCookie(options.cookiePath);
    requireTcpPermission(endpoint.host, endpoint.port);
    const socket = await openSocket(() =>
      net.connect({ host: endpoint.host, port: endpoint.port })
    );
    socket.setNoDelay(true);
    return await authenticateAsClient(socketToByteStream(socket, where), secret, {
      timeoutMs: options.handshakeTimeoutMs,
    });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const nobody = code === "ENOENT" || code === "ECONNREFUSED";
    const why = error instanceof Error ? error.message : String(error);
    throw new ConnectError(`Unable to connect to IPC address '${where}'. ${why}`, nobody, {
      cause: error,
    });
  }
}

/**
 * `-ipcconnect=auto`: connects to the default socket, or resolves `undefined` when nothing
 * listens there (the caller then spawns a node or works offline). Other failures still throw.
 */
export async function connectAuto(endpoint: AutoEndpoint): Promise<ByteStream | undefined> {
  try {
    return await connect({ kind: "unix", path: endpoint.path });
  } catch (error) {
    if (error instanceof ConnectError && error.nobodyListening) return undefined;
    throw error;
  }
}

function openSocket(open: () => net.Socket): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = open();
    const onError = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.once("error", onError);
    socket.once("connect", () => {
      socket.off("error", onError);
      resolve(socket);
    });
  });
}
