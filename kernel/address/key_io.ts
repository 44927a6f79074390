import { decodeBase58, decodeBase58Check, encodeBase58Check } from "./base58.ts";
import { convertBits, decodeBech32, encodeBech32, locateBech32Errors } from "./bech32.ts";
import type { ChainPrefixes } from "./chain_prefixes.ts";
import { type Destination, NO_DESTINATION } from "./destination.ts";

/** Longest witness program an address may carry (`BECH32_WITNESS_PROG_MAX_LEN`). */
export const WITNESS_PROGRAM_MAX_LENGTH = 75;

/** Highest witness version an address may carry. */
export const MAX_WITNESS_VERSION = 30;

/** Result of `decodeDestination`: a valid destination, or freicoind's reason it is not one. */
export type DecodeDestinationResult =
  | { readonly ok: true; readonly destination: Destination }
  | {
    readonly ok: false;
    readonly destination: Destination;
    /** freicoind's message, e.g. "Invalid Bech32m checksum". */
    readonly error: string;
    /** Character positions of the errors (Bech32 strings only). */
    readonly errorLocations: readonly number[];
  };

function startsWith(data: Uint8Array, prefix: readonly number[]): boolean {
  if (data.length < prefix.length) return false;
  return prefix.every((byte, i) => data[i] === byte);
}

function concat(prefix: readonly number[], body: Uint8Array): Uint8Array {
  const out = new Uint8Array(prefix.length + body.length);
  out.set(prefix);
  out.set(body, prefix.length);
  return out;
}

function encodeWitness(version: number, program: Uint8Array, hrp: string): string {
  const words = convertBits(program, 8, 5, true)!;
  return encodeBech32("bech32m", hrp, Uint8Array.from([version, ...words]));
}

/**
 * The address of a destination on a network (`EncodeDestination`); all segwit versions use
 * Bech32m. Returns "" for destinations without an address (and, like freicoind, for
 * `WitnessUnknown` values that are really v0 hashes or out of range).
 *
 * @example
 * ```ts
 * import { encodeDestination, REGTEST_PREFIXES } from "./mod.ts";
 * encodeDestination({ kind: "WitnessUnknown", version: 2, program: new Uint8Array(2) },
 *   REGTEST_PREFIXES);
 * ```
 */
export function encodeDestination(dest: Destination, prefixes: ChainPrefixes): string {
  switch (dest.kind) {
    case "PKHash":
      return encodeBase58Check(concat(prefixes.pubkeyPrefix, dest.hash));
    case "ScriptHash":
      return encodeBase58Check(concat(prefixes.scriptPrefix, dest.hash));
    case "WitnessV0ShortHash":
    case "WitnessV0LongHash":
      return encodeWitness(0, dest.hash, prefixes.bech32Hrp);
    case "WitnessUnknown": {
      const size = dest.program.length;
      if (
        (dest.version === 0 && (size === 20 || size === 32)) || dest.version < 0 ||
        dest.version > MAX_WITNESS_VERSION || size < 2 || size > WITNESS_PROGRAM_MAX_LENGTH
      ) {
        return "";
      }
      return encodeWitness(dest.version, dest.program, prefixes.bech32Hrp);
    }
    case "PubKeyDestination":
    case "NoDestination":
      return "";
  }
}

/** Lower-cases A-Z only, like the reference's `ToLower` (locale-independent). */
function asciiLowerCase(str: string): string {
  return str.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

function fail(error: string, errorLocations: readonly number[] = []): DecodeDestinationResult {
  return { ok: false, destination: NO_DESTINATION, error, errorLocations };
}

function decodeBase58Destination(str: string, prefixes: ChainPrefixes): DecodeDestinationResult {
  const data = decodeBase58Check(str, 21);
  if (data === null) {
    // Tell a bad checksum or length apart from something that is not Base58 at all.
    return decodeBase58(str, 100) === null
      ? fail("Invalid or unsupported Segwit (Bech32) or Base58 encoding.")
      : fail("Invalid checksum or length of Base58 address (P2PKH or P2SH)");
  }
  const { pubkeyPrefix, scriptPrefix } = prefixes;
  if (data.length === 20 + pubkeyPrefix.length && startsWith(data, pubkeyPrefix)) {
    return { ok: true, destination: { kind: "PKHash", hash: data.slice(pubkeyPrefix.length) } };
  }
  if (data.length === 20 + scriptPrefix.length && startsWith(data, scriptPrefix)) {
    return { ok: true, destination: { kind: "ScriptHash", hash: data.slice(scriptPrefix.length) } };
  }
  if (startsWith(data, scriptPrefix) || startsWith(data, pubkeyPrefix)) {
    return fail("Invalid length for Base58 address (P2PKH or P2SH)");
  }
  return fail("Invalid or unsupported Base58-encoded address.");
}

/**
 * Parses an address for a network (`DecodeDestination`), with freicoind's error messages and, for
 * Bech32 strings, the positions of likely typos.
 *
 * @example
 * ```ts
 * import { decodeDestination, MAIN_PREFIXES } from "./mod.ts";
 * const r = decodeDestination("fc1q9c2m4uf60087l25c9rkczngmdz6a94pp0d8ckn", MAIN_PREFIXES);
 * r.ok && r.destination.kind; // "WitnessV0ShortHash"
 * ```
 */
export function decodeDestination(str: string, prefixes: ChainPrefixes): DecodeDestinationResult {
  const hrp = prefixes.bech32Hrp;
  // A Bech32 address of another network is not treated as Bech32 here (as in freicoind).
  const isBech32 = asciiLowerCase(str.slice(0, hrp.length)) === hrp;
  if (!isBech32) return decodeBase58Destination(str, prefixes);

  const decoded = decodeBech32(str);
  if (decoded !== null && decoded.encoding !== "bech32m" && decoded.data.length > 0) {
    return fail("All address types in Freicoin use Bech32m checksum.");
  }
  if (decoded !== null && decoded.encoding === "bech32m") {
    if (decoded.data.length === 0) return fail("Empty Bech32 data section");
    if (decoded.hrp !== hrp) {
      return fail(
        `Invalid or unsupported prefix for Segwit (Bech32) address (expected ${hrp}, got ${decoded.hrp}).`,
      );
    }
    const version = decoded.data[0];
    const program = convertBits(decoded.data.subarray(1), 5, 8, false);
    if (program === null) return fail("Invalid padding in Bech32 data section");
    if (version === 0 && program.length === 20) {
      return { ok: true, destination: { kind: "WitnessV0ShortHash", hash: program } };
    }
    if (version === 0 && program.length === 32) {
      return { ok: true, destination: { kind: "WitnessV0LongHash", hash: program } };
    }
    if (version > MAX_WITNESS_VERSION) return fail("Invalid Bech32 address witness version");
    if (program.length < 2 || program.length > WITNESS_PROGRAM_MAX_LENGTH) {
      const unit = program.length === 1 ? "byte" : "bytes";
      return fail(`Invalid Bech32 address program size (${program.length} ${unit})`);
    }
    return { ok: true, destination: { kind: "WitnessUnknown", version, program } };
  }
  const report = locateBech32Errors(str);
  return fail(report.message, report.locations);
}

/** True when `str` is a valid address on the network (`IsValidDestinationString`). */
export function isValidAddress(str: string, prefixes: ChainPrefixes): boolean {
  return decodeDestination(str, prefixes).ok;
}
