import assert from "node:assert/strict";
import { BlockFilter } from "../../../kernel/blockfilter/mod.ts";
import { bytesToHex, hashToHex } from "../../../kernel/encoding/mod.ts";
import { regtestChain } from "../chain/_test_support.ts";
import { BlockFilterIndex } from "./block_filter_index.ts";
import { TestNode } from "./_test_support.ts";

Deno.test("getblockfilter serves each block's basic filter and the header chain", async () => {
  const holder: { index?: BlockFilterIndex } = {};
  await using node = await TestNode.open({
    blockFilter: (hash) => holder.index?.lookup(hash),
    indexSummaries: () => holder.index ? [holder.index.summary()] : [],
  });
  const genesis = regtestChain().blocks[0].hashHex;
  assert.deepEqual(await node.answer(["getblockfilter", genesis]), {
    __error__: { code: -1, message: "Index is not enabled for filtertype basic" },
  });
  await node.feedTo(157);
  const index = BlockFilterIndex.open({ chain: node.chain, networkDir: node.dir });
  holder.index = index;
  await index.whenSynced();
  let previousHeader = new Uint8Array(32);
  for (const height of [0, 1, 2, 150, 151, 152]) {
    const block = regtestChain().blocks[height];
    if (height > 0) {
      const prev = await node.call("getblockfilter", [regtestChain().blocks[height - 1].hashHex]);
      previousHeader = Uint8Array.from(
        (prev as { header: string }).header.match(/../g)!.reverse(),
        (h) => parseInt(h, 16),
      );
    }
    const spent = height === 0
      ? []
      : node.chain.readUndo(node.chain.getBlockEntry(height)!)!.txUndo.flat().map((c) =>
        c.output.scriptPubKey
      );
    const expected = BlockFilter.basic(block, spent);
    assert.deepEqual(await node.call("getblockfilter", [block.hashHex, "basic"]), {
      filter: bytesToHex(expected.encoded),
      header: hashToHex(expected.computeHeader(previousHeader)),
    });
  }
  assert.deepEqual(await node.answer(["getblockfilter", genesis, "extended"]), {
    __error__: { code: -5, message: "Unknown filtertype" },
  });
  assert.deepEqual(await node.answer(["getblockfilter", "00".repeat(32)]), {
    __error__: { code: -5, message: "Block not found" },
  });
  assert.deepEqual(await node.call("getindexinfo", ["basic block filter index"]), {
    "basic block filter index": { synced: true, best_block_height: 157 },
  });
  // scanblocks: blocks whose filters match, exact with filter_false_positives.
  const miner = "addr(fcrt1qn98dnpkj6rh0dzj8sn8t97hytqumjgwd9zn0jk)";
  const scan = await node.call("scanblocks", ["start", [miner], 0, 20]) as {
    relevant_blocks: string[];
    from_height: number;
    to_height: number;
  };
  assert.deepEqual([scan.from_height, scan.to_height], [0, 20]);
  assert.ok(scan.relevant_blocks.includes(regtestChain().blocks[1].hashHex));
  const exact = await node.call("scanblocks", [
    "start",
    [miner],
    0,
    20,
    "basic",
    { filter_false_positives: true },
  ]) as { relevant_blocks: string[] };
  assert.ok(exact.relevant_blocks.every((hash) => scan.relevant_blocks.includes(hash)));
  assert.deepEqual(await node.answer(["scanblocks", "start", [miner], 30, 20]), {
    __error__: { code: -1, message: "Invalid stop_height" },
  });
  assert.equal(await node.call("scanblocks", ["status"]), null);
  await index.close();
});
