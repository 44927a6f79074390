/**
 * The wallet's way into the node's mempool: `BroadcastTransaction` (src/node/transaction.cpp)
 * as a wallet calls it, answering freicoind's errors as values instead of throwing.
 *
 * @module
 */
import { OutPoint, type Transaction } from "../../../kernel/primitives/mod.ts";
import { RPC_ERROR } from "../../../rpc/mod.ts";
import type { BroadcastResult, FeeEstimate } from "../../../schemas/mod.ts";
import { acceptToMemoryPool } from "../mempool/accept.ts";
import type { MempoolChainView } from "../mempool/chain_view.ts";
import { FeeRate } from "../mempool/fee_rate.ts";
import type { Mempool } from "../mempool/mempool.ts";
import type { MempoolAccess } from "./chain_service.ts";

/** freicoind's text when a transaction's fee is above the caller's maximum. */
export const MAX_FEE_EXCEEDED =
  "Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)";

/** Options for {@linkcode mempoolAccess}. */
export interface MempoolAccessOptions {
  readonly mempool: Mempool;
  /** The chain as the mempool sees it (tip, coins, script verifier). */
  readonly view: MempoolChainView;
  /** Seconds since the epoch (mocktime aware). */
  readonly now: () => number;
  /** Announces a transaction to peers, when the node relays. */
  readonly relay?: (tx: Transaction) => void;
  /** The node's fee estimator (`Chain::estimateSmartFee`), when it keeps one. */
  readonly estimateSmartFee?: (blocks: number, conservative: boolean) => FeeEstimate;
}

/**
 * Broadcasting through `mempool`: a transaction already in the chain is refused (-27), one
 * already in the mempool is only relayed again, a fee above `maxFeeRatePerKvB` × vsize is
 * refused before anything is added, and mempool rejections come back with their reason (-25
 * for missing inputs, -26 otherwise), as `sendrawtransaction` answers them.
 */
export function mempoolAccess(options: MempoolAccessOptions): MempoolAccess {
  const { mempool, view } = options;
  return {
    mempool,
    estimateSmartFee: options.estimateSmartFee,
    broadcast(tx: Transaction, maxFeeRatePerKvB: bigint, relay: boolean): BroadcastResult {
      for (let n = 0; n < tx.outputs.length; n++) {
        if (view.getCoin(new OutPoint(tx.txid, n))) {
          return {
            ok: false,
            error: "Transaction already in block chain",
            code: RPC_ERROR.VERIFY_ALREADY_IN_CHAIN,
          };
        }
      }
      const alreadyInMempool = mempool.has(tx.txidHex);
      if (!alreadyInMempool) {
        const acceptTime = Math.floor(options.now());
        const maxFee = new FeeRate(maxFeeRatePerKvB).getFee(tx.virtualSize);
        if (maxFee > 0n) {
          const test = acceptToMemoryPool(mempool, view, tx, { acceptTime, testAccept: true });
          if (!test.ok) return rejection(test.state);
          if (test.fee > maxFee) {
            return { ok: false, error: MAX_FEE_EXCEEDED, code: RPC_ERROR.VERIFY_ERROR };
          }
        }
        const result = acceptToMemoryPool(mempool, view, tx, { acceptTime });
        if (!result.ok) return rejection(result.state);
        if (relay) mempool.addUnbroadcastTx(tx.txidHex);
      }
      // A new transaction is announced when it enters the pool; one already there is announced
      // again under the pool's own wtxid (its witness may differ from this copy's).
      if (relay && alreadyInMempool) mempool.reannounce(tx.txidHex);
      if (relay) options.relay?.(tx);
      return { ok: true };
    },
  };
}

function rejection(
  state: { category: string; reason: string; debugMessage: string },
): BroadcastResult {
  const error = state.debugMessage ? `${state.reason}, ${state.debugMessage}` : state.reason;
  const code = state.category === "missing-inputs"
    ? RPC_ERROR.VERIFY_ERROR
    : RPC_ERROR.VERIFY_REJECTED;
  return { ok: false, error, code };
}
