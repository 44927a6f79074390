import assert from "node:assert/strict";
import { BlockHeader } from "../../../kernel/primitives/block_header.ts";
import { BlockIndexEntry, BlockStatus, lastCommonAncestor } from "./block_index_entry.ts";

function chain(length: number, from?: BlockIndexEntry, salt = 0): BlockIndexEntry[] {
  const entries: BlockIndexEntry[] = [];
  let prev = from;
  for (let i = 0; i < length; i++) {
    const header = new BlockHeader({
      version: 0x20000000,
      hashPrevBlock: prev?.hash ?? new Uint8Array(32),
      hashMerkleRoot: new Uint8Array(32).fill(salt),
      time: 1_000 + i,
      bits: 0x207fffff,
      nonce: i,
    });
    prev = new BlockIndexEntry(header, prev);
    entries.push(prev);
  }
  return entries;
}

Deno.test("ancestor() through skip pointers agrees with walking the parents", () => {
  const entries = chain(1500);
  for (const tip of [entries[1499], entries[1024], entries[777], entries[2]]) {
    for (let height = 0; height <= tip.height; height += 7) {
      let walk: BlockIndexEntry | undefined = tip;
      while (walk && walk.height > height) walk = walk.prev;
      assert.equal(tip.ancestor(height), walk, `${tip.height} → ${height}`);
    }
    assert.equal(tip.ancestor(tip.height + 1), undefined);
    assert.equal(tip.ancestor(-1), undefined);
  }
});

Deno.test("chain work accumulates and the last common ancestor is the fork point", () => {
  const main = chain(50);
  const side = chain(30, main[19], 1);
  assert.equal(main[49].chainWork, main[0].chainWork * 50n);
  assert.equal(lastCommonAncestor(main[49], side[29]), main[19]);
  assert.equal(lastCommonAncestor(side[5], main[10]), main[10]);
});

Deno.test("validity levels rise but never past a failure", () => {
  const [entry] = chain(1);
  assert.ok(entry.raiseValidity(BlockStatus.VALID_TREE));
  assert.ok(!entry.raiseValidity(BlockStatus.VALID_TREE));
  assert.ok(entry.isValid(BlockStatus.VALID_TREE) && !entry.isValid(BlockStatus.VALID_SCRIPTS));
  entry.status |= BlockStatus.FAILED_VALID;
  assert.ok(!entry.raiseValidity(BlockStatus.VALID_SCRIPTS));
  assert.ok(!entry.isValid(BlockStatus.VALID_TREE) && entry.failed);
});
