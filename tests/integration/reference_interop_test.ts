/**
 * Interoperability with the C++ reference freicoind v27.1.1 on regtest, over loopback: our node
 * and the reference sync headers and blocks from each other (a 210-block chain with block-final
 * transactions, segwit spends and witness commitments), relay wallet transactions both ways,
 * announce new blocks as compact blocks, follow a reorg in each direction, and keep their
 * connections up over v1 and v2 (BIP324) transport, in both connection directions, with no
 * misbehaviour in either debug.log; and peers.dat written by one is read by the other.
 *
 * Needs a reference binary: `FREICOIN_REFERENCE_BIN=/path/to/freicoind`, or a build at
 * /work/ref-build/src/freicoind. Without one the test is ignored (CI has none).
 */
import assert from "node:assert/strict";
import { waitFor } from "../support/program.ts";
import { referenceBinary, ReferenceNode } from "../bench/p2p_reference_node.ts";
import { TestNode } from "./p2p_harness.ts";

const REFERENCE = referenceBinary();

interface PeerInfo {
  addr: string;
  inbound: boolean;
  transport_protocol_type: string;
  bip152_hb_from: boolean;
  bip152_hb_to: boolean;
}

interface ChainTip {
  height: number;
  hash: string;
  status: string;
}

/** Either side: our TestNode or the ReferenceNode. */
interface Rpc {
  rpc(method: string, ...params: unknown[]): Promise<unknown>;
}

async function tip(node: Rpc): Promise<string> {
  return await node.rpc("getbestblockhash") as string;
}

async function waitForSameTip(a: Rpc, b: Rpc, what: string): Promise<string> {
  let hash = "";
  await waitFor(
    async () => {
      const [x, y] = await Promise.all([tip(a), tip(b)]);
      hash = x;
      return x === y;
    },
    60_000,
    what,
  );
  return hash;
}

async function waitForMempool(node: Rpc, txid: string, what: string): Promise<void> {
  await waitFor(
    async () => (await node.rpc("getrawmempool") as string[]).includes(txid),
    60_000,
    what,
  );
}

async function peers(node: Rpc): Promise<PeerInfo[]> {
  return await node.rpc("getpeerinfo") as PeerInfo[];
}

async function waitForPeerCount(node: Rpc, count: number, what: string): Promise<void> {
  await waitFor(async () => (await peers(node)).length === count, 30_000, what);
}

/** Lines of a debug.log that would mean the two implementations disagree. */
function trouble(log: string): string[] {
  return log.split("\n").filter((line) =>
    /Misbehaving|[Dd]iscouraging|banning|punish|invalid (header|block)|bad-|ERROR:|unknown message|Unknown command|non-continuous headers|unrequested/
      .test(line)
  );
}

