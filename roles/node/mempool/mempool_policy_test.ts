import assert from "node:assert/strict";
import { OutPoint } from "../../../kernel/primitives/mod.ts";
import { BlockAssembler } from "../mining/block_assembler.ts";
import { generateBlocks } from "../mining/generate_blocks.ts";
import { type AcceptResult, acceptToMemoryPool } from "./accept.ts";
import { opTrueChain, P2WSH_OP_TRUE, spendCoins } from "./_test_support.ts";

function reason(result: AcceptResult): string {
  return result.ok ? "accepted" : result.state.reason;
}

Deno.test("an anyone-can-spend P2WSH spend is standard and costs 100 vbytes", async () => {
  const { chain, mempool, now, coins } = await opTrueChain(101);
  const { tx } = spendCoins([coins[0]]);
  const result = acceptToMemoryPool(mempool, chain, tx, { acceptTime: now() });
  assert.ok(result.ok, reason(result));
  assert.equal(result.vsize, 100);
  assert.equal(result.fee, 1000n);
  assert.equal(result.effectiveFeeRate.perKvB, 10000n);
});

Deno.test("fee floor: min relay fee not met, with freicoind's debug text", async () => {
  const { chain, mempool, now, coins } = await opTrueChain(101);
  const result = acceptToMemoryPool(mempool, chain, spendCoins([coins[0]], { fee: 99n }).tx, {
    acceptTime: now(),
  });
  assert.ok(!result.ok);
  assert.equal(result.state.reason, "min relay fee not met");
  assert.equal(result.state.debugMessage, "99 < 100");
  // A prioritisation delta counts toward the floor.
  const { tx } = spendCoins([coins[0]], { fee: 99n });
  mempool.prioritiseTransaction(tx.txidHex, 1n);
  assert.ok(acceptToMemoryPool(mempool, chain, tx, { acceptTime: now() }).ok);
});

Deno.test("ancestor and descendant limits: too-long-mempool-chain", async (t) => {
  const { chain, mempool, now, coins } = await opTrueChain(102);
  await t.step("the 26th link of a chain exceeds the ancestor count", () => {
    let coin = coins[0];
    for (let i = 0; i < 25; i++) {
      const spend = spendCoins([coin]);
      const result = acceptToMemoryPool(mempool, chain, spend.tx, { acceptTime: now() });
      assert.ok(result.ok, `link ${i}: ${reason(result)}`);
      coin = spend.coins[0];
    }
    const result = acceptToMemoryPool(mempool, chain, spendCoins([coin]).tx, { acceptTime: now() });
    assert.ok(!result.ok);
    assert.equal(result.state.reason, "too-long-mempool-chain");
    assert.equal(result.state.debugMessage, "too many unconfirmed ancestors [limit: 25]");
  });
  await t.step("the 25th child of one parent exceeds its descendant count", () => {
    const fanout = spendCoins([coins[1]], { outputs: 30, fee: 2000n });
    assert.ok(acceptToMemoryPool(mempool, chain, fanout.tx, { acceptTime: now() }).ok);
    for (let i = 0; i < 24; i++) {
      const child = spendCoins([fanout.coins[i]]);
      assert.ok(acceptToMemoryPool(mempool, chain, child.tx, { acceptTime: now() }).ok);
    }
    // The CPFP carve-out admits one more small child with a single ancestor…
    assert.ok(
      acceptToMemoryPool(mempool, chain, spendCoins([fanout.coins[24]]).tx, { acceptTime: now() })
        .ok,
    );
    // …but not a second one.
    const result = acceptToMemoryPool(mempool, chain, spendCoins([fanout.coins[25]]).tx, {
      acceptTime: now(),
    });
    assert.ok(!result.ok);
    assert.equal(result.state.reason, "too-long-mempool-chain");
    assert.equal(
      result.state.debugMessage,
      `too many descendants for tx ${fanout.tx.txidHex} [limit: 25]`,
    );
  });
});

