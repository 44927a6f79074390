/**
 * Challenge-response authentication for IPC over TCP.
 *
 * Upstream refused TCP IPC because any local process could connect (bitcoin#32802). We accept
 * TCP connections only from a peer that proves it knows the secret in the listener's cookie file
 * (see cookie.ts), without the secret ever crossing the wire, and the listener proves the same
 * back so a client never sends its Cap'n Proto traffic to an impostor holding the port.
 *
 * Handshake bytes, in order, before any Cap'n Proto byte (all fields fixed length, no length
 * prefixes, so nothing is allocated from peer-supplied sizes):
 *
 * ```
 * 1. listener -> client  HELLO, 40 bytes:
 *      MAGIC (8 bytes: "FRCIPC" 0x00 0x01, the last byte is the handshake version)
 *      server_nonce (32 random bytes)
 * 2. client -> listener  PROOF, 72 bytes:
 *      MAGIC (8 bytes, as above)
 *      client_nonce (32 random bytes)
 *      HMAC-SHA256(key = secret, "freicoin-ipc client" || server_nonce || client_nonce) (32 bytes)
 *    The listener checks MAGIC and the HMAC in constant time. On any mismatch it closes the
 *    connection without sending anything more and logs the reason.
 * 3. listener -> client  ACCEPT, 32 bytes:
 *      HMAC-SHA256(key = secret, "freicoin-ipc server" || server_nonce || client_nonce)
 *    The client checks it; on mismatch it closes the connection.
 * 4. Cap'n Proto messages in both directions.
 * ```
 *
 * The distinct labels keep the client's proof from being replayed as the listener's answer,
 * and fresh nonces on both sides keep recorded handshakes from being replayed. The handshake
 * authenticates the peer; it does not encrypt the session (use an SSH tunnel or a VPN across
 * untrusted networks, see ipc/README.md). Each side gives up after a timeout.
 *
 * @module
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { ByteStream, CloseReason } from "../byte_stream.ts";

/** `FRCIPC`, a zero byte and the handshake version (1). */
export const HANDSHAKE_MAGIC: Uint8Array = new Uint8Array([
  0x46,
  0x52,
  0x43,
  0x49,
  0x50,
  0x43,
  0x00,
  0x01,
]);

const NONCE_BYTES = 32;
const MAC_BYTES = 32;
/** Size of the listener's HELLO message. */
export const HELLO_BYTES = HANDSHAKE_MAGIC.length + NONCE_BYTES;
/** Size of the client's PROOF message. */
export const PROOF_BYTES = HANDSHAKE_MAGIC.length + NONCE_BYTES + MAC_BYTES;
/** Size of the listener's ACCEPT message. */
export const ACCEPT_BYTES = MAC_BYTES;

/** How long either side waits for the other's next handshake message by default. */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

const CLIENT_LABEL = new TextEncoder().encode("freicoin-ipc client");
const SERVER_LABEL = new TextEncoder().encode("freicoin-ipc server");

/** Raised when a handshake fails; the message says why, for the log. */
export class AuthenticationError extends Error {
  override name = "AuthenticationError";
}

/** Options for both sides of the handshake. */
export interface HandshakeOptions {
  /** Give up (and close the stream) when the peer is this slow; default 10 s. */
  readonly timeoutMs?: number;
}

/**
 * Runs the listener's side of the handshake on a freshly accepted stream.
 *
 * Resolves with a stream that carries only what follows the handshake. Rejects with an
 * {@linkcode AuthenticationError} (after closing the stream) when the peer does not prove
 * knowledge of `secret`; nothing beyond the HELLO is sent to such a peer.
 *
 * @example
 * ```ts ignore
 * const stream = await authenticateAsListener(raw, secret);
 * ```
 */
export async function authenticateAsListener(
  stream: ByteStream,
  secret: Uint8Array,
  options: HandshakeOptions = {},
): Promise<ByteStream> {
  const reader = new HandshakeReader(stream, options.timeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS);
  const serverNonce = new Uint8Array(randomBytes(NONCE_BYTES));
  try {
    stream.write(concat(HANDSHAKE_MAGIC, serverNonce));
    const proof = await reader.read(PROOF_BYTES);
    if (!equalBytes(proof.subarray(0, HANDSHAKE_MAGIC.length), HANDSHAKE_MAGIC)) {
      throw new AuthenticationError("peer did not send the IPC handshake (wrong protocol?)");
    }
    const clientNonce = proof.subarray(
      HANDSHAKE_MAGIC.length,
      HANDSHAKE_MAGIC.length + NONCE_BYTES,
    );
    const clientMac = proof.subarray(HANDSHAKE_MAGIC.length + NONCE_BYTES);
    const expected = hmac(secret, CLIENT_LABEL, serverNonce, clientNonce);
    if (!timingSafeEqual(clientMac, expected)) {
      throw new AuthenticationError("peer does not know the IPC cookie secret");
    }
    stream.write(hmac(secret, SERVER_LABEL, serverNonce, clientNonce));
    return reader.finish();
  } catch (error) {
    reader.abort();
    throw error;
  }
}

