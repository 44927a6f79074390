/**
 * The address manager (`AddrMan`, src/addrman.cpp): known peer addresses in a "new" table
 * (1024 buckets, placed by source group) and a "tried" table (256 buckets), each bucket 64
 * slots, with freicoind's keyed placement so that collisions behave as in the reference.
 * `snapshot()` and `restore()` give peers.dat (peers_file.ts) the tables in freicoind's layout.
 *
 * @module
 */
import { ByteWriter } from "../../../kernel/encoding/mod.ts";
import { sha256d } from "../../../kernel/hash/mod.ts";
import type { Logger } from "../../../cli/logger.ts";
import {
  Bip155Network,
  formatIp,
  formatService,
  ipv6Bytes,
  isRoutable,
  type NetAddressEntry,
  type NetService,
} from "./net_address.ts";

export const ADDRMAN_NEW_BUCKET_COUNT = 1024;
export const ADDRMAN_TRIED_BUCKET_COUNT = 256;
export const ADDRMAN_BUCKET_SIZE = 64;
const ADDRMAN_TRIED_BUCKETS_PER_GROUP = 8n;
const ADDRMAN_NEW_BUCKETS_PER_SOURCE_GROUP = 64n;
const ADDRMAN_HORIZON = 30 * 24 * 60 * 60;
const ADDRMAN_RETRIES = 3;
const ADDRMAN_MAX_FAILURES = 10;
const ADDRMAN_MIN_FAIL = 7 * 24 * 60 * 60;
/** A new-table entry is referenced from at most this many buckets (`ADDRMAN_NEW_BUCKETS_PER_ADDRESS`). */
const ADDRMAN_NEW_BUCKETS_PER_ADDRESS = 8;

/**
 * The tables as peers.dat stores them (`AddrManImpl::Serialize`): the key, the new-table entries,
 * the tried entries, and per new bucket the indexes (into `newEntries`) of its occupied slots in
 * slot order.
 */
export interface AddrManSnapshot {
  readonly key: Uint8Array;
  readonly newEntries: readonly AddrInfo[];
  readonly triedEntries: readonly AddrInfo[];
  readonly newBuckets: readonly (readonly number[])[];
}

/** `CNetAddr::IsValid` for the networks we store: not unspecified, not INADDR_NONE. */
function isValidAddress(service: NetService): boolean {
  if (service.ip.every((b) => b === 0)) return false;
  if (service.network === Bip155Network.IPV4) return !service.ip.every((b) => b === 0xff);
  return true;
}

/** One known address (`AddrInfo`). */
export interface AddrInfo extends NetAddressEntry {
  readonly source: NetService;
  lastTry: number;
  lastSuccess: number;
  attempts: number;
  refCount: number;
  inTried: boolean;
}

/** Where an entry lies in its table. */
export interface AddressPosition {
  readonly tried: boolean;
  readonly bucket: number;
  readonly position: number;
}

/** `Network` numbering of `GetNetClass` (not BIP155's). */
function netClass(service: NetService): number {
  if (!isRoutable(service)) return 0;
  switch (service.network) {
    case Bip155Network.IPV4:
      return 1;
    case Bip155Network.IPV6:
      return 2;
    case Bip155Network.TORV3:
      return 3;
    case Bip155Network.I2P:
      return 4;
    case Bip155Network.CJDNS:
      return 5;
    default:
      return 0;
  }
}

/** `NetGroupManager::GetGroup` without an asmap. */
export function addressGroup(service: NetService): Uint8Array {
  const cls = netClass(service);
  const ip = service.ip;
  if (cls === 0) return new Uint8Array([0]);
  if (service.network === Bip155Network.IPV4) return new Uint8Array([cls, ip[0], ip[1]]);
  let bits = 32;
  if (service.network === Bip155Network.TORV3 || service.network === Bip155Network.I2P) bits = 4;
  else if (service.network === Bip155Network.CJDNS) bits = 12;
  else if (ip[0] === 0x20 && ip[1] === 0x01 && ip[2] === 0x04 && ip[3] === 0x70) bits = 36;
  const whole = Math.floor(bits / 8);
  const out = [cls, ...ip.slice(0, whole)];
  if (bits % 8 > 0) out.push(ip[whole] | ((1 << (8 - bits % 8)) - 1));
  return new Uint8Array(out);
}

