import assert from "node:assert/strict";
import { bytesToHex } from "../../../kernel/encoding/mod.ts";
import { Transaction } from "../../../kernel/primitives/mod.ts";
import { type JsonValue, methodSummary, RpcError, type RpcMethod } from "../../../rpc/mod.ts";
import { createPureSecp256k1 } from "../../../kernel/secp256k1/mod.ts";
import { miningRpcMethods } from "../mining/mining_rpc.ts";
import { acceptToMemoryPool } from "./accept.ts";
import { Mempool } from "./mempool.ts";
import { decodeMempool, encodeMempool, loadMempool } from "./mempool_persist.ts";
import { mempoolRpcMethods } from "./mempool_rpc.ts";
import { blocks, chainAt, VECTORS } from "./_test_support.ts";

async function call(method: RpcMethod, params: JsonValue[]): Promise<JsonValue> {
  return await method.handler({
    method: method.name,
    params,
    id: 1,
    uri: "/",
    authUser: "",
    peerAddr: "",
    context: undefined,
    maybeArg: (i) => params[i] ?? undefined,
    arg: (i) => params[i] ?? undefined,
  });
}

function plain(value: JsonValue): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v) => {
    if (typeof v === "bigint") return Number(v);
    if (v instanceof Map) return Object.fromEntries(v);
    if (v && typeof v === "object" && "text" in v) return Number((v as { text: string }).text);
    return v;
  }));
}

const spend = blocks[152].transactions[1];

Deno.test("summary lines of the mempool and mining methods match freicoind's help listing", () => {
  const listing = Deno.readTextFileSync(new URL("rpc-help.txt", VECTORS)).split("\n");
  const methods = [
    ...mempoolRpcMethods({
      chain: undefined as never,
      mempool: new Mempool(),
      now: () => 0,
      mempoolPath: "",
    }),
    ...miningRpcMethods({
      chain: undefined as never,
      mempool: new Mempool(),
      now: () => 0,
      secp256k1: createPureSecp256k1(),
    }),
  ];
  for (const method of methods) {
    if (method.category === "hidden") continue;
    const line = listing.find((l) => l.split(" ")[0] === method.name);
    assert.equal(methodSummary(method as RpcMethod<never>), line, method.name);
  }
});

