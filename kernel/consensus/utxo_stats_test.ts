import assert from "node:assert/strict";
import { timeAdjustValue } from "../amount/demurrage.ts";
import { bytesToHex, hashToHex } from "../encoding/hex.ts";
import { sha256d } from "../hash/sha256.ts";
import { OutPoint } from "../primitives/outpoint.ts";
import { TxOut } from "../primitives/tx_out.ts";
import { CoinsViewOverlay, MemoryCoinsView } from "./coins.ts";
import { MuHash3072 } from "./muhash.ts";
import { bogoSize, computeUtxoStats, serializeCoinForHash } from "./utxo_stats.ts";

const script = new Uint8Array([0x51]);

Deno.test("a coin serializes as outpoint, height*2+coinbase, txout, refheight", () => {
  const entry = {
    outpoint: new OutPoint(new Uint8Array(32).fill(0xab), 2),
    coin: { output: new TxOut(5n, script), height: 7, isCoinBase: true, refheight: 6 },
  };
  assert.equal(
    bytesToHex(serializeCoinForHash(entry)),
    "ab".repeat(32) + "02000000" + "0f000000" + "0500000000000000" + "0151" + "06000000",
  );
  assert.equal(bogoSize(script), 55);
});

Deno.test("coins are hashed in txid-byte then index order, whatever the insertion order", () => {
  const view = new MemoryCoinsView();
  const a = new OutPoint(new Uint8Array(32).fill(2), 1);
  const b = new OutPoint(new Uint8Array(32).fill(2), 0);
  const c = new OutPoint(new Uint8Array(32).fill(1), 5);
  const coin = { output: new TxOut(100n, script), height: 3, isCoinBase: false, refheight: 3 };
  for (const outpoint of [a, b, c]) view.addCoin(outpoint, coin, false);
  const stats = computeUtxoStats(view.entries(), 3);
  const ordered = [c, b, a].map((outpoint) => serializeCoinForHash({ outpoint, coin }));
  const joined = new Uint8Array(ordered.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of ordered) {
    joined.set(part, at);
    at += part.length;
  }
  assert.equal(hashToHex(stats.hashSerialized), hashToHex(sha256d(joined)));
  assert.equal(stats.transactions, 2);
  assert.equal(stats.txouts, 3);
  assert.equal(stats.totalValue, 300n);
  // Each coin is valued one block after its refheight: 100 kria decays to 99.
  assert.equal(stats.totalAmount, 3n * timeAdjustValue(100n, 1));
  assert.equal(stats.totalAmount, 297n);
});

Deno.test("unspendable outputs never enter the UTXO set", () => {
  const view = new MemoryCoinsView();
  const coin = {
    output: new TxOut(1n, new Uint8Array([0x6a])),
    height: 1,
    isCoinBase: false,
    refheight: 1,
  };
  view.addCoin(new OutPoint(new Uint8Array(32), 0), coin, false);
  assert.equal(view.size, 0);
});

Deno.test("an overlay hides its changes until flushed", () => {
  const base = new MemoryCoinsView();
  const at = new OutPoint(new Uint8Array(32).fill(5), 0);
  const coin = { output: new TxOut(1n, script), height: 1, isCoinBase: false, refheight: 1 };
  base.addCoin(at, coin, false);
  const overlay = new CoinsViewOverlay(base);
  assert.equal(overlay.spendCoin(at), coin);
  assert.equal(overlay.getCoin(at), undefined);
  assert.equal(base.getCoin(at), coin);
  const other = new OutPoint(new Uint8Array(32).fill(6), 1);
  overlay.addCoin(other, coin, false);
  assert.throws(() => overlay.addCoin(other, coin, false));
  overlay.flush();
  assert.equal(base.getCoin(at), undefined);
  assert.equal(base.getCoin(other), coin);
});

Deno.test("muhash makes each serialized coin a set member and is computed only on request", () => {
  const view = new MemoryCoinsView();
  const entries = [1, 2].map((i) => ({
    outpoint: new OutPoint(new Uint8Array(32).fill(i), 0),
    coin: { output: new TxOut(BigInt(i), script), height: i, isCoinBase: false, refheight: i },
  }));
  for (const { outpoint, coin } of entries) view.addCoin(outpoint, coin, false);
  const stats = computeUtxoStats(view.entries(), 2, { muhash: true });
  const expected = new MuHash3072();
  for (const entry of entries.toReversed()) expected.insert(serializeCoinForHash(entry));
  assert.deepEqual(stats.muhash, expected.digest());
  const plain = computeUtxoStats(view.entries(), 2);
  assert.equal(plain.muhash, undefined);
  assert.deepEqual(plain.hashSerialized, stats.hashSerialized);
});
