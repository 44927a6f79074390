import assert from "node:assert/strict";
import { NULL_LOGGER } from "../../../cli/logger.ts";
import { selectParams } from "../../../kernel/chain/mod.ts";
import type { Transaction } from "../../../kernel/primitives/mod.ts";
import { feedBlocks, openTestChain, regtestChain, testSecp256k1 } from "../chain/_test_support.ts";
import type { ChainState } from "../chain/mod.ts";
import { Mempool } from "../mempool/mod.ts";
import { attachMempoolToChain, chainStateView } from "../mining/mod.ts";
import { BanList } from "./ban_list.ts";
import { ConnectionManager } from "./connection_manager.ts";
import { PeerManager } from "./peer_manager.ts";
import { mempoolRelayPool } from "./relay_pool.ts";

const NOW = 1_795_500_000;

interface InProcessNode {
  chain: ChainState;
  mempool: Mempool;
  connections: ConnectionManager;
  peers: PeerManager;
  port: number;
  close(): Promise<void>;
}

async function startNode(dir: string, height: number): Promise<InProcessNode> {
  const { blocks } = regtestChain();
  const chain = await openTestChain(dir);
  await feedBlocks(chain, blocks, 1, height + 1);
  const now = () => NOW;
  const view = chainStateView(chain, testSecp256k1(), now);
  const mempool = new Mempool();
  const subscription = attachMempoolToChain(mempool, chain, view, now);
  const banList = new BanList(undefined, NULL_LOGGER, now);
  const connections = new ConnectionManager({
    magic: selectParams("regtest").messageStart,
    defaultPort: 18444,
    log: NULL_LOGGER,
    now,
    nowMicros: () => Date.now() * 1000,
    peerTimeout: 60,
    maxConnections: 125,
    banList,
    // noban peers get transaction announcements at once instead of on the Poisson timer.
    permissionsFor: () => new Set(["noban", "download"]),
  });
  const peers = new PeerManager({
    chain,
    connections,
    banList,
    log: NULL_LOGGER,
    localServices: 1033n,
    userAgent: "/Satoshi:27.1.1/",
    now,
    nowMicros: () => Date.now() * 1000,
    randomU64: () => BigInt(Math.floor(Math.random() * 2 ** 52)) + 1n,
    blocksOnly: false,
    minRelayFeeRate: 1000n,
    relayPool: mempoolRelayPool(mempool, view, now),
  });
  connections.setEvents(peers);
  const port = connections.listen("127.0.0.1", 0).port;
  const timer = setInterval(() => void peers.tick(), 50);
  return {
    chain,
    mempool,
    connections,
    peers,
    port,
    async close() {
      clearInterval(timer);
      peers.close();
      await connections.close();
      subscription[Symbol.dispose]();
      await chain.close();
    },
  };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

Deno.test("a transaction accepted by one node is announced by wtxid, fetched and accepted by its peer", async () => {
  const root = await Deno.makeTempDir({ prefix: "tx_relay_" });
  const a = await startNode(`${root}/a`, 152);
  const b = await startNode(`${root}/b`, 152);
  try {
    const peer = await b.connections.connect(`127.0.0.1:${a.port}`, "outbound-full-relay");
    assert.ok(peer);
    await until(
      () =>
        [...a.peers.peers.values(), ...b.peers.peers.values()].every((p) =>
          p.successfullyConnected
        ) &&
        a.peers.peers.size === 1,
      "the handshake",
    );
    assert.ok([...a.peers.peers.values()][0].wtxidRelay);
    // Block 153's two payments: a parent and the child spending it.
    const { blocks } = regtestChain();
    const txs: Transaction[] = blocks[153].transactions.slice(1, -1);
    assert.equal(txs.length, 2);
    const pool = mempoolRelayPool(
      a.mempool,
      chainStateView(a.chain, testSecp256k1(), () => NOW),
      () => NOW,
    );
    for (const tx of txs) assert.deepEqual(pool.accept(tx), { ok: true });
    await until(() => b.mempool.size === 2, "B's mempool to receive both transactions");
    for (const tx of txs) assert.ok(b.mempool.get(tx.txidHex));
    const bSeesA = [...b.peers.peers.values()][0];
    assert.ok(bSeesA.lastTxTime > 0);
    assert.equal(
      b.connections.peers.get(peer.id)?.receivedPerMessage.get("tx") !== undefined,
      true,
    );
  } finally {
    await b.close();
    await a.close();
    await Deno.remove(root, { recursive: true });
  }
});
