/**
 * The BIP324 v2 transport of one connection (`V2Transport`, src/net.cpp), driven by byte
 * chunks: {@linkcode V2Transport.receive} takes what the socket read and returns complete
 * messages; {@linkcode V2Transport.send} queues a message; {@linkcode V2Transport.takeBytesToSend}
 * hands over everything due on the wire (handshake included). A responder that sees a v1
 * `version` header first becomes a v1 transport, so the caller never needs to know which.
 *
 * @module
 */
import { bytesEqual, bytesToHex } from "../../../../kernel/encoding/mod.ts";
import { MAX_PROTOCOL_MESSAGE_LENGTH, MAX_SERIALIZED_SIZE } from "../protocol.ts";
import {
  COMMAND_SIZE,
  encodeFrame,
  FRAME_HEADER_SIZE,
  FrameError,
  FrameReader,
  type ReceivedFrame,
} from "../wire_frame.ts";
import {
  BIP324_EXPANSION,
  Bip324Cipher,
  GARBAGE_TERMINATOR_LEN,
  LENGTH_LEN,
} from "./bip324_cipher.ts";
import { decodeV2Contents, encodeV2Contents } from "./message_ids.ts";

/** Most garbage either side may send before its terminator. */
export const MAX_GARBAGE_LEN = 4095;
/** Bytes of an ElligatorSwift public key. */
const KEY_LEN = 64;
/** Bytes a responder waits for before deciding v1 or v2 (magic + "version" + NULs). */
const V1_PREFIX_LEN = 16;
/** Largest packet contents: long type encoding (1 + 12 bytes) plus the largest message. */
const MAX_CONTENTS_LEN = 1 + COMMAND_SIZE +
  Math.min(MAX_SERIALIZED_SIZE, MAX_PROTOCOL_MESSAGE_LENGTH);
/** The version packet's contents: empty, reserved for extensions. */
const VERSION_CONTENTS = new Uint8Array(0);
const VERSION_COMMAND = new TextEncoder().encode("version\0\0\0\0\0");

/** A BIP324 failure after which the peer must be disconnected; message text as the reference. */
export class V2TransportError extends FrameError {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "V2TransportError";
  }
}

/** What the connection is speaking, as `getpeerinfo`'s `transport_protocol_type`. */
export type TransportProtocolType = "detecting" | "v1" | "v2";

/** Options of a {@linkcode V2Transport}. */
export interface V2TransportOptions {
  /** The network magic (`MessageStart`); also salts the key derivation. */
  readonly magic: Uint8Array;
  /** True on outbound connections: we send our key first. */
  readonly initiating: boolean;
  /** Our ephemeral private key (32 bytes, valid scalar). Default: random. */
  readonly privateKey?: Uint8Array;
  /** 32 random bytes for the ElligatorSwift encoding. Default: random. */
  readonly entropy?: Uint8Array;
  /** Garbage sent after our key (≤ 4095 bytes). Default: random length and bytes. */
  readonly garbage?: Uint8Array;
  /** Largest v1 payload accepted after a fallback to v1 (see `FrameReader`). */
  readonly maxMessageLength?: number;
}

type ReceiveState = "key-maybe-v1" | "key" | "garbage" | "version" | "app" | "v1" | "failed";
type SendState = "maybe-v1" | "awaiting-key" | "ready" | "v1";

function randomBytes(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length));
}

/** Uniform in 0..MAX_GARBAGE_LEN (4096 values: 12 random bits). */
function randomGarbageLength(): number {
  const [high, low] = randomBytes(2);
  return ((high << 8) | low) & MAX_GARBAGE_LEN;
}

function randomPrivateKey(): Uint8Array {
  // Below the curve order with overwhelming probability; the cipher rejects the rest.
  for (;;) {
    const key = randomBytes(32);
    if (key.some((b) => b !== 0) && key[0] !== 0xff) return key;
  }
}

function concatChunks(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let pos = 0;
  for (const chunk of chunks) {
    out.set(chunk, pos);
    pos += chunk.length;
  }
  return out;
}

