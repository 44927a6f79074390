/**
 * `peers.dat`: the address manager saved at shutdown and loaded at start-up, in freicoind's
 * binary format (src/addrdb.cpp `SerializeFileDB`/`DeserializeDB`, src/addrman.cpp
 * `AddrManImpl::Serialize`/`Unserialize`), so a datadir moves between freicoind and us:
 *
 *   network magic (4) | format (u8, 4 = V4_MULTIPORT) | 32 + lowest compatible format (u8)
 *   | key (32) | nNew (i32) | nTried (i32) | 1024 XOR 2^30 (i32) | nNew entries | nTried entries
 *   | per new bucket: count (i32) and the entries' indexes (i32 each) | asmap checksum (32)
 *   | sha256d of everything before (32)
 *
 * Each entry (`AddrInfo`, disk format): version (u32: 220000, plus 2^29 for BIP155 encoding),
 * time (u32), services (CompactSize for BIP155, else u64), the address (BIP155: network id,
 * length, bytes; else 16 bytes), port (u16 big-endian), the source address (same encoding as the
 * file: BIP155 from format 3), last success (i64), attempts (i32).
 *
 * @module
 */
import * as path from "node:path";
import type { Logger } from "../../../cli/logger.ts";
import { ByteReader, ByteWriter, DecodeError } from "../../../kernel/encoding/mod.ts";
import { sha256d } from "../../../kernel/hash/mod.ts";
import {
  type AddrInfo,
  type AddrMan,
  ADDRMAN_BUCKET_SIZE,
  ADDRMAN_NEW_BUCKET_COUNT,
  ADDRMAN_TRIED_BUCKET_COUNT,
  type AddrManSnapshot,
} from "./addrman.ts";
import { Bip155Network, fromIpv6Bytes, MAX_ADDRV2_SIZE, type NetService } from "./net_address.ts";

/** The format we write (`Format::V4_MULTIPORT`). */
const FILE_FORMAT = 4;
/** The first format with BIP155 addresses (`Format::V3_BIP155`). */
const FORMAT_BIP155 = 3;
/** The first format with the 2^30 bucket-count marker (`Format::V1_DETERMINISTIC`). */
const FORMAT_DETERMINISTIC = 1;
/** The first format with the asmap checksum (`Format::V2_ASMAP`). */
const FORMAT_ASMAP = 2;
/** Added to the lowest compatible format in the second byte (`INCOMPATIBILITY_BASE`). */
const INCOMPATIBILITY_BASE = 32;
/** Per-address disk version: fixed low bits and the BIP155 flag (src/protocol.h). */
const DISK_VERSION_INIT = 220000;
const DISK_VERSION_IGNORE_MASK = 0x7ffff;
const DISK_VERSION_ADDRV2 = 1 << 29;
/** Refuse absurd files rather than read them: the largest real one is about 1.5 MiB. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** Where freicoind asks for bug reports (`PACKAGE_BUGREPORT`). */
const PACKAGE_BUGREPORT = "https://github.com/tradecraftio/tradecraft/issues";
const BIP155_SIZES: Readonly<Record<number, number>> = {
  [Bip155Network.IPV4]: 4,
  [Bip155Network.IPV6]: 16,
  [Bip155Network.TORV2]: 10,
  [Bip155Network.TORV3]: 32,
  [Bip155Network.I2P]: 32,
  [Bip155Network.CJDNS]: 16,
};

/** A peers.dat freicoind would refuse at start-up; `message` is its `what()` text. */
export class PeersFileError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "PeersFileError";
  }
}

/** A peers.dat of a newer, incompatible format: backed up and replaced, as freicoind does. */
export class PeersFileVersionError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "PeersFileVersionError";
  }
}

/** `std::ios_base::failure(msg).what()` as libstdc++ words it. */
function streamFailure(message: string): PeersFileError {
  return new PeersFileError(`${message}: iostream error`);
}

