import assert from "node:assert/strict";
import type { Coin } from "../../../kernel/consensus/coins.ts";
import { OutPoint } from "../../../kernel/primitives/outpoint.ts";
import { TxOut } from "../../../kernel/primitives/tx_out.ts";
import { BlockCoinsView, cacheKey, CoinsCache } from "./coins_cache.ts";
import { CoinsDatabase } from "./coins_database.ts";

function coin(value: bigint, height = 1): Coin {
  return {
    output: new TxOut(value, new Uint8Array([0x51])),
    height,
    isCoinBase: false,
    refheight: height,
  };
}

function at(byte: number, n = 0): OutPoint {
  return new OutPoint(new Uint8Array(32).fill(byte), n);
}

async function withDatabase(body: (db: CoinsDatabase) => void): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "coins_cache_" });
  const db = new CoinsDatabase(dir);
  try {
    body(db);
  } finally {
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const BEST = new Uint8Array(32).fill(0xbb);

Deno.test("a coin created and spent between flushes never reaches the database", () =>
  withDatabase((db) => {
    const cache = new CoinsCache(db);
    cache.addCoin(at(1), coin(10n), false);
    assert.deepEqual(cache.spendCoin(at(1)), coin(10n));
    assert.equal(cache.size, 0, "a fresh coin is dropped when spent");
    cache.setBestBlock(BEST, null);
    assert.equal(cache.flush(), 0);
    assert.equal(db.getCoin(at(1)), undefined);
  }));

Deno.test("flush writes additions and erasures, then reads come from the database", () =>
  withDatabase((db) => {
    const cache = new CoinsCache(db);
    cache.addCoin(at(1), coin(10n), false);
    cache.addCoin(at(2), coin(20n), false);
    cache.setBestBlock(BEST, { hash: new Uint8Array(32).fill(4), size: 1 });
    assert.equal(cache.flush(), 2);
    assert.deepEqual(db.bestBlock(), BEST);
    assert.deepEqual(db.finalTx(), { hash: new Uint8Array(32).fill(4), size: 1 });
    const again = new CoinsCache(db);
    assert.deepEqual(again.getCoin(at(2)), coin(20n));
    assert.deepEqual(again.spendCoin(at(1)), coin(10n));
    assert.equal(again.getCoin(at(1)), undefined);
    assert.equal(again.flush(), 1, "the spent database coin is erased");
    assert.equal(db.getCoin(at(1)), undefined);
    assert.deepEqual(db.getCoin(at(2)), coin(20n));
  }));

Deno.test("adding over an unspent coin needs possibleOverwrite; unspendable outputs are skipped", () =>
  withDatabase((db) => {
    const cache = new CoinsCache(db);
    cache.addCoin(at(1), coin(10n), false);
    assert.throws(() => cache.addCoin(at(1), coin(11n), false));
    cache.addCoin(at(1), coin(12n), true);
    assert.deepEqual(cache.getCoin(at(1)), coin(12n));
    cache.addCoin(at(3), { ...coin(1n), output: new TxOut(1n, new Uint8Array([0x6a])) }, false);
    assert.equal(cache.getCoin(at(3)), undefined);
  }));

Deno.test("a block overlay changes nothing until applied", () =>
  withDatabase((db) => {
    const cache = new CoinsCache(db);
    cache.addCoin(at(1), coin(10n), false);
    const view = new BlockCoinsView(cache);
    assert.deepEqual(view.spendCoin(at(1)), coin(10n));
    view.addCoin(at(2), coin(5n), false);
    view.addCoin(at(3), coin(6n), false);
    assert.deepEqual(view.spendCoin(at(3)), coin(6n), "spent within the block");
    assert.deepEqual(cache.getCoin(at(1)), coin(10n), "the cache is untouched");
    assert.equal(cache.getCoin(at(2)), undefined);
    view.apply();
    assert.equal(cache.getCoin(at(1)), undefined);
    assert.deepEqual(cache.getCoin(at(2)), coin(5n));
    assert.equal(cache.getCoin(at(3)), undefined);
  }));

Deno.test("a split flush leaves a head-blocks marker only while it runs", () =>
  withDatabase((db) => {
    const cache = new CoinsCache(db);
    for (let i = 0; i < 10; i++) cache.addCoin(at(i + 1), coin(BigInt(i + 1)), false);
    cache.setBestBlock(BEST, null);
    const seen: (string | null)[] = [];
    cache.flush({
      chunkSize: 3,
      afterChunk: () => seen.push(db.headBlocks() ? "marker" : null),
    });
    assert.deepEqual(seen, ["marker", "marker", "marker", null]);
    assert.equal(db.headBlocks(), null);
    assert.deepEqual(db.bestBlock(), BEST);
  }));

Deno.test("cache keys differ for every hash byte and every index bit", () => {
  const keys = new Set<string>();
  const base = new Uint8Array(32);
  keys.add(cacheKey(new OutPoint(base, 0)));
  for (let i = 0; i < 32; i++) {
    for (const value of [1, 0x80, 0xff]) {
      const hash = base.slice();
      hash[i] = value;
      keys.add(cacheKey(new OutPoint(hash, 0)));
    }
  }
  for (let bit = 0; bit < 32; bit++) keys.add(cacheKey(new OutPoint(base, 2 ** bit)));
  keys.add(cacheKey(new OutPoint(base, 0xffffffff)));
  assert.equal(keys.size, 1 + 32 * 3 + 32 + 1);
  // The same outpoint always gives the same key.
  assert.equal(cacheKey(at(7, 0x12345678)), cacheKey(at(7, 0x12345678)));
});
