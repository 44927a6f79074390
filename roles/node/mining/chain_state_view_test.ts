import assert from "node:assert/strict";
import { OutPoint, type Transaction } from "../../../kernel/primitives/mod.ts";
import { openTestChain, testSecp256k1 } from "../chain/_test_support.ts";
import { acceptToMemoryPool, Mempool } from "../mempool/mod.ts";
import { P2WSH_OP_TRUE, spendCoins, type TestCoin } from "../mempool/_test_support.ts";
import { attachMempoolToChain, chainStateView } from "./chain_state_view.ts";
import { generateBlocks } from "./generate_blocks.ts";
import { bytesToHex } from "../../../kernel/encoding/mod.ts";

const NOW = 1_795_500_000;

/** A chainstate at height 101 with its mempool attached, and block 1's mature coinbase. */
async function attachedChain(dir: string) {
  const chain = await openTestChain(dir);
  const now = () => NOW;
  const view = chainStateView(chain, testSecp256k1(), now);
  const mempool = new Mempool();
  const subscription = attachMempoolToChain(mempool, chain, view, now);
  const mine = (count: number) => generateBlocks(view, mempool, P2WSH_OP_TRUE, count, 1e6, { now });
  await mine(101);
  const coinbase = chain.readBlock(chain.getBlockEntry(1)!)!.transactions[0];
  const n = coinbase.outputs.length - 1;
  const coin: TestCoin = {
    outpoint: new OutPoint(coinbase.txid, n),
    value: coinbase.outputs[n].value,
    refheight: coinbase.lockHeight,
  };
  const accept = (tx: Transaction) =>
    assert.ok(acceptToMemoryPool(mempool, view, tx, { acceptTime: NOW }).ok);
  return { chain, view, mempool, subscription, mine, coin, accept };
}

Deno.test("invalidateblock offers disconnected blocks back one at a time, so a long chain of them returns", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chain_state_view_test_" });
  const chain = await openTestChain(dir);
  try {
    const now = () => NOW;
    const view = chainStateView(chain, testSecp256k1(), now);
    const mempool = new Mempool();
    using _subscription = attachMempoolToChain(mempool, chain, view, now);
    const mine = (count: number) =>
      generateBlocks(view, mempool, P2WSH_OP_TRUE, count, 1e6, { now });
    await mine(101);

    const coinbase = chain.readBlock(chain.getBlockEntry(1)!)!.transactions[0];
    const n = coinbase.outputs.length - 1;
    let coin: TestCoin = {
      outpoint: new OutPoint(coinbase.txid, n),
      value: coinbase.outputs[n].value,
      refheight: coinbase.lockHeight,
    };
    // A chain of single-input spends: 20 mined in one block, 20 in the next, 5 left in the
    // pool. Together they exceed the default 25-transaction ancestor limit; per block they
    // do not.
    const txids: string[] = [];
    const spend = () => {
      const { tx, coins } = spendCoins([coin]);
      assert.ok(acceptToMemoryPool(mempool, view, tx, { acceptTime: NOW }).ok);
      txids.push(tx.txidHex);
      coin = coins[0];
    };
    for (let i = 0; i < 20; i++) spend();
    const [first] = await mine(1);
    for (let i = 0; i < 20; i++) spend();
    await mine(1);
    for (let i = 0; i < 5; i++) spend();
    assert.equal(mempool.size, 5);

    await chain.invalidateBlock(chain.lookupBlockIndex(first)!);
    await new Promise((resolve) => setTimeout(resolve, 0));

    assert.equal(chain.height, 101);
    assert.equal(mempool.size, 45);
    for (const txid of txids) assert.ok(mempool.has(txid), txid);
    // The returning transactions are linked to the children already in the pool.
    const root = mempool.get(txids[0])!;
    assert.equal(mempool.descendantsOf(root).size + 1, 45);
  } finally {
    await chain.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a returning block's transactions adopt their pool children only once the whole block is back", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chain_state_view_test_" });
  const { chain, mempool, subscription, mine, coin: start, accept } = await attachedChain(dir);
  try {
    // A chain of 15 two-output spends is mined; each second output is then spent in the pool.
    // Linked at once, the early links of the chain would pass 25 descendants while the block
    // comes back; linked at the end, the limits see 15.
    let coin = start;
    const links: TestCoin[][] = [];
    for (let i = 0; i < 15; i++) {
      const { tx, coins } = spendCoins([coin], { outputs: 2 });
      accept(tx);
      links.push(coins);
      coin = coins[0];
    }
    const [block] = await mine(1);
    for (const coins of links) accept(spendCoins([coins[1]]).tx);
    assert.equal(mempool.size, 15);

    await chain.invalidateBlock(chain.lookupBlockIndex(block)!);
    await new Promise((resolve) => setTimeout(resolve, 0));

    assert.equal(mempool.size, 30);
    const root = mempool.get(bytesToHex(links[0][0].outpoint.hash.slice().reverse()))!;
    assert.equal(mempool.descendantsOf(root).size, 29);
  } finally {
    subscription[Symbol.dispose]();
    await chain.close();
    await Deno.remove(dir, { recursive: true });
  }
});