/** One connection's v2 transport (with built-in v1 fallback for responders). */
export class V2Transport {
  readonly #magic: Uint8Array;
  readonly #initiating: boolean;
  readonly #cipher: Bip324Cipher;
  readonly #maxMessageLength: number | undefined;
  #sendGarbage: Uint8Array;
  #receiveState: ReceiveState;
  #sendState: SendState;
  #outbox: Uint8Array[] = [];
  #queued: { command: string; payload: Uint8Array }[] = [];
  #bytesTaken = 0;
  #v1: FrameReader | null = null;
  /** Key / v1-prefix / garbage bytes received so far (bounded by MAX_GARBAGE_LEN + 16). */
  #buffer = new Uint8Array(MAX_GARBAGE_LEN + GARBAGE_TERMINATOR_LEN);
  #bufferLength = 0;
  /** The peer's garbage, authenticated as AAD of its first packet. */
  #receiveAad: Uint8Array = new Uint8Array(0);
  readonly #lengthBytes = new Uint8Array(LENGTH_LEN);
  #lengthPos = 0;
  /** Contents length of the packet being received, or -1 while reading its length. */
  #packetLength = -1;
  #packetChunks: Uint8Array[] = [];
  #packetPos = 0;

  /** Creates the transport; an initiator's key and garbage are due at once. */
  constructor(options: V2TransportOptions) {
    this.#magic = options.magic.slice();
    this.#initiating = options.initiating;
    this.#maxMessageLength = options.maxMessageLength;
    this.#cipher = new Bip324Cipher(options.privateKey ?? randomPrivateKey(), {
      entropy: options.entropy ?? randomBytes(32),
    });
    this.#sendGarbage = options.garbage?.slice() ??
      randomBytes(randomGarbageLength());
    if (this.#sendGarbage.length > MAX_GARBAGE_LEN) throw new RangeError("garbage too long");
    this.#receiveState = this.#initiating ? "key" : "key-maybe-v1";
    this.#sendState = this.#initiating ? "awaiting-key" : "maybe-v1";
    if (this.#initiating) this.#startSendingHandshake();
  }

  /** "detecting" until the peer's version packet authenticates (or v1 is detected). */
  get protocolType(): TransportProtocolType {
    if (this.#receiveState === "v1") return "v1";
    return this.#receiveState === "app" ? "v2" : "detecting";
  }

  /** The 32-byte BIP324 session id once the connection is v2, else `null`. */
  get sessionId(): Uint8Array | null {
    return this.protocolType === "v2" ? this.#cipher.sessionId : null;
  }

  /** Whether bytes are waiting for {@linkcode takeBytesToSend}. */
  get hasBytesToSend(): boolean {
    return this.#outbox.length > 0;
  }

  /**
   * `ShouldReconnectV1`: an outbound connection that sent at least a v1 header's worth of
   * handshake and received nothing may be to a v1-only peer that hung up; the caller should
   * retry it with the v1 transport.
   */
  shouldReconnectV1(): boolean {
    return this.#initiating && this.#receiveState === "key" && this.#bufferLength === 0 &&
      this.#bytesTaken >= FRAME_HEADER_SIZE;
  }

  /** Removes and returns everything due on the wire (empty when nothing is). */
  takeBytesToSend(): Uint8Array {
    const bytes = this.#outbox.length === 0 ? new Uint8Array(0) : concatChunks(this.#outbox);
    this.#outbox = [];
    this.#bytesTaken += bytes.length;
    return bytes;
  }

  /**
   * Queues a message. Before the handshake completes it is held and sent (encrypted) as soon
   * as the keys exist. Returns its size on the wire, framing included (`bytessent` accounting;
   * v2 size unless the connection fell back to v1).
   */
  send(command: string, payload: Uint8Array): number {
    if (this.#sendState === "v1") {
      const frame = encodeFrame(this.#magic, command, payload);
      this.#outbox.push(frame);
      return frame.length;
    }
    const contents = encodeV2Contents(command, payload);
    if (this.#sendState === "ready") {
      this.#outbox.push(this.#cipher.encrypt(contents, new Uint8Array(0), false));
    } else {
      this.#queued.push({ command, payload });
    }
    return contents.length + BIP324_EXPANSION;
  }

  /** Sends a decoy packet of `length` random bytes, which the peer must ignore (v2 only). */
  sendDecoy(length: number): void {
    if (this.#sendState !== "ready") throw new Error("decoys need an established v2 session");
    this.#outbox.push(this.#cipher.encrypt(randomBytes(length), new Uint8Array(0), true));
  }

  /**
   * Takes bytes read from the socket; returns the messages they complete, in order.
   * After it throws, the transport is dead and the peer must be disconnected.
   *
   * @throws {FrameError} (a {@linkcode V2TransportError} for v2 failures) on fatal input
   */
  receive(bytes: Uint8Array): ReceivedFrame[] {
    if (this.#receiveState === "failed") {
      throw new V2TransportError("V2 transport error: session ended");
    }
    if (this.#receiveState === "v1") return this.#v1!.push(bytes);
    const frames: ReceivedFrame[] = [];
    try {
      let offset = 0;
      while (offset < bytes.length) {
        const rest = bytes.subarray(offset);
        switch (this.#receiveState) {
          case "key-maybe-v1":
            offset += this.#receiveMaybeV1(rest);
            if (this.#v1 !== null) { // fell back to v1: the rest is v1 framing
              frames.push(...this.#v1.push(bytes.subarray(offset)));
              return frames;
            }
            break;
          case "key":
            offset += this.#receiveKey(rest);
            break;
          case "garbage":
            offset += this.#receiveGarbage(rest);
            break;
          case "version":
          case "app":
            offset += this.#receivePacket(rest, frames);
            break;
        }
      }
    } catch (error) {
      this.#receiveState = "failed";
      throw error;
    }
    return frames;
  }

  #append(bytes: Uint8Array, limit: number): number {
    const take = Math.min(limit - this.#bufferLength, bytes.length);
    this.#buffer.set(bytes.subarray(0, take), this.#bufferLength);
    this.#bufferLength += take;
    return take;
  }

  #startSendingHandshake(): void {
    this.#outbox.push(this.#cipher.ourPublicKey.slice(), this.#sendGarbage);
  }

  /** Responder: the first 16 bytes decide v1 (magic + "version" header) or v2 (a key). */
  #receiveMaybeV1(bytes: Uint8Array): number {
    const taken = this.#append(bytes, V1_PREFIX_LEN);
    const received = this.#buffer.subarray(0, this.#bufferLength);
    const prefix = new Uint8Array(V1_PREFIX_LEN);
    prefix.set(this.#magic);
    prefix.set(VERSION_COMMAND, 4);
    if (!bytesEqual(received, prefix.subarray(0, received.length))) {
      // Not a v1 version header: a v2 key is arriving; keep its first bytes.
      this.#receiveState = "key";
      this.#sendState = "awaiting-key";
      this.#startSendingHandshake();
    } else if (received.length === V1_PREFIX_LEN) {
      this.#v1 = new FrameReader(this.#magic, { maxMessageLength: this.#maxMessageLength });
      const early = this.#v1.push(received.slice());
      if (early.length !== 0) throw new Error("unreachable: 16 bytes cannot complete a frame");
      this.#receiveState = "v1";
      this.#sendState = "v1";
      this.#bufferLength = 0;
      for (const { command, payload } of this.#queued) this.send(command, payload);
      this.#queued = [];
    }
    return taken;
  }

  #receiveKey(bytes: Uint8Array): number {
    const taken = this.#append(bytes, KEY_LEN);
    // A responder that sees "version" at bytes 4..16 with a different magic: a v1 peer of
    // another network (the reference logs this case specially).
    if (!this.#initiating && this.#bufferLength >= V1_PREFIX_LEN) {
      if (bytesEqual(this.#buffer.subarray(4, V1_PREFIX_LEN), VERSION_COMMAND)) {
        throw new V2TransportError(
          `V2 transport error: V1 peer with wrong MessageStart ${
            bytesToHex(this.#buffer.subarray(0, 4))
          }`,
        );
      }
    }
    if (this.#bufferLength < KEY_LEN) return taken;
    this.#cipher.initialize(this.#buffer.slice(0, KEY_LEN), this.#initiating, this.#magic);
    this.#bufferLength = 0;
    this.#receiveState = "garbage";
    this.#sendState = "ready";
    this.#outbox.push(this.#cipher.sendGarbageTerminator.slice());
    // The version packet authenticates the garbage we sent as its AAD.
    this.#outbox.push(this.#cipher.encrypt(VERSION_CONTENTS, this.#sendGarbage, false));
    this.#sendGarbage = new Uint8Array(0);
    for (const { command, payload } of this.#queued) this.send(command, payload);
    this.#queued = [];
    return taken;
  }

  #receiveGarbage(bytes: Uint8Array): number {
    const terminator = this.#cipher.receiveGarbageTerminator;
    const last = terminator[GARBAGE_TERMINATOR_LEN - 1];
    const limit = MAX_GARBAGE_LEN + GARBAGE_TERMINATOR_LEN;
    const buffer = this.#buffer;
    let i = 0;
    while (i < bytes.length) {
      const byte = bytes[i++];
      buffer[this.#bufferLength++] = byte;
      const length = this.#bufferLength;
      if (
        byte === last && length >= GARBAGE_TERMINATOR_LEN &&
        bytesEqual(buffer.subarray(length - GARBAGE_TERMINATOR_LEN, length), terminator)
      ) {
        this.#receiveAad = buffer.slice(0, length - GARBAGE_TERMINATOR_LEN);
        this.#bufferLength = 0;
        this.#receiveState = "version";
        return i;
      }
      if (length === limit) {
        throw new V2TransportError("V2 transport error: missing garbage terminator");
      }
    }
    return i;
  }

  #receivePacket(bytes: Uint8Array, frames: ReceivedFrame[]): number {
    let offset = 0;
    if (this.#packetLength < 0) {
      const take = Math.min(LENGTH_LEN - this.#lengthPos, bytes.length);
      this.#lengthBytes.set(bytes.subarray(0, take), this.#lengthPos);
      this.#lengthPos += take;
      offset = take;
      if (this.#lengthPos < LENGTH_LEN) return offset;
      const length = this.#cipher.decryptLength(this.#lengthBytes);
      if (length > MAX_CONTENTS_LEN) {
        throw new V2TransportError(`V2 transport error: packet too large (${length} bytes)`);
      }
      this.#packetLength = length;
      this.#packetPos = 0;
      this.#packetChunks = [];
    }
    // Memory grows only as ciphertext arrives, never from the announced length alone.
    const need = this.#packetLength + BIP324_EXPANSION - LENGTH_LEN;
    const take = Math.min(need - this.#packetPos, bytes.length - offset);
    if (take > 0) {
      this.#packetChunks.push(bytes.slice(offset, offset + take));
      this.#packetPos += take;
      offset += take;
    }
    if (this.#packetPos === need) this.#finishPacket(frames);
    return offset;
  }

  #finishPacket(frames: ReceivedFrame[]): void {
    const length = this.#packetLength;
    const ciphertext = concatChunks(this.#packetChunks);
    this.#packetChunks = [];
    this.#packetLength = -1;
    this.#lengthPos = 0;
    const packet = this.#cipher.decrypt(ciphertext, this.#receiveAad);
    if (packet === null) {
      throw new V2TransportError(`V2 transport error: packet decryption failure (${length} bytes)`);
    }
    this.#receiveAad = new Uint8Array(0); // only the first packet authenticates the garbage
    if (packet.ignore) return; // a decoy
    if (this.#receiveState === "version") {
      // The version packet's contents are reserved for extensions and ignored.
      this.#receiveState = "app";
      return;
    }
    const rawSize = length + BIP324_EXPANSION;
    const message = decodeV2Contents(packet.contents);
    if (message === null) {
      // Dropped without disconnecting, as the reference's reject_message.
      frames.push({
        kind: "rejected",
        reason: `V2 transport error: invalid message type (${length} bytes contents)`,
        rawSize,
      });
      return;
    }
    frames.push({ kind: "message", command: message.command, payload: message.payload, rawSize });
  }
}
