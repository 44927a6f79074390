import { type ChainEntry, getAncestor, medianTimePast } from "../chain/chain_entry.ts";
import {
  SEQUENCE_LOCKTIME_DISABLE_FLAG,
  SEQUENCE_LOCKTIME_GRANULARITY,
  SEQUENCE_LOCKTIME_MASK,
  SEQUENCE_LOCKTIME_TYPE_FLAG,
} from "../primitives/tx_in.ts";
import type { Transaction } from "../primitives/transaction.ts";
import { LOCKTIME_VERIFY_SEQUENCE } from "./consensus_constants.ts";

/** The last invalid height and time implied by a transaction's relative locks. */
export interface SequenceLockPair {
  /** Last height at which the transaction is still locked (-1 = none). */
  readonly minHeight: number;
  /** Last median time past at which it is still locked (-1 = none). */
  readonly minTime: number;
}

/**
 * `CalculateSequenceLocks`. Freicoin applies BIP68 to **every** transaction version whenever
 * `LOCKTIME_VERIFY_SEQUENCE` is set. `prevHeights[i]` is the height of the coin spent by
 * input i; entries of inputs whose lock is disabled are set to 0 (as the reference does).
 * `block` is the block being validated (its ancestors give coin median times).
 */
export function calculateSequenceLocks(
  tx: Transaction,
  flags: number,
  prevHeights: number[],
  block: ChainEntry,
): SequenceLockPair {
  if (prevHeights.length !== tx.inputs.length) throw new Error("prevHeights size mismatch");
  let minHeight = -1;
  let minTime = -1;
  if (!(flags & LOCKTIME_VERIFY_SEQUENCE)) return { minHeight, minTime };
  for (let i = 0; i < tx.inputs.length; i++) {
    const sequence = tx.inputs[i].sequence;
    if (sequence & SEQUENCE_LOCKTIME_DISABLE_FLAG) {
      prevHeights[i] = 0;
      continue;
    }
    const coinHeight = prevHeights[i];
    const lockValue = sequence & SEQUENCE_LOCKTIME_MASK;
    if (sequence & SEQUENCE_LOCKTIME_TYPE_FLAG) {
      const ancestor = getAncestor(block, Math.max(coinHeight - 1, 0));
      if (!ancestor) throw new Error("sequence lock: ancestor missing");
      const coinTime = medianTimePast(ancestor);
      minTime = Math.max(minTime, coinTime + lockValue * (1 << SEQUENCE_LOCKTIME_GRANULARITY) - 1);
    } else {
      minHeight = Math.max(minHeight, coinHeight + lockValue - 1);
    }
  }
  return { minHeight, minTime };
}

/** `EvaluateSequenceLocks`: the locks are satisfied by `block` (which must have a parent). */
export function evaluateSequenceLocks(block: ChainEntry, locks: SequenceLockPair): boolean {
  if (!block.prev) throw new Error("sequence lock: block has no parent");
  const blockTime = medianTimePast(block.prev);
  return !(locks.minHeight >= block.height || locks.minTime >= blockTime);
}

/**
 * `SequenceLocks`: BIP68 relative locks of `tx` are satisfied in `block`.
 *
 * @example
 * ```ts
 * import { sequenceLocks } from "./sequence_locks.ts";
 * import { OutPoint, Transaction, TxIn } from "../primitives/mod.ts";
 * const parent = { height: 9, hash: new Uint8Array(32), version: 4, time: 0, bits: 0, prev: undefined };
 * const block = { ...parent, height: 10, prev: parent };
 * const input = new TxIn({ prevout: new OutPoint(new Uint8Array(32).fill(1), 0), sequence: 2 });
 * const tx = new Transaction({ version: 1, inputs: [input], outputs: [], lockTime: 0, lockHeight: 0 });
 * console.assert(!sequenceLocks(tx, 1, [9], block) && sequenceLocks(tx, 1, [8], block));
 * ```
 */
export function sequenceLocks(
  tx: Transaction,
  flags: number,
  prevHeights: number[],
  block: ChainEntry,
): boolean {
  return evaluateSequenceLocks(block, calculateSequenceLocks(tx, flags, prevHeights, block));
}
