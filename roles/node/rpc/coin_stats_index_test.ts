import assert from "node:assert/strict";
import { CoinStatsIndex } from "./coin_stats_index.ts";
import { TestNode } from "./_test_support.ts";

type Stats = Record<string, unknown>;

Deno.test("the coin statistics index agrees with a direct UTXO scan, now and at past heights", async () => {
  const holder: { index?: CoinStatsIndex } = {};
  await using node = await TestNode.open({
    coinStats: (hash) => holder.index?.lookup(hash),
    indexSummaries: () => holder.index ? [holder.index.summary()] : [],
  });
  await node.feedTo(157);
  const index = CoinStatsIndex.open({ chain: node.chain, networkDir: node.dir });
  holder.index = index;
  await index.whenSynced();
  const fromIndex = await node.call("gettxoutsetinfo", ["muhash"]) as Stats;
  const direct = await node.call("gettxoutsetinfo", ["muhash", null, false]) as Stats;
  for (const key of ["height", "bestblock", "txouts", "bogosize", "muhash", "total_value"]) {
    assert.deepEqual(fromIndex[key], direct[key], key);
  }
  assert.equal(typeof fromIndex.total_unspendable_value, "number");
  assert.equal(fromIndex.transactions, undefined);
  // A past height: the same figures a node at that height computes directly.
  const past = await node.call("gettxoutsetinfo", ["muhash", 100]) as Stats;
  await using other = await TestNode.open();
  await other.feedTo(100);
  const otherDirect = await other.call("gettxoutsetinfo", ["muhash"]) as Stats;
  for (const key of ["height", "bestblock", "txouts", "bogosize", "muhash", "total_value"]) {
    assert.deepEqual(past[key], otherDirect[key], key);
  }
  const cases: [unknown[], number, string][] = [
    [
      ["hash_serialized_3", 100],
      -8,
      "hash_serialized_3 hash type cannot be queried for a specific block",
    ],
    [
      ["muhash", 100, false],
      -8,
      "Cannot set use_index to false when querying for a specific block",
    ],
    [["none", 500], -8, "Target block height 500 after current tip 157"],
  ];
  for (const [params, code, message] of cases) {
    assert.deepEqual(await node.answer(["gettxoutsetinfo", ...params]), {
      __error__: { code, message },
    });
  }
  assert.deepEqual(await node.call("getindexinfo", ["coinstatsindex"]), {
    coinstatsindex: { synced: true, best_block_height: 157 },
  });
  // After a reorganisation the index continues from the fork block's row.
  await node.call("invalidateblock", [past.bestblock as string]);
  await node.call("reconsiderblock", [past.bestblock as string]);
  await index.whenSynced();
  const again = await node.call("gettxoutsetinfo", ["muhash"]) as Stats;
  assert.deepEqual(again.muhash, direct.muhash);
  await index.close();
});