function writeNetAddress(writer: ByteWriter, service: NetService): void {
  writer.writeU8(service.network).writeVarBytes(service.ip);
}

function writeEntry(writer: ByteWriter, info: AddrInfo): void {
  writer.writeU32LE(DISK_VERSION_INIT | DISK_VERSION_ADDRV2);
  writer.writeU32LE(info.time >>> 0).writeCompactSize(info.services);
  writeNetAddress(writer, info);
  writer.writeU8(info.port >> 8).writeU8(info.port & 0xff);
  writeNetAddress(writer, info.source);
  writer.writeI64LE(BigInt(info.lastSuccess)).writeI32LE(info.attempts);
}

/** Serializes an address manager snapshot with the network's magic and the checksum. */
export function encodePeersFile(snapshot: AddrManSnapshot, magic: Uint8Array): Uint8Array {
  const writer = new ByteWriter(64 * 1024);
  writer.writeBytes(magic);
  writer.writeU8(FILE_FORMAT).writeU8(INCOMPATIBILITY_BASE + FILE_FORMAT);
  writer.writeBytes(snapshot.key);
  writer.writeI32LE(snapshot.newEntries.length).writeI32LE(snapshot.triedEntries.length);
  writer.writeI32LE(snapshot.newBuckets.length ^ (1 << 30));
  for (const info of snapshot.newEntries) writeEntry(writer, info);
  for (const info of snapshot.triedEntries) writeEntry(writer, info);
  for (const indexes of snapshot.newBuckets) {
    writer.writeI32LE(indexes.length);
    for (const index of indexes) writer.writeI32LE(index);
  }
  // No asmap: its checksum is the null hash.
  writer.writeBytes(new Uint8Array(32));
  const body = writer.toBytes();
  const out = new Uint8Array(body.length + 32);
  out.set(body);
  out.set(sha256d(body), body.length);
  return out;
}

/** `CNetAddr` in BIP155 form; an unknown network reads as an invalid (all-zero) address. */
function readNetAddressV2(reader: ByteReader, port: number): NetService {
  const network = reader.readU8();
  const size = reader.readCompactSize();
  if (size > MAX_ADDRV2_SIZE) throw streamFailure(`Address too long: ${size} > ${MAX_ADDRV2_SIZE}`);
  const expected = BIP155_SIZES[network];
  if (expected === undefined) {
    reader.skip(size);
    return { network: Bip155Network.IPV6, ip: new Uint8Array(16), port };
  }
  if (size !== expected) {
    throw streamFailure(
      `BIP155 network ${network} address is ${size} bytes long. Expected length is ${expected} bytes.`,
    );
  }
  return { network, ip: reader.readBytes(size), port };
}

function readEntry(reader: ByteReader, bip155Stream: boolean): AddrInfo {
  const version = reader.readU32LE();
  const flags = (version & ~DISK_VERSION_IGNORE_MASK) >>> 0;
  let bip155: boolean;
  if (flags === 0) bip155 = false;
  else if (flags === DISK_VERSION_ADDRV2 && bip155Stream) bip155 = true;
  else throw streamFailure("Unsupported CAddress disk format version");
  const time = reader.readU32LE();
  const services = bip155 ? reader.readCompactSizeUnchecked() : reader.readU64LE();
  let address: NetService;
  if (bip155) {
    address = readNetAddressV2(reader, 0);
  } else {
    address = fromIpv6Bytes(reader.readBytes(16), 0);
  }
  const port = (reader.readU8() << 8) | reader.readU8();
  const source = bip155Stream
    ? readNetAddressV2(reader, 0)
    : fromIpv6Bytes(reader.readBytes(16), 0);
  const lastSuccess = Number(reader.readI64LE());
  const attempts = reader.readI32LE();
  return {
    ...address,
    port,
    time,
    services,
    source,
    lastTry: 0,
    lastSuccess,
    attempts,
    refCount: 0,
    inTried: false,
  };
}

