import assert from "node:assert/strict";
import type { ChainEntry } from "../chain/chain_entry.ts";
import { OutPoint } from "../primitives/outpoint.ts";
import { Transaction } from "../primitives/transaction.ts";
import { SEQUENCE_FINAL, TxIn } from "../primitives/tx_in.ts";
import { isFinalTx } from "./is_final_tx.ts";
import { calculateSequenceLocks, sequenceLocks } from "./sequence_locks.ts";

const prevout = new OutPoint(new Uint8Array(32).fill(4), 0);

function tx(lockTime: number, lockHeight: number, sequence: number, version = 2): Transaction {
  return new Transaction({
    version,
    inputs: [new TxIn({ prevout, sequence })],
    outputs: [],
    lockTime,
    lockHeight,
  });
}

Deno.test("lock_height above the block height is never final, even with SEQUENCE_FINAL", () => {
  assert.equal(isFinalTx(tx(0, 11, SEQUENCE_FINAL), 10, 0), false);
  assert.equal(isFinalTx(tx(0, 10, SEQUENCE_FINAL), 10, 0), true);
});

Deno.test("nLockTime by height and by time, bypassed by final sequences", () => {
  assert.equal(isFinalTx(tx(10, 0, 0), 10, 0), false);
  assert.equal(isFinalTx(tx(10, 0, 0), 11, 0), true);
  assert.equal(isFinalTx(tx(10, 0, SEQUENCE_FINAL), 10, 0), true);
  assert.equal(isFinalTx(tx(600_000_000, 0, 0), 10, 600_000_000), false);
  assert.equal(isFinalTx(tx(600_000_000, 0, 0), 10, 600_000_001), true);
});

function chain(length: number, spacing: number): ChainEntry {
  let tip: ChainEntry | undefined;
  for (let height = 0; height < length; height++) {
    tip = {
      height,
      hash: new Uint8Array(32),
      version: 4,
      time: 1_000_000 + height * spacing,
      bits: 0x207fffff,
      prev: tip,
    };
  }
  return tip as ChainEntry;
}

Deno.test("BIP68 height locks apply to version-1 transactions", () => {
  const block = chain(20, 600);
  assert.equal(sequenceLocks(tx(0, 0, 5, 1), 1, [15], block), false);
  assert.equal(sequenceLocks(tx(0, 0, 5, 1), 1, [14], block), true);
  // Without LOCKTIME_VERIFY_SEQUENCE nothing is enforced.
  assert.equal(sequenceLocks(tx(0, 0, 5, 1), 0, [19], block), true);
});

Deno.test("BIP68 time locks use the median time past of the coin's parent block", () => {
  const block = chain(40, 600);
  const typeFlag = 0x00400000;
  // 2 units of 512 s = 1024 s from the median time past of block 9 (the time of block 5).
  const locks = calculateSequenceLocks(tx(0, 0, typeFlag | 2, 1), 1, [10], block);
  assert.equal(locks.minHeight, -1);
  assert.equal(locks.minTime, 1_000_000 + 5 * 600 + 1024 - 1);
});

Deno.test("the disable flag zeroes the input's height and skips it", () => {
  const heights = [30];
  const locks = calculateSequenceLocks(
    tx(0, 0, (0x80000000 | 5) >>> 0, 1),
    1,
    heights,
    chain(10, 600),
  );
  assert.deepEqual(locks, { minHeight: -1, minTime: -1 });
  assert.deepEqual(heights, [0]);
});
