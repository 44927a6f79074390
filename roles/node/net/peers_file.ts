/**
 * `peers.dat`: the address manager's known addresses, saved at shutdown and loaded at start-up
 * (freicoind's `LoadAddrman` / `DumpPeerAddresses`, src/addrdb.cpp).
 *
 * Our format is NOT freicoind's serialized `AddrMan`: it is UTF-8 JSON,
 * `{"format":"freicoin-deno-peers","version":1,"addresses":[{network, ip (hex), port, time,
 * services (decimal string), source: {network, ip, port}}]}`. Bucket positions and tried status
 * are not kept: loaded addresses re-enter the new table from their recorded source. A file we
 * cannot read (such as freicoind's binary peers.dat) is moved to peers.dat.bak and a new one is
 * started, as freicoind does for an incompatible file version.
 *
 * @module
 */
import * as path from "node:path";
import type { Logger } from "../../../cli/logger.ts";
import type { AddrMan } from "./addrman.ts";
import type { NetAddressEntry, NetService } from "./net_address.ts";
import { bytesToHex, hexToBytes } from "../../../kernel/encoding/hex.ts";

const FORMAT = "freicoin-deno-peers";
const VERSION = 1;
/** Refuse absurd files rather than allocate from them. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;
const MAX_ADDRESS_BYTES = 512;

interface StoredService {
  network: number;
  ip: string;
  port: number;
}

interface StoredAddress extends StoredService {
  time: number;
  services: string;
  source: StoredService;
}

function storeService(service: NetService): StoredService {
  return { network: service.network, ip: bytesToHex(service.ip), port: service.port };
}

function isInt(value: unknown, max: number): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= max;
}

function readService(value: unknown): NetService | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (!isInt(v.network, 255) || !isInt(v.port, 65535)) return undefined;
  if (typeof v.ip !== "string" || v.ip.length > MAX_ADDRESS_BYTES * 2) return undefined;
  if (!/^([0-9a-f]{2})*$/.test(v.ip)) return undefined;
  return { network: v.network, ip: hexToBytes(v.ip), port: v.port };
}

function readAddress(value: unknown): { entry: NetAddressEntry; source: NetService } | undefined {
  const service = readService(value);
  if (!service) return undefined;
  const v = value as Record<string, unknown>;
  if (!isInt(v.time, 0xffffffff)) return undefined;
  if (typeof v.services !== "string" || !/^[0-9]{1,20}$/.test(v.services)) return undefined;
  const services = BigInt(v.services);
  if (services >= 1n << 64n) return undefined;
  const source = readService(v.source);
  if (!source) return undefined;
  return { entry: { ...service, time: v.time, services }, source };
}

/** Parses a peers.dat text; undefined when it is not our format or any entry is malformed. */
export function parsePeersFile(
  text: string,
): { entry: NetAddressEntry; source: NetService }[] | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof data !== "object" || data === null) return undefined;
  const d = data as Record<string, unknown>;
  if (d.format !== FORMAT || d.version !== VERSION || !Array.isArray(d.addresses)) {
    return undefined;
  }
  const out = [];
  for (const item of d.addresses) {
    const parsed = readAddress(item);
    if (!parsed) return undefined;
    out.push(parsed);
  }
  return out;
}

/** Serializes every address of `addrman` (new and tried tables) to peers.dat text. */
export function serializePeers(addrman: AddrMan): string {
  const addresses: StoredAddress[] = [];
  for (const tried of [false, true]) {
    for (const { info } of addrman.entries(tried)) {
      addresses.push({
        ...storeService(info),
        time: info.time,
        services: info.services.toString(),
        source: storeService(info.source),
      });
    }
  }
  return JSON.stringify({ format: FORMAT, version: VERSION, addresses });
}

/** Loads `networkDir/peers.dat` into `addrman`, logging as freicoind does. */
export function loadPeersFile(networkDir: string, addrman: AddrMan, log: Logger): void {
  const file = path.join(networkDir, "peers.dat");
  const start = performance.now();
  let text: string;
  try {
    if (Deno.statSync(file).size > MAX_FILE_BYTES) throw new Error("too large");
    text = Deno.readTextFileSync(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      log.info(`Creating peers.dat because the file was not found ("${file}")`);
      savePeersFile(networkDir, addrman);
      return;
    }
    text = "";
  }
  const parsed = parsePeersFile(text);
  if (!parsed) {
    Deno.renameSync(file, file + ".bak");
    log.info(
      `Creating new peers.dat because the file version was not compatible ("${file}"). ` +
        "Original backed up to peers.dat.bak",
    );
    savePeersFile(networkDir, addrman);
    return;
  }
  for (const { entry, source } of parsed) addrman.add([entry], source);
  const ms = Math.round(performance.now() - start);
  log.info(`Loaded ${addrman.size()} addresses from peers.dat  ${ms}ms`);
}

/** Writes `networkDir/peers.dat` atomically (temporary file, then rename). */
export function savePeersFile(networkDir: string, addrman: AddrMan): void {
  const file = path.join(networkDir, "peers.dat");
  const temp = file + ".new";
  Deno.writeTextFileSync(temp, serializePeers(addrman));
  Deno.renameSync(temp, file);
}
