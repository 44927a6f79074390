/**
 * Manual bans and discouragement (`BanMan`, src/banman.cpp), persisted in `banlist.json` as
 * freicoind writes it: `{"banned_nets": [{version, ban_created, banned_until, address}]}`.
 *
 * @module
 */
import type { Logger } from "../../../cli/logger.ts";
import { Bip155Network, formatIp, type NetService, parseIp } from "./net_address.ts";

/** A banned subnet. */
export interface BanEntry {
  /** `a.b.c.d/len` or `v6/len`. */
  readonly subnet: string;
  readonly created: number;
  readonly until: number;
}

/** A parsed subnet: network bytes and prefix length in bits. */
export interface Subnet {
  readonly network: number;
  readonly ip: Uint8Array;
  readonly prefix: number;
}

/** Default ban time in seconds (`DEFAULT_MISBEHAVING_BANTIME`). */
export const DEFAULT_BAN_TIME = 60 * 60 * 24;

/** Parses `ip`, `ip/len` or `ip/netmask` (`LookupSubNet`); undefined when invalid. */
export function parseSubnet(text: string): Subnet | undefined {
  const slash = text.indexOf("/");
  const ipText = slash < 0 ? text : text.slice(0, slash);
  const ip = parseIp(ipText, 0);
  if (!ip) return undefined;
  const bits = ip.ip.length * 8;
  let prefix = bits;
  if (slash >= 0) {
    const suffix = text.slice(slash + 1);
    if (/^\d+$/.test(suffix)) {
      prefix = Number(suffix);
      if (prefix > bits) return undefined;
    } else {
      const mask = parseIp(suffix, 0);
      if (!mask || mask.network !== ip.network) return undefined;
      prefix = maskLength(mask.ip);
      if (prefix < 0) return undefined;
    }
  }
  return { network: ip.network, ip: applyMask(ip.ip, prefix), prefix };
}

function maskLength(mask: Uint8Array): number {
  let length = 0;
  let ended = false;
  for (const byte of mask) {
    for (let bit = 7; bit >= 0; bit--) {
      const set = (byte >> bit) & 1;
      if (set && ended) return -1;
      if (set) length++;
      else ended = true;
    }
  }
  return length;
}

function applyMask(ip: Uint8Array, prefix: number): Uint8Array {
  const out = ip.slice();
  for (let i = 0; i < out.length; i++) {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    out[i] &= (0xff << (8 - keep)) & 0xff;
  }
  return out;
}

/** The text form of a subnet (`CSubNet::ToString`). */
export function formatSubnet(subnet: Subnet): string {
  const address = formatIp({ network: subnet.network, ip: subnet.ip, port: 0 });
  // `CSubNet::ToString`: only IPv4 and IPv6 subnets carry a prefix length.
  const ipNetwork = subnet.network === Bip155Network.IPV4 || subnet.network === Bip155Network.IPV6;
  return ipNetwork ? `${address}/${subnet.prefix}` : address;
}

/** True when `service` lies in `subnet`. */
export function subnetContains(subnet: Subnet, service: NetService): boolean {
  if (subnet.network !== service.network) return false;
  const masked = applyMask(service.ip, subnet.prefix);
  return masked.every((b, i) => b === subnet.ip[i]);
}

/** The ban list with its file. */
export class BanList {
  readonly #path: string | undefined;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #bans = new Map<string, { subnet: Subnet; created: number; until: number }>();
  /** Discouraged addresses (`m_discouraged`); in memory only, as in the reference. */
  readonly #discouraged = new Set<string>();

  /** Creates a list stored at `path` (none: memory only). */
  constructor(
    path: string | undefined,
    log: Logger,
    now: () => number,
    defaultBanTime: number = DEFAULT_BAN_TIME,
  ) {
    this.#path = path;
    this.#log = log;
    this.#now = now;
    this.defaultBanTime = defaultBanTime;
  }

  /** Seconds a ban lasts when none is given (`-bantime`). */
  readonly defaultBanTime: number;

