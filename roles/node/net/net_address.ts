/**
 * Network addresses as the P2P messages carry them (`CNetAddr`, `CService`, `CAddress`,
 * src/netaddress.h, src/protocol.h): the 16-byte IPv6 form of addr v1 and the BIP155 addrv2
 * encoding with a network id.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { type ByteReader, type ByteWriter, DecodeError } from "../../../kernel/encoding/mod.ts";

/** BIP155 network ids. */
export const Bip155Network = {
  IPV4: 1,
  IPV6: 2,
  TORV2: 3,
  TORV3: 4,
  I2P: 5,
  CJDNS: 6,
} as const;

/** Largest address payload in addrv2 (`MAX_ADDRV2_SIZE`). */
export const MAX_ADDRV2_SIZE = 512;

const IPV4_IN_IPV6_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/** An IP address (IPv4 or IPv6) or another BIP155 network address, with a port. */
export interface NetService {
  /** BIP155 network id. */
  readonly network: number;
  /** Address bytes: 4 for IPv4, 16 for IPv6, network-specific otherwise. */
  readonly ip: Uint8Array;
  readonly port: number;
}

/** An address with the services and last-seen time it was advertised with (`CAddress`). */
export interface NetAddressEntry extends NetService {
  readonly time: number;
  readonly services: bigint;
}

/** Parses `"a.b.c.d"` or an IPv6 literal into a service; undefined when not an IP. */
export function parseIp(text: string, port: number): NetService | undefined {
  if (text.endsWith(".onion")) {
    const key = parseOnionV3(text);
    return key ? { network: Bip155Network.TORV3, ip: key, port } : undefined;
  }
  const v4 = parseIpv4(text);
  if (v4) return { network: Bip155Network.IPV4, ip: v4, port };
  const bare = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  if (!bare.includes(":")) return undefined;
  const halves = bare.split("::");
  if (halves.length > 2) return undefined;
  const parseGroups = (s: string) => s === "" ? [] : s.split(":");
  const head = parseGroups(halves[0]);
  const tail = halves.length === 2 ? parseGroups(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
  const groups = [...head, ...new Array(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  const ip = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(groups[i])) return undefined;
    const value = parseInt(groups[i], 16);
    ip[2 * i] = value >> 8;
    ip[2 * i + 1] = value & 0xff;
  }
  return fromIpv6Bytes(ip, port);
}

const BASE32_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

function onionChecksum(key: Uint8Array): Uint8Array {
  const hash = createHash("sha3-256");
  hash.update(new TextEncoder().encode(".onion checksum"));
  hash.update(key);
  hash.update(new Uint8Array([3]));
  return new Uint8Array(hash.digest()).slice(0, 2);
}

/** A Tor v3 `<56 base32 chars>.onion` name: its 32-byte public key, checksum verified. */
function parseOnionV3(text: string): Uint8Array | undefined {
  const name = text.slice(0, -".onion".length).toLowerCase();
  if (name.length !== 56) return undefined;
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const c of name) {
    const value = BASE32_ALPHABET.indexOf(c);
    if (value < 0) return undefined;
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  if (bytes.length !== 35 || bytes[34] !== 3) return undefined;
  const key = new Uint8Array(bytes.slice(0, 32));
  const checksum = onionChecksum(key);
  if (checksum[0] !== bytes[32] || checksum[1] !== bytes[33]) return undefined;
  return key;
}

function formatOnionV3(key: Uint8Array): string {
  const bytes = [...key, ...onionChecksum(key), 3];
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32_ALPHABET[(buffer >> bits) & 31];
    }
  }
  return `${out}.onion`;
}

/**
 * IPv4 in the forms `inet_aton` accepts (the numeric lookups of freicoind do):
 * `a.b.c.d`, `a.b.c` (c is 16 bits), `a.b` (b is 24 bits) and `a` (32 bits), each part
 * decimal or `0x` hexadecimal.
 */
function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split(".");
  if (parts.length > 4) return undefined;
  const values: number[] = [];
  for (const part of parts) {
    if (!/^(0x[0-9a-fA-F]+|\d+)$/.test(part)) return undefined;
    values.push(part.startsWith("0x") ? parseInt(part.slice(2), 16) : Number(part));
  }
  const lastBits = 8 * (5 - values.length);
  const last = values[values.length - 1];
  if (values.slice(0, -1).some((v) => v > 255) || last >= 2 ** Math.min(lastBits, 32)) {
    return undefined;
  }
  const out = new Uint8Array(4);
  values.slice(0, -1).forEach((v, i) => out[i] = v);
  for (let i = 3; i >= values.length - 1; i--) {
    out[i] = Math.floor(last / 2 ** (8 * (3 - i))) & 0xff;
  }
  return out;
}

