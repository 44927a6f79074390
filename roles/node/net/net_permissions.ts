/**
 * Peer permissions from `-whitelist` and `-whitebind` (src/net_permissions.cpp): parsing with
 * freicoind's errors, the implicit set, and the names getpeerinfo shows.
 *
 * @module
 */
import { formatSubnet, parseSubnet, type Subnet, subnetContains } from "./ban_list.ts";
import { type NetService, parseService } from "./net_address.ts";

/** A permission name, in getpeerinfo's order. */
export type NetPermission =
  | "bloomfilter"
  | "noban"
  | "forcerelay"
  | "relay"
  | "mempool"
  | "download"
  | "addr";

const ORDER: readonly NetPermission[] = [
  "bloomfilter",
  "noban",
  "forcerelay",
  "relay",
  "mempool",
  "download",
  "addr",
];

/** A set of permissions; `implicit` until resolved by the -whitelistrelay options. */
export interface PermissionFlags {
  readonly permissions: ReadonlySet<NetPermission>;
  readonly implicit: boolean;
}

/** A -whitelist entry. */
export interface WhitelistEntry extends PermissionFlags {
  readonly subnet: Subnet;
}

/** A -whitebind entry. */
export interface WhitebindEntry extends PermissionFlags {
  readonly service: NetService;
}

/** Thrown with freicoind's start-up error text. */
export class PermissionError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "PermissionError";
  }
}

function addWithImplied(set: Set<NetPermission>, permission: NetPermission): void {
  set.add(permission);
  // noban implies download, forcerelay implies relay (the flag values overlap).
  if (permission === "noban") set.add("download");
  if (permission === "forcerelay") set.add("relay");
}

/** `TryParsePermissionFlags`: the `perm,perm@` prefix and the rest of the text. */
function parseFlags(text: string): { flags: PermissionFlags; rest: string } {
  const at = text.indexOf("@");
  if (at < 0) return { flags: { permissions: new Set(), implicit: true }, rest: text };
  const set = new Set<NetPermission>();
  for (const name of text.slice(0, at).split(",")) {
    if (name === "") continue;
    if (name === "bloom" || name === "bloomfilter") addWithImplied(set, "bloomfilter");
    else if (name === "all") { for (const p of ORDER) addWithImplied(set, p); }
    else if ((ORDER as readonly string[]).includes(name)) {
      addWithImplied(set, name as NetPermission);
    } else throw new PermissionError(`Invalid P2P permission: '${name}'`);
  }
  return { flags: { permissions: set, implicit: false }, rest: text.slice(at + 1) };
}

/** Parses a `-whitelist` value. */
export function parseWhitelist(text: string): WhitelistEntry {
  const { flags, rest } = parseFlags(text);
  const subnet = parseSubnet(rest);
  if (!subnet) throw new PermissionError(`Invalid netmask specified in -whitelist: '${rest}'`);
  return { ...flags, subnet };
}

/** Parses a `-whitebind` value. */
export function parseWhitebind(text: string): WhitebindEntry {
  const { flags, rest } = parseFlags(text);
  const service = parseService(rest, 0);
  if (!service) throw new PermissionError(`Cannot resolve -whitebind address: '${rest}'`);
  if (service.port === 0) {
    throw new PermissionError(`Need to specify a port with -whitebind: '${rest}'`);
  }
  return { ...flags, service };
}

/** Options resolving the implicit set (`-whitelistrelay`, `-whitelistforcerelay`). */
export interface ImplicitPermissionOptions {
  readonly whitelistRelay: boolean;
  readonly whitelistForceRelay: boolean;
}

/** The permissions of a connection, from every matching whitelist and whitebind entry. */
export function permissionsFor(
  peer: NetService,
  bind: NetService,
  config: {
    whitelist: readonly WhitelistEntry[];
    whitebind: readonly WhitebindEntry[];
    implicit: ImplicitPermissionOptions;
  },
): Set<NetPermission> {
  const out = new Set<NetPermission>();
  const merge = (flags: PermissionFlags) => {
    for (const p of flags.permissions) out.add(p);
    if (flags.implicit) {
      if (config.implicit.whitelistForceRelay) addWithImplied(out, "forcerelay");
      if (config.implicit.whitelistRelay) addWithImplied(out, "relay");
      addWithImplied(out, "mempool");
      addWithImplied(out, "noban");
    }
  };
  for (const entry of config.whitelist) if (subnetContains(entry.subnet, peer)) merge(entry);
  for (const entry of config.whitebind) {
    const sameIp = entry.service.ip.every((b, i) => b === bind.ip[i]);
    if (sameIp && entry.service.port === bind.port) merge(entry);
  }
  return out;
}

/** The permission names in getpeerinfo's order (`NetPermissions::ToStrings`). */
export function permissionNames(permissions: ReadonlySet<NetPermission>): NetPermission[] {
  return ORDER.filter((p) => permissions.has(p));
}

/** For log lines: the subnet of a whitelist entry. */
export function describeWhitelist(entry: WhitelistEntry): string {
  return formatSubnet(entry.subnet);
}