Deno.test("replacement: full RBF by default, rules 3, 4 and 6, and opt-in only when disabled", async (t) => {
  const { chain, mempool, now, coins } = await opTrueChain(101);
  const original = spendCoins([coins[0]], { fee: 1000n, sequence: 0xffffffff }).tx;
  assert.ok(acceptToMemoryPool(mempool, chain, original, { acceptTime: now() }).ok);
  await t.step("paying too little more: insufficient fee", () => {
    const result = acceptToMemoryPool(
      mempool,
      chain,
      spendCoins([coins[0]], { fee: 1050n, sequence: 0xffffffff }).tx,
      { acceptTime: now() },
    );
    assert.ok(!result.ok);
    assert.equal(result.state.reason, "insufficient fee");
    assert.match(
      result.state.debugMessage,
      /not enough additional fees to relay; 0\.0000005 < 0\.000001/,
    );
  });
  await t.step("paying enough replaces a non-signalling transaction (full RBF)", () => {
    const better = spendCoins([coins[0]], { fee: 1100n, sequence: 0xffffffff }).tx;
    const result = acceptToMemoryPool(mempool, chain, better, { acceptTime: now() });
    assert.ok(result.ok, reason(result));
    assert.deepEqual(result.replaced.map((tx) => tx.txidHex), [original.txidHex]);
    assert.ok(!mempool.has(original.txidHex) && mempool.has(better.txidHex));
  });
  await t.step("with -mempoolfullrbf=0 a non-signalling transaction is final", async () => {
    const strict = await opTrueChain(101, { fullRbf: false });
    const first = spendCoins([strict.coins[0]], { sequence: 0xffffffff }).tx;
    assert.ok(acceptToMemoryPool(strict.mempool, strict.chain, first, { acceptTime: 0 }).ok);
    const second = spendCoins([strict.coins[0]], { fee: 5000n }).tx;
    assert.equal(
      reason(acceptToMemoryPool(strict.mempool, strict.chain, second, { acceptTime: 0 })),
      "txn-mempool-conflict",
    );
  });
});

Deno.test("relative lock times and lock_height finality are checked at the next block", async () => {
  const { chain, mempool, now, coins } = await opTrueChain(102);
  const tip = chain.tip().height;
  // BIP68 applies to every version in Freicoin: a 200-block relative lock is not final yet.
  const locked = spendCoins([coins[0]], { sequence: 200, version: 1 }).tx;
  assert.equal(
    reason(acceptToMemoryPool(mempool, chain, locked, { acceptTime: now() })),
    "non-BIP68-final",
  );
  const early = spendCoins([coins[0]], { lockHeight: tip + 2 }).tx;
  assert.equal(
    reason(acceptToMemoryPool(mempool, chain, early, { acceptTime: now() })),
    "non-final",
  );
  const next = spendCoins([coins[0]], { lockHeight: tip + 1 }).tx;
  assert.ok(acceptToMemoryPool(mempool, chain, next, { acceptTime: now() }).ok);
});

Deno.test("immature coinbase outputs cannot be spent", async () => {
  const { chain, mempool, now } = await opTrueChain(101);
  const young = chain.blockAt(50)!.transactions[0];
  const tx = spendCoins([{
    outpoint: new OutPoint(young.txid, 0),
    value: young.outputs[0].value,
    refheight: 50,
  }]).tx;
  const result = acceptToMemoryPool(mempool, chain, tx, { acceptTime: now() });
  assert.ok(!result.ok);
  assert.equal(result.state.reason, "bad-txns-premature-spend-of-coinbase");
});

