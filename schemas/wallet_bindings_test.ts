import assert from "node:assert/strict";
import { RpcConnection } from "../ipc/rpc/connection.ts";
import { createMemoryStreamPair } from "../ipc/transport/memory_stream.ts";
import { type InterfaceBinding, release, retain } from "../ipc/rpc/interface.ts";
import type {
  BroadcastResult,
  Chain,
  ChainBlockInfo,
  ChainCoin,
  ChainLimitsResult,
  ChainNotifications,
  FeeEstimate,
  Handler,
  PackageLimits,
  RbfState,
  TxAncestry,
  WalletLoader,
  WalletNotifyEvent,
  WalletRpcCatalog,
} from "./chain_interfaces.ts";
import {
  CHAIN,
  hasStartupWalletSettings,
  type NodeChain,
  splitOutpoints,
  splitTxids,
  WALLET_LOADER,
} from "./wallet_bindings.ts";
import { type Echo, INIT, type Init, type Rpc } from "./mod.ts";

const bytes = (...values: number[]) => new Uint8Array(values);
const hash = (fill: number) => new Uint8Array(32).fill(fill);

function info(height: number): ChainBlockInfo {
  return {
    hash: hash(height),
    height,
    time: 1_700_000_000 + height,
    medianTimePast: 1_600_000_000,
  };
}

/** Records what a subscriber heard, in order. */
class RecordingNotifications implements ChainNotifications {
  readonly heard: unknown[][] = [];
  transactionAddedToMempool(tx: Uint8Array): Promise<void> {
    this.heard.push(["added", tx]);
    return Promise.resolve();
  }
  transactionRemovedFromMempool(tx: Uint8Array, reason: string): Promise<void> {
    this.heard.push(["removed", tx, reason]);
    return Promise.resolve();
  }
  blockConnected(block: Uint8Array, blockInfo: ChainBlockInfo): Promise<void> {
    this.heard.push(["connected", block, blockInfo]);
    return Promise.resolve();
  }
  blockDisconnected(block: Uint8Array, blockInfo: ChainBlockInfo): Promise<void> {
    this.heard.push(["disconnected", block, blockInfo]);
    return Promise.resolve();
  }
  updatedBlockTip(): Promise<void> {
    this.heard.push(["tip"]);
    return Promise.resolve();
  }
}

