import assert from "node:assert/strict";
import { NULL_LOGGER } from "../../../cli/logger.ts";
import { bytesToHex } from "../../../kernel/encoding/mod.ts";
import { RpcConnection } from "../../../ipc/rpc/connection.ts";
import { createMemoryStreamPair } from "../../../ipc/transport/memory_stream.ts";
import {
  CHAIN,
  type Chain,
  type ChainBlockInfo,
  type ChainNotifications,
} from "../../../schemas/mod.ts";
import { feedBlocks, openTestChain, regtestChain } from "../chain/_test_support.ts";
import { DEFAULT_MEMPOOL_OPTIONS } from "../mempool/mempool.ts";
import { opTrueChain, spendCoins } from "../mempool/_test_support.ts";
import { mempoolAccess } from "./mempool_access.ts";
import { ChainNotificationHub } from "./chain_notification_hub.ts";
import { blockInfoOf, ChainService, NO_MEMPOOL_ERROR } from "./chain_service.ts";

interface Heard {
  kind: string;
  height?: number;
  bytes?: string;
}

class Recorder implements ChainNotifications {
  readonly heard: Heard[] = [];
  transactionAddedToMempool(): Promise<void> {
    this.heard.push({ kind: "added" });
    return Promise.resolve();
  }
  transactionRemovedFromMempool(): Promise<void> {
    this.heard.push({ kind: "removed" });
    return Promise.resolve();
  }
  blockConnected(block: Uint8Array, info: ChainBlockInfo): Promise<void> {
    this.heard.push({ kind: "connected", height: info.height, bytes: bytesToHex(block) });
    return Promise.resolve();
  }
  blockDisconnected(block: Uint8Array, info: ChainBlockInfo): Promise<void> {
    this.heard.push({ kind: "disconnected", height: info.height, bytes: bytesToHex(block) });
    return Promise.resolve();
  }
  updatedBlockTip(): Promise<void> {
    this.heard.push({ kind: "tip" });
    return Promise.resolve();
  }
}

/** A chainstate with the recorded chain up to `height`, a hub and a service over it. */
async function setUp(height: number) {
  const dir = Deno.makeTempDirSync({ prefix: "chain-service-" });
  const chain = await openTestChain(dir);
  const { blocks, raw } = regtestChain();
  await feedBlocks(chain, blocks, 1, height + 1);
  const hub = new ChainNotificationHub({
    subscribeChain: (listener) => chain.subscribe(listener),
    blockInfo: (entry) => blockInfoOf(chain, entry),
  }, NULL_LOGGER);
  const service = new ChainService({ chain, hub, now: () => 1_795_500_123, logger: NULL_LOGGER });
  return {
    chain,
    hub,
    service,
    blocks,
    raw,
    async [Symbol.asyncDispose]() {
      hub.close();
      await chain.close();
      Deno.removeSync(dir, { recursive: true });
    },
  };
}

/** `service` through an in-memory Cap'n Proto connection. */
function overIpc(service: Chain) {
  const [a, b] = createMemoryStreamPair();
  const server = new RpcConnection(b, { bootstrap: { binding: CHAIN, impl: service } });
  const client = new RpcConnection(a);
  const proxy = client.bootstrap(CHAIN);
  return {
    proxy,
    [Symbol.dispose]() {
      proxy[Symbol.dispose]();
      client.close();
      server.close();
    },
  };
}

function outpoint(txid: Uint8Array, n: number): Uint8Array {
  const bytes = new Uint8Array(36);
  bytes.set(txid);
  new DataView(bytes.buffer).setUint32(32, n, true);
  return bytes;
}