Deno.test("a full mempool evicts the lowest fee rate and raises its minimum fee", async () => {
  const { chain, mempool, now, coins } = await opTrueChain(110);
  // Measure one entry, then allow about three.
  const probe = spendCoins([coins[9]]).tx;
  assert.ok(acceptToMemoryPool(mempool, chain, probe, { acceptTime: now() }).ok);
  const entrySize = mempool.usage;
  const { Mempool } = await import("./mempool.ts");
  const lines: string[] = [];
  const text = (m: string | (() => string)) => typeof m === "string" ? m : m();
  const logger = {
    info: (m: string | (() => string)) => void lines.push(text(m)),
    warning: () => {},
    error: () => {},
    debug: (category: string, m: string | (() => string)) =>
      void lines.push(`[${category}] ${text(m)}`),
    trace: () => {},
    willLog: () => true,
  };
  const pool = new Mempool({ maxSizeBytes: entrySize * 3 + 10 }, logger);
  const [c2, k2, n2] = [chain, coins, now];
  const fees = [2000n, 3000n, 4000n];
  for (let i = 0; i < 3; i++) {
    assert.ok(
      acceptToMemoryPool(pool, c2, spendCoins([k2[i]], { fee: fees[i] }).tx, { acceptTime: n2() })
        .ok,
    );
  }
  const low = acceptToMemoryPool(pool, c2, spendCoins([k2[3]], { fee: 1500n }).tx, {
    acceptTime: n2(),
  });
  assert.equal(reason(low), "mempool full");
  // mempool_limit.py waits for this debug.log line.
  assert.ok(
    lines.includes("[mempool] Removed 1 txn, rolling minimum fee bumped to 0.00016000 FRC/kvB"),
    lines.join("\n"),
  );
  const high = spendCoins([k2[4]], { fee: 5000n }).tx;
  assert.ok(acceptToMemoryPool(pool, c2, high, { acceptTime: n2() }).ok);
  assert.equal(pool.size, 3);
  // The 2000-kria entry was evicted; the floor is now its rate plus the incremental fee.
  assert.equal(pool.getMinFee(n2()).perKvB, 20000n + 1000n);
  const under = acceptToMemoryPool(pool, c2, spendCoins([k2[5]], { fee: 2000n }).tx, {
    acceptTime: n2(),
  });
  assert.equal(reason(under), "mempool min fee not met");
});

Deno.test("entries older than -mempoolexpiry leave with their descendants", async () => {
  const { chain, mempool, now, coins } = await opTrueChain(102);
  const start = now();
  const parent = spendCoins([coins[0]]);
  assert.ok(acceptToMemoryPool(mempool, chain, parent.tx, { acceptTime: start }).ok);
  const child = spendCoins(parent.coins);
  assert.ok(acceptToMemoryPool(mempool, chain, child.tx, { acceptTime: start + 3600 }).ok);
  assert.equal(mempool.expire(start - 1), 0);
  // expire() takes the cutoff (now - 336 hours): the parent is older, its child goes along.
  assert.equal(mempool.expire(start + 1), 2);
  assert.equal(mempool.size, 0);
  // Acceptance runs the expiry too: a new transaction arriving 337 hours later sweeps old ones.
  const old = spendCoins([coins[1]]);
  assert.ok(acceptToMemoryPool(mempool, chain, old.tx, { acceptTime: start }).ok);
  const late = spendCoins(old.coins);
  const result = acceptToMemoryPool(mempool, chain, late.tx, { acceptTime: start + 337 * 3600 });
  assert.equal(reason(result), "mempool full", "the child left with its expired parent");
  assert.equal(mempool.size, 0);
});

Deno.test("the assembler mines a child with its parent (CPFP) in dependency order", async () => {
  const { chain, mempool, now, coins } = await opTrueChain(102);
  const parent = spendCoins([coins[0]], { fee: 100n });
  assert.ok(acceptToMemoryPool(mempool, chain, parent.tx, { acceptTime: now() }).ok);
  const child = spendCoins(parent.coins, { fee: 20000n });
  assert.ok(acceptToMemoryPool(mempool, chain, child.tx, { acceptTime: now() }).ok);
  const other = spendCoins([coins[1]], { fee: 5000n });
  assert.ok(acceptToMemoryPool(mempool, chain, other.tx, { acceptTime: now() }).ok);
  const template = new BlockAssembler(chain, mempool, { now }).createNewBlock(P2WSH_OP_TRUE);
  const order = template.block.transactions.slice(1, -1).map((tx) => tx.txidHex);
  assert.deepEqual(order, [parent.tx.txidHex, child.tx.txidHex, other.tx.txidHex]);
  // The child's package (200 vbytes paying 20100) outranks the other transaction and brings
  // its 1 kria/vbyte parent first; fees are reported raw.
  assert.deepEqual(template.fees.slice(1, -1), [100n, 20000n, 5000n]);
  await generateBlocks(chain, mempool, P2WSH_OP_TRUE, 1, 1e6, { now });
  assert.equal(mempool.size, 0);
});

