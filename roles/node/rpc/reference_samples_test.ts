/**
 * Replays the recorded regtest chain and checks this folder's methods against the reference
 * node's answers in regtest-rpc-samples.json, each at the height it was recorded at.
 */
import assert from "node:assert/strict";
import { decodeTransaction } from "../../../kernel/primitives/mod.ts";
import { hexToBytes } from "../../../kernel/encoding/mod.ts";
import { rpcSamples, TestNode } from "./_test_support.ts";

/** Samples by the tip height they were recorded at. */
const SAMPLES_BY_HEIGHT: [number, string[]][] = [
  [0, ["getdeploymentinfo"]],
  [1, ["getblock_1_v2", "getblockheader_1", "getblock_1_hex"]],
  [101, ["getblock_101_v2"]],
  [152, [
    "getblock_152_v3",
    "getrawtransaction_confirmed_v2",
    "gettxout",
    "gettxoutsetinfo",
    "createrawtransaction_lockheight",
    "createrawtransaction_lockheight_explicit",
    "getblockchaininfo",
    "decoderawtransaction",
    "decodescript_p2pk",
    "getauxdifficulty",
  ]],
  [157, [
    "getblockchaininfo_final",
    "getblock_100_hex",
    "getblock_101_hex",
    "getblock_102_hex",
    "getblock_152_hex",
    "getblock_2_hex",
    "getblockhash_2",
  ]],
];

Deno.test("methods answer as the reference node did on the recorded chain", async (t) => {
  await using node = await TestNode.open({
    // The mempool sample was taken while the transaction waited for block 152.
    mempoolTransaction: (txid) => {
      const sample = rpcSamples()["getrawtransaction_mempool_verbose"];
      const result = sample.result as { txid: string; hex: string };
      return txid === result.txid ? decodeTransaction(hexToBytes(result.hex)) : undefined;
    },
  });
  await t.step("getrawtransaction_mempool_verbose", async () => {
    const sample = rpcSamples()["getrawtransaction_mempool_verbose"];
    assert.deepEqual(await node.answer(sample.call), sample.result);
  });
  for (const [height, names] of SAMPLES_BY_HEIGHT) {
    await node.feedTo(height);
    for (const name of names) {
      await t.step(`${name} at height ${height}`, async () => {
        const sample = rpcSamples()[name];
        const answer = await node.answer(sample.call);
        if (name === "gettxoutsetinfo") {
          // disk_size is the database's own estimate (LevelDB there, SQLite here).
          const ours = answer as { disk_size: unknown };
          assert.equal(typeof ours.disk_size, "number");
          ours.disk_size = (sample.result as { disk_size: number }).disk_size;
        }
        assert.deepEqual(answer, sample.result);
      });
    }
  }
});