Deno.test({
  name:
    "syncs, relays transactions and compact blocks, and follows reorgs with the reference freicoind",
  ignore: REFERENCE === undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async (t) => {
    const root = await Deno.makeTempDir({ prefix: "reference_interop_" });
    const reference = new ReferenceNode(REFERENCE!, `${root}/reference`);
    const ours = new TestNode(`${root}/ours`);
    Deno.mkdirSync(ours.datadir);
    try {
      await Promise.all([
        reference.start(["-debug=net", "-debug=cmpctblock", "-fallbackfee=0.0002"]),
        ours.start(["-fallbackfee=0.0002"]),
      ]);
      await reference.rpc("createwallet", "reference");
      await ours.rpc("createwallet", "ours");
      const referenceAddress = await reference.rpc("getnewaddress") as string;
      const ourAddress = await ours.rpc("getnewaddress") as string;

      await t.step("our node syncs 210 reference blocks over v2 (ours outbound)", async () => {
        await reference.rpc("generatetoaddress", 210, referenceAddress);
        await ours.rpc("addnode", `127.0.0.1:${reference.port}`, "onetry");
        const hash = await waitForSameTip(ours, reference, "our node to sync the reference chain");
        assert.equal(await ours.rpc("getblockcount"), 210);
        assert.equal(hash, await reference.rpc("getblockhash", 210));
        const [peer] = await peers(ours);
        assert.equal(peer.transport_protocol_type, "v2");
        assert.equal((await peers(reference))[0].transport_protocol_type, "v2");
      });

      await t.step("a reference wallet transaction reaches our mempool", async () => {
        const txid = await reference.rpc("sendtoaddress", ourAddress, 10) as string;
        await waitForMempool(ours, txid, "the reference's transaction in our mempool");
      });

      await t.step("a block we mine with a segwit spend is accepted by the reference", async () => {
        const [hash] = await ours.rpc("generatetoaddress", 1, ourAddress) as string[];
        await waitForSameTip(ours, reference, "the reference to accept our block");
        const block = await reference.rpc("getblock", hash, 2) as {
          tx: { vin: { txinwitness?: string[] }[] }[];
        };
        assert.ok(block.tx.some((tx) => tx.vin.some((input) => input.txinwitness)));
        assert.deepEqual(await reference.rpc("getrawmempool"), []);
      });

      await t.step("our wallet's transaction reaches the reference's mempool", async () => {
        const txid = await ours.rpc("sendtoaddress", referenceAddress, 3) as string;
        await waitForMempool(reference, txid, "our transaction in the reference's mempool");
        const [hash] = await reference.rpc("generatetoaddress", 1, referenceAddress) as string[];
        await waitFor(async () => await tip(ours) === hash, 60_000, "our node at the new tip");
        assert.deepEqual(await ours.rpc("getrawmempool"), []);
      });

      await t.step("new blocks travel as compact blocks in both directions", async () => {
        const hbPeers = await peers(reference);
        assert.ok(hbPeers[0].bip152_hb_from, "we asked the reference for high-bandwidth mode");
        await ours.rpc("generatetoaddress", 1, ourAddress);
        await waitForSameTip(ours, reference, "the reference to follow our block");
        await reference.rpc("generatetoaddress", 1, referenceAddress);
        await waitForSameTip(ours, reference, "our node to follow the reference's block");
        assert.match(reference.debugLog(), /received: cmpctblock \(\d+ bytes\) peer=/);
        assert.match(ours.debugLog(), /received: cmpctblock \(\d+ bytes\) peer=/);
        assert.match(reference.debugLog(), /sending cmpctblock \(\d+ bytes\) peer=/);
      });

      await t.step("the reference reorgs to our longer branch (v1, ours outbound)", async () => {
        await ours.rpc("disconnectnode", `127.0.0.1:${reference.port}`);
        await waitForPeerCount(ours, 0, "the disconnection");
        const base = await ours.rpc("getblockcount") as number;
        const ourBranch = await ours.rpc("generatetoaddress", 3, ourAddress) as string[];
        const theirBranch = await reference.rpc("generatetoaddress", 2, referenceAddress);
        assert.equal((theirBranch as string[]).length, 2);
        await ours.rpc("addnode", `127.0.0.1:${reference.port}`, "onetry", false);
        await waitFor(
          async () => await tip(reference) === ourBranch[2],
          60_000,
          "the reference to reorg",
        );
        const tips = await reference.rpc("getchaintips") as ChainTip[];
        assert.ok(tips.some((tip) => tip.status === "valid-fork" && tip.height === base + 2));
        assert.equal((await peers(ours))[0].transport_protocol_type, "v1");
      });

      await t.step(
        "our node reorgs to the reference's longer branch (v2, ours inbound)",
        async () => {
          await ours.rpc("disconnectnode", `127.0.0.1:${reference.port}`);
          await waitForPeerCount(ours, 0, "the disconnection");
          await waitForPeerCount(reference, 0, "the reference to see the disconnection");
          const base = await ours.rpc("getblockcount") as number;
          await ours.rpc("generatetoaddress", 1, ourAddress);
          const theirBranch = await reference.rpc(
            "generatetoaddress",
            3,
            referenceAddress,
          ) as string[];
          await reference.rpc("addnode", `127.0.0.1:${ours.port}`, "onetry", true);
          await waitFor(
            async () => await tip(ours) === theirBranch[2],
            60_000,
            "our node to reorg",
          );
          const tips = await ours.rpc("getchaintips") as ChainTip[];
          assert.ok(tips.some((tip) => tip.status === "valid-fork" && tip.height === base + 1));
          const [peer] = await peers(ours);
          assert.equal(peer.inbound, true);
          assert.equal(peer.transport_protocol_type, "v2");
        },
      );

      await t.step("a v1 reference connecting to us syncs the whole chain", async () => {
        const fresh = new ReferenceNode(REFERENCE!, `${root}/fresh`);
        try {
          await fresh.start(["-v2transport=0", "-debug=net"]);
          await fresh.rpc("addnode", `127.0.0.1:${ours.port}`, "onetry");
          await waitForSameTip(fresh, ours, "the fresh reference to sync from us");
          const [peer] = await peers(fresh);
          assert.equal(peer.transport_protocol_type, "v1");
          assert.deepEqual(trouble(fresh.debugLog()), []);
        } finally {
          await fresh.stop();
        }
      });

      await t.step("connections stay up and neither log shows misbehaviour", async () => {
        // One more block and transaction over the surviving connection prove it still works.
        const txid = await reference.rpc("sendtoaddress", ourAddress, 1) as string;
        await waitForMempool(ours, txid, "a last transaction");
        assert.equal((await peers(reference)).length, 1);
        assert.equal((await peers(ours)).length, 1);
        assert.deepEqual(trouble(reference.debugLog()), []);
        assert.deepEqual(trouble(ours.debugLog()), []);
      });
    } finally {
      await Promise.all([reference.stop(), ours.stop()]);
      await Deno.remove(root, { recursive: true }).catch(() => {});
    }
  },
});

