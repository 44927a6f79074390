/**
 * The `version` message (`PushNodeVersion` / the VERSION branch of `ProcessMessage`).
 *
 * @module
 */
import { ByteReader, ByteWriter, DecodeError } from "../../../kernel/encoding/mod.ts";
import { type NetService, readVersionAddress, writeVersionAddress } from "./net_address.ts";
import { MAX_SUBVERSION_LENGTH } from "./protocol.ts";

/** The fields of a `version` message. */
export interface VersionMessage {
  readonly version: number;
  readonly services: bigint;
  /** Sender's clock, UNIX seconds. */
  readonly time: bigint;
  /** The address the sender sees us at, and the services it believes we have. */
  readonly addrRecv: NetService;
  readonly addrRecvServices: bigint;
  /** Ignored by receivers; freicoind sends `0.0.0.0:0` with no services. */
  readonly addrFrom: NetService;
  readonly addrFromServices: bigint;
  readonly nonce: bigint;
  readonly userAgent: string;
  readonly startHeight: number;
  /** Whether the sender wants transaction announcements (BIP37 `fRelay`). */
  readonly relay: boolean;
}

/** Serializes a version message. */
export function encodeVersion(message: VersionMessage): Uint8Array {
  const writer = new ByteWriter(128);
  writer.writeI32LE(message.version).writeU64LE(message.services).writeI64LE(message.time);
  writeVersionAddress(writer, message.addrRecvServices, message.addrRecv);
  writeVersionAddress(writer, message.addrFromServices, message.addrFrom);
  writer.writeU64LE(message.nonce);
  writer.writeVarBytes(new TextEncoder().encode(message.userAgent));
  writer.writeI32LE(message.startHeight).writeU8(message.relay ? 1 : 0);
  return writer.toBytes();
}

const UNSPECIFIED: NetService = { network: 1, ip: new Uint8Array(4), port: 0 };

/**
 * Parses a version message. As in the reference, everything after the receiver's address is
 * optional; a user agent longer than 256 bytes is an error ("String length limit exceeded").
 */
export function decodeVersion(payload: Uint8Array): VersionMessage {
  const reader = new ByteReader(payload);
  const version = reader.readI32LE();
  const services = reader.readU64LE();
  const time = reader.readI64LE();
  const recv = readVersionAddress(reader);
  let addrFrom = UNSPECIFIED;
  let addrFromServices = 0n;
  let nonce = 0n;
  let userAgent = "";
  let startHeight = 0;
  let relay = true;
  if (reader.remaining > 0) {
    const from = readVersionAddress(reader);
    addrFrom = from.service;
    addrFromServices = from.services;
    nonce = reader.readU64LE();
  }
  if (reader.remaining > 0) {
    const length = reader.readCompactSize();
    if (length > MAX_SUBVERSION_LENGTH) throw new DecodeError("String length limit exceeded");
    // Invalid UTF-8 is kept as replacement characters; the reference sanitizes for display.
    userAgent = new TextDecoder().decode(reader.readBytes(length));
  }
  if (reader.remaining > 0) startHeight = reader.readI32LE();
  if (reader.remaining > 0) relay = reader.readU8() !== 0;
  return {
    version,
    services,
    time,
    addrRecv: recv.service,
    addrRecvServices: recv.services,
    addrFrom,
    addrFromServices,
    nonce,
    userAgent,
    startHeight,
    relay,
  };
}

/**
 * `SanitizeString` with `SAFE_CHARS_DEFAULT`: what getpeerinfo shows of a peer's user agent.
 */
export function sanitizeUserAgent(text: string): string {
  return text.replace(/[^A-Za-z0-9 .,;\-_/:?@()]/g, "");
}
