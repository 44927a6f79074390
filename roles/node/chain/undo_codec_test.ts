import assert from "node:assert/strict";
import { DecodeError } from "../../../kernel/encoding/decode_error.ts";
import { hexToBytes } from "../../../kernel/encoding/hex.ts";
import { TxOut } from "../../../kernel/primitives/tx_out.ts";
import type { BlockUndo } from "../../../kernel/consensus/connect_block.ts";
import { decodeBlockUndo, encodeBlockUndo } from "./undo_codec.ts";
import { feedBlocks, openTestChain, regtestChain } from "./_test_support.ts";

const coinA = {
  output: new TxOut(5_000_000_000n, hexToBytes("76a914" + "11".repeat(20) + "88ac")),
  height: 5,
  isCoinBase: true,
  refheight: 5,
};
const coinB = {
  output: new TxOut(0n, new Uint8Array([0x51])),
  height: 1,
  isCoinBase: true,
  refheight: 1,
};

Deno.test("legacy undo format (no block-final entry) is a CompactSize vector", () => {
  const undo: BlockUndo = { txUndo: [[coinA], [coinB, coinA]], previousFinalTx: null };
  const bytes = encodeBlockUndo(undo);
  assert.equal(bytes[0], 2);
  // code = 5·2+1 = 11, dummy 0, amount 50 FRC = 0x32, P2PKH kind 0 + 20 bytes, refheight 5.
  assert.deepEqual(bytes.subarray(1, 6), new Uint8Array([1, 11, 0, 0x32, 0]));
  assert.deepEqual(decodeBlockUndo(bytes), undo);
});

Deno.test("extended undo format carries the prior block-final entry", () => {
  const undo: BlockUndo = {
    txUndo: [[coinB]],
    previousFinalTx: { hash: new Uint8Array(32).fill(7), size: 3 },
  };
  const bytes = encodeBlockUndo(undo);
  assert.deepEqual(bytes.subarray(0, 4), new Uint8Array([0xff, 0x01, 1, 1]));
  assert.deepEqual(
    bytes.subarray(bytes.length - 33),
    new Uint8Array([3, ...new Uint8Array(32).fill(7)]),
  );
  assert.deepEqual(decodeBlockUndo(bytes), undo);
});

Deno.test("rejects unknown flags, truncation and trailing bytes; survives random bytes", () => {
  assert.throws(() => decodeBlockUndo(new Uint8Array([0xff, 0x02, 0])), DecodeError);
  const bytes = encodeBlockUndo({
    txUndo: [[coinA, coinB]],
    previousFinalTx: { hash: new Uint8Array(32), size: 1 },
  });
  for (let cut = 0; cut < bytes.length; cut++) {
    assert.throws(() => decodeBlockUndo(bytes.subarray(0, cut)), DecodeError, `cut ${cut}`);
  }
  assert.throws(() => decodeBlockUndo(new Uint8Array([...bytes, 1])), DecodeError);
  assert.throws(() => decodeBlockUndo(new Uint8Array([0xfe, 0xff, 0xff, 0xff, 0xff])), DecodeError);
  let seed = 99;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
  for (let i = 0; i < 3000; i++) {
    const fuzz = Uint8Array.from({ length: random() % 64 }, random);
    if (i % 3 === 0 && fuzz.length > 1) fuzz[0] = 0xff;
    try {
      decodeBlockUndo(fuzz);
    } catch (error) {
      assert.ok(error instanceof DecodeError || error instanceof RangeError, String(error));
    }
  }
});

Deno.test("undo data written for the recorded chain decodes to what connecting produced", async () => {
  const dir = await Deno.makeTempDir({ prefix: "undo_" });
  try {
    const { blocks } = regtestChain();
    const chain = await openTestChain(dir);
    await feedBlocks(chain, blocks, 1, blocks.length);
    let withFinalTx = 0;
    for (let height = 1; height < blocks.length; height++) {
      const undo = chain.readUndo(chain.getBlockEntry(height)!)!;
      assert.equal(undo.txUndo.length, blocks[height].transactions.length - 1);
      if (undo.previousFinalTx) withFinalTx++;
      assert.deepEqual(decodeBlockUndo(encodeBlockUndo(undo)), undo);
    }
    // Block 1 records the first block-final entry; every later block's undo carries one.
    assert.equal(withFinalTx, blocks.length - 2);
    await chain.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
