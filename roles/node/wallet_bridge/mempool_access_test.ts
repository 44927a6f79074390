import assert from "node:assert/strict";
import { NULL_LOGGER } from "../../../cli/logger.ts";
import type { ChainNotifications } from "../../../schemas/mod.ts";
import { opTrueChain, spendCoins } from "../mempool/_test_support.ts";
import { ChainNotificationHub } from "./chain_notification_hub.ts";
import { MAX_FEE_EXCEEDED, mempoolAccess } from "./mempool_access.ts";

Deno.test("broadcasting adds to the mempool once, refuses a fee above the maximum and reports rejections", async () => {
  const { chain, mempool, now, coins } = await opTrueChain(110, { requireStandard: false });
  const access = mempoolAccess({ mempool, view: chain, now });
  const { tx } = spendCoins([coins[0]], { fee: 50_000n });
  // 50,000 kria on ~100 vbytes is far above 1,000 kria/kvB.
  assert.deepEqual(access.broadcast(tx, 1000n, true), {
    ok: false,
    error: MAX_FEE_EXCEEDED,
    code: -25,
  });
  assert.equal(mempool.has(tx.txidHex), false);
  assert.deepEqual(access.broadcast(tx, 0n, true), { ok: true });
  assert.equal(mempool.has(tx.txidHex), true);
  assert.deepEqual(access.broadcast(tx, 0n, true), { ok: true }, "already there: relayed again");
  const spent = spendCoins([coins[1]], { fee: 0n });
  const result = await access.broadcast(spent.tx, 0n, false);
  assert.ok(!result.ok);
  assert.equal(result.code, -26);
  assert.match(result.error, /fee/);
});

Deno.test("mempool additions and replacements reach subscribers; mined ones only as blocks", async () => {
  const { chain, mempool, now, coins } = await opTrueChain(110, { requireStandard: false });
  const hub = new ChainNotificationHub({
    subscribeChain: () => ({ disconnect() {}, [Symbol.dispose]() {} }),
    subscribeMempool: (listener) => mempool.subscribe(listener),
    blockInfo: () => {
      throw new Error("unused");
    },
  }, NULL_LOGGER);
  const heard: string[] = [];
  const recorder: ChainNotifications = {
    transactionAddedToMempool: (tx) => Promise.resolve(void heard.push(`added ${tx.length}`)),
    transactionRemovedFromMempool: (_tx, reason) => Promise.resolve(void heard.push(reason)),
    blockConnected: () => Promise.resolve(),
    blockDisconnected: () => Promise.resolve(),
    updatedBlockTip: () => Promise.resolve(),
  };
  using _subscription = hub.subscribe(recorder, "test");
  const access = mempoolAccess({ mempool, view: chain, now });
  const first = spendCoins([coins[0]], { fee: 1000n });
  const replacement = spendCoins([coins[0]], { fee: 5000n });
  assert.deepEqual(access.broadcast(first.tx, 0n, true), { ok: true });
  assert.deepEqual(access.broadcast(replacement.tx, 0n, true), { ok: true });
  await hub.waitForAll();
  assert.deepEqual(heard, [
    `added ${first.tx.totalSize}`,
    "replaced",
    `added ${replacement.tx.totalSize}`,
  ]);
  mempool.removeForBlock([replacement.tx], now());
  await hub.waitForAll();
  assert.equal(heard.length, 3, "a transaction mined in a block is not reported as removed");
  hub.close();
});
