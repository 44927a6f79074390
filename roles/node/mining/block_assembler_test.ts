import assert from "node:assert/strict";
import { isDeploymentActiveAfter, selectParams } from "../../../kernel/chain/mod.ts";
import { bytesToHex, hexToBytes } from "../../../kernel/encoding/mod.ts";
import { type Block, decodeBlock, OutPoint } from "../../../kernel/primitives/mod.ts";
import { acceptToMemoryPool, Mempool } from "../mempool/mod.ts";
import { P2WSH_OP_TRUE, spendCoins } from "../mempool/_test_support.ts";
import { BlockAssembler } from "./block_assembler.ts";
import { generateBlocks } from "./generate_blocks.ts";
import { TestChain } from "./_test_chain.ts";

const VECTORS = new URL("../../../../shared/vectors/", import.meta.url);
const chainVector = JSON.parse(
  Deno.readTextFileSync(new URL("regtest-chain-158.json", VECTORS)),
) as { blocks: string[]; expected_tip_hash: string };
const vectorBlocks: Block[] = chainVector.blocks.map((hex) => decodeBlock(hexToBytes(hex)));

function payoutScript(block: Block): Uint8Array {
  const outputs = block.transactions[0].outputs;
  return outputs[outputs.length - 1].scriptPubKey;
}

Deno.test("regenerates the reference regtest chain block for block, mempool transactions included", async () => {
  const params = selectParams("regtest");
  let now = 0;
  const chain = new TestChain(params, () => now);
  const mempool = new Mempool();
  chain.listeners.push({ connected: (block) => mempool.removeForBlock(block.transactions, now) });
  for (let height = 1; height < vectorBlocks.length; height++) {
    const expected = vectorBlocks[height];
    now = expected.header.time;
    // The reference node had these transactions in its mempool when it mined the block.
    for (const tx of expected.transactions.slice(1, -1)) {
      const accepted = acceptToMemoryPool(mempool, chain, tx, { acceptTime: now });
      assert.ok(accepted.ok, `height ${height}: ${!accepted.ok && accepted.state.reason}`);
    }
    const [hash] = await generateBlocks(chain, mempool, payoutScript(expected), 1, 1_000_000, {
      now: () => now,
    });
    if (hash !== expected.hashHex) {
      const mined = chain.blockAt(height)!;
      assert.equal(bytesToHex(mined.toBytes()), bytesToHex(expected.toBytes()), `block ${height}`);
    }
    assert.equal(mempool.size, 0, `mempool empty after block ${height}`);
  }
  assert.equal(chain.tip().height, 157);
  assert.equal(bytesToHex(chain.tip().hash.slice().reverse()), chainVector.expected_tip_hash);
});

Deno.test("the activation block's coinbase carries the 0 OP_TRUE output first", () => {
  const params = selectParams("regtest");
  const chain = new TestChain(params, () => params.genesis.header.length);
  const assembler = new BlockAssembler(chain, undefined, { now: () => 1356123600 });
  const template = assembler.createNewBlock(new Uint8Array([0x51]));
  const coinbase = template.block.transactions[0];
  assert.equal(template.height, 1);
  assert.equal(coinbase.outputs.length, 2);
  assert.equal(coinbase.outputs[0].value, 0n);
  assert.deepEqual([...coinbase.outputs[0].scriptPubKey], [0x51]);
  assert.equal(coinbase.outputs[1].value, 5_000_000_000n);
  assert.deepEqual([...coinbase.inputs[0].scriptSig], [0x51, 0x00]);
  assert.equal(coinbase.lockTime, 1356123600);
  assert.equal(coinbase.lockHeight, 1);
  assert.equal(template.block.header.time, 1356123601);
  assert.equal(template.hasBlockFinalTx, false);
});