Deno.test("testmempoolaccept of a package: shape errors, in-package parents, limits", async (t) => {
  const { chain, mempool, now, coins } = await opTrueChain(103);
  const { testAcceptPackage } = await import("./accept_package.ts");
  const parent = spendCoins([coins[0]]);
  const child = spendCoins(parent.coins);
  await t.step("a parent and its child validate together without entering the pool", () => {
    const outcome = testAcceptPackage(mempool, chain, [parent.tx, child.tx], now());
    assert.equal(outcome.packageError, undefined);
    assert.deepEqual([...outcome.results.values()].map((r) => r.ok), [true, true]);
    assert.equal(mempool.size, 0);
  });
  await t.step("a child before its parent: package-not-sorted", () => {
    const outcome = testAcceptPackage(mempool, chain, [child.tx, parent.tx], now());
    assert.equal(outcome.packageError, "package-not-sorted");
    assert.equal(outcome.results.size, 0);
  });
  await t.step("the same transaction twice: package-contains-duplicates", () => {
    const outcome = testAcceptPackage(mempool, chain, [parent.tx, parent.tx], now());
    assert.equal(outcome.packageError, "package-contains-duplicates");
  });
  await t.step("two spends of one coin: conflict-in-package", () => {
    const other = spendCoins([coins[0]], { fee: 2000n });
    const outcome = testAcceptPackage(mempool, chain, [parent.tx, other.tx], now());
    assert.equal(outcome.packageError, "conflict-in-package");
  });
  await t.step("a failing member stops the evaluation with its reason", () => {
    const cheap = spendCoins([coins[1]], { fee: 10n });
    const outcome = testAcceptPackage(mempool, chain, [cheap.tx, parent.tx], now());
    assert.equal(outcome.results.size, 1);
    const [result] = outcome.results.values();
    assert.ok(!result.ok && result.state.reason === "min relay fee not met");
  });
  await t.step("a package on top of a 24-transaction chain exceeds the limits", () => {
    let coin = coins[2];
    for (let i = 0; i < 24; i++) {
      const spend = spendCoins([coin]);
      assert.ok(acceptToMemoryPool(mempool, chain, spend.tx, { acceptTime: now() }).ok);
      coin = spend.coins[0];
    }
    const a = spendCoins([coin]);
    const b = spendCoins(a.coins);
    const outcome = testAcceptPackage(mempool, chain, [a.tx, b.tx], now());
    assert.equal(
      outcome.packageError,
      "package-mempool-limits, possibly too many unconfirmed ancestors [limit: 25]",
    );
  });
});