Deno.test("sendrawtransaction, testmempoolaccept, getrawmempool and getmempoolentry", async (t) => {
  const { chain, mempool } = await chainAt(151);
  const now = blocks[152].header.time;
  const dir = await Deno.makeTempDir({ prefix: "mempool_rpc_test_" });
  const ctx = { chain, mempool, now: () => now, mempoolPath: `${dir}/mempool.dat` };
  const methods = new Map(mempoolRpcMethods(ctx).map((m) => [m.name, m]));
  const hex = bytesToHex(spend.toBytes());
  try {
    await t.step("testmempoolaccept reports fees without adding", async () => {
      const [result] = plain(await call(methods.get("testmempoolaccept")!, [[hex]])) as Record<
        string,
        unknown
      >[];
      assert.deepEqual(result, {
        txid: spend.txidHex,
        wtxid: spend.wtxidHex,
        allowed: true,
        vsize: 146,
        fees: {
          base: 0.0000292,
          "effective-feerate": 0.0002,
          "effective-includes": [spend.wtxidHex],
        },
      });
      assert.equal(mempool.size, 0);
    });
    await t.step("sendrawtransaction adds it and answers the txid", async () => {
      assert.equal(await call(methods.get("sendrawtransaction")!, [hex]), spend.txidHex);
      assert.equal(mempool.size, 1);
      // Sending it again is not an error (already in the mempool).
      assert.equal(await call(methods.get("sendrawtransaction")!, [hex]), spend.txidHex);
    });
    await t.step("getrawmempool and getmempoolentry describe it", async () => {
      assert.deepEqual(await call(methods.get("getrawmempool")!, []), [spend.txidHex]);
      const entry = plain(await call(methods.get("getmempoolentry")!, [spend.txidHex])) as Record<
        string,
        unknown
      >;
      assert.equal(entry.vsize, 146);
      assert.equal(entry.height, 151);
      assert.equal(entry.ancestorcount, 1);
      assert.deepEqual(entry.fees, {
        base: 0.0000292,
        modified: 0.0000292,
        ancestor: 0.0000292,
        descendant: 0.0000292,
      });
      assert.equal(entry["bip125-replaceable"], true);
      // Submitted locally and never fetched by a peer.
      assert.equal(entry.unbroadcast, true);
      await assert.rejects(
        () => call(methods.get("getmempoolentry")!, ["00".repeat(32)]),
        (e: unknown) => e instanceof RpcError && e.code === -5,
      );
    });
    await t.step("getmempoolinfo has the loaded flag and Freicoin's defaults", async () => {
      const info = plain(await call(methods.get("getmempoolinfo")!, [])) as Record<string, unknown>;
      assert.equal(info.loaded, false);
      assert.equal(info.size, 1);
      assert.equal(info.bytes, 146);
      assert.equal(info.fullrbf, true);
      assert.equal(info.unbroadcastcount, 1);
      assert.equal(info.minrelaytxfee, 0.00001);
      assert.equal(info.mempoolminfee, 0.00001);
    });
    await t.step("savemempool refuses before the load, then writes mempool.dat", async () => {
      await assert.rejects(
        () => call(methods.get("savemempool")!, []),
        (e: unknown) => e instanceof RpcError && e.message === "The mempool was not loaded yet",
      );
      mempool.loaded = true;
      mempool.prioritiseTransaction("11".repeat(32), 500n);
      const saved = plain(await call(methods.get("savemempool")!, [])) as Record<string, unknown>;
      assert.equal(saved.filename, ctx.mempoolPath);
      const decoded = decodeMempool(await Deno.readFile(ctx.mempoolPath));
      assert.equal(decoded.transactions.length, 1);
      assert.equal(decoded.transactions[0].tx.txidHex, spend.txidHex);
      assert.equal(decoded.transactions[0].time, now);
      assert.equal(decoded.deltas.get("11".repeat(32)), 500n);
      assert.deepEqual(decoded.unbroadcast, [spend.txidHex]);
    });
    await t.step("a new pool loads mempool.dat back", async () => {
      const fresh = new Mempool();
      const result = await loadMempool(fresh, chain, ctx.mempoolPath, { now });
      assert.deepEqual(result, { succeeded: 1, failed: 0, expired: 0, alreadyThere: 0 });
      assert.ok(fresh.has(spend.txidHex));
      assert.equal(fresh.deltaOf("11".repeat(32)), 500n);
      assert.ok(fresh.isUnbroadcast(spend.txidHex));
    });
    await t.step("sendrawtransaction names rejections as freicoind does", async () => {
      const coinbaseHex = bytesToHex(blocks[151].transactions[0].toBytes());
      await assert.rejects(
        () => call(methods.get("sendrawtransaction")!, [coinbaseHex]),
        (e: unknown) =>
          e instanceof RpcError && e.code === -27 &&
          e.message === "Transaction already in block chain",
      );
      const version3 = bytesToHex(new Transaction({ ...spend, version: 3 }).toBytes());
      await assert.rejects(
        () => call(methods.get("sendrawtransaction")!, [version3]),
        (e: unknown) => e instanceof RpcError && e.code === -26 && e.message === "version",
      );
      await assert.rejects(
        () => call(methods.get("sendrawtransaction")!, ["00"]),
        (e: unknown) =>
          e instanceof RpcError && e.code === -22 &&
          e.message === "TX decode failed. Make sure the tx has at least one input.",
      );
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("mempool.dat v1 and v2 encodings decode to the same content; bad files are rejected", async () => {
  const { chain, mempool, now } = await chainAt(151);
  assert.ok(acceptToMemoryPool(mempool, chain, spend, { acceptTime: now }).ok);
  const v1 = encodeMempool(mempool, { v1: true });
  const v2 = encodeMempool(mempool, { xorKey: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]) });
  assert.deepEqual(plain(decodeMempool(v1) as never), plain(decodeMempool(v2) as never));
  assert.notEqual(bytesToHex(v1.subarray(8)), bytesToHex(v2.subarray(17)));
  // Truncations and random bytes never crash: they throw a decode error.
  for (let cut = 0; cut < v2.length; cut += 7) {
    assert.throws(() => decodeMempool(v2.subarray(0, cut)));
  }
  for (let i = 0; i < 200; i++) {
    const junk = crypto.getRandomValues(new Uint8Array(1 + (i % 90)));
    try {
      decodeMempool(junk);
    } catch (error) {
      assert.ok(error instanceof Error);
    }
  }
});

Deno.test("submitpackage answers per wtxid with the package message", async () => {
  const { opTrueChain, spendCoins } = await import("./_test_support.ts");
  const { chain, mempool, now, coins } = await opTrueChain(102);
  const methods = new Map(
    mempoolRpcMethods({ chain, mempool, now, mempoolPath: "" }).map((m) => [m.name, m]),
  );
  const parent = spendCoins([coins[0]]);
  const child = spendCoins(parent.coins);
  const hexes = [parent.tx, child.tx].map((tx) => bytesToHex(tx.toBytes()));
  const result = plain(await call(methods.get("submitpackage")!, [hexes])) as Record<
    string,
    unknown
  >;
  assert.deepEqual(result, {
    package_msg: "success",
    "tx-results": {
      [parent.tx.wtxidHex]: {
        txid: parent.tx.txidHex,
        vsize: 100,
        fees: {
          base: 0.00001,
          "effective-feerate": 0.0001,
          "effective-includes": [parent.tx.wtxidHex],
        },
      },
      [child.tx.wtxidHex]: {
        txid: child.tx.txidHex,
        vsize: 100,
        fees: {
          base: 0.00001,
          "effective-feerate": 0.0001,
          "effective-includes": [child.tx.wtxidHex],
        },
      },
    },
    "replaced-transactions": [],
  });
  await assert.rejects(
    () => call(methods.get("submitpackage")!, [[hexes[0]]]),
    (e: unknown) =>
      e instanceof RpcError && e.code === -25 &&
      e.message ===
        "package topology disallowed. not child-with-parents or parents depend on each other.",
  );
  const tested = plain(
    await call(methods.get("testmempoolaccept")!, [[hexes[1], hexes[0]]]),
  ) as Record<
    string,
    unknown
  >[];
  assert.deepEqual(tested.map((r) => r["package-error"]), [
    "package-not-sorted",
    "package-not-sorted",
  ]);
});

Deno.test("gettxspendingprevout and importmempool", async () => {
  const { opTrueChain, spendCoins } = await import("./_test_support.ts");
  const { chain, mempool, now, coins } = await opTrueChain(102);
  const dir = await Deno.makeTempDir({ prefix: "importmempool_test_" });
  try {
    const ctx = { chain, mempool, now, mempoolPath: `${dir}/mempool.dat` };
    const methods = new Map(mempoolRpcMethods(ctx).map((m) => [m.name, m]));
    const spend = spendCoins([coins[0]]);
    assert.ok(acceptToMemoryPool(mempool, chain, spend.tx, { acceptTime: now() }).ok);
    const txid = bytesToHex(coins[0].outpoint.hash.slice().reverse());
    const found = plain(
      await call(methods.get("gettxspendingprevout")!, [[{ txid, vout: 1 }, { txid, vout: 0 }]]),
    );
    // Block 1's coinbase: the reward (spent here) is output 1, the OP_TRUE output 0.
    assert.equal(coins[0].outpoint.n, 1);
    assert.deepEqual(found, [
      { txid, vout: 1, spendingtxid: spend.tx.txidHex },
      { txid, vout: 0 },
    ]);
    await assert.rejects(
      () => call(methods.get("gettxspendingprevout")!, [[]]),
      (e: unknown) =>
        e instanceof RpcError && e.message === "Invalid parameter, outputs are missing",
    );
    await assert.rejects(
      () => call(methods.get("gettxspendingprevout")!, [[{ txid, vout: 0, extra: 1 }]]),
      (e: unknown) =>
        e instanceof RpcError && e.code === -3 && e.message === "Unexpected key extra",
    );
    await assert.rejects(
      () => call(methods.get("gettxspendingprevout")!, [[{ txid: 42, vout: 0 }]]),
      (e: unknown) =>
        e instanceof RpcError && e.code === -3 &&
        e.message === "JSON value of type number for field txid is not of expected type string",
    );
    await assert.rejects(
      () => call(methods.get("gettxspendingprevout")!, [[{ txid }]]),
      (e: unknown) => e instanceof RpcError && e.code === -3 && e.message === "Missing vout",
    );
    // Save, empty the pool, import.
    mempool.loaded = true;
    await call(methods.get("savemempool")!, []);
    mempool.clear();
    assert.equal(mempool.size, 0);
    assert.deepEqual(plain(await call(methods.get("importmempool")!, [ctx.mempoolPath])), {});
    assert.ok(mempool.has(spend.tx.txidHex));
    await assert.rejects(
      () => call(methods.get("importmempool")!, [`${dir}/missing.dat`]),
      (e: unknown) =>
        e instanceof RpcError &&
        e.message === "Unable to import mempool file, see debug.log for details.",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
