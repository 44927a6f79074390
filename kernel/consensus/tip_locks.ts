/**
 * Finality and relative-lock checks of a transaction against the next block after the tip, as
 * the mempool uses them (`CheckFinalTxAtTip`, `CalculateLockPointsAtTip`,
 * `CheckSequenceLocksAtTip`, src/validation.cpp).
 */

import { type ChainEntry, getAncestor, medianTimePast } from "../chain/chain_entry.ts";
import type { Transaction } from "../primitives/transaction.ts";
import type { CoinsView } from "./coins.ts";
import { LOCKTIME_VERIFY_SEQUENCE } from "./consensus_constants.ts";
import { isFinalTx } from "./is_final_tx.ts";
import { calculateSequenceLocks, evaluateSequenceLocks } from "./sequence_locks.ts";

/** Height the mempool gives coins created by unconfirmed transactions (`MEMPOOL_HEIGHT`). */
export const MEMPOOL_HEIGHT = 0x7fffffff;
/** Lock-time flags used for mempool policy (`STANDARD_LOCKTIME_VERIFY_FLAGS`). */
export const STANDARD_LOCKTIME_VERIFY_FLAGS = LOCKTIME_VERIFY_SEQUENCE;

/** `CheckFinalTxAtTip`: final in the next block (height tip+1, cutoff = the tip's MTP). */
export function checkFinalTxAtTip(tip: ChainEntry, tx: Transaction): boolean {
  return isFinalTx(tx, tip.height + 1, medianTimePast(tip));
}

/** Relative-lock summary of a transaction (`LockPoints`). */
export interface LockPoints {
  /** Last height at which the transaction is still locked. */
  readonly height: number;
  /** Last median time past at which it is still locked. */
  readonly time: number;
  /** Highest block holding a spent coin; the lock points stay valid while it is in the chain. */
  readonly maxInputBlock: ChainEntry;
}

function nextEntry(tip: ChainEntry): ChainEntry {
  const next: ChainEntry = {
    height: tip.height + 1,
    hash: new Uint8Array(32),
    version: 0,
    time: 0,
    bits: 0,
    prev: tip,
    ancestor: (height: number) => (height === tip.height + 1 ? next : getAncestor(tip, height)),
  };
  return next;
}

/**
 * `CalculateLockPointsAtTip`: BIP68 locks of `tx` for the block after `tip`, treating coins at
 * {@link MEMPOOL_HEIGHT} as confirmed in that block. Undefined when an input is missing.
 */
export function calculateLockPointsAtTip(
  tip: ChainEntry,
  view: CoinsView,
  tx: Transaction,
): LockPoints | undefined {
  const prevHeights: number[] = [];
  for (const input of tx.inputs) {
    const coin = view.getCoin(input.prevout);
    if (!coin) return undefined;
    prevHeights.push(coin.height === MEMPOOL_HEIGHT ? tip.height + 1 : coin.height);
  }
  const next = nextEntry(tip);
  const locks = calculateSequenceLocks(tx, STANDARD_LOCKTIME_VERIFY_FLAGS, prevHeights, next);
  let maxInputHeight = 0;
  for (const height of prevHeights) {
    if (height !== next.height) maxInputHeight = Math.max(maxInputHeight, height);
  }
  const maxInputBlock = getAncestor(tip, maxInputHeight);
  if (!maxInputBlock) throw new Error("lock points: ancestor missing");
  return { height: locks.minHeight, time: locks.minTime, maxInputBlock };
}

/** `CheckSequenceLocksAtTip`: the lock points are satisfied by the block after `tip`. */
export function checkSequenceLocksAtTip(tip: ChainEntry, lockPoints: LockPoints): boolean {
  return evaluateSequenceLocks(nextEntry(tip), {
    minHeight: lockPoints.height,
    minTime: lockPoints.time,
  });
}
