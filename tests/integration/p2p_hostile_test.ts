/**
 * Hostile peers against a live node over loopback: garbage streams, mutated and random
 * messages of every type, and protocol violations. The node drops or ignores them as
 * freicoind does, never crashes, and keeps serving an honest peer and RPC.
 */
import assert from "node:assert/strict";
import { regtestChain } from "../../roles/node/chain/_test_support.ts";
import { ALL_NET_MESSAGE_TYPES, encodeFrame, encodePayload } from "../../roles/node/net/mod.ts";
import { selectParams } from "../../kernel/chain/mod.ts";
import { waitFor } from "../support/program.ts";
import { TestNode, TestPeer } from "./p2p_harness.ts";

const MAGIC = selectParams("regtest").messageStart;

function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32;
}

Deno.test({
  name: "hostile peers are dropped or ignored; the node keeps serving its honest peer and RPC",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const { blocks } = regtestChain();
    const root = await Deno.makeTempDir({ prefix: "p2p_hostile_" });
    const node = new TestNode(root);
    try {
      // v1 framing errors are what this test provokes; with v2 on, a bad first packet is v2 garbage.
      await node.start(["-uacomment=testnode0", "-v2transport=0"]);
      await using honest = await TestPeer.connect(node.port);
      await honest.handshake();

      // A wrong magic ends the connection.
      {
        await using peer = await TestPeer.connect(node.port);
        await peer.writeBytes(encodeFrame(new Uint8Array([1, 2, 3, 4]), "ping", new Uint8Array(8)));
        await waitFor(() => peer.closed, 10_000, "disconnect on a wrong magic");
      }
      // A length above the 4 MB limit ends the connection.
      {
        await using peer = await TestPeer.connect(node.port);
        const header = encodeFrame(MAGIC, "block", new Uint8Array()).slice(0, 24);
        new DataView(header.buffer).setUint32(16, 4_000_001, true);
        await peer.writeBytes(header);
        await waitFor(() => peer.closed, 10_000, "disconnect on an oversized message");
      }
      // A bad checksum is dropped and counted under *other*; the connection stays.
      {
        await using peer = await TestPeer.connect(node.port);
        await peer.handshake();
        const frame = encodeFrame(MAGIC, "ping", new Uint8Array(8));
        frame[21] ^= 0xff;
        await peer.writeBytes(frame);
        await peer.syncWithPing(77n);
        const info = await node.rpc("getpeerinfo") as Record<string, unknown>[];
        const counted = info.some((p) =>
          (p.bytesrecv_per_msg as Record<string, number>)["*other*"] === 32
        );
        assert.ok(counted, "a 32-byte rejected message counted under *other*");
      }
      // Bloom filter requests are refused with a disconnect (NODE_BLOOM is off).
      {
        await using peer = await TestPeer.connect(node.port);
        await peer.handshake();
        await peer.send({ type: "mempool" });
        await waitFor(() => peer.closed, 10_000, "disconnect on mempool without NODE_BLOOM");
      }

      // Fuzz: every message type, mutated or random, from peers before and after the handshake.
      const random = lcg(20261124);
      const samples = [
        encodePayload({ type: "headers", headers: blocks.slice(1, 3).map((b) => b.header) }),
        blocks[5].toBytes(),
        blocks[120].transactions[0].toBytes(),
        encodePayload({ type: "inv", inventory: [{ type: 2, hash: blocks[3].hash }] }),
      ];
      for (let round = 0; round < 6; round++) {
        await using peer = await TestPeer.connect(node.port);
        if (round % 2 === 1) await peer.handshake();
        for (let i = 0; i < 60 && !peer.closed; i++) {
          const type = ALL_NET_MESSAGE_TYPES[Math.floor(random() * ALL_NET_MESSAGE_TYPES.length)];
          let payload: Uint8Array;
          if (random() < 0.5) {
            payload = samples[Math.floor(random() * samples.length)].slice();
            for (let k = 0; k < 3; k++) {
              payload[Math.floor(random() * payload.length)] = random() * 256;
            }
            payload = payload.subarray(0, Math.floor(random() * payload.length) + 1);
          } else {
            payload = new Uint8Array(Math.floor(random() * 300)).map(() => random() * 256);
          }
          if (type === "mempool" || type.startsWith("filter") || type.startsWith("getcf")) continue;
          await peer.sendRaw(random() < 0.9 ? type : "junk\x01cmd", payload);
        }
        if (random() < 0.5) {
          await peer.writeBytes(new Uint8Array(100).map(() => random() * 256));
        }
      }

      // The node is alive, answers RPC, and still talks to the honest peer.
      assert.equal(await node.rpc("getblockcount"), 0);
      await honest.syncWithPing(4242n);
      assert.ok(!honest.closed);
      const peers = await node.rpc("getpeerinfo") as Record<string, unknown>[];
      assert.ok(peers.some((p) => p.subver === "/p2p-harness:0.1/"));
      // The honest peer can still hand over a block.
      honest.blockStore.set(blocks[1].hashHex, blocks[1].toBytes());
      await honest.send({ type: "headers", headers: [blocks[1].header] });
      await waitFor(async () => (await node.rpc("getblockcount")) === 1, 20_000, "block 1");
      const log = node.debugLog();
      assert.match(log, /Header error: Wrong MessageStart 01020304 received/);
      assert.match(log, /Header error: Size too large \(block, 4000001 bytes\)/);
      assert.match(log, /Header error: Wrong checksum \(ping, 8 bytes\)/);
      assert.match(log, /Exception '.*' \(DecodeError\) caught/);
    } finally {
      await node.stop();
      await Deno.remove(root, { recursive: true });
    }
  },
});
