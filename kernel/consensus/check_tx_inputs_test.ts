import assert from "node:assert/strict";
import { selectParams } from "../chain/chain_params.ts";
import { OutPoint } from "../primitives/outpoint.ts";
import { Transaction } from "../primitives/transaction.ts";
import { TxIn } from "../primitives/tx_in.ts";
import { TxOut } from "../primitives/tx_out.ts";
import { checkTxInputs } from "./check_tx_inputs.ts";
import { type Coin, MemoryCoinsView } from "./coins.ts";
import { RULES_PROTOCOL_CLEANUP } from "./rule_set.ts";

const OP_TRUE = new Uint8Array([0x51]);
const regtest = selectParams("regtest").consensus;
const bitcoinMode = selectParams("regtest", { bitcoinMode: true }).consensus;

function setup(coin: Partial<Coin> = {}) {
  const view = new MemoryCoinsView();
  const prevout = new OutPoint(new Uint8Array(32).fill(2), 1);
  view.addCoin(prevout, {
    output: new TxOut(5_000_000_000n, OP_TRUE),
    height: 1,
    isCoinBase: true,
    refheight: 1,
    ...coin,
  }, false);
  return { view, prevout };
}

function spend(prevout: OutPoint, value: bigint, lockHeight: number): Transaction {
  return new Transaction({
    version: 2,
    inputs: [new TxIn({ prevout })],
    outputs: [new TxOut(value, OP_TRUE)],
    lockTime: 0,
    lockHeight,
  });
}

Deno.test("decays each input to the tx's lock_height (5e9 kria from 1 to 152 loses 719973)", () => {
  const { view, prevout } = setup();
  const result = checkTxInputs(spend(prevout, 4_999_000_000n, 152), view, regtest, {
    spendHeight: 153,
  });
  assert.ok(result.ok);
  assert.equal(result.valueIn, 5_000_000_000n - 719_973n);
  assert.equal(result.fee, 5_000_000_000n - 719_973n - 4_999_000_000n);
});

Deno.test("rejects outputs above the decayed input value: bad-txns-in-belowout", () => {
  const { view, prevout } = setup();
  const exact = 5_000_000_000n - 719_973n;
  assert.ok(checkTxInputs(spend(prevout, exact, 152), view, regtest, { spendHeight: 153 }).ok);
  const result = checkTxInputs(spend(prevout, exact + 1n, 152), view, regtest, {
    spendHeight: 153,
  });
  assert.ok(!result.ok);
  assert.equal(result.reason, "bad-txns-in-belowout");
  assert.equal(result.debugMessage, "value in (49.99280027) < value out (49.99280028)");
});

Deno.test("rejects a missing coin: bad-txns-inputs-missingorspent", () => {
  const { view } = setup();
  const other = new OutPoint(new Uint8Array(32).fill(3), 0);
  const result = checkTxInputs(spend(other, 1n, 200), view, regtest, { spendHeight: 200 });
  assert.ok(!result.ok && result.reason === "bad-txns-inputs-missingorspent");
  assert.equal(result.category, "missing-inputs");
});

Deno.test("rejects an immature coinbase: bad-txns-premature-spend-of-coinbase", () => {
  const { view, prevout } = setup();
  const early = checkTxInputs(spend(prevout, 1n, 100), view, regtest, { spendHeight: 100 });
  assert.ok(!early.ok && early.reason === "bad-txns-premature-spend-of-coinbase");
  assert.equal(early.debugMessage, "tried to spend coinbase at depth 99");
  assert.ok(checkTxInputs(spend(prevout, 1n, 101), view, regtest, { spendHeight: 101 }).ok);
});

Deno.test("rejects lock_height below refheight, except in bitcoin mode: bad-txns-non-monotonic-lock-height", () => {
  const { view, prevout } = setup({ isCoinBase: false, refheight: 50, height: 50 });
  const low = spend(prevout, 1n, 49);
  const result = checkTxInputs(low, view, regtest, { spendHeight: 60 });
  assert.ok(!result.ok && result.reason === "bad-txns-non-monotonic-lock-height");
  assert.equal(result.debugMessage, "tx.lock_height < coin.refheight (49 < 50)");
  assert.ok(checkTxInputs(low, view, bitcoinMode, { spendHeight: 60 }).ok);
});

Deno.test("the cleanup lifts the monotonic rule for zero-value coins only", () => {
  const zero = setup({
    isCoinBase: false,
    refheight: 50,
    height: 50,
    output: new TxOut(0n, OP_TRUE),
  });
  const tx = spend(zero.prevout, 0n, 49);
  assert.ok(!checkTxInputs(tx, zero.view, regtest, { spendHeight: 60 }).ok);
  assert.ok(
    checkTxInputs(tx, zero.view, regtest, { spendHeight: 60, rules: RULES_PROTOCOL_CLEANUP }).ok,
  );
  const valued = setup({ isCoinBase: false, refheight: 50, height: 50 });
  const result = checkTxInputs(spend(valued.prevout, 0n, 49), valued.view, regtest, {
    spendHeight: 60,
    rules: RULES_PROTOCOL_CLEANUP,
  });
  assert.ok(!result.ok && result.reason === "bad-txns-non-monotonic-lock-height");
});

Deno.test("bitcoin mode does not decay inputs", () => {
  const { view, prevout } = setup();
  const result = checkTxInputs(spend(prevout, 5_000_000_000n, 152), view, bitcoinMode, {
    spendHeight: 153,
  });
  assert.ok(result.ok && result.fee === 0n);
});

Deno.test("historical per-input adjustment adds kria per input", () => {
  const { view, prevout } = setup();
  const result = checkTxInputs(spend(prevout, 1n, 152), view, regtest, {
    spendHeight: 153,
    perInputAdjustment: 2,
  });
  assert.ok(result.ok && result.valueIn === 5_000_000_000n - 719_973n + 2n);
});

Deno.test("rejects an out-of-range coin value: bad-txns-inputvalues-outofrange", () => {
  const { view, prevout } = setup({ output: new TxOut(-5n, OP_TRUE), isCoinBase: false });
  const result = checkTxInputs(spend(prevout, 0n, 1), view, regtest, { spendHeight: 10 });
  assert.ok(!result.ok && result.reason === "bad-txns-inputvalues-outofrange");
});