  /** Loads `banlist.json`; a missing or corrupt file starts (and writes) an empty list. */
  load(): void {
    if (!this.#path) return;
    let text: string;
    try {
      text = Deno.readTextFileSync(this.#path);
    } catch {
      this.#log.info("Recreating the banlist database");
      this.save();
      return;
    }
    try {
      const data = JSON.parse(text) as { banned_nets?: unknown };
      if (!Array.isArray(data.banned_nets)) throw new Error("no banned_nets");
      for (const item of data.banned_nets as Record<string, unknown>[]) {
        const subnet = typeof item.address === "string" ? parseSubnet(item.address) : undefined;
        if (!subnet) continue;
        this.#bans.set(formatSubnet(subnet), {
          subnet,
          created: Number(item.ban_created) || 0,
          until: Number(item.banned_until) || 0,
        });
      }
      this.sweep();
      this.#log.debug("net", () => `Loaded ${this.#bans.size} banned node addresses/subnets`);
    } catch (error) {
      this.#log.debug("net", () => `banlist.json: ${error}`);
      this.#log.info("Recreating the banlist database");
      this.#bans.clear();
      this.save();
    }
  }

  /** Writes `banlist.json` (no-op without a path). */
  save(): void {
    if (!this.#path) return;
    const banned_nets = [...this.#bans.values()].map((ban) => ({
      version: 1,
      ban_created: ban.created,
      banned_until: ban.until,
      address: formatSubnet(ban.subnet),
    }));
    const tmp = `${this.#path}.new`;
    Deno.writeTextFileSync(tmp, JSON.stringify({ banned_nets }, null, 4) + "\n");
    Deno.renameSync(tmp, this.#path);
  }

  /** Drops expired bans. */
  sweep(): void {
    const now = this.#now();
    for (const [key, ban] of this.#bans) if (ban.until <= now) this.#bans.delete(key);
  }

  /** Bans `subnet` until `until` (UNIX seconds); false when already banned. */
  ban(subnet: Subnet, until: number): boolean {
    const key = formatSubnet(subnet);
    this.sweep();
    if (this.#bans.has(key)) return false;
    this.#bans.set(key, { subnet, created: this.#now(), until });
    this.save();
    return true;
  }

  /** Lifts the ban of exactly `subnet`; false when it was not banned. */
  unban(subnet: Subnet): boolean {
    const removed = this.#bans.delete(formatSubnet(subnet));
    if (removed) this.save();
    return removed;
  }

  /** Lifts every ban and discouragement. */
  clear(): void {
    this.#bans.clear();
    this.#discouraged.clear();
    this.save();
  }

  /** The active bans, in freicoind's order (network, address bytes, then mask). */
  list(): BanEntry[] {
    this.sweep();
    const sorted = [...this.#bans.values()].sort((a, b) => compareSubnets(a.subnet, b.subnet));
    return sorted.map((ban) => ({
      subnet: formatSubnet(ban.subnet),
      created: ban.created,
      until: ban.until,
    }));
  }

  /** True when exactly `subnet` is banned. */
  isSubnetBanned(subnet: Subnet): boolean {
    this.sweep();
    return this.#bans.has(formatSubnet(subnet));
  }

  /** True when a ban covers `service`. */
  isBanned(service: NetService): boolean {
    const now = this.#now();
    for (const ban of this.#bans.values()) {
      if (ban.until > now && subnetContains(ban.subnet, service)) return true;
    }
    return false;
  }

  /** Marks an address as discouraged (misbehaving peer). */
  discourage(service: NetService): void {
    this.#discouraged.add(formatIp(service));
  }

  /** True for a discouraged address. */
  isDiscouraged(service: NetService): boolean {
    return this.#discouraged.has(formatIp(service));
  }
}

/** `CSubNet::operator<`: by network, address bytes, then mask. */
function compareSubnets(a: Subnet, b: Subnet): number {
  if (a.network !== b.network) return a.network - b.network;
  for (let i = 0; i < Math.min(a.ip.length, b.ip.length); i++) {
    if (a.ip[i] !== b.ip[i]) return a.ip[i] - b.ip[i];
  }
  return a.prefix - b.prefix;
}

/** Whether a subnet names a single address (for setban's messages). */
export function isSingleAddress(subnet: Subnet): boolean {
  return subnet.prefix === subnet.ip.length * 8;
}
