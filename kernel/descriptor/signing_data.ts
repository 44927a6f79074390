import { bytesToHex } from "../encoding/mod.ts";

/** Where a public key came from: master key fingerprint and full derivation path. */
export interface KeyOriginInfo {
  readonly pubkey: Uint8Array;
  readonly fingerprint: Uint8Array;
  readonly path: readonly number[];
}

/**
 * What expanding a descriptor tells a signer (the reference's `FlatSigningProvider` output of
 * `Expand`): maps keyed by lower-case hex of HASH160 key ids, HASH160 script ids and 20-byte
 * witness short hashes.
 */
export interface SigningData {
  /** Public keys by key id (for P2PKH/P2WPK/miniscript key hashes). */
  readonly pubkeys: Map<string, Uint8Array>;
  /** Key origins by key id. */
  readonly origins: Map<string, KeyOriginInfo>;
  /** P2SH redeem scripts by script id. */
  readonly scripts: Map<string, Uint8Array>;
  /** Witness script entries (inner version byte + script) by short hash. */
  readonly witnessScripts: Map<string, Uint8Array>;
}

/** An empty set of signing data. */
export function emptySigningData(): SigningData {
  return { pubkeys: new Map(), origins: new Map(), scripts: new Map(), witnessScripts: new Map() };
}

/** Adds everything from `from` to `into` (existing entries win, like `std::map::emplace`). */
export function mergeSigningData(into: SigningData, from: SigningData): void {
  for (const key of ["pubkeys", "origins", "scripts", "witnessScripts"] as const) {
    const target = into[key] as Map<string, unknown>;
    for (const [id, value] of from[key] as Map<string, unknown>) {
      if (!target.has(id)) target.set(id, value);
    }
  }
}

/** Lower-case hex id used as a map key. */
export function idKey(id: Uint8Array): string {
  return bytesToHex(id);
}
