import assert from "node:assert/strict";
import { MemoryCoinsView } from "../../../kernel/consensus/coins.ts";
import { disconnectBlock, rollforwardBlock } from "./disconnect_block.ts";
import { feedBlocks, openTestChain, regtestChain } from "./_test_support.ts";

Deno.test("rolling a block forward then disconnecting it leaves exactly its spent coins", async () => {
  const dir = await Deno.makeTempDir({ prefix: "disconnect_" });
  try {
    const { blocks } = regtestChain();
    const chain = await openTestChain(dir);
    await feedBlocks(chain, blocks, 1, 153);
    const undo = chain.readUndo(chain.getBlockEntry(152)!)!;
    await chain.close();
    const block = blocks[152];

    const view = new MemoryCoinsView();
    rollforwardBlock(block, 152, view);
    assert.ok(view.size > 0);
    assert.equal(disconnectBlock(block, 152, undo, view), "ok");
    const restored = [...view.entries()].map((e) => e.coin);
    assert.deepEqual(new Set(restored), new Set(undo.txUndo.flat()));
    assert.equal(view.size, undo.txUndo.flat().length);

    // Outputs that are not there make the disconnect unclean, but it still completes.
    assert.equal(disconnectBlock(block, 152, undo, new MemoryCoinsView()), "unclean");
    // Undo data that does not match the block fails.
    const short = { ...undo, txUndo: undo.txUndo.slice(1) };
    assert.equal(disconnectBlock(block, 152, short, new MemoryCoinsView()), "failed");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
