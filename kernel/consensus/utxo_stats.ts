/**
 * UTXO-set statistics as `gettxoutsetinfo` computes them (src/kernel/coinstats.cpp). Coins are
 * taken in the order the coins database stores them (txid bytes, then output index), each
 * serialized as outpoint ‖ uint32(height·2 + coinbase) ‖ CTxOut ‖ uint32 refheight;
 * `hash_serialized_3` is one double SHA-256 over all of it, `muhash` makes each coin a
 * MuHash3072 member.
 */

import { ByteWriter } from "../encoding/byte_writer.ts";
import { compareBytes } from "../encoding/bytes.ts";
import { sha256 } from "../hash/sha256.ts";
import { Sha256 } from "../hash/sha256_midstate.ts";
import type { CoinEntry } from "./coins.ts";
import { MuHash3072 } from "./muhash.ts";
import { coinPresentValue } from "./coins.ts";

/** Figures of `gettxoutsetinfo` (hash_type "hash_serialized_3"). */
export interface UtxoStats {
  /** Height of the best block the set belongs to. */
  readonly height: number;
  /** Distinct transactions with unspent outputs. */
  readonly transactions: number;
  /** Unspent outputs. */
  readonly txouts: number;
  /** Database-independent size metric. */
  readonly bogosize: number;
  /** `hash_serialized_3`, internal byte order (display with hashToHex). */
  readonly hashSerialized: Uint8Array;
  /** `muhash`, internal byte order; present only when asked for (`muhash: true`). */
  readonly muhash?: Uint8Array;
  /** Σ reference values, kria. */
  readonly totalValue: bigint;
  /** Σ present values at height + 1, kria. */
  readonly totalAmount: bigint;
}

/** Options of {@link computeUtxoStats}. */
export interface UtxoStatsOptions {
  /** Also compute the MuHash3072 digest (hash_type "muhash"). Default false. */
  readonly muhash?: boolean;
  /** Regtest `-bitcoinmode`: no demurrage in total_amount. */
  readonly bitcoinMode?: boolean;
}

/** `GetBogoSize`: 32 + 4 + 4 + 8 + 4 + 2 + script length (Freicoin adds the refheight's 4). */
export function bogoSize(scriptPubKey: Uint8Array): number {
  return 32 + 4 + 4 + 8 + 4 + 2 + scriptPubKey.length;
}

/** The per-coin serialization hashed into `hash_serialized_3` (`TxOutSer`). */
export function serializeCoinForHash(entry: CoinEntry): Uint8Array {
  const { outpoint, coin } = entry;
  const writer = new ByteWriter(64 + coin.output.scriptPubKey.length);
  outpoint.write(writer);
  writer.writeU32LE(((coin.height * 2) + (coin.isCoinBase ? 1 : 0)) >>> 0);
  coin.output.write(writer);
  writer.writeU32LE(coin.refheight >>> 0);
  return writer.toBytes();
}

function compareEntries(a: CoinEntry, b: CoinEntry): number {
  return compareBytes(a.outpoint.hash, b.outpoint.hash) || a.outpoint.n - b.outpoint.n;
}

/**
 * Computes `gettxoutsetinfo`'s figures for a UTXO set at best height `height`.
 *
 * @example
 * ```ts
 * import { computeUtxoStats } from "./utxo_stats.ts";
 * const stats = computeUtxoStats([], 0);
 * console.assert(stats.txouts === 0 && stats.totalValue === 0n);
 * ```
 */
export function computeUtxoStats(
  coins: Iterable<CoinEntry>,
  height: number,
  options: UtxoStatsOptions = {},
): UtxoStats {
  const sorted = [...coins].sort(compareEntries);
  const hasher = new Sha256();
  const muhash = options.muhash ? new MuHash3072() : undefined;
  let transactions = 0;
  let bogosize = 0;
  let totalValue = 0n;
  let totalAmount = 0n;
  let previous: Uint8Array | undefined;
  for (const entry of sorted) {
    if (!previous || compareBytes(previous, entry.outpoint.hash) !== 0) transactions++;
    previous = entry.outpoint.hash;
    const serialized = serializeCoinForHash(entry);
    hasher.write(serialized);
    muhash?.insert(serialized);
    totalValue += entry.coin.output.value;
    totalAmount += coinPresentValue(entry.coin, height + 1, { bitcoinMode: options.bitcoinMode });
    bogosize += bogoSize(entry.coin.output.scriptPubKey);
  }
  return {
    height,
    transactions,
    txouts: sorted.length,
    bogosize,
    hashSerialized: sha256(hasher.finalize()),
    muhash: muhash?.digest(),
    totalValue,
    totalAmount,
  };
}
