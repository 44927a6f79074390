/**
 * The child side of a spawn: the socket the parent handed over as an inherited fd.
 *
 * @module
 */
import net from "node:net";
import type { ByteStream } from "../byte_stream.ts";
import { socketToByteStream } from "./socket_stream.ts";

/** The fd a spawned role receives its IPC socket on (`-ipcfd 3`). */
export const INHERITED_IPC_FD = 3;

/** Raised when the fd given with `-ipcfd` cannot be used. */
export class InheritedFdError extends Error {
  override name = "InheritedFdError";
}

/**
 * Adopts the inherited socket `fd` (normally 3, from `-ipcfd 3`) as a {@linkcode ByteStream}.
 *
 * Closing the socket is the shutdown signal both ways: when the parent exits or crashes, the
 * kernel closes its end, this stream's `onClose` listeners run, and nothing of this stream keeps
 * the child's event loop alive any more, so a role that stops its own work on close exits
 * cleanly. Works with no Deno permissions at all.
 *
 * @throws {InheritedFdError} for a negative or non-integer fd, or one that cannot be opened.
 * @example
 * ```ts ignore
 * const stream = adoptInheritedStream(3);
 * stream.onData((chunk) => stream.write(chunk)); // echo
 * stream.onClose(() => console.error("parent gone"));
 * ```
 */
export function adoptInheritedStream(fd: number = INHERITED_IPC_FD): ByteStream {
  if (!Number.isSafeInteger(fd) || fd < 0) {
    throw new InheritedFdError(`Invalid -ipcfd number '${fd}'`);
  }
  let socket: net.Socket;
  try {
    socket = new net.Socket({ fd, readable: true, writable: true, allowHalfOpen: false });
  } catch (error) {
    throw new InheritedFdError(
      `Unable to use inherited IPC fd ${fd}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  return socketToByteStream(socket, `fd ${fd}`);
}
