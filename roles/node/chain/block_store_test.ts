import assert from "node:assert/strict";
import {
  BlockStore,
  BlockStoreError,
  FAST_PRUNE_BLOCKFILE_SIZE,
  scanFramedRecords,
} from "./block_store.ts";

const MAGIC = new Uint8Array([0xed, 0x99, 0x9c, 0xf6]);

async function withStore(
  body: (store: BlockStore, dir: string) => void | Promise<void>,
  fastPrune = false,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "block_store_" });
  const store = new BlockStore({ blocksDir: dir, messageStart: MAGIC, fastPrune });
  try {
    await body(store, dir);
  } finally {
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("writes framed blocks and reads them back by position", () =>
  withStore((store, dir) => {
    const a = new Uint8Array(100).fill(1);
    const b = new Uint8Array(200).fill(2);
    const pa = store.writeBlock(a, 0, 1000);
    const pb = store.writeBlock(b, 1, 1001);
    assert.deepEqual(pa, { file: 0, pos: 8 });
    assert.deepEqual(pb, { file: 0, pos: 116 });
    assert.deepEqual(store.readBlockBytes(pb), b);
    const raw = Deno.readFileSync(`${dir}/blk00000.dat`);
    assert.deepEqual(raw.subarray(0, 8), new Uint8Array([...MAGIC, 100, 0, 0, 0]));
    assert.deepEqual(store.fileInfo()[0], {
      file: 0,
      blocks: 2,
      size: 316,
      undoSize: 0,
      heightFirst: 0,
      heightLast: 1,
      timeFirst: 1000,
      timeLast: 1001,
    });
  }));

Deno.test("undo records carry a checksum over the parent hash", () =>
  withStore((store) => {
    const prev = new Uint8Array(32).fill(5);
    const undo = new Uint8Array([1, 2, 3]);
    const at = store.writeUndo(undo, 0, prev);
    assert.deepEqual(store.readUndoBytes(at, prev), undo);
    assert.throws(() => store.readUndoBytes(at, new Uint8Array(32)), BlockStoreError);
  }));

Deno.test("-fastprune rolls over to a new file before 64 KiB", () =>
  withStore((store) => {
    const block = new Uint8Array(20_000);
    const files = [0, 1, 2, 3, 4].map((i) => store.writeBlock(block, i, i).file);
    assert.deepEqual(files, [0, 0, 0, 1, 1]);
    assert.ok(store.fileInfo()[0].size < FAST_PRUNE_BLOCKFILE_SIZE);
    const big = store.writeBlock(new Uint8Array(FAST_PRUNE_BLOCKFILE_SIZE + 10), 5, 5);
    assert.equal(big.file, 2);
    assert.deepEqual(store.listBlockFiles(), [0, 1, 2]);
  }, true));

Deno.test("rejects bad magic and records past the end of the file", () =>
  withStore((store) => {
    const at = store.writeBlock(new Uint8Array(50), 0, 0);
    assert.throws(() => store.readBlockBytes({ file: 0, pos: at.pos + 1 }), BlockStoreError);
    assert.throws(() => store.readBlockBytes({ file: 0, pos: 3 }), BlockStoreError);
    assert.throws(() => store.readBlockBytes({ file: 7, pos: 8 }), BlockStoreError);
  }));

Deno.test("scanning a damaged file skips to the next framed record", () =>
  withStore((store, dir) => {
    store.writeBlock(new Uint8Array(90).fill(1), 0, 0);
    store.writeBlock(new Uint8Array(95).fill(2), 1, 0);
    store.sync();
    const path = `${dir}/blk00000.dat`;
    const raw = Deno.readFileSync(path);
    raw[0] = 0; // break the first record's magic
    Deno.writeFileSync(path, raw);
    const found = [...store.scanBlockFile(0)].map((r) => [r.position.pos, r.bytes.length]);
    assert.deepEqual(found, [[106, 95]]);
  }));

Deno.test("scanning random bytes with stray magics yields only in-bounds records", () => {
  let seed = 2024;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  for (let round = 0; round < 300; round++) {
    const data = Uint8Array.from({ length: random() % 600 }, () => random() & 0xff);
    for (let k = 0; k < 4 && data.length > 8; k++) {
      const at = random() % (data.length - 8);
      data.set(MAGIC, at);
      new DataView(data.buffer).setUint32(at + 4, random() % 700, true);
    }
    let last = 0;
    for (const { bytes, offset } of scanFramedRecords(data, MAGIC)) {
      assert.ok(offset >= last + 8 && offset + bytes.length <= data.length);
      assert.ok(bytes.length >= 80);
      last = offset + bytes.length;
    }
  }
});

Deno.test("undo data moved away is missing, and readable again once put back", () =>
  withStore((store, dir) => {
    const prev = new Uint8Array(32).fill(9);
    const position = store.writeUndo(new Uint8Array([1, 2, 3]), 0, prev);
    assert.deepEqual(store.readUndoBytes(position, prev), new Uint8Array([1, 2, 3]));
    Deno.renameSync(`${dir}/rev00000.dat`, `${dir}/rev_wrong`);
    assert.throws(() => store.readUndoBytes(position, prev), BlockStoreError);
    Deno.renameSync(`${dir}/rev_wrong`, `${dir}/rev00000.dat`);
    assert.deepEqual(store.readUndoBytes(position, prev), new Uint8Array([1, 2, 3]));
  }));