/** What a readable peers.dat holds, before the address manager takes it in. */
export interface PeersFileContents {
  readonly snapshot: AddrManSnapshot;
  /** Stored buckets are usable as they are (same bucket count, no asmap). */
  readonly keepBuckets: boolean;
  /** The trailing checksum: right, wrong, or cut off. */
  readonly checksum: "ok" | "mismatch" | "truncated";
}

/**
 * Parses peers.dat bytes in freicoind's order of checks: magic, format, table sizes, entries,
 * buckets. Throws {@linkcode PeersFileError} with freicoind's message for a corrupt file and
 * {@linkcode PeersFileVersionError} for a newer incompatible format. The checksum is reported,
 * not thrown, because freicoind checks the address manager's consistency before it.
 */
export function decodePeersFile(bytes: Uint8Array, magic: Uint8Array): PeersFileContents {
  const reader = new ByteReader(bytes);
  try {
    const fileMagic = reader.readBytes(4);
    if (!fileMagic.every((b, i) => b === magic[i])) {
      throw new PeersFileError("Invalid network magic number");
    }
    const format = reader.readU8();
    const compat = reader.readU8();
    if (compat < INCOMPATIBILITY_BASE) {
      throw streamFailure(
        `Corrupted addrman database: The compat value (${compat}) is lower than the expected minimum value ${INCOMPATIBILITY_BASE}.`,
      );
    }
    const lowestCompatible = compat - INCOMPATIBILITY_BASE;
    if (lowestCompatible > FILE_FORMAT) {
      throw new PeersFileVersionError(
        `Unsupported format of addrman database: ${format}. It is compatible with formats >=${lowestCompatible}, but the maximum supported by this version of Freicoin is ${FILE_FORMAT}.`,
      );
    }
    const key = reader.readBytes(32).slice();
    const nNew = reader.readI32LE();
    const nTried = reader.readI32LE();
    let bucketCount = reader.readI32LE();
    if (format >= FORMAT_DETERMINISTIC) bucketCount ^= 1 << 30;
    const maxNew = ADDRMAN_NEW_BUCKET_COUNT * ADDRMAN_BUCKET_SIZE;
    if (nNew > maxNew || nNew < 0) {
      throw streamFailure(
        `Corrupt AddrMan serialization: nNew=${nNew}, should be in [0, ${maxNew}]`,
      );
    }
    const maxTried = ADDRMAN_TRIED_BUCKET_COUNT * ADDRMAN_BUCKET_SIZE;
    if (nTried > maxTried || nTried < 0) {
      throw streamFailure(
        `Corrupt AddrMan serialization: nTried=${nTried}, should be in [0, ${maxTried}]`,
      );
    }
    const bip155 = format >= FORMAT_BIP155;
    const newEntries: AddrInfo[] = [];
    for (let n = 0; n < nNew; n++) newEntries.push(readEntry(reader, bip155));
    const triedEntries: AddrInfo[] = [];
    for (let n = 0; n < nTried; n++) {
      triedEntries.push({ ...readEntry(reader, bip155), inTried: true });
    }
    // Each bucket's count is read before its indexes, so a lying count hits the end of the data
    // instead of allocating: nothing is reserved from it.
    const newBuckets: number[][] = [];
    for (let bucket = 0; bucket < bucketCount; bucket++) {
      const count = reader.readI32LE();
      const indexes: number[] = [];
      for (let n = 0; n < count; n++) indexes.push(reader.readI32LE());
      newBuckets.push(indexes);
    }
    let asmapChecksumNull = true;
    if (format >= FORMAT_ASMAP) asmapChecksumNull = reader.readBytes(32).every((b) => b === 0);
    const bodyLength = reader.offset;
    let checksum: PeersFileContents["checksum"] = "truncated";
    if (reader.remaining >= 32) {
      const stored = reader.readBytes(32);
      const computed = sha256d(bytes.subarray(0, bodyLength));
      checksum = stored.every((b, i) => b === computed[i]) ? "ok" : "mismatch";
    }
    return {
      snapshot: { key, newEntries, triedEntries, newBuckets },
      keepBuckets: bucketCount === ADDRMAN_NEW_BUCKET_COUNT && asmapChecksumNull,
      checksum,
    };
  } catch (error) {
    if (error instanceof DecodeError || error instanceof RangeError) {
      throw streamFailure("AutoFile::read: end of file");
    }
    throw error;
  }
}