/** A Chain with fixed answers; handleNotifications replays one of each notification. */
class FixedChain implements NodeChain {
  readonly handlers: string[] = [];
  readonly logged: string[] = [];
  startup: string[] = ["w1", "é wallet"];
  getStartupWallets(): Promise<string[]> {
    return Promise.resolve([...this.startup]);
  }
  setStartupWallets(names: readonly string[]): Promise<void> {
    this.startup = [...names];
    return Promise.resolve();
  }
  getTip(): Promise<ChainBlockInfo> {
    return Promise.resolve(info(7));
  }
  getBlockInfo(height: number): Promise<ChainBlockInfo | null> {
    return Promise.resolve(height <= 7 ? info(height) : null);
  }
  getBlock(h: Uint8Array): Promise<{ block: Uint8Array; info: ChainBlockInfo } | null> {
    return Promise.resolve(h[0] === 3 ? { block: bytes(1, 2, 3, 0, 255), info: info(3) } : null);
  }
  isInActiveChain(h: Uint8Array): Promise<boolean> {
    return Promise.resolve(h[0] <= 7);
  }
  findFirstBlockWithTimeAndHeight(minTime: number, minHeight: number) {
    return Promise.resolve(minTime < 2_000_000_000 ? info(Math.max(minHeight, 1)) : null);
  }
  findCoins(outpoints: readonly Uint8Array[]): Promise<(ChainCoin | null)[]> {
    return Promise.resolve(outpoints.map((o) =>
      o[0] === 0 ? null : {
        value: 5_000_000_000n * BigInt(o[0]),
        scriptPubKey: bytes(0x00, 0x14, ...new Uint8Array(20).fill(o[0])),
        height: o[32],
        refheight: o[32] + 1,
        isCoinBase: o[0] % 2 === 1,
      }
    ));
  }
  isInMempool(txid: Uint8Array): Promise<boolean> {
    return Promise.resolve(txid[0] === 9);
  }
  broadcastTransaction(tx: Uint8Array, maxFee: bigint, relay: boolean): Promise<BroadcastResult> {
    if (tx.length === 0) {
      return Promise.resolve({ ok: false, error: "TX decode failed", code: -22 });
    }
    if (maxFee === 1n && !relay) return Promise.reject(new Error("refused: fee 1 without relay"));
    return Promise.resolve({ ok: true });
  }
  estimateSmartFee(blocks: number, conservative: boolean): Promise<FeeEstimate> {
    return Promise.resolve(
      conservative
        ? { feeRatePerKvB: null, blocks: blocks + 1, reason: "none" }
        : { feeRatePerKvB: 1234n, blocks: blocks + 1, reason: "double-estimate" },
    );
  }
  relayFees() {
    return Promise.resolve({ minRelay: 1000n, dust: 3000n, incremental: 1000n });
  }
  isInitialBlockDownload(): Promise<boolean> {
    return Promise.resolve(false);
  }
  now(): Promise<number> {
    return Promise.resolve(1_700_000_123);
  }
  async handleNotifications(notifications: ChainNotifications): Promise<Handler> {
    const kept = retain(notifications);
    await kept.transactionAddedToMempool(bytes(1, 2));
    await kept.transactionRemovedFromMempool(bytes(3), "conflict");
    await kept.blockConnected(bytes(4, 5), info(5));
    await kept.blockDisconnected(bytes(6), info(6));
    await kept.updatedBlockTip();
    const handlers = this.handlers;
    handlers.push("subscribed");
    return {
      disconnect() {
        handlers.push("disconnected");
        release(kept);
        return Promise.resolve();
      },
    };
  }
  waitForNotifications(): Promise<void> {
    return Promise.resolve();
  }
  logLine(line: string): Promise<void> {
    this.logged.push(line);
    return Promise.resolve();
  }
  async requestMempoolTransactions(notifications: ChainNotifications): Promise<void> {
    for (const tx of [bytes(1), bytes(2, 3), bytes()]) {
      await notifications.transactionAddedToMempool(tx);
    }
    release(notifications);
  }
  rbfStates(txids: readonly Uint8Array[]): Promise<RbfState[]> {
    const states: RbfState[] = ["unknown", "replaceable", "final"];
    return Promise.resolve(txids.map((txid) => states[txid[0] % 3]));
  }
  getTransactionAncestry(txids: readonly Uint8Array[]): Promise<TxAncestry[]> {
    return Promise.resolve(txids.map((txid) => ({
      ancestors: txid[0],
      descendants: txid[1],
      ancestorSize: txid[2] * 1000,
      ancestorFees: BigInt(txid[3]) * 10_000_000_000n,
    })));
  }
  getPackageLimits(): Promise<PackageLimits> {
    return Promise.resolve({ ancestorCount: 25, descendantCount: 26 });
  }
  checkChainLimits(tx: Uint8Array): Promise<ChainLimitsResult> {
    return Promise.resolve(
      tx.length > 2 ? { ok: false, error: "too many unconfirmed ancestors [limit: 25]" } : {
        ok: true,
      },
    );
  }
  /** The walletNotify events heard, in order. */
  readonly notified: WalletNotifyEvent[] = [];
  mempoolMinFee(): Promise<bigint> {
    return Promise.resolve(2500n);
  }
  walletNotify(event: WalletNotifyEvent): Promise<void> {
    this.notified.push(event);
    return Promise.resolve();
  }
}

