/**
 * What transaction relay needs from the mempool, as a small interface, and its adapter over
 * roles/node/mempool (`AcceptToMemoryPool`, lookups, added-transaction notifications).
 *
 * @module
 */
import type { TxValidationCategory } from "../../../kernel/consensus/validation_result.ts";
import type { Transaction } from "../../../kernel/primitives/mod.ts";
import { acceptToMemoryPool, type Mempool, type MempoolChainView } from "../mempool/mod.ts";

/** Outcome of offering a relayed transaction to the pool. */
export type RelayAcceptResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly category: TxValidationCategory; readonly reason: string };

/** The mempool as transaction relay sees it. */
export interface RelayPool {
  /** `AcceptToMemoryPool` for a transaction from a peer. */
  accept(tx: Transaction): RelayAcceptResult;
  /**
   * A pool transaction by txid or wtxid (display hex); with `beforeSequence`, only if it
   * entered the pool before that pool sequence (`info_for_relay`).
   */
  lookup(hashHex: string, byWtxid: boolean, beforeSequence?: number): Transaction | undefined;
  /** The pool's current sequence (`GetSequence`). */
  sequence(): number;
  /** The modified fee rate of a pool transaction in kria per kvB (for peers' fee filters). */
  feeRatePerKvB(txidHex: string): bigint | undefined;
  /**
   * The pool's minimum fee, kria per kvB (`GetMinFee`: 0 until the pool was full). The message
   * processor rounds it to a fee-filter bucket and raises it to the minimum relay fee.
   */
  feeFilter(): bigint;
  /** Every pool transaction (for compact block reconstruction). */
  transactions(): Iterable<Transaction>;
  /** Calls `listener` for each transaction added to the pool; returns the unsubscribe. */
  onAdded(listener: (tx: Transaction) => void): () => void;
}

/** Adapts a {@linkcode Mempool} with the chain view it validates against. */
export function mempoolRelayPool(
  mempool: Mempool,
  chain: MempoolChainView,
  now: () => number,
): RelayPool {
  return {
    accept(tx) {
      const result = acceptToMemoryPool(mempool, chain, tx, { acceptTime: now() });
      if (result.ok) return { ok: true };
      return { ok: false, category: result.state.category, reason: result.state.reason };
    },
    lookup(hashHex, byWtxid, beforeSequence) {
      const entry = byWtxid ? mempool.getByWtxid(hashHex) : mempool.get(hashHex);
      if (!entry) return undefined;
      if (beforeSequence !== undefined && entry.sequence >= beforeSequence) return undefined;
      if (beforeSequence !== undefined) mempool.removeUnbroadcastTx(entry.txidHex);
      return entry.tx;
    },
    sequence() {
      return mempool.sequence;
    },
    feeRatePerKvB(txidHex) {
      const entry = mempool.get(txidHex);
      if (!entry || entry.vsize === 0) return undefined;
      return (entry.modifiedFee * 1000n) / BigInt(entry.vsize);
    },
    feeFilter() {
      return mempool.getMinFee(now()).perKvB;
    },
    *transactions() {
      for (const entry of mempool.entries()) yield entry.tx;
    },
    onAdded(listener) {
      return mempool.subscribe({
        added: (entry) => listener(entry.tx),
        reannounce: (entry) => listener(entry.tx),
      });
    },
  };
}