interface NodeAddress {
  address: string;
  port: number;
  services: number;
}

async function knownAddresses(node: Rpc): Promise<string[]> {
  const addresses = await node.rpc("getnodeaddresses", 0) as NodeAddress[];
  return addresses.map((a) => `${a.address}:${a.port}/${a.services}`).sort();
}

Deno.test({
  name: "peers.dat moves between the reference freicoind and our node in both directions",
  ignore: REFERENCE === undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const root = await Deno.makeTempDir({ prefix: "reference_peers_dat_" });
    const reference = new ReferenceNode(REFERENCE!, `${root}/reference`);
    const ours = new TestNode(`${root}/ours`);
    Deno.mkdirSync(`${ours.datadir}/regtest`, { recursive: true });
    try {
      await reference.start(["-checkaddrman=1"]);
      // Each address in its own /16 group: addresses of one group share a few new-table buckets,
      // and the reference's random bucket key can then put two in the same slot (success false).
      for (let i = 1; i <= 5; i++) {
        const added = await reference.rpc("addpeeraddress", `1.${i}.3.4`, 8639);
        assert.deepEqual(added, { success: true }, `addpeeraddress 1.${i}.3.4`);
      }
      await reference.rpc("addpeeraddress", "5.6.7.8", 8639, true);
      const written = await knownAddresses(reference);
      assert.equal(written.length, 6);
      await reference.stop();

      Deno.copyFileSync(
        `${reference.datadir}/regtest/peers.dat`,
        `${ours.datadir}/regtest/peers.dat`,
      );
      await ours.start([], { quiet: true });
      assert.deepEqual(await knownAddresses(ours), written);
      assert.match(ours.debugLog(), /Loaded 6 addresses from peers\.dat/);
      await ours.rpc("addpeeraddress", "9.8.7.6", 8639, true);
      await ours.rpc("addpeeraddress", "7.7.7.7", 8639);
      const ourAddresses = await knownAddresses(ours);
      assert.equal(ourAddresses.length, 8);
      await ours.stop();

      Deno.copyFileSync(
        `${ours.datadir}/regtest/peers.dat`,
        `${reference.datadir}/regtest/peers.dat`,
      );
      await reference.start(["-checkaddrman=1"]);
      assert.deepEqual(await knownAddresses(reference), ourAddresses);
      assert.match(reference.debugLog(), /Loaded 8 addresses from peers\.dat/);
      const info = await reference.rpc("getaddrmaninfo") as Record<string, { tried: number }>;
      assert.equal(info.all_networks.tried, 2);
    } finally {
      await Promise.all([reference.stop(), ours.stop()]);
      await Deno.remove(root, { recursive: true }).catch(() => {});
    }
  },
});
