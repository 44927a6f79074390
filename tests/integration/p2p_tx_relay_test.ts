/**
 * The node's mempool is wired to its P2P layer: a transaction sent over RPC is announced to a
 * peer, and a transaction a peer sends enters the mempool.
 */
import assert from "node:assert/strict";
import { bytesToHex, hexToBytes } from "../../kernel/encoding/mod.ts";
import { decodeBlock, OutPoint } from "../../kernel/primitives/mod.ts";
import { InvType } from "../../roles/node/net/mod.ts";
import { spendCoins } from "../../roles/node/mempool/_test_support.ts";
import { waitFor } from "../support/program.ts";
import { TestNode, TestPeer } from "./p2p_harness.ts";

/** The framework's MiniWallet address (P2WSH of OP_TRUE). */
const OP_TRUE_ADDRESS = "fcrt1qpfumrmcfcusnnjk4k6gfdpdh4940m0jlxh92kxnl6p403cvrfatsl6549x";

function isInvFor(hashHex: string, type: number) {
  return (m: { type: string; inventory?: readonly { type: number; hash: Uint8Array }[] }) =>
    m.type === "inv" &&
    (m.inventory ?? []).some((inv) =>
      inv.type === type && bytesToHex(inv.hash.slice().reverse()) === hashHex
    );
}

Deno.test({
  name: "a transaction sent over RPC is announced to peers, and one from a peer enters the mempool",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "p2p_tx_relay_test_" });
    try {
      await using node = new TestNode(dir);
      await node.start(["-persistmempool=0"]);
      await node.rpc("generatetoaddress", 102, OP_TRUE_ADDRESS);
      const coinOf = async (height: number) => {
        const hash = await node.rpc("getblockhash", height);
        const block = decodeBlock(hexToBytes(await node.rpc("getblock", hash, 0) as string));
        const coinbase = block.transactions[0];
        const n = coinbase.outputs.length - 1;
        return {
          outpoint: new OutPoint(coinbase.txid, n),
          value: coinbase.outputs[n].value,
          refheight: coinbase.lockHeight,
        };
      };

      await using peer = await TestPeer.connect(node.port);
      await peer.handshake(102);
      // The node queues announcements for a peer only once it has processed the handshake and
      // set the peer's first trickle time (as freicoind does): the pong proves both.
      await peer.syncWithPing();

      // Ours, over RPC: announced by wtxid (the peer sent wtxidrelay).
      const ours = spendCoins([await coinOf(1)]).tx;
      assert.equal(await node.rpc("sendrawtransaction", bytesToHex(ours.toBytes())), ours.txidHex);
      await peer.waitFor(isInvFor(ours.wtxidHex, InvType.MSG_WTX), 60_000);

      // Theirs, over P2P: accepted into the pool.
      const theirs = spendCoins([await coinOf(2)]).tx;
      await peer.send({ type: "tx", tx: theirs });
      await waitFor(
        async () => (await node.rpc("getrawmempool") as string[]).includes(theirs.txidHex),
        20_000,
        "the peer's transaction in the mempool",
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