/**
 * Parses `host[:port]` (`[v6]:port` for IPv6) with a default port; undefined when the host
 * is not a literal IP address.
 */
export function parseService(text: string, defaultPort: number): NetService | undefined {
  const split = splitHostPort(text, defaultPort);
  if (!split) return undefined;
  return parseIp(split.host, split.port);
}

/** `SplitHostPort`: splits `host:port`, `[v6]:port`, or a bare host. */
export function splitHostPort(
  text: string,
  defaultPort: number,
): { host: string; port: number } | undefined {
  let host = text;
  let port = defaultPort;
  const colon = text.lastIndexOf(":");
  const bracketed = text.startsWith("[") && text.lastIndexOf("]") > 0;
  // A port is present when the last colon follows a closing bracket, or is the only colon.
  const hasPort = colon >= 0 &&
    ((bracketed && colon > text.lastIndexOf("]")) || (!bracketed && text.indexOf(":") === colon));
  if (hasPort) {
    const portText = text.slice(colon + 1);
    if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) return undefined;
    port = Number(portText);
    host = text.slice(0, colon);
  }
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  return { host, port };
}

/** A service from the 16-byte legacy form (IPv4-mapped addresses become IPv4). */
export function fromIpv6Bytes(ip: Uint8Array, port: number): NetService {
  if (IPV4_IN_IPV6_PREFIX.every((b, i) => ip[i] === b)) {
    return { network: Bip155Network.IPV4, ip: ip.slice(12), port };
  }
  return { network: Bip155Network.IPV6, ip, port };
}

/** The text of an address without port (`CNetAddr::ToStringAddr`). */
export function formatIp(service: NetService): string {
  const { ip } = service;
  if (service.network === Bip155Network.IPV4) return Array.from(ip).join(".");
  if (service.network === Bip155Network.TORV3 && ip.length === 32) return formatOnionV3(ip);
  if (service.network !== Bip155Network.IPV6) return `[network ${service.network}]`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((ip[i] << 8) | ip[i + 1]);
  // RFC 5952: compress the longest run (of two or more) of zero groups.
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength && j - i >= 2) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  const head = hex.slice(0, bestStart).join(":");
  const tail = hex.slice(bestStart + bestLength).join(":");
  return `${head}::${tail}`;
}

/** `CService::ToStringAddrPort`: `1.2.3.4:8639` or `[::1]:8639`. */
export function formatService(service: NetService): string {
  const ip = formatIp(service);
  return service.network === Bip155Network.IPV6
    ? `[${ip}]:${service.port}`
    : `${ip}:${service.port}`;
}

/** `CNetAddr::IsRoutable` for IPv4 and IPv6 (the reserved and local ranges are not). */
export function isRoutable(service: NetService): boolean {
  const ip = service.ip;
  if (service.network === Bip155Network.IPV4) {
    if (ip[0] === 0 || ip[0] === 10 || ip[0] === 127) return false;
    if (ip[0] === 192 && ip[1] === 168) return false;
    if (ip[0] === 172 && ip[1] >= 16 && ip[1] <= 31) return false;
    if (ip[0] === 169 && ip[1] === 254) return false;
    if (ip[0] === 100 && ip[1] >= 64 && ip[1] <= 127) return false;
    if (ip[0] === 198 && (ip[1] === 18 || ip[1] === 19)) return false;
    return ip[0] < 224;
  }
  if (service.network === Bip155Network.IPV6) {
    if (ip.every((b, i) => i === 15 ? b <= 1 : b === 0)) return false;
    if (ip[0] === 0xfe && (ip[1] & 0xc0) === 0x80) return false;
    if ((ip[0] & 0xfe) === 0xfc) return false;
    if (ip[0] === 0x20 && ip[1] === 0x01 && ip[2] === 0x0d && ip[3] === 0xb8) return false;
    return true;
  }
  // Tor v3, I2P and CJDNS are routable; an unknown network is not even valid.
  return service.network === Bip155Network.TORV3 || service.network === Bip155Network.I2P ||
    service.network === Bip155Network.CJDNS;
}

