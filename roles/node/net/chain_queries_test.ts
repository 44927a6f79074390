import assert from "node:assert/strict";
import { feedBlocks, openTestChain, regtestChain } from "../chain/_test_support.ts";
import { findForkInActiveChain, locatorFor, nextBlocksToDownload } from "./chain_queries.ts";
import { BlockLocator } from "../../../kernel/primitives/mod.ts";

Deno.test("locators step back one at a time, then double, and end at genesis", async () => {
  const dir = await Deno.makeTempDir({ prefix: "net_queries_" });
  try {
    const { blocks } = regtestChain();
    const chain = await openTestChain(dir);
    await feedBlocks(chain, blocks, 1, 41);
    const locator = locatorFor(chain.tip);
    const heights = locator.have.map((h) => chain.lookupBlockIndex(h)!.height);
    assert.deepEqual(heights, [40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 27, 23, 15, 0]);
    assert.equal(findForkInActiveChain(chain, locator)?.height, 40);
    const stale = new BlockLocator([new Uint8Array(32).fill(1), chain.getBlockHash(12)!]);
    assert.equal(findForkInActiveChain(chain, stale)?.height, 12);

    // Headers only beyond 40: the next blocks to fetch are 41.., lowest first.
    const headers = blocks.slice(41, 60).map((b) => b.header);
    const result = await chain.processBlockHeaders(headers);
    assert.ok(result.ok && result.last);
    const next = nextBlocksToDownload({
      chain,
      peerBest: result.last,
      lastCommon: undefined,
      count: 16,
      inFlight: (entry) => entry.height === 42,
      window: 1024,
    });
    assert.deepEqual(next.blocks.map((e) => e.height), [
      41,
      ...Array.from({ length: 15 }, (_, i) => 43 + i),
    ]);
    assert.equal(next.lastCommon?.height, 40);
    await chain.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
