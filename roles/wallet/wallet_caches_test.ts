/**
 * The wallet keeps which outputs are ours and each transaction's debit between calls; a
 * script that joins the wallet later (an import) must still turn an output already looked at
 * into ours, and the figures must match a freshly loaded wallet's.
 */
import assert from "node:assert/strict";
import { NULL_LOGGER } from "../../cli/logger.ts";
import { FakeChain } from "./_test_fake_chain.ts";
import { ok, scriptOf } from "./_test_rpc.ts";
import { createWalletLoader } from "./wallet_loader.ts";

interface Unspent {
  txid: string;
  vout: number;
  address: string;
}

interface WalletTransaction {
  amount: number;
  fee?: number;
}

Deno.test("an output looked at before its script was imported counts as ours afterwards", async () => {
  const dir = await Deno.makeTempDir();
  const chain = new FakeChain();
  chain.mineBlock(Uint8Array.of(0x51));
  const loader = createWalletLoader({
    chain,
    walletDir: dir,
    network: "regtest",
    logger: NULL_LOGGER,
    settings: { keypool: 5, fallbackFee: 20_000n },
    clock: () => chain.time * 1000,
  });
  try {
    await ok(loader, "createwallet", ["alice"]);
    await ok(loader, "createwallet", ["bob"]);
    chain.mineBlock(scriptOf(await ok(loader, "getnewaddress", [], "alice") as string));
    chain.mineBlocks(100, Uint8Array.of(0x51));
    await chain.waitForNotifications();

    const bobAddress = await ok(loader, "getnewaddress", [], "bob") as string;
    const txid = await ok(loader, "sendtoaddress", [bobAddress, 1], "alice") as string;
    chain.mineBlock(Uint8Array.of(0x51), [...chain.mempool.values()]);
    chain.mempool.clear();
    await chain.waitForNotifications();

    // Looked at (and kept) while bob's output is not alice's.
    const before = await ok(loader, "listunspent", [], "alice") as Unspent[];
    assert.ok(before.every((coin) => coin.address !== bobAddress));
    const balanceBefore = await ok(loader, "getbalance", [], "alice") as number;
    const sent = await ok(loader, "gettransaction", [txid], "alice") as WalletTransaction;
    assert.ok(sent.amount < 0, "a payment to someone else");

    // Bob's receiving descriptor joins alice's wallet, without a rescan.
    const { descriptors } = await ok(loader, "listdescriptors", [true], "bob") as {
      descriptors: { desc: string; internal: boolean }[];
    };
    const receive = descriptors.filter((d) => !d.internal).map((d) => ({
      desc: d.desc,
      timestamp: "now",
      range: [0, 10],
    }));
    await ok(loader, "importdescriptors", [receive], "alice");

    const after = await ok(loader, "listunspent", [], "alice") as Unspent[];
    const joined = after.filter((coin) => coin.address === bobAddress);
    assert.equal(joined.length, 1, "bob's output is alice's now");
    assert.equal(joined[0].txid, txid);
    const balanceAfter = await ok(loader, "getbalance", [], "alice") as number;
    assert.ok(balanceAfter > balanceBefore + 0.99, `${balanceAfter} vs ${balanceBefore}`);
    const selfPayment = await ok(loader, "gettransaction", [txid], "alice") as WalletTransaction;
    assert.ok(selfPayment.amount > sent.amount, "the payment now returns to the wallet");

    // The same figures from a wallet loaded afresh from disk.
    await ok(loader, "unloadwallet", ["alice"]);
    await ok(loader, "loadwallet", ["alice"]);
    assert.equal(await ok(loader, "getbalance", [], "alice"), balanceAfter);
    assert.deepEqual(
      ((await ok(loader, "listunspent", [], "alice")) as Unspent[]).map((c) => c.txid + c.vout)
        .sort(),
      after.map((c) => c.txid + c.vout).sort(),
    );
    assert.deepEqual(await ok(loader, "gettransaction", [txid], "alice"), selfPayment);
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
