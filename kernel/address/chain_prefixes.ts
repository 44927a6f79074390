/**
 * The address and key encodings that differ between networks (`CChainParams::Base58Prefix` and
 * `Bech32HRP` in the reference). Kernel chain parameters embed one of these.
 */
export interface ChainPrefixes {
  /** Base58Check version bytes of P2PKH addresses. */
  readonly pubkeyPrefix: readonly number[];
  /** Base58Check version bytes of P2SH addresses. */
  readonly scriptPrefix: readonly number[];
  /** Base58Check version bytes of WIF private keys. */
  readonly secretPrefix: readonly number[];
  /** Version bytes of BIP32 extended public keys (xpub/tpub). */
  readonly extPub: readonly number[];
  /** Version bytes of BIP32 extended private keys (xprv/tprv). */
  readonly extSec: readonly number[];
  /** Human-readable part of segwit (Bech32m) addresses. */
  readonly bech32Hrp: string;
}

/** Network names as the reference's `ChainTypeFromString` spells them. */
export type ChainName = "main" | "test" | "signet" | "regtest";

/** Mainnet: `1…`/`3…` addresses, `5…`/`K…`/`L…` WIF, xpub/xprv, `fc1…`. */
export const MAIN_PREFIXES: ChainPrefixes = Object.freeze({
  pubkeyPrefix: Object.freeze([0]),
  scriptPrefix: Object.freeze([5]),
  secretPrefix: Object.freeze([128]),
  extPub: Object.freeze([0x04, 0x88, 0xb2, 0x1e]),
  extSec: Object.freeze([0x04, 0x88, 0xad, 0xe4]),
  bech32Hrp: "fc",
});

const TEST_BASE58 = {
  pubkeyPrefix: Object.freeze([111]),
  scriptPrefix: Object.freeze([196]),
  secretPrefix: Object.freeze([239]),
  extPub: Object.freeze([0x04, 0x35, 0x87, 0xcf]),
  extSec: Object.freeze([0x04, 0x35, 0x83, 0x94]),
};

/** Testnet: `m…`/`n…`/`2…` addresses, tpub/tprv, `tf1…`. */
export const TEST_PREFIXES: ChainPrefixes = Object.freeze({ ...TEST_BASE58, bech32Hrp: "tf" });

/** Signet: the testnet encodings, including the `tf` HRP. */
export const SIGNET_PREFIXES: ChainPrefixes = Object.freeze({ ...TEST_BASE58, bech32Hrp: "tf" });

/** Regtest: the testnet Base58 encodings with the `fcrt` HRP. */
export const REGTEST_PREFIXES: ChainPrefixes = Object.freeze({ ...TEST_BASE58, bech32Hrp: "fcrt" });

/**
 * The prefixes of a network by name.
 *
 * @example
 * ```ts
 * import { chainPrefixes } from "./chain_prefixes.ts";
 * chainPrefixes("regtest").bech32Hrp; // "fcrt"
 * ```
 */
export function chainPrefixes(chain: ChainName): ChainPrefixes {
  switch (chain) {
    case "main":
      return MAIN_PREFIXES;
    case "test":
      return TEST_PREFIXES;
    case "signet":
      return SIGNET_PREFIXES;
    case "regtest":
      return REGTEST_PREFIXES;
  }
}
