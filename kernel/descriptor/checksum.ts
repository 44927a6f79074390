import { utf8Encode } from "./_utf8.ts";
import { DescriptorError } from "./descriptor_error.ts";

// Position of a character in this set: the low 5 bits are one symbol, the group (0..2) is packed
// three characters at a time into an extra symbol (the descriptor checksum of BIP380).
const INPUT_CHARSET = "0123456789()[],'/*abcdefgh@:$%{}" +
  "IJKLMNOPQRSTUVWXYZ&+-.;<=>?!^_|~" +
  'ijklmnopqrstuvwxyzABCDEFGH`#"\\ ';
const CHECKSUM_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const GENERATOR = [0xf5dee51989n, 0xa9fdca3312n, 0x1bab10e32dn, 0x3706b1677an, 0x644d626ffdn];

function polymod(c: bigint, value: number): bigint {
  const top = Number(c >> 35n);
  c = ((c & 0x7ffffffffn) << 5n) ^ BigInt(value);
  for (let bit = 0; bit < 5; bit++) {
    if ((top >> bit) & 1) c ^= GENERATOR[bit];
  }
  return c;
}

/**
 * The 8-character checksum of a descriptor string (without `#`), or "" when the string has a
 * character outside the descriptor character set (`DescriptorChecksum`).
 *
 * @example
 * ```ts
 * import { descriptorChecksum } from "./checksum.ts";
 * descriptorChecksum("raw(deadbeef)"); // "89f8spxm"
 * ```
 */
export function descriptorChecksum(str: string): string {
  let c = 1n;
  let groups = 0;
  let count = 0;
  for (const ch of str) {
    const pos = ch.length === 1 ? INPUT_CHARSET.indexOf(ch) : -1;
    if (pos === -1) return "";
    c = polymod(c, pos & 31);
    groups = groups * 3 + (pos >> 5);
    if (++count === 3) {
      c = polymod(c, groups);
      groups = 0;
      count = 0;
    }
  }
  if (count > 0) c = polymod(c, groups);
  for (let j = 0; j < 8; j++) c = polymod(c, 0);
  c ^= 1n;
  let out = "";
  for (let j = 0; j < 8; j++) out += CHECKSUM_CHARSET[Number((c >> BigInt(5 * (7 - j))) & 31n)];
  return out;
}

/** `str#checksum`. */
export function addChecksum(str: string): string {
  return `${str}#${descriptorChecksum(str)}`;
}

/** A descriptor split from its checksum after the checksum was verified. */
export interface CheckedDescriptor {
  /** The descriptor without `#checksum`. */
  payload: string;
  /** The checksum computed over the payload. */
  checksum: string;
}

/**
 * Verifies the optional (or, with `requireChecksum`, mandatory) `#checksum` suffix
 * (`CheckChecksum`). Throws {@link DescriptorError} with freicoind's message.
 */
export function checkChecksum(str: string, requireChecksum: boolean): CheckedDescriptor {
  const parts = str.split("#");
  if (parts.length > 2) throw new DescriptorError("Multiple '#' symbols");
  if (parts.length === 1 && requireChecksum) throw new DescriptorError("Missing checksum");
  // freicoind counts bytes, so measure the UTF-8 length.
  const checksumBytes = parts.length === 2 ? utf8Encode(parts[1]).length : 8;
  if (checksumBytes !== 8) {
    throw new DescriptorError(`Expected 8 character checksum, not ${checksumBytes} characters`);
  }
  const checksum = descriptorChecksum(parts[0]);
  if (checksum === "") throw new DescriptorError("Invalid characters in payload");
  if (parts.length === 2 && parts[1] !== checksum) {
    throw new DescriptorError(
      `Provided checksum '${parts[1]}' does not match computed checksum '${checksum}'`,
    );
  }
  return { payload: parts[0], checksum };
}
