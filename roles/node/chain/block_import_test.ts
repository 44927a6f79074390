import assert from "node:assert/strict";
import { importBlocks } from "./block_import.ts";
import { regtestChain, regtestParams } from "./_test_support.ts";

Deno.test("imports blocks parents first whatever the file order, skipping garbage", () => {
  const { raw, blocks } = regtestChain();
  // Reverse order with garbage between: every block waits for its parent until the genesis.
  const records = raw.slice(0, 40).reverse().flatMap((bytes) => [
    { bytes },
    { bytes: new Uint8Array([1, 2, 3]) },
  ]);
  const known = new Set<string>();
  const order: number[] = [];
  const count = importBlocks(records, {
    genesisHash: regtestParams().consensus.hashGenesisBlock,
    isKnown: (hashHex) => known.has(hashHex),
    accept: (block) => {
      known.add(block.hashHex);
      order.push(blocks.findIndex((b) => b.hashHex === block.hashHex));
      return true;
    },
  });
  assert.equal(count, 40);
  assert.deepEqual(order, Array.from({ length: 40 }, (_, i) => i));
});

Deno.test("drops blocks whose parent never appears", () => {
  const { raw } = regtestChain();
  const count = importBlocks([{ bytes: raw[5] }, { bytes: raw[6] }], {
    genesisHash: regtestParams().consensus.hashGenesisBlock,
    isKnown: () => false,
    accept: () => true,
  });
  assert.equal(count, 0);
});

Deno.test("reports out-of-order blocks and their processing as freicoind's reindex lines", () => {
  const { raw, blocks } = regtestChain();
  // Genesis, 1, then 3 before 2: 3 waits for 2, which releases it.
  const records = [raw[0], raw[1], raw[3], raw[2]].map((bytes) => ({ bytes }));
  const known = new Set<string>();
  const lines: string[] = [];
  const count = importBlocks(records, {
    genesisHash: regtestParams().consensus.hashGenesisBlock,
    isKnown: (hashHex) => known.has(hashHex),
    accept: (block) => {
      known.add(block.hashHex);
      return true;
    },
    debug: (message) => lines.push(message()),
  });
  assert.equal(count, 4);
  assert.deepEqual(lines, [
    `LoadExternalBlockFile: Out of order block ${blocks[3].hashHex}, parent ${
      blocks[2].hashHex
    } not known`,
    `LoadExternalBlockFile: Processing out of order child ${blocks[3].hashHex} of ${
      blocks[2].hashHex
    }`,
  ]);
});