Deno.test("the node's Chain reads tip, blocks and coins from the chainstate, locally and over IPC", async () => {
  await using fixture = await setUp(20);
  const { chain, service, raw, blocks } = fixture;
  using remote = overIpc(service);
  for (const view of [service, remote.proxy] as Chain[]) {
    const tip = await view.getTip();
    assert.equal(tip.height, 20);
    assert.deepEqual(tip.hash, chain.tip!.hash);
    assert.equal(tip.medianTimePast, chain.medianTimePast(chain.tip));
    const five = await view.getBlockInfo(5);
    assert.equal(five?.height, 5);
    assert.deepEqual(five?.hash, blocks[5].hash);
    assert.equal(await view.getBlockInfo(21), null);
    const block = await view.getBlock(blocks[7].hash);
    assert.deepEqual(block?.block, raw[7]);
    assert.equal(block?.info.height, 7);
    assert.equal(await view.getBlock(new Uint8Array(32)), null);
    assert.equal(await view.isInActiveChain(blocks[3].hash), true);
    assert.equal(await view.isInActiveChain(blocks[30].hash), false);
    const first = await view.findFirstBlockWithTimeAndHeight(blocks[10].header.time, 0);
    assert.ok(first !== null && first.height <= 10 && first.time >= 0);
    assert.equal((await view.findFirstBlockWithTimeAndHeight(0, 12))?.height, 12);
    assert.equal(await view.findFirstBlockWithTimeAndHeight(0, 21), null);
    const coinbase = blocks[3].transactions[0];
    const [coin, missing] = await view.findCoins([
      outpoint(coinbase.txid, 0),
      outpoint(coinbase.txid, 99),
    ]);
    assert.equal(coin?.height, 3);
    assert.equal(coin?.isCoinBase, true);
    assert.equal(coin?.value, coinbase.outputs[0].value);
    assert.equal(coin?.refheight, coinbase.lockHeight);
    assert.deepEqual(coin?.scriptPubKey, coinbase.outputs[0].scriptPubKey);
    assert.equal(missing, null);
    assert.equal(await view.isInMempool(coinbase.txid), false);
    assert.deepEqual(await view.broadcastTransaction(raw[1], 0n, true), {
      ok: false,
      error: NO_MEMPOOL_ERROR,
      code: -1,
    });
    assert.deepEqual(await view.relayFees(), { minRelay: 1000n, dust: 3000n, incremental: 1000n });
    assert.deepEqual(await view.estimateSmartFee(6, false), {
      feeRatePerKvB: null,
      blocks: 0,
      reason: "none",
    });
    assert.equal(await view.mempoolMinFee(), 0n);
    assert.equal(await view.now(), 1_795_500_123);
  }
});

Deno.test("a wallet over IPC hears connected and disconnected blocks in order, and waitForNotifications waits for them", async () => {
  await using fixture = await setUp(10);
  const { chain, service, raw, blocks } = fixture;
  using remote = overIpc(service);
  const recorder = new Recorder();
  const handler = await remote.proxy.handleNotifications(recorder);
  await feedBlocks(chain, blocks, 11, 14);
  await chain.invalidateBlock(chain.tip!);
  await remote.proxy.waitForNotifications();
  const blockEvents = recorder.heard.filter((h) => h.kind !== "tip");
  assert.deepEqual(blockEvents, [
    { kind: "connected", height: 11, bytes: bytesToHex(raw[11]) },
    { kind: "connected", height: 12, bytes: bytesToHex(raw[12]) },
    { kind: "connected", height: 13, bytes: bytesToHex(raw[13]) },
    { kind: "disconnected", height: 13, bytes: bytesToHex(raw[13]) },
  ]);
  // Each connected block's activation step ends with a tip update, after its block event.
  const kinds = recorder.heard.map((h) => h.kind);
  assert.deepEqual(kinds.slice(0, 6), ["connected", "tip", "connected", "tip", "connected", "tip"]);
  await handler.disconnect();
  await chain.reconsiderBlock(chain.lookupBlockIndex(blocks[13].hash)!);
  await service.waitForNotifications();
  assert.equal(recorder.heard.filter((h) => h.kind === "connected").length, 3);
});

