import { SEQUENCE_FINAL } from "../primitives/tx_in.ts";
import type { Transaction } from "../primitives/transaction.ts";
import { LOCKTIME_THRESHOLD } from "../script/script.ts";

/**
 * `IsFinalTx`: whether `tx` may be included in a block at `blockHeight` whose lock-time cutoff
 * is `blockTime`. Freicoin first requires `lock_height <= blockHeight` (this cannot be bypassed
 * with SEQUENCE_FINAL), then applies Bitcoin's nLockTime / nSequence logic.
 *
 * @example
 * ```ts
 * import { isFinalTx } from "./is_final_tx.ts";
 * import { Transaction } from "../primitives/transaction.ts";
 * const tx = new Transaction({ version: 2, inputs: [], outputs: [], lockTime: 0, lockHeight: 10 });
 * console.assert(!isFinalTx(tx, 9, 0) && isFinalTx(tx, 10, 0));
 * ```
 */
export function isFinalTx(tx: Transaction, blockHeight: number, blockTime: number): boolean {
  if (tx.lockHeight > blockHeight) return false;
  if (tx.lockTime === 0) return true;
  const cutoff = tx.lockTime < LOCKTIME_THRESHOLD ? blockHeight : blockTime;
  if (tx.lockTime < cutoff) return true;
  for (const input of tx.inputs) {
    if (input.sequence !== SEQUENCE_FINAL) return false;
  }
  return true;
}
