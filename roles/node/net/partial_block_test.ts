import assert from "node:assert/strict";
import { regtestChain } from "../chain/_test_support.ts";
import { buildCompactBlock } from "./compact_block.ts";
import { PartialBlock } from "./partial_block.ts";

const block = regtestChain().blocks[153];
const compact = buildCompactBlock(block, 42n);
const others = block.transactions.slice(1);

Deno.test("rebuilds a compact block from the mempool alone", () => {
  const init = PartialBlock.init(compact, others);
  assert.equal(init.status, "ok");
  if (init.status !== "ok") return;
  assert.deepEqual(init.partial.missing(), []);
  const filled = init.partial.fill([]);
  assert.ok("block" in filled);
  if ("block" in filled) assert.equal(filled.block.hashHex, block.hashHex);
});

Deno.test("asks for what the mempool lacks, and checks the answer", () => {
  const init = PartialBlock.init(compact, [others[1]]);
  assert.equal(init.status, "ok");
  if (init.status !== "ok") return;
  const missing = init.partial.missing();
  assert.deepEqual(missing, [1, 3]);
  assert.equal(init.partial.fill([others[0]]).status, "invalid");
  assert.equal(init.partial.fill([others[2], others[0]]).status, "failed");
  const filled = init.partial.fill([others[0], others[2]]);
  assert.ok("block" in filled && filled.block.hashHex === block.hashHex);
});

Deno.test("rejects malformed compact blocks and falls back on duplicate short ids", () => {
  assert.equal(
    PartialBlock.init({ ...compact, shortIds: [], prefilled: [] }, []).status,
    "invalid",
  );
  const outOfRange = { ...compact, prefilled: [{ index: 99, tx: block.transactions[0] }] };
  assert.equal(PartialBlock.init(outOfRange, []).status, "invalid");
  const duplicate = { ...compact, shortIds: [5, 5, 6] };
  assert.equal(PartialBlock.init(duplicate, []).status, "failed");
});