/** `CService::GetKey`: address bytes (the 16-byte form for IP) and the big-endian port. */
function serviceKey(service: NetService): Uint8Array {
  const ip = service.network === Bip155Network.IPV4 || service.network === Bip155Network.IPV6
    ? ipv6Bytes(service)
    : service.ip;
  return new Uint8Array([...ip, service.port >> 8, service.port & 0xff]);
}

function cheapHash(build: (w: ByteWriter) => void): bigint {
  const writer = new ByteWriter(128);
  build(writer);
  const hash = sha256d(writer.toBytes());
  return new DataView(hash.buffer, hash.byteOffset).getBigUint64(0, true);
}

function entryKey(service: NetService): string {
  return `${service.network}:${formatIp(service)}:${service.port}`;
}

/** The address manager. */
export class AddrMan {
  #key: Uint8Array;
  readonly #log: Logger;
  readonly #check: boolean;
  readonly #now: () => number;
  readonly #random: (n: number) => number;
  #nextId = 0;
  readonly #info = new Map<number, AddrInfo>();
  readonly #byAddress = new Map<string, number>();
  readonly #newTable = new Map<number, number>();
  readonly #triedTable = new Map<number, number>();

  /** Creates an empty manager with a random key. */
  constructor(options: {
    log: Logger;
    now: () => number;
    /** `-checkaddrman` other than 0: log the consistency-check line on each operation. */
    check?: boolean;
    key?: Uint8Array;
    random?: (n: number) => number;
  }) {
    this.#log = options.log;
    this.#now = options.now;
    this.#check = options.check ?? false;
    this.#key = options.key ?? crypto.getRandomValues(new Uint8Array(32));
    this.#random = options.random ?? ((n) => Math.floor(Math.random() * n));
  }