/**
 * Runs the connecting side of the handshake. Resolves with a stream that carries only Cap'n
 * Proto bytes once the listener has proved it knows `secret` too.
 *
 * @example
 * ```ts ignore
 * const stream = await authenticateAsClient(raw, await readCookie(cookiePath));
 * ```
 */
export async function authenticateAsClient(
  stream: ByteStream,
  secret: Uint8Array,
  options: HandshakeOptions = {},
): Promise<ByteStream> {
  const reader = new HandshakeReader(stream, options.timeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS);
  try {
    const hello = await reader.read(HELLO_BYTES);
    if (!equalBytes(hello.subarray(0, HANDSHAKE_MAGIC.length), HANDSHAKE_MAGIC)) {
      throw new AuthenticationError(
        "listener did not send the IPC handshake (not a freicoin IPC port, or an old version)",
      );
    }
    const serverNonce = hello.subarray(HANDSHAKE_MAGIC.length);
    const clientNonce = new Uint8Array(randomBytes(NONCE_BYTES));
    stream.write(
      concat(HANDSHAKE_MAGIC, clientNonce, hmac(secret, CLIENT_LABEL, serverNonce, clientNonce)),
    );
    const accept = await reader.read(ACCEPT_BYTES).catch((error) => {
      // The listener hangs up without a word on a wrong secret.
      throw error instanceof AuthenticationError && /closed/.test(error.message)
        ? new AuthenticationError("listener refused the IPC cookie secret (closed the connection)")
        : error;
    });
    if (!timingSafeEqual(accept, hmac(secret, SERVER_LABEL, serverNonce, clientNonce))) {
      throw new AuthenticationError("listener does not know the IPC cookie secret");
    }
    return reader.finish();
  } catch (error) {
    reader.abort();
    throw error;
  }
}

function hmac(key: Uint8Array, label: Uint8Array, a: Uint8Array, b: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac("sha256", key).update(label).update(a).update(b).digest());
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Collects fixed-size handshake messages from a stream, then hands the stream over (with any
 * bytes that arrived early) as a new {@linkcode ByteStream}.
 */
class HandshakeReader {
  #stream: ByteStream;
  #timeoutMs: number;
  #buffer: Uint8Array = new Uint8Array(0);
  #want = 0;
  #waiter: { resolve: (b: Uint8Array) => void; reject: (e: Error) => void } | undefined;
  #closed: CloseReason | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(stream: ByteStream, timeoutMs: number) {
    this.#stream = stream;
    this.#timeoutMs = timeoutMs;
    stream.onData((chunk) => {
      // Never hold more than the message being waited for plus one chunk: `#check` consumes
      // each message as soon as it is complete.
      this.#buffer = concat(this.#buffer, chunk);
      this.#check();
    });
    stream.onClose((reason) => {
      this.#closed = reason;
      this.#check();
    });
  }

  read(length: number): Promise<Uint8Array> {
    this.#want = length;
    const promise = new Promise<Uint8Array>((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
    this.#timer = setTimeout(() => {
      this.#fail(new AuthenticationError("IPC handshake timed out"));
    }, this.#timeoutMs);
    this.#check();
    return promise;
  }

  /** Ends the handshake: the returned stream delivers what follows it. */
  finish(): ByteStream {
    return new HandedOverStream(this.#stream, this.#buffer);
  }

  /** Gives up: closes the underlying stream. */
  abort(): void {
    this.#clearTimer();
    this.#stream.onData(() => {});
    this.#stream.close();
  }

  #check(): void {
    const waiter = this.#waiter;
    if (!waiter) return;
    if (this.#buffer.length >= this.#want) {
      const message = this.#buffer.slice(0, this.#want);
      this.#buffer = this.#buffer.slice(this.#want);
      this.#waiter = undefined;
      this.#clearTimer();
      waiter.resolve(message);
    } else if (this.#closed !== null) {
      const why = this.#closed ? `: ${this.#closed.message}` : "";
      this.#fail(new AuthenticationError(`connection closed during the IPC handshake${why}`));
    }
  }

  #fail(error: Error): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    this.#clearTimer();
    waiter?.reject(error);
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/** The underlying stream after the handshake, replaying bytes that arrived with it. */
class HandedOverStream implements ByteStream {
  readonly description: string;
  #inner: ByteStream;
  #early: Uint8Array[];
  #receiver: ((chunk: Uint8Array) => void) | undefined;

  constructor(inner: ByteStream, early: Uint8Array) {
    this.#inner = inner;
    this.description = inner.description;
    this.#early = early.length > 0 ? [early] : [];
    inner.onData((chunk) => {
      if (this.#receiver) this.#receiver(chunk);
      else this.#early.push(chunk);
    });
  }

  write(bytes: Uint8Array): void {
    this.#inner.write(bytes);
  }

  onData(receiver: (chunk: Uint8Array) => void): void {
    this.#receiver = receiver;
    const early = this.#early;
    this.#early = [];
    for (const chunk of early) receiver(chunk);
  }

  onClose(listener: (reason: CloseReason) => void): void {
    this.#inner.onClose(listener);
  }

  close(): void {
    this.#inner.close();
  }
}