class FixedLoader implements WalletLoader {
  readonly calls: unknown[][] = [];
  loadWalletsAtStartup(): Promise<void> {
    this.calls.push(["load"]);
    return Promise.resolve();
  }
  rpcCatalog(): Promise<WalletRpcCatalog> {
    return Promise.resolve({ methodsJson: '[{"name":"getwalletinfo","category":"wallet"}]' });
  }
  executeRpc(request: string, uri: string, user: string): Promise<string> {
    return Promise.resolve(JSON.stringify({ result: [request, uri, user], error: null, id: 1 }));
  }
  setMockTime(seconds: number): Promise<void> {
    this.calls.push(["mocktime", seconds]);
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    this.calls.push(["shutdown"]);
    return Promise.resolve();
  }
}

/** Serves `impl` as the bootstrap of one end of an in-memory pair; returns a proxy for it. */
function connect<T>(binding: InterfaceBinding<T>, impl: T) {
  const [a, b] = createMemoryStreamPair();
  const server = new RpcConnection(b, {
    bootstrap: { binding: binding as never, impl: impl as never },
  });
  const client = new RpcConnection(a);
  const proxy = client.bootstrap(binding) as T & Disposable;
  return {
    proxy,
    close() {
      proxy[Symbol.dispose]();
      client.close();
      server.close();
    },
  };
}

/** The calls both sides must answer alike. */
async function chainAnswers(chain: Chain): Promise<unknown[]> {
  const outpoint = (first: number, height: number) => {
    const o = new Uint8Array(36);
    o[0] = first;
    o[32] = height;
    return o;
  };
  const settle = (p: Promise<unknown>) =>
    p.then((v) => ({ ok: v }), (e: Error) => ({ error: e.message }));
  return [
    await chain.getTip(),
    await chain.getBlockInfo(2),
    await chain.getBlockInfo(8),
    await chain.getBlock(hash(3)),
    await chain.getBlock(hash(4)),
    await chain.isInActiveChain(hash(5)),
    await chain.isInActiveChain(hash(8)),
    await chain.findFirstBlockWithTimeAndHeight(1_700_000_000, 4),
    await chain.findFirstBlockWithTimeAndHeight(2_100_000_000, 4),
    await chain.findCoins([outpoint(1, 10), outpoint(0, 0), outpoint(2, 200)]),
    await chain.findCoins([]),
    await chain.isInMempool(hash(9)),
    await chain.isInMempool(hash(1)),
    await chain.broadcastTransaction(bytes(1), 0n, true),
    await chain.broadcastTransaction(bytes(), 10n, true),
    await settle(chain.broadcastTransaction(bytes(1), 1n, false)),
    await chain.estimateSmartFee(6, true),
    await chain.estimateSmartFee(2, false),
    await chain.relayFees(),
    await chain.isInitialBlockDownload(),
    await chain.now(),
    await chain.waitForNotifications(),
    await chain.logLine("wallet says hello"),
    await chain.rbfStates([hash(3), hash(4), hash(5)]),
    await chain.rbfStates([]),
    await chain.getTransactionAncestry([Uint8Array.of(1, 2, 3, 4, ...new Uint8Array(28)), hash(0)]),
    await chain.getPackageLimits(),
    await chain.checkChainLimits(bytes(1, 2)),
    await chain.checkChainLimits(bytes(1, 2, 3)),
    await chain.mempoolMinFee(),
    await chain.walletNotify({
      txid: "ab".repeat(32),
      walletName: "it's \u0001 odd",
      blockHash: "unconfirmed",
      blockHeight: -1,
    }),
    await chain.walletNotify({
      txid: "cd".repeat(32),
      walletName: "",
      blockHash: "ef".repeat(32),
      blockHeight: 120,
    }),
    ...(hasStartupWalletSettings(chain)
      ? [
        await chain.getStartupWallets(),
        await chain.setStartupWallets([]),
        await chain.getStartupWallets(),
        await chain.setStartupWallets(["a", "b"]),
        await chain.getStartupWallets(),
      ]
      : ["no settings"]),
  ];
}

