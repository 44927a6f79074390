/**
 * IP subnets for `-rpcallowip` (a single address, `addr/CIDR` or `addr/netmask`, IPv4 or IPv6)
 * and `-rpcbind`'s `host[:port]` splitting, following freicoind's `LookupSubNet`/`SplitHostPort`.
 *
 * @module
 */

/** A network address with its mask, as bytes (4 for IPv4, 16 for IPv6). */
export interface Subnet {
  network: Uint8Array;
  mask: Uint8Array;
}

/**
 * Parses an IPv4 or IPv6 literal (no host names) to 4 or 16 bytes; IPv4-mapped IPv6
 * (`::ffff:a.b.c.d`) becomes IPv4, as freicoind treats it.
 */
export function parseIp(text: string): Uint8Array | undefined {
  const v4 = parseIpv4(text);
  if (v4) return v4;
  const v6 = parseIpv6(text);
  if (!v6) return undefined;
  const mapped = v6.subarray(0, 12).every((b, i) => b === (i < 10 ? 0 : 0xff));
  return mapped ? v6.slice(12) : v6;
}

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    if (!/^[0-9]{1,3}$/.test(parts[i])) return undefined;
    const n = Number(parts[i]);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

function parseIpv6(text: string): Uint8Array | undefined {
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone);
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (half: string): number[] | undefined => {
    if (half === "") return [];
    const out: number[] = [];
    const parts = half.split(":");
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (i === parts.length - 1 && part.includes(".")) {
        const v4 = parseIpv4(part);
        if (!v4) return undefined;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
        out.push(parseInt(part, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array(missing).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

function prefixMask(length: number, bits: number): Uint8Array {
  const mask = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const take = Math.max(0, Math.min(8, bits - 8 * i));
    mask[i] = take === 0 ? 0 : (0xff << (8 - take)) & 0xff;
  }
  return mask;
}

function isContiguousMask(mask: Uint8Array): boolean {
  let seenZero = false;
  for (const byte of mask) {
    for (let bit = 7; bit >= 0; bit--) {
      const one = (byte >> bit) & 1;
      if (one && seenZero) return false;
      if (!one) seenZero = true;
    }
  }
  return true;
}

/**
 * Parses an `-rpcallowip` value: `1.2.3.4`, `1.2.3.4/24`, `1.2.3.4/255.255.255.0`, `::1`,
 * `fe80::/10`. Returns undefined for anything freicoind would call an invalid subnet.
 *
 * @example
 * ```ts
 * import { parseSubnet, subnetContains, parseIp } from "./subnet.ts";
 * subnetContains(parseSubnet("10.0.0.0/8")!, parseIp("10.1.2.3")!); // true
 * ```
 */
export function parseSubnet(text: string): Subnet | undefined {
  const slash = text.indexOf("/");
  const address = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!address) return undefined;
  let mask: Uint8Array;
  if (slash < 0) {
    mask = prefixMask(address.length, address.length * 8);
  } else {
    const suffix = text.slice(slash + 1);
    if (/^[0-9]+$/.test(suffix)) {
      const bits = Number(suffix);
      if (bits > address.length * 8) return undefined;
      mask = prefixMask(address.length, bits);
    } else {
      const netmask = parseIp(suffix);
      if (!netmask || netmask.length !== address.length || !isContiguousMask(netmask)) {
        return undefined;
      }
      mask = netmask;
    }
  }
  const network = address.map((b, i) => b & mask[i]);
  return { network, mask };
}

/** Whether `address` (bytes from {@linkcode parseIp}) lies in `subnet`. */
export function subnetContains(subnet: Subnet, address: Uint8Array): boolean {
  if (address.length !== subnet.network.length) return false;
  return address.every((b, i) => (b & subnet.mask[i]) === subnet.network[i]);
}

/** The subnets always allowed to use RPC: 127.0.0.0/8 and ::1. */
export function defaultAllowedSubnets(): Subnet[] {
  return [parseSubnet("127.0.0.0/8")!, parseSubnet("::1")!];
}

/**
 * Splits `host[:port]` / `[v6]:port` like freicoind's `SplitHostPort`; the port stays
 * `defaultPort` when there is none. `valid` is false for a bad or zero port.
 */
export function splitHostPort(
  text: string,
  defaultPort: number,
): { host: string; port: number; valid: boolean } {
  let port = defaultPort;
  let valid = true;
  const colon = text.lastIndexOf(":");
  const bracketed = colon > 0 && text[0] === "[" && text[colon - 1] === "]";
  const multiColon = colon > 0 && text.slice(0, colon).includes(":");
  if (colon >= 0 && (colon === 0 || bracketed || !multiColon)) {
    const portText = text.slice(colon + 1);
    valid = false;
    if (/^[0-9]{1,5}$/.test(portText) && Number(portText) <= 65535) {
      port = Number(portText);
      text = text.slice(0, colon);
      valid = port !== 0;
    }
  }
  const host = text.length >= 2 && text[0] === "[" && text.at(-1) === "]"
    ? text.slice(1, -1)
    : text;
  return { host, port, valid };
}
