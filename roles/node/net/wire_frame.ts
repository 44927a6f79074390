/**
 * The v1 transport (`V1Transport`, src/net.cpp): each message is framed as
 * `magic(4) | command(12, NUL-padded) | length(4 LE) | sha256d(payload)[0..4] | payload`.
 *
 * @module
 */
import { bytesEqual, bytesToHex } from "../../../kernel/encoding/mod.ts";
import { sha256d } from "../../../kernel/hash/mod.ts";
import { MAX_PROTOCOL_MESSAGE_LENGTH, MAX_SERIALIZED_SIZE } from "./protocol.ts";

/** Size of the v1 message header (`CMessageHeader::HEADER_SIZE`). */
export const FRAME_HEADER_SIZE = 24;
/** Size of the command field (`CMessageHeader::COMMAND_SIZE`). */
export const COMMAND_SIZE = 12;

/** Frames `payload` as a v1 message of `command`. */
export function encodeFrame(magic: Uint8Array, command: string, payload: Uint8Array): Uint8Array {
  if (command.length > COMMAND_SIZE) throw new RangeError(`command too long: ${command}`);
  const frame = new Uint8Array(FRAME_HEADER_SIZE + payload.length);
  frame.set(magic, 0);
  for (let i = 0; i < command.length; i++) frame[4 + i] = command.charCodeAt(i);
  new DataView(frame.buffer).setUint32(16, payload.length, true);
  frame.set(sha256d(payload).subarray(0, 4), 20);
  frame.set(payload, FRAME_HEADER_SIZE);
  return frame;
}

/** `CMessageHeader::IsCommandValid`: printable ASCII, then only NULs. */
export function isCommandValid(field: Uint8Array): boolean {
  let i = 0;
  for (; i < field.length && field[i] !== 0; i++) {
    if (field[i] < 0x20 || field[i] > 0x7e) return false;
  }
  for (; i < field.length; i++) if (field[i] !== 0) return false;
  return true;
}

/** A complete message taken off the wire. */
export type ReceivedFrame =
  | {
    readonly kind: "message";
    readonly command: string;
    readonly payload: Uint8Array;
    /** Bytes on the wire, framing included (`m_raw_message_size`). */
    readonly rawSize: number;
  }
  | {
    /** A message dropped without disconnecting: bad checksum or invalid command. */
    readonly kind: "rejected";
    readonly reason: string;
    readonly rawSize: number;
  };

/** A transport error after which the peer is disconnected. */
export class FrameError extends Error {
  /** Creates a frame error with the reference's log text. */
  constructor(message: string) {
    super(message);
    this.name = "FrameError";
  }
}

/** Options of a {@linkcode FrameReader}. */
export interface FrameReaderOptions {
  /** Largest payload accepted; default {@linkcode MAX_PROTOCOL_MESSAGE_LENGTH}. */
  maxMessageLength?: number;
}

/**
 * Splits a byte stream into frames. Payload memory grows only as bytes arrive, so a header
 * announcing a large length costs nothing until the data is really sent.
 */
export class FrameReader {
  readonly #magic: Uint8Array;
  readonly #maxLength: number;
  readonly #header = new Uint8Array(FRAME_HEADER_SIZE);
  #headerPos = 0;
  #payloadLength = -1;
  #chunks: Uint8Array[] = [];
  #payloadPos = 0;

  /** Creates a reader for the network `magic`. */
  constructor(magic: Uint8Array, options: FrameReaderOptions = {}) {
    this.#magic = magic;
    this.#maxLength = Math.min(
      options.maxMessageLength ?? MAX_PROTOCOL_MESSAGE_LENGTH,
      MAX_SERIALIZED_SIZE,
    );
  }

  /** Bytes buffered for an unfinished frame. */
  get pendingBytes(): number {
    return this.#headerPos + this.#payloadPos;
  }

  /**
   * Feeds received bytes; returns the frames they complete.
   *
   * @throws {FrameError} on a wrong magic or an oversized length (the peer must be dropped)
   */
  push(bytes: Uint8Array): ReceivedFrame[] {
    const frames: ReceivedFrame[] = [];
    let offset = 0;
    while (offset < bytes.length) {
      if (this.#payloadLength < 0) {
        const take = Math.min(FRAME_HEADER_SIZE - this.#headerPos, bytes.length - offset);
        this.#header.set(bytes.subarray(offset, offset + take), this.#headerPos);
        this.#headerPos += take;
        offset += take;
        if (this.#headerPos < FRAME_HEADER_SIZE) break;
        this.#startPayload();
      }
      const take = Math.min(this.#payloadLength - this.#payloadPos, bytes.length - offset);
      if (take > 0) {
        this.#chunks.push(bytes.slice(offset, offset + take));
        this.#payloadPos += take;
        offset += take;
      }
      if (this.#payloadPos === this.#payloadLength) frames.push(this.#finish());
    }
    return frames;
  }

  #startPayload(): void {
    const header = this.#header;
    if (!bytesEqual(header.subarray(0, 4), this.#magic)) {
      throw new FrameError(
        `Header error: Wrong MessageStart ${bytesToHex(header.subarray(0, 4))} received`,
      );
    }
    const length = new DataView(header.buffer).getUint32(16, true);
    if (length > this.#maxLength) {
      throw new FrameError(
        `Header error: Size too large (${sanitizedCommand(header)}, ${length} bytes)`,
      );
    }
    this.#payloadLength = length;
    this.#payloadPos = 0;
  }

  #finish(): ReceivedFrame {
    const header = this.#header;
    const payload = this.#chunks.length === 1
      ? this.#chunks[0]
      : concat(this.#chunks, this.#payloadLength);
    const rawSize = FRAME_HEADER_SIZE + this.#payloadLength;
    this.#chunks = [];
    this.#payloadLength = -1;
    this.#payloadPos = 0;
    this.#headerPos = 0;
    const command = sanitizedCommand(header);
    const checksum = sha256d(payload).subarray(0, 4);
    if (!bytesEqual(checksum, header.subarray(20, 24))) {
      return {
        kind: "rejected",
        reason: `Header error: Wrong checksum (${command}, ${payload.length} bytes), expected ${
          bytesToHex(checksum)
        } was ${bytesToHex(header.subarray(20, 24))}`,
        rawSize,
      };
    }
    if (!isCommandValid(header.subarray(4, 16))) {
      return {
        kind: "rejected",
        reason: `Header error: Invalid message type (${command}, ${payload.length} bytes)`,
        rawSize,
      };
    }
    return { kind: "message", command, payload, rawSize };
  }
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let pos = 0;
  for (const chunk of chunks) {
    out.set(chunk, pos);
    pos += chunk.length;
  }
  return out;
}

/** The command field up to its first NUL, with unprintable bytes removed (`SanitizeString`). */
function sanitizedCommand(header: Uint8Array): string {
  let text = "";
  for (let i = 4; i < 16 && header[i] !== 0; i++) {
    const c = header[i];
    if (c >= 0x20 && c <= 0x7e) text += String.fromCharCode(c);
  }
  return text;
}