Deno.test("a wallet that never answers does not hold up validation", async () => {
  await using fixture = await setUp(5);
  const { chain, service, hub, blocks } = fixture;
  let calls = 0;
  const stuck: ChainNotifications = {
    transactionAddedToMempool: () => new Promise(() => {}),
    transactionRemovedFromMempool: () => new Promise(() => {}),
    blockConnected: () => {
      calls++;
      return new Promise(() => {});
    },
    blockDisconnected: () => new Promise(() => {}),
    updatedBlockTip: () => new Promise(() => {}),
  };
  const handler = await service.handleNotifications(stuck);
  await feedBlocks(chain, blocks, 6, 40);
  assert.equal(chain.height, 39);
  assert.equal(calls, 1, "one delivery in flight, the rest queued");
  await handler.disconnect();
  assert.equal(hub.subscriberCount, 0);
  await service.waitForNotifications();
});

Deno.test("syncing waits for a slow wallet's queue", async () => {
  await using fixture = await setUp(5);
  const { chain, service, blocks } = fixture;
  const heard: number[] = [];
  const slow: ChainNotifications = {
    transactionAddedToMempool: () => Promise.resolve(),
    transactionRemovedFromMempool: () => Promise.resolve(),
    blockConnected: async (_block, info) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      heard.push(info.height);
    },
    blockDisconnected: () => Promise.resolve(),
    updatedBlockTip: () => Promise.resolve(),
  };
  const handler = await service.handleNotifications(slow);
  await feedBlocks(chain, blocks, 6, 16);
  await service.waitForNotifications();
  assert.deepEqual(heard, [6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
  await handler.disconnect();
});

/**
 * A service whose mempool holds, in arrival order: `parent` (final) → `child` (final), and
 * `signalling` (BIP125) → `heir` (final); the ancestor limit is 2.
 */
async function withMempool() {
  const op = await opTrueChain(110, {
    requireStandard: false,
    limits: { ...DEFAULT_MEMPOOL_OPTIONS.limits, ancestorCount: 2 },
  });
  const access = mempoolAccess({ mempool: op.mempool, view: op.chain, now: op.now });
  const parent = spendCoins([op.coins[0]], { sequence: 0xffffffff });
  const child = spendCoins(parent.coins, { sequence: 0xffffffff });
  const signalling = spendCoins([op.coins[1]], { sequence: 0xfffffffd });
  const heir = spendCoins(signalling.coins, { sequence: 0xffffffff });
  const grandchild = spendCoins(child.coins, { sequence: 0xffffffff });
  for (const { tx } of [parent, child, signalling, heir]) {
    assert.deepEqual(access.broadcast(tx, 0n, false), { ok: true });
  }
  return { access, parent, child, signalling, heir, grandchild, unrelated: op.coins[2] };
}

Deno.test("the node's Chain answers mempool ancestry, replaceability and chain limits, locally and over IPC", async () => {
  await using fixture = await setUp(1);
  const pool = await withMempool();
  const service = new ChainService({
    chain: fixture.chain,
    hub: fixture.hub,
    now: () => 1_795_500_123,
    logger: NULL_LOGGER,
    mempool: () => pool.access,
  });
  using remote = overIpc(service);
  const outside = spendCoins([pool.unrelated]).tx;
  for (const view of [service, remote.proxy] as Chain[]) {
    assert.deepEqual(
      await view.rbfStates([
        pool.parent.tx.txid,
        pool.child.tx.txid,
        pool.heir.tx.txid,
        outside.txid,
      ]),
      ["final", "final", "replaceable", "unknown"],
    );
    const [parent, child, missing] = await view.getTransactionAncestry([
      pool.parent.tx.txid,
      pool.child.tx.txid,
      outside.txid,
    ]);
    assert.equal(parent.ancestors, 1);
    assert.equal(parent.descendants, 2);
    assert.equal(child.ancestors, 2);
    assert.equal(child.descendants, 2, "counted from the parentless ancestor");
    assert.equal(child.ancestorSize, pool.parent.tx.virtualSize + pool.child.tx.virtualSize);
    assert.equal(child.ancestorFees, 2000n);
    assert.deepEqual(missing, { ancestors: 0, descendants: 0, ancestorSize: 0, ancestorFees: 0n });
    assert.deepEqual(await view.getPackageLimits(), {
      ancestorCount: 2,
      descendantCount: DEFAULT_MEMPOOL_OPTIONS.limits.descendantCount,
    });
    assert.deepEqual(await view.checkChainLimits(outside.toBytes()), { ok: true });
    assert.deepEqual(await view.checkChainLimits(pool.grandchild.tx.toBytes()), {
      ok: false,
      error: "possibly too many unconfirmed ancestors [limit: 2]",
    });
  }
});

Deno.test("requestMempoolTransactions hands a wallet every mempool transaction, parents first, locally and over IPC", async () => {
  await using fixture = await setUp(1);
  const pool = await withMempool();
  const service = new ChainService({
    chain: fixture.chain,
    hub: fixture.hub,
    now: () => 1_795_500_123,
    logger: NULL_LOGGER,
    mempool: () => pool.access,
  });
  using remote = overIpc(service);
  for (const view of [service, remote.proxy] as Chain[]) {
    const heard: string[] = [];
    const recorder: ChainNotifications = {
      transactionAddedToMempool: (tx) => Promise.resolve(void heard.push(bytesToHex(tx))),
      transactionRemovedFromMempool: () => Promise.resolve(),
      blockConnected: () => Promise.resolve(),
      blockDisconnected: () => Promise.resolve(),
      updatedBlockTip: () => Promise.resolve(),
    };
    await view.requestMempoolTransactions(recorder);
    assert.equal(heard.length, 4);
    const position = (tx: { toBytes(): Uint8Array }) => heard.indexOf(bytesToHex(tx.toBytes()));
    assert.ok(position(pool.parent.tx) >= 0 && position(pool.parent.tx) < position(pool.child.tx));
    assert.ok(
      position(pool.signalling.tx) >= 0 && position(pool.signalling.tx) < position(pool.heir.tx),
    );
  }
  const none: string[] = [];
  const withoutMempool = new ChainService({
    chain: fixture.chain,
    hub: fixture.hub,
    now: () => 0,
    logger: NULL_LOGGER,
  });
  await withoutMempool.requestMempoolTransactions({
    transactionAddedToMempool: () => Promise.resolve(void none.push("tx")),
    transactionRemovedFromMempool: () => Promise.resolve(),
    blockConnected: () => Promise.resolve(),
    blockDisconnected: () => Promise.resolve(),
    updatedBlockTip: () => Promise.resolve(),
  });
  assert.deepEqual(none, []);
  assert.deepEqual(await withoutMempool.rbfStates([pool.parent.tx.txid]), ["unknown"]);
  assert.deepEqual(await withoutMempool.checkChainLimits(pool.grandchild.tx.toBytes()), {
    ok: true,
  });
});

Deno.test("walletNotify runs the node's own -walletnotify command for a wallet over IPC", async () => {
  await using fixture = await setUp(2);
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/notified`;
    const service = new ChainService({
      chain: fixture.chain,
      hub: fixture.hub,
      now: () => 1_795_500_123,
      logger: NULL_LOGGER,
      walletNotify: `echo %w %s %b %h >> ${file}`,
    });
    using remote = overIpc(service);
    const event = {
      txid: "ab".repeat(32),
      walletName: "w",
      blockHash: "unconfirmed",
      blockHeight: -1,
    };
    await remote.proxy.walletNotify(event);
    let text = "";
    for (let i = 0; i < 200 && text === ""; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      text = await Deno.readTextFile(file).catch(() => "");
    }
    assert.equal(text, `w ${"ab".repeat(32)} unconfirmed -1\n`);
    // Without -walletnotify nothing runs.
    await fixture.service.walletNotify(event);
    assert.equal(await remote.proxy.mempoolMinFee(), 0n);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