/** The network name getpeerinfo shows (`GetNetworkName` of `GetNetClass`). */
export function networkName(service: NetService): string {
  if (!isRoutable(service)) return "not_publicly_routable";
  switch (service.network) {
    case Bip155Network.IPV4:
      return "ipv4";
    case Bip155Network.IPV6:
      return "ipv6";
    case Bip155Network.TORV3:
      return "onion";
    case Bip155Network.I2P:
      return "i2p";
    case Bip155Network.CJDNS:
      return "cjdns";
    default:
      return "not_publicly_routable";
  }
}

/** The 16-byte legacy form (IPv4 mapped into IPv6; other networks become `::`). */
export function ipv6Bytes(service: NetService): Uint8Array {
  const out = new Uint8Array(16);
  if (service.network === Bip155Network.IPV4) {
    out.set(IPV4_IN_IPV6_PREFIX);
    out.set(service.ip, 12);
  } else if (service.network === Bip155Network.IPV6) {
    out.set(service.ip);
  }
  return out;
}

/** Writes `services(8) | ip(16) | port(2, big-endian)` (version message addresses). */
export function writeVersionAddress(
  writer: ByteWriter,
  services: bigint,
  service: NetService,
): void {
  writer.writeU64LE(services).writeBytes(ipv6Bytes(service));
  writer.writeU8(service.port >> 8).writeU8(service.port & 0xff);
}

/** Reads `services | ip | port` (a version message address). */
export function readVersionAddress(reader: ByteReader): { services: bigint; service: NetService } {
  const services = reader.readU64LE();
  const ip = reader.readBytes(16);
  const port = (reader.readU8() << 8) | reader.readU8();
  return { services, service: fromIpv6Bytes(ip, port) };
}

/** Writes an addr (v1) entry: time, services, 16-byte ip, port. */
export function writeAddrV1(writer: ByteWriter, entry: NetAddressEntry): void {
  writer.writeU32LE(entry.time >>> 0);
  writeVersionAddress(writer, entry.services, entry);
}

/** Reads an addr (v1) entry. */
export function readAddrV1(reader: ByteReader): NetAddressEntry {
  const time = reader.readU32LE();
  const { services, service } = readVersionAddress(reader);
  return { ...service, time, services };
}

const BIP155_SIZES: Readonly<Record<number, number>> = {
  [Bip155Network.IPV4]: 4,
  [Bip155Network.IPV6]: 16,
  [Bip155Network.TORV2]: 10,
  [Bip155Network.TORV3]: 32,
  [Bip155Network.I2P]: 32,
  [Bip155Network.CJDNS]: 16,
};

/** Writes an addrv2 (BIP155) entry. */
export function writeAddrV2(writer: ByteWriter, entry: NetAddressEntry): void {
  writer.writeU32LE(entry.time >>> 0).writeCompactSize(entry.services);
  writer.writeU8(entry.network).writeVarBytes(entry.ip);
  writer.writeU8(entry.port >> 8).writeU8(entry.port & 0xff);
}

/**
 * Reads an addrv2 entry (`CNetAddr::UnserializeV2Stream`). An address of an unknown network is
 * returned with its network id so the caller can skip it; a known network with the wrong size
 * and an oversized address are errors, as in the reference.
 */
export function readAddrV2(reader: ByteReader): NetAddressEntry {
  const time = reader.readU32LE();
  const services = reader.readCompactSizeUnchecked();
  const network = reader.readU8();
  const size = reader.readCompactSize();
  if (size > MAX_ADDRV2_SIZE) {
    throw new DecodeError(`Address too long: ${size} > ${MAX_ADDRV2_SIZE}`);
  }
  const expected = BIP155_SIZES[network];
  if (expected !== undefined && size !== expected) {
    throw new DecodeError(
      `BIP155 network ${network} address with ${size} bytes; expected ${expected}`,
    );
  }
  const ip = reader.readBytes(size);
  const port = (reader.readU8() << 8) | reader.readU8();
  if (network === Bip155Network.IPV6 && IPV4_IN_IPV6_PREFIX.every((b, i) => ip[i] === b)) {
    // Embedded IPv4 in an IPv6 addrv2 record is invalid; the reference makes it a null address.
    return { network: Bip155Network.IPV6, ip: new Uint8Array(16), port, time, services };
  }
  return { network, ip, port, time, services };
}
