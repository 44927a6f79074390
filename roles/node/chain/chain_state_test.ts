import assert from "node:assert/strict";
import { hashToHex } from "../../../kernel/encoding/hex.ts";
import { feedBlocks, openTestChain, regtestChain } from "./_test_support.ts";

function formatKria(value: bigint): number {
  return Number(value) / 1e8;
}

Deno.test("replays the recorded regtest chain to the expected tip and UTXO figures", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chainstate_" });
  try {
    const { vector, blocks } = regtestChain();
    const chain = await openTestChain(dir);
    assert.equal(chain.height, 0);
    await feedBlocks(chain, blocks, 1, blocks.length);
    assert.equal(chain.height, vector.expected_height);
    assert.equal(chain.tip?.hashHex, vector.expected_tip_hash);
    const stats = await chain.utxoStats();
    const expected = vector.expected_gettxoutsetinfo;
    assert.equal(stats.txouts, expected.txouts);
    assert.equal(stats.transactions, expected.transactions);
    assert.equal(stats.bogosize, expected.bogosize);
    assert.equal(hashToHex(stats.hashSerialized), expected.hash_serialized_3);
    assert.equal(formatKria(stats.totalValue), expected.total_value);
    assert.equal(formatKria(stats.totalAmount), expected.total_amount);
    await chain.close();

    const reopened = await openTestChain(dir);
    assert.equal(reopened.height, vector.expected_height);
    const again = await reopened.utxoStats();
    assert.equal(hashToHex(again.hashSerialized), expected.hash_serialized_3);
    await reopened.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
