/**
 * getBalance keeps its result between calls: every event that changes a balance (a payment in
 * the mempool, a confirmation, a disconnected block, a new tip's demurrage) must show on the
 * next call, through the wallet loader with an in-memory chain.
 */
import assert from "node:assert/strict";
import { NULL_LOGGER } from "../../cli/logger.ts";
import { timeAdjustValue } from "../../kernel/amount/mod.ts";
import { FakeChain } from "./_test_fake_chain.ts";
import { ok, scriptOf } from "./_test_rpc.ts";
import { createWalletLoader } from "./wallet_loader.ts";

const COIN = 100_000_000n;

function frc(kria: bigint): number {
  return Number(kria) / 1e8;
}

interface Mine {
  trusted: number;
  untrusted_pending: number;
  immature: number;
}

Deno.test("repeated getbalance calls follow a send, a confirmation, a disconnect and the tip's demurrage", async () => {
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
    const alice = await ok(loader, "getnewaddress", [], "alice") as string;
    chain.mineBlock(scriptOf(alice)); // height 2
    chain.mineBlocks(100, Uint8Array.of(0x51)); // tip 102
    await chain.waitForNotifications();
    const mature = frc(timeAdjustValue(50n * COIN, 101));
    assert.equal(await ok(loader, "getbalance", [], "alice"), mature);
    assert.equal(await ok(loader, "getbalance", [], "alice"), mature, "the kept figure");

    // A new tip: the same coin is worth less at the next block.
    chain.mineBlock(Uint8Array.of(0x51)); // tip 103
    await chain.waitForNotifications();
    assert.equal(
      await ok(loader, "getbalance", [], "alice"),
      frc(timeAdjustValue(50n * COIN, 102)),
    );

    // A payment in the mempool: bob's pending, alice's change.
    const bob = await ok(loader, "getnewaddress", [], "bob") as string;
    const bobBefore = await ok(loader, "getbalances", [], "bob") as { mine: Mine };
    assert.equal(bobBefore.mine.untrusted_pending, 0);
    await ok(loader, "sendtoaddress", [bob, 1.5], "alice");
    const aliceAfter = await ok(loader, "getbalance", [], "alice") as number;
    assert.ok(aliceAfter < frc(timeAdjustValue(50n * COIN, 102)) - 1.5);
    let bobNow = await ok(loader, "getbalances", [], "bob") as { mine: Mine };
    assert.equal(bobNow.mine.untrusted_pending, 1.5);
    assert.equal(await ok(loader, "getbalance", [], "bob"), 0);

    // Confirmed: trusted, at the next block's value.
    chain.mineBlock(Uint8Array.of(0x51), [...chain.mempool.values()]); // tip 104
    await chain.waitForNotifications();
    bobNow = await ok(loader, "getbalances", [], "bob") as { mine: Mine };
    assert.equal(bobNow.mine.untrusted_pending, 0);
    assert.equal(bobNow.mine.trusted, frc(timeAdjustValue(150_000_000n, 1)));
    assert.equal(await ok(loader, "getbalance", ["*", 2], "bob"), 0, "one confirmation only");

    // The block goes away: the payment leaves bob's trusted balance again.
    chain.disconnectTip();
    await chain.waitForNotifications();
    bobNow = await ok(loader, "getbalances", [], "bob") as { mine: Mine };
    assert.equal(bobNow.mine.trusted, 0);
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