Deno.test("submitPackage: individual first, then the package fee rate pays for a cheap parent", async (t) => {
  const { chain, mempool, now, coins } = await opTrueChain(110);
  const { submitPackage } = await import("./accept_package.ts");
  await t.step("a parent and child that each pay their way enter individually", () => {
    const parent = spendCoins([coins[0]]);
    const child = spendCoins(parent.coins);
    const outcome = submitPackage(mempool, chain, [parent.tx, child.tx], now());
    assert.equal(outcome.packageError, undefined);
    const results = [...outcome.results.values()];
    assert.deepEqual(results.map((r) => r.type), ["valid", "valid"]);
    assert.ok(mempool.has(parent.tx.txidHex) && mempool.has(child.tx.txidHex));
    // Submitting again reports both as already in the pool.
    const again = submitPackage(mempool, chain, [parent.tx, child.tx], now());
    assert.deepEqual([...again.results.values()].map((r) => r.type), [
      "mempool-entry",
      "mempool-entry",
    ]);
  });
  await t.step("a failing parent stops the package", () => {
    const parent = spendCoins([coins[1]], { version: 3 });
    const child = spendCoins(spendCoins([coins[1]]).coins);
    const outcome = submitPackage(mempool, chain, [parent.tx, child.tx], now());
    assert.equal(outcome.packageError, "package-not-child-with-parents");
    const real = spendCoins(parent.coins);
    const second = submitPackage(mempool, chain, [parent.tx, real.tx], now());
    assert.equal(second.packageError, "transaction failed");
    const first = second.results.get(parent.tx.wtxidHex);
    assert.ok(first?.type === "invalid" && first.state.reason === "version");
  });
  await t.step("below the rolling minimum fee, the child's fee carries its parent in", async () => {
    const { Mempool } = await import("./mempool.ts");
    const probe = spendCoins([coins[2]]).tx;
    const sizing = new Mempool();
    assert.ok(acceptToMemoryPool(sizing, chain, probe, { acceptTime: now() }).ok);
    const pool = new Mempool({ maxSizeBytes: sizing.usage * 2 + 10 });
    for (const [i, fee] of [[3, 5000n], [4, 6000n], [5, 7000n]] as const) {
      acceptToMemoryPool(pool, chain, spendCoins([coins[i]], { fee }).tx, { acceptTime: now() });
    }
    const floor = pool.getMinFee(now()).perKvB;
    assert.ok(floor > 10000n, `rolling minimum fee raised (${floor})`);
    const parent = spendCoins([coins[6]], { fee: 1000n });
    const alone = acceptToMemoryPool(pool, chain, parent.tx, {
      acceptTime: now(),
      testAccept: true,
    });
    assert.equal(reason(alone), "mempool min fee not met");
    const child = spendCoins(parent.coins, { fee: 20000n });
    const outcome = submitPackage(pool, chain, [parent.tx, child.tx], now());
    assert.equal(outcome.packageError, undefined);
    const results = [...outcome.results.values()];
    assert.deepEqual(results.map((r) => r.type), ["valid", "valid"]);
    const first = results[0];
    assert.ok(first.type === "valid");
    assert.equal(first.effectiveFeeRate.perKvB, 105000n);
    assert.deepEqual(first.effectiveIncludes, [parent.tx.wtxidHex, child.tx.wtxidHex]);
  });
});

Deno.test("a parent returning to the pool adopts its children; removing an absent parent takes them", async () => {
  const { chain, mempool, now, coins } = await opTrueChain(101);
  const parent = spendCoins([coins[0]], { outputs: 2 });
  const childA = spendCoins([parent.coins[0]]);
  const childB = spendCoins([parent.coins[1]]);
  assert.ok(acceptToMemoryPool(mempool, chain, parent.tx, { acceptTime: now() }).ok);
  assert.ok(acceptToMemoryPool(mempool, chain, childA.tx, { acceptTime: now() }).ok);
  assert.ok(acceptToMemoryPool(mempool, chain, childB.tx, { acceptTime: now() }).ok);
  // Take the parent out alone (as if mined), then put it back (as if its block left the chain).
  const entry = mempool.get(parent.tx.txidHex)!;
  mempool.removeStaged([entry], "block");
  assert.equal(mempool.get(childA.tx.txidHex)!.parents.size, 0);
  assert.ok(
    acceptToMemoryPool(mempool, chain, parent.tx, { acceptTime: now(), bypassLimits: true }).ok,
  );
  const back = mempool.get(parent.tx.txidHex)!;
  assert.equal(mempool.descendantsOf(back).size, 2);
  assert.ok(mempool.get(childB.tx.txidHex)!.parents.has(back));

  mempool.removeStaged([back], "block");
  mempool.removeRecursive(parent.tx, "reorg");
  assert.equal(mempool.size, 0);
});