  #checkConsistency(): void {
    if (!this.#check) return;
    this.#log.debug(
      "addrman",
      () =>
        `CheckAddrman: new ${this.#newTable.size}, tried ${this.#triedTable.size}, total ${this.#info.size} started`,
    );
  }

  #triedBucket(service: NetService): number {
    const hash1 = cheapHash((w) => w.writeBytes(this.#key).writeVarBytes(serviceKey(service)));
    const hash2 = cheapHash((w) =>
      w.writeBytes(this.#key).writeVarBytes(addressGroup(service))
        .writeU64LE(hash1 % ADDRMAN_TRIED_BUCKETS_PER_GROUP)
    );
    return Number(hash2 % BigInt(ADDRMAN_TRIED_BUCKET_COUNT));
  }

  #newBucket(service: NetService, source: NetService): number {
    const sourceGroup = addressGroup(source);
    const hash1 = cheapHash((w) =>
      w.writeBytes(this.#key).writeVarBytes(addressGroup(service)).writeVarBytes(sourceGroup)
    );
    const hash2 = cheapHash((w) =>
      w.writeBytes(this.#key).writeVarBytes(sourceGroup)
        .writeU64LE(hash1 % ADDRMAN_NEW_BUCKETS_PER_SOURCE_GROUP)
    );
    return Number(hash2 % BigInt(ADDRMAN_NEW_BUCKET_COUNT));
  }

  #position(service: NetService, isNew: boolean, bucket: number): number {
    const hash = cheapHash((w) =>
      w.writeBytes(this.#key).writeU8(isNew ? 0x4e : 0x4b).writeI32LE(bucket)
        .writeVarBytes(serviceKey(service))
    );
    return Number(hash % BigInt(ADDRMAN_BUCKET_SIZE));
  }

  /** `AddrInfo::IsTerrible`. */
  #isTerrible(info: AddrInfo, now: number): boolean {
    if (now - info.lastTry <= 60) return false;
    if (info.time > now + 10 * 60) return true;
    if (now - info.time > ADDRMAN_HORIZON) return true;
    if (info.lastSuccess === 0 && info.attempts >= ADDRMAN_RETRIES) return true;
    return now - info.lastSuccess > ADDRMAN_MIN_FAIL && info.attempts >= ADDRMAN_MAX_FAILURES;
  }

  /**
   * `Add`: adds addresses learnt from `source` (time penalty in seconds); returns whether any
   * was new.
   */
  add(addresses: readonly NetAddressEntry[], source: NetService, timePenalty = 0): boolean {
    let added = 0;
    for (const address of addresses) if (this.#addSingle(address, source, timePenalty)) added++;
    if (added > 0) {
      this.#log.debug(
        "addrman",
        () =>
          `Added ${added} addresses (of ${addresses.length}) from ${formatIp(source)}: ${
            this.size(undefined, "tried")
          } tried, ${this.size(undefined, "new")} new`,
      );
    }
    this.#checkConsistency();
    return added > 0;
  }

  #addSingle(address: NetAddressEntry, source: NetService, timePenalty: number): boolean {
    if (!isRoutable(address)) return false;
    // An address announcing itself gets no time penalty.
    const penalty = source.network === address.network &&
        formatIp(source) === formatIp(address)
      ? 0
      : timePenalty;
    if (this.#byAddress.has(entryKey(address))) {
      // Known already: freicoind may refresh its time and services, but it is not new.
      return false;
    }
    const id = this.#nextId++;
    const info: AddrInfo = {
      ...address,
      time: Math.max(0, address.time - penalty),
      source,
      lastTry: 0,
      lastSuccess: 0,
      attempts: 0,
      refCount: 0,
      inTried: false,
    };
    const bucket = this.#newBucket(address, source);
    const position = this.#position(address, true, bucket);
    const slot = bucket * ADDRMAN_BUCKET_SIZE + position;
    const occupant = this.#newTable.get(slot);
    if (occupant !== undefined) {
      const existing = this.#info.get(occupant)!;
      if (!this.#isTerrible(existing, this.#now()) && !(existing.refCount > 1)) return false;
      this.#clearNew(slot);
    }
    info.refCount = 1;
    this.#info.set(id, info);
    this.#byAddress.set(entryKey(address), id);
    this.#newTable.set(slot, id);
    this.#log.debug(
      "addrman",
      () => `Added ${formatService(address)} to new[${bucket}][${position}]`,
    );
    return true;
  }

  #clearNew(slot: number): void {
    const id = this.#newTable.get(slot);
    if (id === undefined) return;
    this.#newTable.delete(slot);
    const info = this.#info.get(id)!;
    info.refCount--;
    if (info.refCount === 0 && !info.inTried) {
      this.#info.delete(id);
      this.#byAddress.delete(entryKey(info));
    }
  }

  /**
   * `Good`: a successful connection moves the address to the tried table; false when unknown,
   * already tried, or its tried slot is taken (a collision left for test-before-evict).
   */
  good(service: NetService, time = this.#now()): boolean {
    const id = this.#byAddress.get(entryKey(service));
    if (id === undefined) return false;
    const info = this.#info.get(id)!;
    info.lastSuccess = time;
    info.lastTry = time;
    info.attempts = 0;
    if (info.inTried) return false;
    const bucket = this.#triedBucket(info);
    const position = this.#position(info, false, bucket);
    const slot = bucket * ADDRMAN_BUCKET_SIZE + position;
    if (this.#triedTable.has(slot)) {
      this.#log.debug(
        "addrman",
        () =>
          `Collision with ${
            formatIp(this.#info.get(this.#triedTable.get(slot)!)!)
          } while attempting to move ${formatIp(info)} to tried table.`,
      );
      return false;
    }
    for (const [newSlot, newId] of [...this.#newTable]) {
      if (newId === id) this.#newTable.delete(newSlot);
    }
    info.refCount = 0;
    info.inTried = true;
    this.#triedTable.set(slot, id);
    this.#log.debug(
      "addrman",
      () => `Moved ${formatIp(info)} mapped to AS0 to tried[${bucket}][${position}]`,
    );
    this.#checkConsistency();
    return true;
  }

  /**
   * `GetAddr`: up to `maxAddresses` (0: no limit) and `maxPercent` % (0: no limit) random
   * addresses, of `network` (BIP155 id) if given, skipping terrible ones.
   */
  getAddresses(maxAddresses: number, maxPercent: number, network?: number): AddrInfo[] {
    this.#checkConsistency();
    const all = [...this.#info.values()];
    let count = all.length;
    if (maxPercent !== 0) count = Math.floor(maxPercent * count / 100);
    if (maxAddresses !== 0) count = Math.min(count, maxAddresses);
    const now = this.#now();
    const out: AddrInfo[] = [];
    for (let n = 0; n < all.length && out.length < count; n++) {
      const pick = n + this.#random(all.length - n);
      [all[n], all[pick]] = [all[pick], all[n]];
      const info = all[n];
      if (network !== undefined && (info.network !== network || !isRoutable(info))) continue;
      if (this.#isTerrible(info, now)) continue;
      out.push(info);
    }
    return out;
  }

  /** Counts per table, optionally for one network (`Size`). */
  size(network?: number, table?: "new" | "tried"): number {
    let count = 0;
    for (const info of this.#info.values()) {
      if (network !== undefined && info.network !== network) continue;
      if (table === "new" && info.inTried) continue;
      if (table === "tried" && !info.inTried) continue;
      count++;
    }
    return count;
  }

  /** Every entry with its table position (`GetEntries`). */
  entries(tried: boolean): { info: AddrInfo; position: AddressPosition }[] {
    const table = tried ? this.#triedTable : this.#newTable;
    return [...table].map(([slot, id]) => ({
      info: this.#info.get(id)!,
      position: {
        tried,
        bucket: Math.floor(slot / ADDRMAN_BUCKET_SIZE),
        position: slot % ADDRMAN_BUCKET_SIZE,
      },
    }));
  }

  /** The tables in peers.dat's layout (see {@linkcode AddrManSnapshot}). */
  snapshot(): AddrManSnapshot {
    const newEntries: AddrInfo[] = [];
    const triedEntries: AddrInfo[] = [];
    const indexOf = new Map<number, number>();
    for (const [id, info] of this.#info) {
      if (info.inTried) {
        triedEntries.push(info);
      } else if (info.refCount > 0) {
        indexOf.set(id, newEntries.length);
        newEntries.push(info);
      }
    }
    const newBuckets: number[][] = [];
    for (let bucket = 0; bucket < ADDRMAN_NEW_BUCKET_COUNT; bucket++) {
      const indexes: number[] = [];
      for (let position = 0; position < ADDRMAN_BUCKET_SIZE; position++) {
        const id = this.#newTable.get(bucket * ADDRMAN_BUCKET_SIZE + position);
        if (id !== undefined) indexes.push(indexOf.get(id)!);
      }
      newBuckets.push(indexes);
    }
    return { key: this.#key.slice(), newEntries, triedEntries, newBuckets };
  }

  /**
   * Refills an empty manager from a snapshot as `AddrManImpl::Unserialize` does: tried entries go
   * to their keyed slot (lost on a collision or when invalid), new entries back to their stored
   * buckets when `keepBuckets` (same bucket count, no asmap change) and the slot is free, else to
   * the bucket of their source; unreferenced new entries are dropped. Returns the consistency
   * check's code (`CheckAddrman`, 0 when consistent) and how many entries were lost.
   */
  restore(
    snapshot: AddrManSnapshot,
    keepBuckets: boolean,
  ): { checkCode: number; lostNew: number; lostTried: number } {
    if (this.#info.size !== 0) throw new Error("AddrMan.restore needs an empty address manager");
    this.#key = snapshot.key.slice();
    const newIds: number[] = [];
    for (const stored of snapshot.newEntries) {
      const id = this.#nextId++;
      this.#info.set(id, { ...stored, lastTry: 0, refCount: 0, inTried: false });
      this.#byAddress.set(entryKey(stored), id);
      newIds.push(id);
    }
    let lostTried = 0;
    for (const stored of snapshot.triedEntries) {
      const bucket = this.#triedBucket(stored);
      const slot = bucket * ADDRMAN_BUCKET_SIZE + this.#position(stored, false, bucket);
      if (!isValidAddress(stored) || this.#triedTable.has(slot)) {
        lostTried++;
        continue;
      }
      const id = this.#nextId++;
      this.#info.set(id, { ...stored, lastTry: 0, refCount: 0, inTried: true });
      this.#byAddress.set(entryKey(stored), id);
      this.#triedTable.set(slot, id);
    }
    snapshot.newBuckets.forEach((indexes, storedBucket) => {
      for (const index of indexes) {
        if (index < 0 || index >= newIds.length) continue;
        const id = newIds[index];
        const info = this.#info.get(id)!;
        if (!isValidAddress(info) || info.refCount >= ADDRMAN_NEW_BUCKETS_PER_ADDRESS) continue;
        let bucket = storedBucket;
        let slot = bucket * ADDRMAN_BUCKET_SIZE + this.#position(info, true, bucket);
        if (!keepBuckets || this.#newTable.has(slot)) {
          bucket = this.#newBucket(info, info.source);
          slot = bucket * ADDRMAN_BUCKET_SIZE + this.#position(info, true, bucket);
          if (this.#newTable.has(slot)) continue;
        }
        this.#newTable.set(slot, id);
        info.refCount++;
      }
    });
    let lostNew = 0;
    for (const id of newIds) {
      const info = this.#info.get(id)!;
      if (info.refCount > 0) continue;
      this.#info.delete(id);
      if (this.#byAddress.get(entryKey(info)) === id) this.#byAddress.delete(entryKey(info));
      lostNew++;
    }
    if (lostNew + lostTried > 0) {
      this.#log.debug(
        "addrman",
        () =>
          `addrman lost ${lostNew} new and ${lostTried} tried addresses due to collisions or invalid addresses`,
      );
    }
    return { checkCode: this.consistencyCode(), lostNew, lostTried };
  }

  /**
   * `CheckAddrman` for what our tables can get wrong from a file: a tried entry never
   * connected (-1), reference counts out of range (-2, -3, -4), negative times (-8), a null
   * key (-16). 0 when consistent.
   */
  consistencyCode(): number {
    for (const info of this.#info.values()) {
      if (info.inTried) {
        if (info.lastSuccess === 0) return -1;
        if (info.refCount !== 0) return -2;
      } else {
        if (info.refCount < 0 || info.refCount > ADDRMAN_NEW_BUCKETS_PER_ADDRESS) return -3;
        if (info.refCount === 0) return -4;
      }
      if (info.lastSuccess < 0) return -8;
    }
    if (this.#key.every((b) => b === 0)) return -16;
    return 0;
  }

  /**
   * `Select`: a random address to try, from the tried or the new table (even odds when both
   * have entries, new only with `newOnly`), accepted with `GetChance`'s odds (recently tried
   * and often failed addresses less likely), the odds growing 1.2× per rejection.
   */
  select(newOnly = false): AddrInfo | undefined {
    const useTried = !newOnly && this.#triedTable.size > 0 &&
      (this.#newTable.size === 0 || this.#random(2) === 0);
    const table = useTried ? this.#triedTable : this.#newTable;
    if (table.size === 0) return undefined;
    const ids = [...table.values()];
    const now = this.#now();
    let chanceFactor = 1;
    for (let round = 0; round < 1000; round++) {
      const info = this.#info.get(ids[this.#random(ids.length)]);
      if (!info) continue;
      if (this.#random(1 << 30) < this.#chance(info, now) * chanceFactor * (1 << 30)) return info;
      chanceFactor *= 1.2;
    }
    return undefined;
  }

  /** `AddrInfo::GetChance`. */
  #chance(info: AddrInfo, now: number): number {
    let chance = 1;
    if (now - info.lastTry < 10 * 60) chance *= 0.01;
    return chance * Math.pow(0.66, Math.min(info.attempts, 8));
  }

  /** `Attempt`: a connection to the address is being tried (a failure counts against it). */
  attempt(service: NetService, countFailure: boolean, time = this.#now()): void {
    const id = this.#byAddress.get(entryKey(service));
    if (id === undefined) return;
    const info = this.#info.get(id)!;
    info.lastTry = time;
    if (countFailure) info.attempts++;
  }
}
