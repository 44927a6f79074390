import assert from "node:assert/strict";
import { NULL_LOGGER } from "../../../cli/logger.ts";
import { acceptToMemoryPool } from "./accept.ts";
import { Mempool } from "./mempool.ts";
import type { MempoolEntry } from "./mempool_entry.ts";
import { blocks, chainAt } from "./_test_support.ts";

Deno.test("a block clears the fee delta of its transaction while the pool is empty", () => {
  const mempool = new Mempool({}, NULL_LOGGER);
  const tx = blocks[152].transactions[1];
  mempool.prioritiseTransaction(tx.txidHex, 1000n);
  mempool.removeForBlock(blocks[152].transactions, 0, 152);
  assert.equal(mempool.deltas().size, 0);
});

Deno.test("listeners hear of every block, with the pool entries it confirmed", async () => {
  const { chain, now } = await chainAt(151);
  const mempool = new Mempool({}, NULL_LOGGER);
  const heard: [number, number][] = [];
  mempool.subscribe({
    removedForBlock: (confirmed: readonly MempoolEntry[], height: number) =>
      heard.push([confirmed.length, height]),
  });
  mempool.removeForBlock(blocks[151].transactions, now, 151);
  const spend = blocks[152].transactions[1];
  assert.ok(acceptToMemoryPool(mempool, chain, spend, { acceptTime: now }).ok);
  mempool.removeForBlock(blocks[152].transactions, now, 152);
  assert.deepEqual(heard, [[0, 151], [1, 152]]);
  assert.equal(mempool.size, 0);
});
