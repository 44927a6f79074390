import assert from "node:assert/strict";
import { selectParams } from "../../../kernel/chain/mod.ts";
import { hexToBytes } from "../../../kernel/encoding/mod.ts";
import { OutPoint, Transaction, TxIn, TxOut } from "../../../kernel/primitives/mod.ts";
import { generateBlocks } from "../mining/generate_blocks.ts";
import { TestChain } from "../mining/_test_chain.ts";
import { acceptToMemoryPool, updateMempoolForReorg } from "./accept.ts";
import { blocks, chainAt } from "./_test_support.ts";

/** The P2WPK spend the reference node mined in block 152. */
const spend = blocks[152].transactions[1];

function reasonOf(result: ReturnType<typeof acceptToMemoryPool>): string {
  return result.ok ? "accepted" : result.state.reason;
}

Deno.test("accepts a valid spend once and names duplicates and rule breaks as freicoind does", async (t) => {
  const { chain, mempool, now } = await chainAt(151);
  const accept = (tx: Transaction) => acceptToMemoryPool(mempool, chain, tx, { acceptTime: now });
  const variant = (fields: Partial<ConstructorParameters<typeof Transaction>[0]>) =>
    new Transaction({ ...spend, ...fields });

  await t.step("a standard spend is accepted with its fee", () => {
    const result = accept(spend);
    assert.ok(result.ok);
    assert.equal(result.fee, 2920n);
    assert.equal(mempool.size, 1);
  });
  await t.step("the same transaction again: txn-already-in-mempool", () => {
    assert.equal(reasonOf(accept(spend)), "txn-already-in-mempool");
  });
  await t.step("a coinbase: coinbase", () => {
    assert.equal(reasonOf(accept(blocks[151].transactions[0])), "coinbase");
  });
  await t.step("version 3: version", () => {
    assert.equal(reasonOf(accept(variant({ version: 3 }))), "version");
  });
  await t.step("an OP_RETURN data output with -datacarrier off: scriptpubkey", () => {
    const outputs = [...spend.outputs, new TxOut(0n, hexToBytes("6a0568656c6c6f"))];
    assert.equal(reasonOf(accept(variant({ outputs }))), "scriptpubkey");
  });
  await t.step("a 1-kria output: dust", () => {
    const outputs = [new TxOut(1n, spend.outputs[0].scriptPubKey), ...spend.outputs.slice(1)];
    assert.equal(reasonOf(accept(variant({ outputs }))), "dust");
  });
  await t.step("lock_height above the next block: non-final", () => {
    assert.equal(reasonOf(accept(variant({ lockHeight: 500 }))), "non-final");
  });
  await t.step("an unknown input: bad-txns-inputs-missingorspent", () => {
    const inputs = [new TxIn({ prevout: new OutPoint(new Uint8Array(32).fill(7), 0) })];
    assert.equal(reasonOf(accept(variant({ inputs }))), "bad-txns-inputs-missingorspent");
  });
  await t.step("spending the block-final output: spend-block-final-txn", () => {
    const final = blocks[151].transactions.at(-1)!;
    const inputs = [new TxIn({ prevout: new OutPoint(final.txid, 0) }), ...spend.inputs];
    assert.equal(reasonOf(accept(variant({ inputs }))), "spend-block-final-txn");
  });
  await t.step("a conflicting spend paying less: insufficient fee (full RBF)", () => {
    const outputs = [
      new TxOut(spend.outputs[0].value + 1000n, spend.outputs[0].scriptPubKey),
      ...spend.outputs.slice(1),
    ];
    const result = accept(variant({ outputs }));
    assert.ok(!result.ok);
    assert.equal(result.state.reason, "insufficient fee");
    assert.match(result.state.debugMessage, /new feerate .* <= old feerate/);
  });
  await t.step(
    "a changed output under the same signature passes RBF, then fails its script",
    () => {
      const outputs = [
        new TxOut(spend.outputs[0].value - 1000n, spend.outputs[0].scriptPubKey),
        ...spend.outputs.slice(1),
      ];
      const result = accept(variant({ outputs }));
      assert.ok(!result.ok);
      assert.equal(
        result.state.reason,
        "mandatory-script-verify-flag-failed (Signature must be zero for failed CHECK(MULTI)SIG operation)",
      );
      assert.ok(mempool.has(spend.txidHex), "the original stays");
    },
  );
});

Deno.test("a reorganisation returns a mined transaction to the mempool", async () => {
  const { chain, mempool, now } = await chainAt(151);
  assert.ok(acceptToMemoryPool(mempool, chain, spend, { acceptTime: now }).ok);
  const script = blocks[152].transactions[0].outputs.at(-1)!.scriptPubKey;
  const disconnected: Transaction[] = [];
  chain.listeners.push({ disconnected: (block) => disconnected.push(...block.transactions) });
  await generateBlocks(chain, mempool, script, 1, 1e6, { now: () => now });
  assert.equal(mempool.size, 0);
  assert.equal(chain.tip().height, 152);
  const minedWith = chain.blockAt(152)!;
  assert.equal(minedWith.transactions[1].txidHex, spend.txidHex);

  // A competing branch from 151 with two empty blocks overtakes it.
  const fork = new TestChain(selectParams("regtest"), () => now);
  for (let h = 1; h <= 151; h++) await fork.processNewBlock(chain.blockAt(h)!);
  await generateBlocks(fork, undefined, script, 2, 1e6, { now: () => now + 1 });
  for (const h of [152, 153]) await chain.processNewBlock(fork.blockAt(h)!);
  assert.equal(chain.tip().height, 153);
  assert.equal(disconnected.length, minedWith.transactions.length);
  updateMempoolForReorg(mempool, chain, disconnected, now);
  assert.equal(mempool.size, 1);
  assert.ok(mempool.has(spend.txidHex));
});
