/**
 * Block sync between real node processes on loopback: three nodes in a line (A ← B ← C by
 * -addnode) sync headers and blocks from a scripted peer, a reorg fed to the middle node
 * reaches both ends, and a node restarted after the reorg catches up.
 */
import assert from "node:assert/strict";
import type { ChainEntry } from "../../kernel/chain/mod.ts";
import { mineBranch, regtestChain } from "../../roles/node/chain/_test_support.ts";
import type { Block } from "../../kernel/primitives/mod.ts";
import { waitFor } from "../support/program.ts";
import { TestNode, TestPeer } from "./p2p_harness.ts";

/** Chain entries for the vector's blocks 0..count-1 (for mining a branch on them). */
function vectorEntries(blocks: readonly Block[], count: number): ChainEntry[] {
  const entries: ChainEntry[] = [];
  for (let i = 0; i < count; i++) {
    const header = blocks[i].header;
    entries.push({
      hash: header.hash,
      height: i,
      version: header.version,
      time: header.time,
      bits: header.bits,
      prev: entries[i - 1],
    });
  }
  return entries;
}

/** Announces `blocks` by headers and serves them when the node asks. */
async function feed(peer: TestPeer, blocks: readonly Block[]): Promise<void> {
  for (const block of blocks) peer.blockStore.set(block.hashHex, block.toBytes());
  await peer.send({ type: "headers", headers: blocks.map((b) => b.header) });
}

async function waitForTip(node: TestNode, hash: string, what: string): Promise<void> {
  await waitFor(async () => (await node.rpc("getbestblockhash")) === hash, 60_000, what);
}

Deno.test({
  name: "three nodes sync blocks both ways, follow a reorg, and a restarted node catches up",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const { blocks } = regtestChain();
    const root = await Deno.makeTempDir({ prefix: "p2p_sync_" });
    const nodeA = new TestNode(`${root}/a`);
    const nodeB = new TestNode(`${root}/b`);
    const nodeC = new TestNode(`${root}/c`);
    for (const dir of [nodeA.datadir, nodeB.datadir, nodeC.datadir]) Deno.mkdirSync(dir);
    try {
      await Promise.all([
        nodeA.start(["-uacomment=testnode0"]),
        nodeB.start(["-uacomment=testnode1", `-addnode=127.0.0.1:${nodeA.port}`]),
        nodeC.start(["-uacomment=testnode2", `-addnode=127.0.0.1:${nodeB.port}`]),
      ]);
      // The handshake completes and the connect_nodes conditions of the reference framework hold.
      await waitFor(
        async () => {
          const peers = await nodeB.rpc("getpeerinfo") as Record<string, unknown>[];
          return peers.length === 2 && peers.every((p) => {
            const recv = p.bytesrecv_per_msg as Record<string, number>;
            return p.version !== 0 && recv.verack >= 21 && recv.pong >= 29;
          });
        },
        90_000,
        "B's two peers to finish the handshake and answer a ping",
      );
      const peersOfB = await nodeB.rpc("getpeerinfo") as Record<string, unknown>[];
      assert.deepEqual(peersOfB.map((p) => p.subver).sort(), [
        "/Satoshi:27.1.1(testnode0)/",
        "/Satoshi:27.1.1(testnode2)/",
      ]);
      assert.deepEqual(peersOfB.map((p) => p.connection_type).sort(), ["inbound", "manual"]);
      // -v2transport is on by default: our nodes talk BIP324 to each other, same session id.
      assert.deepEqual(peersOfB.map((p) => p.transport_protocol_type), ["v2", "v2"]);
      const peersOfA = await nodeA.rpc("getpeerinfo") as Record<string, unknown>[];
      const bToA = peersOfB.find((p) => p.connection_type === "manual");
      assert.match(String(bToA?.session_id), /^[0-9a-f]{64}$/);
      assert.equal(peersOfA[0].session_id, bToA?.session_id);

      // A scripted peer gives A the first 40 blocks; they travel A → B → C.
      const tip40 = blocks[40].hashHex;
      {
        await using feeder = await TestPeer.connect(nodeA.port);
        await feeder.handshake();
        await feed(feeder, blocks.slice(1, 41));
        await waitForTip(nodeA, tip40, "A to reach height 40");
      }
      await waitForTip(nodeB, tip40, "B to sync from A");
      await waitForTip(nodeC, tip40, "C to sync from B");

      // C goes down; a longer branch from height 30 arrives at B and reorgs B, then A.
      await nodeC.stop();
      const entries = vectorEntries(blocks, 31);
      const branch = mineBranch(entries[30], 15, 7);
      const branchTip = branch[branch.length - 1].hashHex;
      {
        await using feeder = await TestPeer.connect(nodeB.port);
        await feeder.handshake();
        await feed(feeder, branch);
        await waitForTip(nodeB, branchTip, "B to reorg onto the branch");
      }
      await waitForTip(nodeA, branchTip, "A to follow B's reorg");
      assert.equal(await nodeA.rpc("getblockcount"), 45);

      // C restarts on its old chain, reconnects to B, and reorgs too.
      await nodeC.start(["-uacomment=testnode2", `-addnode=127.0.0.1:${nodeB.port}`]);
      await waitForTip(nodeC, branchTip, "the restarted C to catch up");

      // getblockfrompeer refuses unknown and already downloaded blocks with freicoind's errors.
      await assert.rejects(
        nodeA.rpc("getblockfrompeer", "11".repeat(32), 0),
        /Block header missing/,
      );
      await assert.rejects(nodeA.rpc("getblockfrompeer", branchTip, 0), /Block already downloaded/);

      const totals = await nodeA.rpc("getnettotals") as Record<string, number>;
      assert.ok(totals.totalbytesrecv > 0 && totals.totalbytessent > 0);
    } finally {
      await Promise.all([nodeA.stop(), nodeB.stop(), nodeC.stop()]);
      await Deno.remove(root, { recursive: true });
    }
  },
});
