import assert from "node:assert/strict";
import type { ChainEntry } from "../chain/chain_entry.ts";
import { OutPoint } from "../primitives/outpoint.ts";
import { Transaction } from "../primitives/transaction.ts";
import { TxIn } from "../primitives/tx_in.ts";
import { TxOut } from "../primitives/tx_out.ts";
import { MemoryCoinsView } from "./coins.ts";
import {
  calculateLockPointsAtTip,
  checkFinalTxAtTip,
  checkSequenceLocksAtTip,
  MEMPOOL_HEIGHT,
} from "./tip_locks.ts";

function chain(length: number): ChainEntry {
  let tip: ChainEntry | undefined;
  for (let height = 0; height < length; height++) {
    const hash = new Uint8Array(32);
    hash[0] = height;
    tip = { height, hash, version: 4, time: 1_000 + 600 * height, bits: 0, prev: tip };
  }
  return tip as ChainEntry;
}

const tip = chain(30); // height 29
const confirmed = new OutPoint(new Uint8Array(32).fill(1), 0);
const unconfirmed = new OutPoint(new Uint8Array(32).fill(2), 0);
const view = new MemoryCoinsView();
const coin = (height: number) => ({
  output: new TxOut(1n, new Uint8Array([0x51])),
  height,
  isCoinBase: false,
  refheight: 1,
});
view.addCoin(confirmed, coin(20), false);
view.addCoin(unconfirmed, coin(MEMPOOL_HEIGHT), false);

function spend(prevout: OutPoint, sequence: number, lockHeight = 0): Transaction {
  return new Transaction({
    version: 1,
    inputs: [new TxIn({ prevout, sequence })],
    outputs: [],
    lockTime: 0,
    lockHeight,
  });
}

Deno.test("a transaction is final at the tip when its lock_height is at most tip+1", () => {
  assert.ok(checkFinalTxAtTip(tip, spend(confirmed, 0xffffffff, 30)));
  assert.ok(!checkFinalTxAtTip(tip, spend(confirmed, 0xffffffff, 31)));
});

Deno.test("a 10-block relative lock on a coin at height 20 opens at height 30", () => {
  const points = calculateLockPointsAtTip(tip, view, spend(confirmed, 10));
  assert.ok(points);
  assert.equal(points.height, 29);
  assert.equal(points.maxInputBlock.height, 20);
  assert.ok(checkSequenceLocksAtTip(tip, points));
  const tighter = calculateLockPointsAtTip(tip, view, spend(confirmed, 11));
  assert.ok(tighter && !checkSequenceLocksAtTip(tip, tighter));
});

Deno.test("mempool coins count as confirmed in the next block", () => {
  const zero = calculateLockPointsAtTip(tip, view, spend(unconfirmed, 0));
  assert.ok(zero && checkSequenceLocksAtTip(tip, zero));
  assert.equal(zero.maxInputBlock.height, 0);
  const one = calculateLockPointsAtTip(tip, view, spend(unconfirmed, 1));
  assert.ok(one && !checkSequenceLocksAtTip(tip, one));
});

Deno.test("a missing input gives no lock points", () => {
  const missing = new OutPoint(new Uint8Array(32).fill(9), 0);
  assert.equal(calculateLockPointsAtTip(tip, view, spend(missing, 0)), undefined);
});
