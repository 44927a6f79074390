import assert from "node:assert/strict";
import { MAX_MONEY } from "../amount/amount.ts";
import { OutPoint } from "../primitives/outpoint.ts";
import { Transaction } from "../primitives/transaction.ts";
import { TxIn } from "../primitives/tx_in.ts";
import { TxOut } from "../primitives/tx_out.ts";
import { checkTransaction } from "./check_transaction.ts";
import { RULES_PROTOCOL_CLEANUP, RULES_SIZE_EXPANSION } from "./rule_set.ts";

const OP_TRUE = new Uint8Array([0x51]);
const prevout = (n: number) => new OutPoint(new Uint8Array(32).fill(1), n);

function tx(fields: Partial<ConstructorParameters<typeof Transaction>[0]> = {}): Transaction {
  return new Transaction({
    version: 2,
    inputs: [new TxIn({ prevout: prevout(0) })],
    outputs: [new TxOut(1n, OP_TRUE)],
    lockTime: 0,
    lockHeight: 10,
    ...fields,
  });
}

function reasonOf(t: Transaction, rules = 0): string {
  const result = checkTransaction(t, rules);
  return result.ok ? "ok" : result.reason;
}

Deno.test("accepts a plain transaction", () => {
  assert.equal(reasonOf(tx()), "ok");
});

Deno.test("rejects no inputs: bad-txns-vin-empty", () => {
  assert.equal(reasonOf(tx({ inputs: [] })), "bad-txns-vin-empty");
});

Deno.test("rejects no outputs before the cleanup only: bad-txns-vout-empty", () => {
  assert.equal(reasonOf(tx({ outputs: [] })), "bad-txns-vout-empty");
  assert.equal(reasonOf(tx({ outputs: [] }), RULES_PROTOCOL_CLEANUP), "ok");
});

Deno.test("rejects a stripped size over the weight limit: bad-txns-oversize", () => {
  const big = tx({ outputs: [new TxOut(1n, new Uint8Array(1_000_000))] });
  assert.equal(reasonOf(big), "bad-txns-oversize");
  assert.equal(reasonOf(big, RULES_SIZE_EXPANSION), "ok");
});

Deno.test("rejects a negative output: bad-txns-vout-negative", () => {
  assert.equal(reasonOf(tx({ outputs: [new TxOut(-1n, OP_TRUE)] })), "bad-txns-vout-negative");
});

Deno.test("rejects an output above MAX_MONEY (2^53-1): bad-txns-vout-toolarge", () => {
  assert.equal(reasonOf(tx({ outputs: [new TxOut(MAX_MONEY, OP_TRUE)] })), "ok");
  assert.equal(
    reasonOf(tx({ outputs: [new TxOut(MAX_MONEY + 1n, OP_TRUE)] })),
    "bad-txns-vout-toolarge",
  );
});

Deno.test("rejects outputs summing above MAX_MONEY: bad-txns-txouttotal-toolarge", () => {
  const outputs = [new TxOut(MAX_MONEY, OP_TRUE), new TxOut(1n, OP_TRUE)];
  assert.equal(reasonOf(tx({ outputs })), "bad-txns-txouttotal-toolarge");
});

Deno.test("rejects the same outpoint twice: bad-txns-inputs-duplicate", () => {
  const inputs = [new TxIn({ prevout: prevout(3) }), new TxIn({ prevout: prevout(3) })];
  assert.equal(reasonOf(tx({ inputs })), "bad-txns-inputs-duplicate");
});

Deno.test("finds a duplicate outpoint at any input count, and only a true duplicate", () => {
  const otherHash = (n: number) => {
    const hash = new Uint8Array(32).fill(1);
    hash[31] = 2; // differs from prevout(n) in the last byte only
    return new OutPoint(hash, n);
  };
  for (const count of [2, 3, 8, 9, 40]) {
    const distinct = Array.from({ length: count }, (_, n) => new TxIn({ prevout: prevout(n) }));
    assert.equal(reasonOf(tx({ inputs: distinct })), "ok", `${count} distinct`);
    // Same index, different hash: not a duplicate.
    const nearMiss = [...distinct.slice(1), new TxIn({ prevout: otherHash(0) })];
    nearMiss.push(new TxIn({ prevout: prevout(0) }));
    assert.equal(reasonOf(tx({ inputs: nearMiss })), "ok", `${count} near miss`);
    // The first and the last input spend the same outpoint.
    const duplicated = [...distinct, new TxIn({ prevout: prevout(0) })];
    assert.equal(reasonOf(tx({ inputs: duplicated })), "bad-txns-inputs-duplicate", `${count}`);
  }
});

Deno.test("rejects a coinbase scriptSig outside 2..100 bytes before the cleanup: bad-cb-length", () => {
  const coinbase = (size: number) =>
    tx({ inputs: [new TxIn({ prevout: OutPoint.null(), scriptSig: new Uint8Array(size) })] });
  assert.equal(reasonOf(coinbase(1)), "bad-cb-length");
  assert.equal(reasonOf(coinbase(2)), "ok");
  assert.equal(reasonOf(coinbase(100)), "ok");
  assert.equal(reasonOf(coinbase(101)), "bad-cb-length");
  assert.equal(reasonOf(coinbase(1), RULES_PROTOCOL_CLEANUP), "ok");
});

Deno.test("rejects a null prevout outside a coinbase: bad-txns-prevout-null", () => {
  const inputs = [new TxIn({ prevout: prevout(0) }), new TxIn({ prevout: OutPoint.null() })];
  assert.equal(reasonOf(tx({ inputs })), "bad-txns-prevout-null");
});

Deno.test("never throws on random transactions (bounded fuzz)", () => {
  let seed = 7;
  const next = () => (seed = (seed * 1664525 + 1013904223) >>> 0);
  for (let i = 0; i < 300; i++) {
    const inputs = Array.from(
      { length: next() % 3 },
      () => new TxIn({ prevout: next() % 4 === 0 ? OutPoint.null() : prevout(next() % 3) }),
    );
    const outputs = Array.from(
      { length: next() % 3 },
      () => new TxOut(BigInt(next()) * BigInt(next() % 3 === 0 ? -1 : 1) * 1_000_000n, OP_TRUE),
    );
    const result = checkTransaction(tx({ inputs, outputs }), next() % 4);
    assert.equal(typeof result.ok, "boolean");
  }
});
