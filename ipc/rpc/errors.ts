/**
 * Errors a caller sees from remote calls.
 *
 * @module
 */
import type { ExceptionType } from "./rpc_codec.ts";

/** A call failed on the other side; `message` is the peer's reason text, unchanged. */
export class RemoteError extends Error {
  /** The Cap'n Proto exception type (`failed`, `overloaded`, `disconnected`, `unimplemented`). */
  readonly type: ExceptionType;
  /** Creates the error from the peer's reason and type. */
  constructor(message: string, type: ExceptionType = "failed") {
    super(message);
    this.name = "RemoteError";
    this.type = type;
  }
}

/** The connection to the peer is gone: pending calls fail with this, and so do later calls. */
export class DisconnectedError extends Error {
  /** Creates the error; `cause` is why the connection ended, when known. */
  constructor(message = "IPC peer disconnected", options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DisconnectedError";
  }
}