Deno.test("Chain answers the same through a connection as the local object", async () => {
  const local = new FixedChain();
  const expected = await chainAnswers(local);
  const served = new FixedChain();
  const remote = connect<Chain>(CHAIN, served);
  try {
    assert.deepEqual(await chainAnswers(remote.proxy), expected);
    assert.equal(local.notified.length, 2);
    assert.deepEqual(served.notified, local.notified);
  } finally {
    remote.close();
  }
});

Deno.test("ChainNotifications arrive in order through a connection, and Handler disconnects", async () => {
  const expectedChain = new FixedChain();
  const localHeard = new RecordingNotifications();
  const localHandler = await expectedChain.handleNotifications(localHeard);
  await localHandler.disconnect();

  const served = new FixedChain();
  const remote = connect<Chain>(CHAIN, served);
  try {
    const heard = new RecordingNotifications();
    const handler = await remote.proxy.handleNotifications(heard);
    assert.deepEqual(heard.heard, localHeard.heard);
    await handler.disconnect();
    release(handler);
    assert.deepEqual(served.handlers, expectedChain.handlers);
  } finally {
    remote.close();
  }
});

Deno.test("requestMempoolTransactions delivers every transaction through a connection, in order", async () => {
  const localHeard = new RecordingNotifications();
  await new FixedChain().requestMempoolTransactions(localHeard);
  const remote = connect<Chain>(CHAIN, new FixedChain());
  try {
    const heard = new RecordingNotifications();
    await remote.proxy.requestMempoolTransactions(heard);
    assert.deepEqual(heard.heard, localHeard.heard);
    assert.equal(heard.heard.length, 3);
  } finally {
    remote.close();
  }
});

Deno.test("splitTxids rejects a ragged run and too many txids", () => {
  assert.deepEqual(splitTxids(new Uint8Array(64)).length, 2);
  assert.throws(() => splitTxids(new Uint8Array(33)), RangeError);
  assert.throws(() => splitTxids(new Uint8Array(32 * 100_001)), RangeError);
  for (let i = 0; i < 200; i++) {
    const length = Math.floor(Math.random() * 200);
    const packed = new Uint8Array(length);
    if (length % 32 === 0) assert.equal(splitTxids(packed).length, length / 32);
    else assert.throws(() => splitTxids(packed), RangeError);
  }
});

Deno.test("WalletLoader answers the same through a connection as the local object", async () => {
  const run = async (loader: WalletLoader) => [
    await loader.loadWalletsAtStartup(),
    await loader.rpcCatalog(),
    await loader.executeRpc('{"method":"getwalletinfo","params":[],"id":1}', "/wallet/w é", "u"),
    await loader.setMockTime(1_700_000_000),
    await loader.shutdown(),
  ];
  const local = new FixedLoader();
  const expected = await run(local);
  const served = new FixedLoader();
  const remote = connect<WalletLoader>(WALLET_LOADER, served);
  try {
    assert.deepEqual(await run(remote.proxy), expected);
    assert.deepEqual(served.calls, local.calls);
  } finally {
    remote.close();
  }
});

Deno.test("Init.makeWalletLoader hands a wallet process the node's Chain and returns its loader", async () => {
  const chain = new FixedChain();
  const wallet: Init = {
    makeEcho: () => Promise.reject(new Error("unused")) as Promise<Echo>,
    configure: () => Promise.resolve(),
    makeRpc: () => Promise.reject(new Error("unused")) as Promise<Rpc>,
    async makeWalletLoader(nodeChain: Chain): Promise<WalletLoader> {
      const tip = await nodeChain.getTip();
      const loader = new FixedLoader();
      loader.calls.push(["tip", tip.height]);
      return loader;
    },
  };
  const [a, b] = createMemoryStreamPair();
  const server = new RpcConnection(b, { bootstrap: { binding: INIT, impl: wallet } });
  const client = new RpcConnection(a);
  try {
    using init = client.bootstrap(INIT);
    const loader = await init.makeWalletLoader!(chain);
    assert.deepEqual(
      await loader.executeRpc("{}", "/", ""),
      '{"result":["{}","/",""],"error":null,"id":1}',
    );
    release(loader);
  } finally {
    client.close();
    server.close();
  }
});

