import assert from "node:assert/strict";
import { type AcceptResult, acceptToMemoryPool } from "./accept.ts";
import { submitPackage, testAcceptPackage } from "./accept_package.ts";
import { opTrueChain, spendCoins } from "./_test_support.ts";

/** A chain whose pool takes version-3 transactions (`-acceptnonstdtxn`). */
function v3Chain() {
  return opTrueChain(110, { requireStandard: false });
}

function reason(result: AcceptResult): string {
  return result.ok ? "accepted" : `${result.state.reason}, ${result.state.debugMessage}`;
}

Deno.test("v3 and non-v3 transactions may not spend each other in the mempool", async () => {
  const { chain, mempool, now, coins } = await v3Chain();
  const v3Parent = spendCoins([coins[0]], { version: 3 });
  const v2Parent = spendCoins([coins[1]], { version: 2 });
  for (const { tx } of [v3Parent, v2Parent]) {
    assert.ok(acceptToMemoryPool(mempool, chain, tx, { acceptTime: now() }).ok);
  }
  const v2Child = spendCoins(v3Parent.coins, { version: 2 });
  assert.equal(
    reason(acceptToMemoryPool(mempool, chain, v2Child.tx, { acceptTime: now() })),
    `v3-rule-violation, non-v3 tx ${v2Child.tx.txidHex} (wtxid=${v2Child.tx.wtxidHex}) cannot spend from v3 tx ${v3Parent.tx.txidHex} (wtxid=${v3Parent.tx.wtxidHex})`,
  );
  const v3Child = spendCoins(v2Parent.coins, { version: 3 });
  assert.equal(
    reason(acceptToMemoryPool(mempool, chain, v3Child.tx, { acceptTime: now() })),
    `v3-rule-violation, v3 tx ${v3Child.tx.txidHex} (wtxid=${v3Child.tx.wtxidHex}) cannot spend from non-v3 tx ${v2Parent.tx.txidHex} (wtxid=${v2Parent.tx.wtxidHex})`,
  );
});

Deno.test("a v3 transaction has at most one unconfirmed parent, child and no grandchild", async () => {
  const { chain, mempool, now, coins } = await v3Chain();
  const parent = spendCoins([coins[0]], { version: 3, outputs: 2 });
  assert.ok(acceptToMemoryPool(mempool, chain, parent.tx, { acceptTime: now() }).ok);
  const child = spendCoins([parent.coins[0]], { version: 3 });
  assert.ok(acceptToMemoryPool(mempool, chain, child.tx, { acceptTime: now() }).ok);

  const sibling = spendCoins([parent.coins[1]], { version: 3 });
  assert.equal(
    reason(acceptToMemoryPool(mempool, chain, sibling.tx, { acceptTime: now() })),
    `v3-rule-violation, tx ${parent.tx.txidHex} (wtxid=${parent.tx.wtxidHex}) would exceed descendant count limit`,
  );
  const grandchild = spendCoins(child.coins, { version: 3 });
  assert.equal(
    reason(acceptToMemoryPool(mempool, chain, grandchild.tx, { acceptTime: now() })),
    `v3-rule-violation, tx ${grandchild.tx.txidHex} (wtxid=${grandchild.tx.wtxidHex}) would have too many ancestors`,
  );
  // Replacing the only child frees its place.
  const replacement = spendCoins([parent.coins[0]], { version: 3, fee: 10_000n });
  assert.ok(acceptToMemoryPool(mempool, chain, replacement.tx, { acceptTime: now() }).ok);
  assert.ok(!mempool.has(child.tx.txidHex));
});

Deno.test("a v3 child is at most 1000 virtual bytes", async () => {
  const { chain, mempool, now, coins } = await v3Chain();
  const parent = spendCoins([coins[0]], { version: 3 });
  assert.ok(acceptToMemoryPool(mempool, chain, parent.tx, { acceptTime: now() }).ok);
  const heavy = spendCoins(parent.coins, { version: 3, outputs: 30, fee: 20_000n });
  assert.ok(heavy.tx.virtualSize > 1000);
  assert.equal(
    reason(acceptToMemoryPool(mempool, chain, heavy.tx, { acceptTime: now() })),
    `v3-rule-violation, v3 child tx ${heavy.tx.txidHex} (wtxid=${heavy.tx.wtxidHex}) is too big: ${heavy.tx.virtualSize} > 1000 virtual bytes`,
  );
});

Deno.test("a zero-fee v3 transaction waits for a package rather than failing for good", async () => {
  const { chain, mempool, now, coins } = await v3Chain();
  const parent = spendCoins([coins[0]], { version: 3, fee: 0n });
  const alone = acceptToMemoryPool(mempool, chain, parent.tx, { acceptTime: now() });
  assert.ok(!alone.ok && alone.state.category === "reconsiderable");
  assert.equal(reason(alone).split(",")[0], "min relay fee not met");
  // A child paying for both gets the pair in.
  const child = spendCoins(parent.coins, { version: 3, fee: 5000n });
  const outcome = submitPackage(mempool, chain, [parent.tx, child.tx], now());
  assert.equal(outcome.packageError, undefined);
  assert.ok(mempool.has(parent.tx.txidHex) && mempool.has(child.tx.txidHex));
});

Deno.test("package checks count parents in the package", async (t) => {
  const { chain, mempool, now, coins } = await v3Chain();
  const parentA = spendCoins([coins[0]], { version: 3 });
  const parentB = spendCoins([coins[1]], { version: 3 });
  await t.step("two parents", () => {
    const child = spendCoins([parentA.coins[0], parentB.coins[0]], { version: 3 });
    const result = testAcceptPackage(mempool, chain, [parentA.tx, parentB.tx, child.tx], now());
    assert.equal(
      result.packageError,
      `v3-violation, tx ${child.tx.txidHex} (wtxid=${child.tx.wtxidHex}) would have too many ancestors`,
    );
  });
  await t.step("a non-v3 child", () => {
    const child = spendCoins(parentA.coins, { version: 2 });
    const result = testAcceptPackage(mempool, chain, [parentA.tx, child.tx], now());
    assert.equal(
      result.packageError,
      `v3-violation, non-v3 tx ${child.tx.txidHex} (wtxid=${child.tx.wtxidHex}) cannot spend from v3 tx ${parentA.tx.txidHex} (wtxid=${parentA.tx.wtxidHex})`,
    );
  });
  await t.step("a chain of three", () => {
    const child = spendCoins(parentA.coins, { version: 3 });
    const grandchild = spendCoins(child.coins, { version: 3 });
    const result = testAcceptPackage(mempool, chain, [parentA.tx, child.tx, grandchild.tx], now());
    assert.equal(
      result.packageError,
      `v3-violation, tx ${grandchild.tx.txidHex} (wtxid=${grandchild.tx.wtxidHex}) would have too many ancestors`,
    );
  });
  await t.step("a well-formed pair passes", () => {
    const child = spendCoins(parentA.coins, { version: 3 });
    const result = testAcceptPackage(mempool, chain, [parentA.tx, child.tx], now());
    assert.equal(result.packageError, undefined);
    assert.equal(mempool.size, 0);
  });
});