/** freicoind's start-up error for a corrupt peers.dat (`LoadAddrman`). */
function corruptFileMessage(reason: string, file: string): string {
  return `Invalid or corrupt peers.dat (${reason}). If you believe this is a bug, please report it to ${PACKAGE_BUGREPORT}. As a workaround, you can move the file ("${file}") out of the way (rename, move, or delete) to have a new one created on the next start.`;
}

/**
 * Loads `networkDir/peers.dat` into the empty `addrman`, logging as freicoind does: a missing
 * file is created, a newer incompatible one (or one in the JSON format of our earlier versions)
 * is backed up to peers.dat.bak and replaced, a corrupt one throws {@linkcode PeersFileError}
 * with freicoind's start-up error text.
 */
export function loadPeersFile(
  networkDir: string,
  addrman: AddrMan,
  options: { log: Logger; magic: Uint8Array },
): void {
  const { log, magic } = options;
  const file = path.join(networkDir, "peers.dat");
  const start = performance.now();
  let bytes: Uint8Array;
  try {
    if (Deno.statSync(file).size > MAX_FILE_BYTES) {
      throw new PeersFileError(corruptFileMessage("file too large", file));
    }
    bytes = Deno.readFileSync(file);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    log.info(`Creating peers.dat because the file was not found ("${file}")`);
    savePeersFile(networkDir, addrman, options);
    return;
  }
  try {
    // Our versions before this one wrote JSON: treat it as an incompatible format.
    if (bytes[0] === 0x7b) throw new PeersFileVersionError("JSON peers.dat of an earlier version");
    const contents = decodePeersFile(bytes, magic);
    const { checkCode } = addrman.restore(contents.snapshot, contents.keepBuckets);
    if (checkCode !== 0) {
      throw streamFailure(`Corrupt data. Consistency check failed with code ${checkCode}`);
    }
    if (contents.checksum === "truncated") throw streamFailure("AutoFile::read: end of file");
    if (contents.checksum === "mismatch") {
      throw new PeersFileError("Checksum mismatch, data corrupted");
    }
  } catch (error) {
    if (error instanceof PeersFileVersionError) {
      Deno.renameSync(file, file + ".bak");
      log.info(
        `Creating new peers.dat because the file version was not compatible ("${file}"). ` +
          "Original backed up to peers.dat.bak",
      );
      // Thrown before anything was taken in: `addrman` is still empty.
      savePeersFile(networkDir, addrman, options);
      return;
    }
    if (error instanceof PeersFileError) {
      throw new PeersFileError(corruptFileMessage(error.message, file));
    }
    throw error;
  }
  const ms = Math.round(performance.now() - start);
  log.info(`Loaded ${addrman.size()} addresses from peers.dat  ${ms}ms`);
}

/** Writes `networkDir/peers.dat` atomically (temporary file, then rename). */
export function savePeersFile(
  networkDir: string,
  addrman: AddrMan,
  options: { log: Logger; magic: Uint8Array },
): void {
  const start = performance.now();
  const file = path.join(networkDir, "peers.dat");
  const temp = file + ".new";
  Deno.writeFileSync(temp, encodePeersFile(addrman.snapshot(), options.magic));
  Deno.renameSync(temp, file);
  const ms = Math.round(performance.now() - start);
  options.log.debug(
    "net",
    () => `Flushed ${addrman.size()} addresses to peers.dat  ${ms}ms`,
  );
}