Deno.test("Init.registerWallet carries the caller's Init back to it", async () => {
  let heardTip = -1;
  const walletInit: Init = {
    makeEcho: () => Promise.reject(new Error("unused")) as Promise<Echo>,
    configure: () => Promise.resolve(),
    makeRpc: () => Promise.reject(new Error("unused")) as Promise<Rpc>,
    async makeWalletLoader(nodeChain: Chain) {
      heardTip = (await nodeChain.getTip()).height;
      return new FixedLoader();
    },
  };
  const nodeInit: Init = {
    makeEcho: () => Promise.reject(new Error("unused")) as Promise<Echo>,
    configure: () => Promise.reject(new Error("not spawned")),
    makeRpc: () => Promise.reject(new Error("unused")) as Promise<Rpc>,
    async registerWallet(wallet: Init) {
      const loader = await wallet.makeWalletLoader!(new FixedChain());
      await loader.loadWalletsAtStartup();
      release(loader);
    },
  };
  const [a, b] = createMemoryStreamPair();
  const node = new RpcConnection(b, { bootstrap: { binding: INIT, impl: nodeInit } });
  const wallet = new RpcConnection(a);
  try {
    using init = wallet.bootstrap(INIT);
    await init.registerWallet!(walletInit);
    assert.equal(heardTip, 7);
  } finally {
    wallet.close();
    node.close();
  }
});

Deno.test("a missing wallet method on an Init is a rejected call, not a dead connection", async () => {
  const [a, b] = createMemoryStreamPair();
  const plain: Init = {
    makeEcho: () => Promise.reject(new Error("unused")) as Promise<Echo>,
    configure: () => Promise.resolve(),
    makeRpc: () => Promise.reject(new Error("no rpc")) as Promise<Rpc>,
  };
  const server = new RpcConnection(b, { bootstrap: { binding: INIT, impl: plain } });
  const client = new RpcConnection(a);
  try {
    using init = client.bootstrap(INIT);
    await assert.rejects(init.makeWalletLoader!(new FixedChain()), /not implemented/);
    await assert.rejects(init.makeRpc(), /no rpc/);
  } finally {
    client.close();
    server.close();
  }
});

Deno.test("findCoins outpoints: packed runs split, bad lengths are refused", () => {
  assert.deepEqual(splitOutpoints(new Uint8Array(0)), []);
  assert.equal(splitOutpoints(new Uint8Array(72)).length, 2);
  assert.throws(() => splitOutpoints(new Uint8Array(35)), RangeError);
  // Bounded fuzz: any length either splits exactly or is refused, never anything else.
  let seed = 12345;
  for (let i = 0; i < 500; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const length = seed % 2000;
    const data = new Uint8Array(length).fill(seed & 255);
    if (length % 36 === 0) {
      const parts = splitOutpoints(data);
      assert.equal(parts.length, length / 36);
      assert.ok(parts.every((p) => p.length === 36));
    } else {
      assert.throws(() => splitOutpoints(data), RangeError);
    }
  }
});

Deno.test("a remote findCoins with a short outpoint fails the call and keeps the connection", async () => {
  const remote = connect<Chain>(CHAIN, new FixedChain());
  try {
    await assert.rejects(remote.proxy.findCoins([new Uint8Array(35)]), RangeError);
    assert.equal((await remote.proxy.getTip()).height, 7);
  } finally {
    remote.close();
  }
});