Deno.test("with -vbparams=finaltx:0:999999999999 the block-final chain starts at activation", async () => {
  // feature_block_final_tx.py's set-up: finaltx is a BIP9 deployment.
  const params = selectParams("regtest", {
    versionBitsParameters: {
      finaltx: { startTime: 0n, timeout: 999999999999n, minActivationHeight: 0 },
    },
  });
  const now = 1356123600;
  const chain = new TestChain(params, () => now);
  const bit = params.consensus.deployments.finaltx.bit;
  const payout = hexToBytes("00200a79b1ef09c72139cad5b6909685b7a96afdbe5f35caab1a7fd06af8e1834f57");
  const mine = (n: number) => generateBlocks(chain, undefined, payout, n, 1e6, { now: () => now });
  const assemble = () =>
    new BlockAssembler(chain, undefined, { now: () => now }).createNewBlock(payout);
  await mine(143);
  // STARTED: the assembler signals the bit; no block-final rules yet.
  assert.equal(assemble().block.header.version & (1 << bit), 1 << bit);
  assert.equal(assemble().hasBlockFinalTx, false);
  // Every block signals: locked in after one more period, active after another.
  await mine(144 * 2 + 10);
  const initial: number[] = [];
  for (let h = 1; h <= chain.tip().height; h++) {
    if (chain.blockAt(h)!.transactions[0].outputs.length === 2) initial.push(h);
  }
  assert.equal(initial.length, 1, "exactly one activation block");
  const activation = chain.blockAt(initial[0])!.transactions[0].outputs[0];
  assert.equal(activation.value, 0n);
  assert.deepEqual([...activation.scriptPubKey], [0x51]);
  const entry = chain.lookupBlock(chain.blockAt(initial[0])!.hash)!.entry;
  assert.ok(isDeploymentActiveAfter(entry.prev, params.consensus, "finaltx"));
  assert.ok(!isDeploymentActiveAfter(entry.prev!.prev, params.consensus, "finaltx"));
  // 100 blocks later the block-final transaction spends it.
  await mine(initial[0] + 98 - chain.tip().height);
  assert.equal(assemble().hasBlockFinalTx, false, "still maturing");
  await mine(1);
  const template = assemble();
  assert.equal(template.hasBlockFinalTx, true);
  const final = template.block.transactions.at(-1)!;
  assert.deepEqual(final.inputs[0].prevout.hash, chain.blockAt(initial[0])!.transactions[0].txid);
  await mine(1);
});

Deno.test("in -bitcoinmode the coinbase claims the fees without demurrage, as connectBlock allows", async () => {
  const params = selectParams("regtest", { bitcoinMode: true });
  let time = 1356123600;
  const chain = new TestChain(params, () => time);
  const mempool = new Mempool();
  await generateBlocks(chain, mempool, P2WSH_OP_TRUE, 101, 1e6, { now: () => ++time });
  const coinbase = chain.blockAt(1)!.transactions[0];
  const n = coinbase.outputs.length - 1;
  const coin = {
    outpoint: new OutPoint(coinbase.txid, n),
    value: coinbase.outputs[n].value,
    refheight: coinbase.lockHeight,
  };
  // lock_height 1, mined at 102: demurrage would take a few kria of the 30000-kria fee.
  const { tx } = spendCoins([coin], { fee: 30000n });
  assert.equal(tx.lockHeight, 1);
  const accepted = acceptToMemoryPool(mempool, chain, tx, { acceptTime: time });
  assert.ok(accepted.ok);
  const template = new BlockAssembler(chain, mempool, { now: () => time })
    .createNewBlock(P2WSH_OP_TRUE);
  // Coinbase, our spend, and the block-final transaction (finaltx is active from the start).
  assert.equal(template.block.transactions[1].txidHex, tx.txidHex);
  assert.equal(template.fees[1], 30000n);
  const finalFee = template.hasBlockFinalTx ? template.fees.at(-1)! : 0n;
  const claimed = template.block.transactions[0].outputs.reduce((sum, o) => sum + o.value, 0n);
  assert.equal(claimed, 50_0000_0000n + 30000n + finalFee);
  assert.equal(template.fees[0], -(30000n + finalFee));
  // And the block connects (TestChain runs connectBlock).
  await generateBlocks(chain, mempool, P2WSH_OP_TRUE, 1, 1e6, { now: () => ++time });
  assert.equal(chain.tip().height, 102);
  assert.equal(chain.blockAt(102)!.transactions[1].txidHex, tx.txidHex);
});
