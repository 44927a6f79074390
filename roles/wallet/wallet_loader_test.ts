/**
 * The wallet loader end to end with an in-memory chain: mining to a wallet, coinbase
 * maturity, sending between two wallets (every transaction checked by the kernel's script
 * interpreter in the fake chain), demurrage in balances, restart, and RPC routing errors.
 */
import assert from "node:assert/strict";
import { NULL_LOGGER } from "../../cli/logger.ts";
import {
  decodeDestination,
  REGTEST_PREFIXES,
  scriptForDestination,
} from "../../kernel/address/mod.ts";
import { timeAdjustValue } from "../../kernel/amount/mod.ts";
import { addChecksum } from "../../kernel/descriptor/mod.ts";
import { bytesToHex, hexToBytes } from "../../kernel/encoding/mod.ts";
import { decodeTransaction } from "../../kernel/primitives/mod.ts";
import type { WalletNotifyEvent } from "../../schemas/mod.ts";
import { FakeChain } from "./_test_fake_chain.ts";
import { createWalletLoader, type WalletLoaderService } from "./wallet_loader.ts";

const COIN = 100_000_000n;

interface RpcReply {
  result: unknown;
  error: { code: number; message: string } | null;
}

async function call(
  loader: WalletLoaderService,
  method: string,
  params: unknown[] = [],
  wallet?: string,
): Promise<RpcReply> {
  const uri = wallet === undefined ? "/" : `/wallet/${encodeURIComponent(wallet)}`;
  return JSON.parse(
    await loader.executeRpc(JSON.stringify({ method, params, id: 7 }), uri, "test"),
  );
}

async function ok(
  loader: WalletLoaderService,
  method: string,
  params: unknown[] = [],
  wallet?: string,
) {
  const reply = await call(loader, method, params, wallet);
  if (reply.error !== null) throw new Error(`${method}: ${reply.error.message}`);
  return reply.result as never;
}

function scriptOf(address: string): Uint8Array {
  const decoded = decodeDestination(address, REGTEST_PREFIXES);
  if (!decoded.ok) throw new Error("bad address");
  return scriptForDestination(decoded.destination);
}

/** Text of an amount in kria as freicoind writes it. */
function frc(kria: bigint): number {
  return Number(kria) / 1e8;
}

function newLoader(chain: FakeChain, dir: string): WalletLoaderService {
  return createWalletLoader({
    chain,
    walletDir: dir,
    network: "regtest",
    logger: NULL_LOGGER,
    settings: { keypool: 5, fallbackFee: 20_000n },
    clock: () => chain.time * 1000,
  });
}

async function setup() {
  const dir = await Deno.makeTempDir();
  const chain = new FakeChain();
  chain.mineBlock(Uint8Array.of(0x51));
  const loader = newLoader(chain, dir);
  await ok(loader, "createwallet", ["alice", null, null, null, null, null, null, null]);
  await ok(loader, "createwallet", ["bob", null, null, null, null, null, null, null]);
  return { dir, chain, loader };
}

Deno.test("coinbase rewards are immature for 100 blocks, then spendable with demurrage to the next block", async () => {
  const { dir, chain, loader } = await setup();
  try {
    const address = await ok(loader, "getnewaddress", [], "alice") as string;
    chain.mineBlock(scriptOf(address)); // height 1
    chain.mineBlocks(99, Uint8Array.of(0x51)); // heights 2..100
    let balances = await ok(loader, "getbalances", [], "alice") as { mine: Record<string, number> };
    assert.equal(balances.mine.trusted, 0);
    // Immature credit is also shown at the next block's value: refheight 1, next height 101.
    assert.equal(balances.mine.immature, frc(timeAdjustValue(50n * COIN, 100)));

    chain.mineBlock(Uint8Array.of(0x51)); // height 101: the reward has 101 confirmations
    balances = await ok(loader, "getbalances", [], "alice");
    assert.equal(balances.mine.immature, 0);
    assert.equal(balances.mine.trusted, frc(timeAdjustValue(50n * COIN, 101)));

    // Ten more blocks: the same coin is worth less, to the kria.
    chain.mineBlocks(10, Uint8Array.of(0x51));
    assert.equal(
      await ok(loader, "getbalance", [], "alice"),
      frc(timeAdjustValue(50n * COIN, 111)),
    );
    const unspent = await ok(loader, "listunspent", [], "alice") as Record<string, unknown>[];
    assert.equal(unspent.length, 1);
    assert.equal(unspent[0].value, 50);
    assert.equal(unspent[0].refheight, 1);
    assert.equal(unspent[0].amount, frc(timeAdjustValue(50n * COIN, 111)));
    assert.equal(unspent[0].confirmations, 111);
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("alice pays bob: the transaction is valid, shaped as freicoind's, and both balances follow", async () => {
  const { dir, chain, loader } = await setup();
  try {
    const aliceAddress = await ok(loader, "getnewaddress", [], "alice") as string;
    chain.mineBlock(scriptOf(aliceAddress));
    chain.mineBlocks(100, Uint8Array.of(0x51)); // tip 101
    const bobAddress = await ok(loader, "getnewaddress", ["rent"], "bob") as string;
    const txid = await ok(loader, "sendtoaddress", [bobAddress, 1.5], "alice") as string;
    assert.equal(chain.broadcasts.length, 1, "the fake chain accepted it after checking scripts");
    const tx = chain.broadcasts[0];
    assert.equal(tx.txidHex, txid);
    assert.equal(tx.version, 2);
    assert.equal(tx.lockHeight, 102);
    assert.ok(tx.lockTime <= 101 && tx.lockTime >= 1);
    assert.ok(tx.inputs.every((input) => input.sequence === 0xfffffffd));
    assert.equal(tx.outputs.length, 2);
    // Fee at the fallback rate 0.0002 FRC/kvB on its virtual size.
    const inputValue = timeAdjustValue(50n * COIN, 101);
    const outputs = tx.outputs.reduce((sum, o) => sum + o.value, 0n);
    const fee = inputValue - outputs;
    // Paid on the size with 71-byte signatures; a real one may be a byte shorter.
    assert.ok(fee >= 20n * BigInt(tx.virtualSize) && fee <= 20n * BigInt(tx.virtualSize + 1));

    // Unconfirmed: bob sees it as pending, alice trusts her own change.
    let bob = await ok(loader, "getbalances", [], "bob") as { mine: Record<string, number> };
    assert.equal(bob.mine.untrusted_pending, 1.5);
    const change = outputs - 150_000_000n;
    assert.equal(await ok(loader, "getbalance", [], "alice"), frc(change));
    const sent = await ok(loader, "gettransaction", [txid], "alice") as Record<string, unknown>;
    assert.equal(sent.confirmations, 0);
    assert.equal(sent.fee, frc(-fee));
    assert.equal(sent.demurrage, frc(50n * COIN - inputValue));
    assert.equal(sent.refheight, 102);

    chain.mineBlock(Uint8Array.of(0x51)); // height 102 confirms it
    bob = await ok(loader, "getbalances", [], "bob");
    assert.equal(bob.mine.trusted, frc(timeAdjustValue(150_000_000n, 1)));
    assert.equal(await ok(loader, "getreceivedbylabel", ["rent"], "bob"), 1.5);
    const listed = await ok(loader, "listtransactions", [], "bob") as Record<string, unknown>[];
    assert.equal(listed.length, 1);
    assert.equal(listed[0].category, "receive");
    assert.equal(listed[0].label, "rent");
    assert.equal(listed[0].confirmations, 1);

    // Bob spends it back with the fee taken from the amount.
    const back = await ok(
      loader,
      "sendtoaddress",
      [aliceAddress, 1, "", "", true],
      "bob",
    ) as string;
    chain.mineBlock(Uint8Array.of(0x51));
    const details = await ok(loader, "gettransaction", [back], "alice") as Record<string, unknown>;
    assert.equal(details.confirmations, 1);
    assert.ok((details.amount as number) < 1 && (details.amount as number) > 0.999);
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("legacy addresses are paid and spent with legacy signatures", async () => {
  const { dir, chain, loader } = await setup();
  try {
    const legacy = await ok(loader, "getnewaddress", ["", "legacy"], "alice") as string;
    assert.match(legacy, /^[mn]/);
    chain.mineBlock(scriptOf(legacy));
    chain.mineBlocks(100, Uint8Array.of(0x51));
    const target = await ok(loader, "getnewaddress", ["", "legacy"], "bob") as string;
    await ok(loader, "sendtoaddress", [target, 2], "alice");
    const tx = chain.broadcasts[0];
    assert.equal(tx.inputs[0].witness.length, 0);
    assert.ok(tx.inputs[0].scriptSig.length > 100);
    chain.mineBlock(Uint8Array.of(0x51));
    assert.equal(await ok(loader, "getbalance", [], "bob"), frc(timeAdjustValue(200_000_000n, 1)));
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("wallets survive a restart and catch up with blocks mined while unloaded", async () => {
  const { dir, chain, loader } = await setup();
  const address = await ok(loader, "getnewaddress", ["mine"], "alice") as string;
  chain.mineBlock(scriptOf(address));
  chain.mineBlocks(100, Uint8Array.of(0x51));
  const before = await ok(loader, "getbalances", [], "alice");
  await loader.shutdown();

  chain.mineBlock(scriptOf(address)); // while no wallet listens
  const again = newLoader(chain, dir);
  try {
    await ok(again, "loadwallet", ["alice"]);
    const info = await ok(again, "getaddressinfo", [address], "alice") as Record<string, unknown>;
    assert.deepEqual(info.labels, ["mine"]);
    assert.equal(info.ismine, true);
    const after = await ok(again, "getbalances", [], "alice") as { mine: Record<string, number> };
    assert.equal(after.mine.trusted, frc(timeAdjustValue(50n * COIN, 102)));
    assert.equal(after.mine.immature, frc(timeAdjustValue(50n * COIN, 1)));
    assert.notDeepEqual(after, before);
    const txs = await ok(again, "listtransactions", [], "alice") as unknown[];
    assert.equal(txs.length, 2);
  } finally {
    await again.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("routing and loading errors answer as freicoind", async () => {
  const { dir, loader } = await setup();
  try {
    let reply = await call(loader, "getbalance");
    assert.deepEqual(reply.error, {
      code: -19,
      message:
        "Wallet file not specified (must request wallet RPC through /wallet/<filename> uri-path).",
    });
    reply = await call(loader, "getbalance", [], "carol");
    assert.deepEqual(reply.error, {
      code: -18,
      message: "Requested wallet does not exist or is not loaded",
    });
    reply = await call(loader, "loadwallet", ["alice"]);
    assert.deepEqual(reply.error, { code: -35, message: 'Wallet "alice" is already loaded.' });
    reply = await call(loader, "createwallet", ["bob"]);
    assert.equal(reply.error?.code, -4); // createwallet: RPC_WALLET_ERROR (wallet_multiwallet.py)
    assert.match(reply.error!.message, /Database already exists\.$/);
    assert.deepEqual(await ok(loader, "listwallets"), ["alice", "bob"]);
    await ok(loader, "unloadwallet", [], "bob");
    assert.deepEqual(await ok(loader, "listwallets"), ["alice"]);
    // One wallet loaded: "/" reaches it.
    assert.equal(await ok(loader, "getbalance"), 0);
    reply = await call(loader, "sendtoaddress", ["notanaddress", 1]);
    assert.equal(reply.error?.code, -5);
    const address = await ok(loader, "getnewaddress") as string;
    reply = await call(loader, "sendtoaddress", [address, 1]);
    assert.deepEqual(reply.error, { code: -6, message: "Insufficient funds" });
    assert.deepEqual(await ok(loader, "listwalletdir"), {
      wallets: [{ name: "alice" }, { name: "bob" }],
    });
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("signrawtransactionwithwallet and fundrawtransaction complete a raw payment", async () => {
  const { dir, chain, loader } = await setup();
  try {
    const address = await ok(loader, "getnewaddress", [], "alice") as string;
    chain.mineBlock(scriptOf(address));
    chain.mineBlocks(100, Uint8Array.of(0x51));
    const bob = await ok(loader, "getnewaddress", [], "bob") as string;
    // A raw transaction with one output and no inputs, as createrawtransaction makes it.
    const script = scriptOf(bob);
    const raw = "02000000" + "00" + "01" + "00e1f50500000000" +
      script.length.toString(16).padStart(2, "0") + [...script].map((b) =>
        b.toString(16).padStart(2, "0")
      ).join("") +
      "00000000" + "00000000";
    const funded = await ok(loader, "fundrawtransaction", [raw], "alice") as {
      hex: string;
      fee: number;
      changepos: number;
    };
    assert.ok(funded.fee > 0);
    // Options may also be given as named parameters (OBJ_NAMED_PARAMS).
    const named = JSON.parse(
      await loader.executeRpc(
        JSON.stringify({
          method: "fundrawtransaction",
          params: { hexstring: raw, changePosition: 0, lockUnspents: false },
          id: 1,
        }),
        "/wallet/alice",
        "test",
      ),
    );
    assert.equal(named.error, null);
    assert.equal(named.result.changepos, 0);
    const sent = JSON.parse(
      await loader.executeRpc(
        JSON.stringify({
          method: "send",
          params: { outputs: [{ [bob]: 1 }], change_position: 0, add_to_wallet: false },
          id: 2,
        }),
        "/wallet/alice",
        "test",
      ),
    );
    assert.equal(sent.error, null);
    const sentTx = decodeTransaction(hexToBytes(sent.result.hex));
    assert.equal(sentTx.outputs.length, 2);
    assert.notDeepEqual(sentTx.outputs[0].scriptPubKey, script, "change comes first");
    const signed = await ok(loader, "signrawtransactionwithwallet", [funded.hex], "alice") as {
      hex: string;
      complete: boolean;
    };
    assert.equal(signed.complete, true);
    const tx = decodeTransaction(hexToBytes(signed.hex));
    assert.equal(tx.lockHeight, 102);
    assert.equal(chain.checkTransaction(tx), null);
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the test framework's wallet setup: combo(<wif>) with label coinbase, then spend its rewards", async () => {
  const { dir, chain, loader } = await setup();
  try {
    // TestNode 0's deterministic key (compat.md §2.3).
    const wif = "cVpF924EspNh8KjYsfhgY96mmxvT6DgdWiTYMtMjuM74hJaU5psW";
    const descriptor = addChecksum(`combo(${wif})`);
    chain.mineBlock(scriptOf("mjTkW3DjgyZck4KbiRusZsqTgaYTxdSz6z")); // height 1, before the import
    const imported = await ok(loader, "importdescriptors", [[
      { desc: descriptor, timestamp: 0, label: "coinbase" },
    ]], "alice") as { success: boolean }[];
    assert.deepEqual(imported, [{ success: true }]);
    chain.mineBlocks(100, scriptOf("mjTkW3DjgyZck4KbiRusZsqTgaYTxdSz6z"));
    const info0 = await ok(
      loader,
      "getaddressinfo",
      ["mjTkW3DjgyZck4KbiRusZsqTgaYTxdSz6z"],
      "alice",
    ) as Record<string, unknown>;
    assert.equal(info0.ismine, true);
    assert.deepEqual(info0.labels, ["coinbase"]);
    // Block 1 was found by the import's rescan; 101 blocks in all, the first one mature.
    assert.equal(
      await ok(loader, "getbalance", [], "alice"),
      frc(timeAdjustValue(50n * COIN, 101)),
    );
    const bob = await ok(loader, "getnewaddress", [], "bob") as string;
    await ok(loader, "sendtoaddress", [bob, 10], "alice");
    assert.equal(chain.broadcasts.length, 1);
    assert.equal(chain.broadcasts[0].inputs[0].witness.length, 0, "a P2PKH coinbase output");
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("send pays addresses and destroys coins in an OP_RETURN output", async () => {
  const { dir, chain, loader } = await setup();
  try {
    const address = await ok(loader, "getnewaddress", [], "alice") as string;
    chain.mineBlock(scriptOf(address));
    chain.mineBlocks(100, Uint8Array.of(0x51));
    const bob = await ok(loader, "getnewaddress", [], "bob") as string;
    const result = await ok(loader, "send", [[{ [bob]: 1 }, { destroy: 0.5 }]], "alice") as {
      txid: string;
      complete: boolean;
    };
    assert.equal(result.complete, true);
    const tx = chain.broadcasts[0];
    assert.equal(tx.txidHex, result.txid);
    const burn = tx.outputs.find((o) => o.scriptPubKey.length === 1 && o.scriptPubKey[0] === 0x6a);
    assert.equal(burn?.value, 50_000_000n);
    const unsent = await ok(loader, "send", [{ [bob]: 2 }, null, null, null, {
      add_to_wallet: false,
    }], "alice") as Record<string, unknown>;
    assert.equal(typeof unsent.hex, "string");
    assert.equal(chain.broadcasts.length, 1, "add_to_wallet=false does not broadcast");
    // Outdated and unknown option names are reported before the conf_target/fee_rate conflict.
    const outdated = await call(loader, "send", [{ [bob]: 1 }, 6, "conservative", 1, {
      feeRate: 0.01,
    }], "alice");
    assert.deepEqual(outdated.error, {
      code: -8,
      message: "Use fee_rate (sat/vB) instead of feeRate",
    });
    const unknown = await call(loader, "send", [{ [bob]: 1 }, 6, "conservative", 1, {
      totalFee: 0.01,
    }], "alice");
    assert.deepEqual(unknown.error, { code: -3, message: "Unexpected key totalFee" });
    const badTarget = await call(loader, "send", [{ [bob]: 1 }, null, null, null, {
      conf_target: 0,
      estimate_mode: "economical",
    }], "alice");
    assert.deepEqual(badTarget.error, {
      code: -8,
      message: "Invalid conf_target, must be between 1 and 1008",
    });
    const reply = await call(loader, "importprivkey", [
      "cVpF924EspNh8KjYsfhgY96mmxvT6DgdWiTYMtMjuM74hJaU5psW",
    ], "alice");
    assert.deepEqual(reply.error, {
      code: -4,
      message: "Only legacy wallets are supported by this command",
    });
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("reorganisations, conflicts and abandoned transactions", async () => {
  const { dir, chain, loader } = await setup();
  try {
    const address = await ok(loader, "getnewaddress", [], "alice") as string;
    chain.mineBlock(scriptOf(address));
    chain.mineBlocks(100, Uint8Array.of(0x51));
    const bob = await ok(loader, "getnewaddress", [], "bob") as string;
    const txid = await ok(loader, "sendtoaddress", [bob, 3], "alice") as string;
    chain.mineBlock(Uint8Array.of(0x51));
    let details = await ok(loader, "gettransaction", [txid], "bob") as Record<string, unknown>;
    assert.equal(details.confirmations, 1);
    const tip = await chain.getTip();
    const since = await ok(loader, "listsinceblock", [], "bob") as {
      transactions: unknown[];
      lastblock: string;
    };
    assert.equal(since.transactions.length, 1);
    assert.equal(
      since.lastblock,
      [...tip.hash].reverse().map((b) => b.toString(16).padStart(2, "0")).join(""),
    );

    // The block goes away: the payment is back in the mempool, unconfirmed.
    chain.disconnectTip();
    details = await ok(loader, "gettransaction", [txid], "bob");
    assert.equal(details.confirmations, 0);
    assert.equal(details.trusted, false);
    assert.equal(
      (await ok(loader, "getbalances", [], "bob") as { mine: Record<string, number> }).mine
        .untrusted_pending,
      3,
    );

    // It leaves the mempool (say, evicted): alice may abandon it and spend the coin again.
    chain.mempool.clear();
    await loader.options.chain.waitForNotifications();
    const wallet = loader.get("alice")!;
    await wallet.transactionRemovedFromMempool(chain.broadcasts[0].toBytes(), "expiry");
    const before = await ok(loader, "getbalance", [], "alice") as number;
    await ok(loader, "abandontransaction", [txid], "alice");
    const after = await ok(loader, "getbalance", [], "alice") as number;
    assert.ok(after > before, "the abandoned spend's input is available again");
    details = await ok(loader, "gettransaction", [txid], "alice");
    assert.equal((details.details as { abandoned: boolean }[])[0].abandoned, true);

    // A double spend of the same coin is mined: the abandoned payment is conflicted.
    const other = await ok(loader, "getnewaddress", [], "alice") as string;
    const respend = await ok(loader, "sendtoaddress", [other, 49], "alice") as string;
    chain.mineBlock(Uint8Array.of(0x51));
    // Since the stale block: the payment it held is listed as removed.
    const staleHash = [...tip.hash].reverse().map((b) => b.toString(16).padStart(2, "0")).join("");
    const sinceStale = await ok(loader, "listsinceblock", [staleHash, 1, false, true], "bob") as {
      removed: { txid: string; category: string }[];
    };
    assert.deepEqual(sinceStale.removed.map((e) => [e.txid, e.category]), [[txid, "receive"]]);
    details = await ok(loader, "gettransaction", [txid], "bob");
    assert.ok((details.confirmations as number) < 0, "conflicted transactions have negative depth");
    assert.deepEqual(details.walletconflicts, []);
    const mine = await ok(loader, "gettransaction", [respend], "alice") as Record<string, unknown>;
    assert.equal(mine.confirmations, 1);
    assert.deepEqual(mine.walletconflicts, [txid]);
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rescanblockchain finds payments made before a descriptor was imported", async () => {
  const { dir, chain, loader } = await setup();
  try {
    // Bob's wallet is blank; payments go to a key it learns later.
    await ok(loader, "createwallet", ["carol", false, true, null, null, null, null, null]);
    const wif = "cUxsWyKyZ9MAQTaAhUQWJmBbSvHMwSmuv59KgxQV7oZQU3PXN3KE"; // TestNode 1
    chain.mineBlocks(3, scriptOf("msX6jQXvxiNhx3Q62PKeLPrhrqZQdSimTg"));
    // Hours later (beyond the 2-hour rescan window of "now"), more blocks.
    chain.time += 6 * 3600;
    chain.mineBlocks(12, Uint8Array.of(0x51));
    const imported = await ok(loader, "importdescriptors", [[
      { desc: addChecksum(`pkh(${wif})`), timestamp: "now" },
    ]], "carol") as { success: boolean }[];
    assert.equal(imported[0].success, true);
    assert.equal((await ok(loader, "listtransactions", [], "carol") as unknown[]).length, 0);
    const scan = await ok(loader, "rescanblockchain", [], "carol") as Record<string, number>;
    assert.deepEqual(scan, { start_height: 0, stop_height: 15 });
    assert.equal((await ok(loader, "listtransactions", [], "carol") as unknown[]).length, 3);
    const reply = await call(loader, "rescanblockchain", [16], "carol");
    assert.deepEqual(reply.error, { code: -8, message: "Invalid start_height" });
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sendall empties a wallet, and a backup restores under a new name", async () => {
  const { dir, chain, loader } = await setup();
  try {
    const address = await ok(loader, "getnewaddress", [], "alice") as string;
    chain.mineBlocks(2, scriptOf(address));
    chain.mineBlocks(100, Uint8Array.of(0x51));
    const backup = `${dir}/alice-backup.dat`;
    await ok(loader, "backupwallet", [backup], "alice");
    const bob = await ok(loader, "getnewaddress", [], "bob") as string;
    const result = await ok(loader, "sendall", [[bob]], "alice") as { complete: boolean };
    assert.equal(result.complete, true);
    const tx = chain.broadcasts[0];
    assert.equal(tx.inputs.length, 2);
    assert.equal(tx.outputs.length, 1);
    const valueIn = timeAdjustValue(50n * COIN, 102) + timeAdjustValue(50n * COIN, 101);
    const paid = valueIn - tx.outputs[0].value;
    assert.ok(paid >= 20n * BigInt(tx.virtualSize) && paid <= 20n * BigInt(tx.virtualSize + 1));
    assert.equal(await ok(loader, "getbalance", [], "alice"), 0);

    const restored = await ok(loader, "restorewallet", ["alice2", backup]) as { name: string };
    assert.equal(restored.name, "alice2");
    // The backup predates the sendall, but loading asks the mempool (requestMempoolTransactions),
    // so the restored wallet knows its coins are spent.
    const balances = await ok(loader, "getbalances", [], "alice2") as {
      mine: Record<string, number>;
    };
    assert.equal(balances.mine.trusted, 0);
    const listed = await ok(loader, "listtransactions", [], "alice2") as { txid: string }[];
    assert.ok(listed.some((entry) => entry.txid === tx.txidHex));
    const reply = await call(loader, "restorewallet", ["alice2", backup]);
    assert.equal(reply.error?.code, -36);
    assert.deepEqual((await call(loader, "restorewallet", ["x", `${dir}/missing`])).error, {
      code: -8,
      message: "Backup file does not exist",
    });
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bumpfee replaces a payment at a higher fee rate, taking the fee from its change", async () => {
  const { dir, chain, loader } = await setup();
  try {
    const address = await ok(loader, "getnewaddress", [], "alice") as string;
    chain.mineBlock(scriptOf(address));
    chain.mineBlocks(100, Uint8Array.of(0x51));
    const bob = await ok(loader, "getnewaddress", [], "bob") as string;
    const txid = await ok(loader, "sendtoaddress", [bob, 1], "alice") as string;
    const bumped = await ok(loader, "bumpfee", [txid], "alice") as Record<string, unknown>;
    assert.notEqual(bumped.txid, txid);
    assert.ok((bumped.fee as number) > (bumped.origfee as number));
    assert.deepEqual(bumped.errors, []);
    assert.equal(chain.mempool.size, 1);
    assert.ok(chain.mempool.has(bumped.txid as string));
    const original = await ok(loader, "gettransaction", [txid], "alice") as Record<string, unknown>;
    assert.equal(original.replaced_by_txid, bumped.txid);
    const replacement = await ok(loader, "gettransaction", [bumped.txid], "alice") as Record<
      string,
      unknown
    >;
    assert.equal(replacement.replaces_txid, txid);
    const reply = await call(loader, "bumpfee", [txid], "alice");
    assert.equal(reply.error?.code, -4);
    chain.mineBlock(Uint8Array.of(0x51));
    assert.equal(await ok(loader, "getbalance", [], "bob"), frc(timeAdjustValue(COIN, 1)));
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("signmessage gives the reference's signature for an imported key", async () => {
  const { dir, loader } = await setup();
  try {
    // rpc_signmessagewithprivkey.py's key, message and expected signature.
    const wif = "cUeKHd5orzT3mz8P9pxyREHfsWtVfgsfDjiZZBcjUBAaGk1BTj7N";
    await ok(loader, "createwallet", ["keys", false, true, null, null, null, null, null]);
    await ok(loader, "importdescriptors", [[{
      desc: addChecksum(`pkh(${wif})`),
      timestamp: "now",
    }]], "keys");
    const signature = await ok(loader, "signmessage", [
      "mpLQjfK79b7CCV4VMJWEWAj5Mpx8Up5zxB",
      "This is just a test message",
    ], "keys");
    assert.equal(
      signature,
      "INbVnW4e6PeRmsv2Qgu8NuopvrVjkcxob+sX8OcZG0SALhWybUjzMLPdAsXI46YZGb0KQTRii+wWIQzRpG/U+S0=",
    );
    const wpk = await ok(loader, "getnewaddress", [], "alice") as string;
    assert.deepEqual((await call(loader, "signmessage", [wpk, "x"], "alice")).error, {
      code: -3,
      message: "Address does not refer to key",
    });
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("listaddressgroupings joins an input's address with its change", async () => {
  const { dir, chain, loader } = await setup();
  try {
    const address = await ok(loader, "getnewaddress", ["savings"], "alice") as string;
    chain.mineBlock(scriptOf(address));
    chain.mineBlocks(100, Uint8Array.of(0x51));
    const bob = await ok(loader, "getnewaddress", [], "bob") as string;
    await ok(loader, "sendtoaddress", [bob, 1], "alice");
    const groups = await ok(loader, "listaddressgroupings", [], "alice") as unknown[][][];
    assert.equal(groups.length, 1);
    assert.equal(groups[0].length, 2);
    const mine = groups[0].find((entry) => entry[0] === address)!;
    assert.deepEqual(mine, [address, 0, "savings"], "the spent coinbase address, with its label");
    const change = groups[0].find((entry) => entry[0] !== address)!;
    assert.ok((change[1] as number) > 48, "the change address holds the change");
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("argument errors answer as wallet_basic.py expects", async () => {
  const { dir, chain, loader } = await setup();
  try {
    const address = await ok(loader, "getnewaddress", [], "alice") as string;
    chain.mineBlock(scriptOf(address));
    chain.mineBlocks(100, Uint8Array.of(0x51));
    const cases: [string, unknown[], number, string][] = [
      [
        "lockunspent",
        [false, [{ txid: "0".repeat(34), vout: 0 }]],
        -8,
        `txid must be of length 64 (not 34, for '${"0".repeat(34)}')`,
      ],
      [
        "lockunspent",
        [false, [{ txid: "ZZZ" + "0".repeat(61), vout: 0 }]],
        -8,
        `txid must be hexadecimal string (not 'ZZZ${"0".repeat(61)}')`,
      ],
      [
        "lockunspent",
        [false, [{ txid: "0".repeat(64), vout: 0 }]],
        -8,
        "Invalid parameter, unknown transaction",
      ],
      [
        "lockunspent",
        [true, [{ txid: "0".repeat(64), vout: 0 }]],
        -8,
        "Invalid parameter, unknown transaction",
      ],
      [
        "sendmany",
        ["", { [address]: 10 }, null, null, null, null, null, null, 0.999],
        -6,
        "Fee rate (0.999 sat/vB) is lower than the minimum fee rate setting (1.000 sat/vB)",
      ],
      ["sendtoaddress", [address, 0], -3, "Invalid amount for send"],
      ["getbalance", ["x"], -32, 'dummy first argument must be excluded or set to "*".'],
      ["getnewaddress", ["*"], -11, "Invalid label name"],
    ];
    for (const [method, params, code, message] of cases) {
      assert.deepEqual(
        (await call(loader, method, params, "alice")).error,
        { code, message },
        method,
      );
    }
    const unspent =
      (await ok(loader, "listunspent", [], "alice") as { txid: string; vout: number }[])[0];
    const outpoint = { txid: unspent.txid, vout: unspent.vout };
    assert.deepEqual((await call(loader, "lockunspent", [true, [outpoint]], "alice")).error, {
      code: -8,
      message: "Invalid parameter, expected locked output",
    });
    await ok(loader, "lockunspent", [false, [outpoint], true], "alice");
    assert.deepEqual(await ok(loader, "listlockunspent", [], "alice"), [outpoint]);
    assert.deepEqual((await call(loader, "sendtoaddress", [address, 1], "alice")).error, {
      code: -6,
      message: "Insufficient funds",
    });
    // A persistent lock survives unloading; spending the coin clears it.
    await ok(loader, "unloadwallet", ["alice"]);
    await ok(loader, "loadwallet", ["alice"]);
    assert.deepEqual(await ok(loader, "listlockunspent", [], "alice"), [outpoint]);
    const raw = await ok(loader, "send", [[{ [address]: 1 }], null, null, null, {
      inputs: [outpoint],
      add_to_wallet: false,
    }], "alice") as { hex: string };
    await chain.broadcastTransaction(hexToBytes(raw.hex));
    assert.deepEqual(await ok(loader, "listlockunspent", [], "alice"), []);
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("fee_rate arguments are 3-decimal amounts in sat/vB", async () => {
  const { dir, chain, loader } = await setup();
  try {
    const address = await ok(loader, "getnewaddress", [], "alice") as string;
    chain.mineBlock(scriptOf(address));
    chain.mineBlocks(100, Uint8Array.of(0x51));
    const send = (feeRate: unknown) =>
      call(
        loader,
        "sendmany",
        ["", { [address]: 1 }, null, null, null, null, null, null, feeRate],
        "alice",
      );
    for (const zero of [0, "0", "0.000"]) {
      assert.deepEqual((await send(zero)).error, {
        code: -6,
        message:
          "Fee rate (0.000 sat/vB) is lower than the minimum fee rate setting (1.000 sat/vB)",
      });
    }
    for (const invalid of ["", 0.0001, "31.999999999999999999999", 1.111111111]) {
      assert.deepEqual(
        (await send(invalid)).error,
        { code: -3, message: "Invalid amount" },
        String(invalid),
      );
    }
    assert.deepEqual((await send(-1)).error, { code: -3, message: "Amount out of range" });
    assert.deepEqual((await send(true)).error, {
      code: -3,
      message: "Amount is not a number or string",
    });
    const txid = await ok(loader, "sendmany", [
      "",
      { [address]: 1 },
      null,
      null,
      null,
      null,
      null,
      null,
      "2",
    ], "alice");
    const tx = chain.broadcasts.find((t) => t.txidHex === txid)!;
    const details = await ok(loader, "gettransaction", [txid], "alice") as { fee: number };
    // Fees are paid on the size with 71-byte signatures; a real one may be a byte shorter.
    const fee = Math.round(-details.fee * 1e8);
    assert.ok(fee >= 2 * tx.virtualSize && fee <= 2 * (tx.virtualSize + 1), `fee ${fee}`);
    for (
      const [target, mode, message] of [
        [1009, "economical", "Invalid conf_target, must be between 1 and 1008"],
        [0, "conservative", "Invalid conf_target, must be between 1 and 1008"],
        [
          -1,
          "frc/kb",
          'Invalid estimate_mode parameter, must be one of: "unset", "economical", "conservative"',
        ],
      ] as const
    ) {
      const reply = await call(loader, "sendmany", [
        "",
        { [address]: 1 },
        null,
        null,
        null,
        null,
        target,
        mode,
      ], "alice");
      assert.deepEqual(reply.error, { code: -8, message });
    }
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("labels and purposes as wallet_labels.py expects", async () => {
  const { dir, chain, loader } = await setup();
  try {
    assert.deepEqual((await call(loader, "listlabels", ["unknown"], "alice")).error, {
      code: -8,
      message:
        "Invalid 'purpose' argument, must be a known purpose string, typically 'send', or 'receive'.",
    });
    const coinbase = await ok(loader, "getnewaddress", ["coinbase"], "alice") as string;
    chain.mineBlock(scriptOf(coinbase));
    chain.mineBlocks(100, Uint8Array.of(0x51));
    const a = await ok(loader, "getnewaddress", ["a"], "alice") as string;
    const bob = await ok(loader, "getnewaddress", [], "bob") as string;
    await ok(loader, "setlabel", [bob, "bob"], "alice");
    assert.deepEqual(await ok(loader, "listlabels", ["send"], "alice"), ["bob"]);
    assert.deepEqual(await ok(loader, "listlabels", ["receive"], "alice"), ["a", "coinbase"]);
    assert.deepEqual(await ok(loader, "listlabels", [], "alice"), ["a", "bob", "coinbase"]);
    await ok(loader, "sendtoaddress", [a, 1], "alice");
    chain.mineBlock(Uint8Array.of(0x51));
    assert.equal(await ok(loader, "getreceivedbylabel", ["a"], "alice"), 1);
    // Change outputs get no address-book entry, so the default label has no address.
    assert.deepEqual((await call(loader, "getaddressesbylabel", [""], "alice")).error, {
      code: -11,
      message: "No addresses with label ",
    });
    assert.deepEqual(await ok(loader, "getaddressesbylabel", ["a"], "alice"), {
      [a]: { purpose: "receive" },
    });
    for (
      const [method, params] of [["getnewaddress", ["*"]], ["setlabel", [a, "*"]], [
        "getreceivedbylabel",
        ["*"],
      ]] as const
    ) {
      assert.deepEqual((await call(loader, method, [...params], "alice")).error, {
        code: -11,
        message: "Invalid label name",
      });
    }
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rpcCatalog lists every wallet method's declaration as JSON", async () => {
  const { dir, loader } = await setup();
  try {
    const catalog = JSON.parse((await loader.rpcCatalog()).methodsJson) as {
      name: string;
      category: string;
      args: { names: string }[];
    }[];
    const names = catalog.map((m) => m.name);
    for (
      const name of [
        "getbalance",
        "sendtoaddress",
        "listunspent",
        "importdescriptors",
        "fundrawtransaction",
      ]
    ) {
      assert.ok(names.includes(name), name);
    }
    const listunspent = catalog.find((m) => m.name === "listunspent")!;
    assert.deepEqual(listunspent.args.map((a) => a.names), [
      "minconf",
      "maxconf",
      "addresses",
      "include_unsafe",
      "query_options",
    ]);
    assert.ok(catalog.every((m) => !("handler" in m)));
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("transactionNotify fires when a transaction arrives and when it is mined", async () => {
  const dir = await Deno.makeTempDir();
  const chain = new FakeChain();
  chain.mineBlock(Uint8Array.of(0x51));
  const seen: string[] = [];
  const events: WalletNotifyEvent[] = [];
  const loader = createWalletLoader({
    chain,
    walletDir: dir,
    network: "regtest",
    logger: NULL_LOGGER,
    settings: { keypool: 2, fallbackFee: 20_000n },
    transactionNotify: (event) => {
      seen.push(`${event.walletName}:${event.txid}`);
      events.push(event);
    },
  });
  try {
    await ok(loader, "createwallet", ["alice", null, null, null, null, null, null, null]);
    await ok(loader, "createwallet", ["bob", null, null, null, null, null, null, null]);
    const address = await ok(loader, "getnewaddress", [], "alice") as string;
    chain.mineBlock(scriptOf(address));
    await chain.waitForNotifications();
    assert.equal(seen.length, 1);
    assert.ok(seen[0].startsWith("alice:"));
    chain.mineBlocks(100, Uint8Array.of(0x51));
    await chain.waitForNotifications();
    assert.equal(seen.length, 1, "blocks without the wallet's transactions report nothing");
    const bob = await ok(loader, "getnewaddress", [], "bob") as string;
    const txid = await ok(loader, "sendtoaddress", [bob, 1], "alice") as string;
    await chain.waitForNotifications();
    // The sender reports at commit and again when the mempool announces it, as freicoind.
    assert.deepEqual(seen.slice(1).sort(), [`alice:${txid}`, `alice:${txid}`, `bob:${txid}`]);
    for (const event of events.slice(1)) {
      assert.deepEqual([event.blockHash, event.blockHeight], ["unconfirmed", -1]);
    }
    const mined = events.length;
    chain.mineBlock(Uint8Array.of(0x51));
    await chain.waitForNotifications();
    assert.deepEqual(seen.slice(mined).sort(), [`alice:${txid}`, `bob:${txid}`]);
    const tip = await chain.getTip();
    for (const event of events.slice(mined)) {
      assert.equal(event.blockHeight, tip.height);
      assert.equal(event.blockHash, bytesToHex(tip.hash.slice().reverse()));
    }
    // A rescan reports every transaction it finds again (freicoind's rescan does).
    const before = events.length;
    await ok(loader, "rescanblockchain", [], "bob");
    assert.deepEqual(seen.slice(before), [`bob:${txid}`]);
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("removeprunedfunds forgets a transaction; walletdisplayaddress needs an external signer", async () => {
  const { dir, chain, loader } = await setup();
  try {
    const address = await ok(loader, "getnewaddress", [], "alice") as string;
    chain.mineBlock(scriptOf(address));
    chain.mineBlocks(100, Uint8Array.of(0x51));
    const [coin] = await ok(loader, "listunspent", [], "alice") as { txid: string }[];
    await ok(loader, "removeprunedfunds", [coin.txid], "alice");
    assert.equal(await ok(loader, "getbalance", [], "alice"), 0);
    assert.equal((await call(loader, "gettransaction", [coin.txid], "alice")).error?.code, -5);
    assert.deepEqual((await call(loader, "removeprunedfunds", [coin.txid], "alice")).error, {
      code: -4,
      message: `Transaction ${coin.txid} does not belong to this wallet`,
    });
    assert.deepEqual((await call(loader, "walletdisplayaddress", [address], "alice")).error, {
      code: -1,
      message: "Failed to display address",
    });
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("simulaterawtransaction gives each wallet's balance change in reference values", async () => {
  const { dir, chain, loader } = await setup();
  try {
    const address = await ok(loader, "getnewaddress", [], "alice") as string;
    chain.mineBlock(scriptOf(address));
    chain.mineBlocks(100, Uint8Array.of(0x51));
    const bob = await ok(loader, "getnewaddress", [], "bob") as string;
    const { hex } = await ok(loader, "send", [{ [bob]: 1 }, null, null, null, {
      add_to_wallet: false,
    }], "alice") as { hex: string };
    const tx = decodeTransaction(hexToBytes(hex));
    const change = tx.outputs.find((o) => o.value !== COIN)!.value;
    assert.deepEqual(await ok(loader, "simulaterawtransaction", [[hex]], "alice"), {
      balance_change: frc(change - 50n * COIN),
    });
    assert.deepEqual(await ok(loader, "simulaterawtransaction", [[hex]], "bob"), {
      balance_change: 1,
    });
    assert.equal(
      (await call(loader, "simulaterawtransaction", [[hex, hex]], "alice")).error?.code,
      -8,
    );
    assert.equal(
      (await call(loader, "simulaterawtransaction", [["zz"]], "alice")).error?.code,
      -22,
    );
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("subtractfeefromamount can send the whole balance: coins count at full value", async () => {
  const { dir, chain, loader } = await setup();
  try {
    const address = await ok(loader, "getnewaddress", [], "alice") as string;
    chain.mineBlock(scriptOf(address));
    chain.mineBlock(scriptOf(address));
    chain.mineBlocks(100, Uint8Array.of(0x51));
    const balance = await ok(loader, "getbalance", [], "alice") as number;
    const bob = await ok(loader, "getnewaddress", [], "bob") as string;
    const txid = await ok(loader, "sendtoaddress", [bob, balance, "", "", true], "alice");
    const tx = await ok(loader, "gettransaction", [txid, false, true], "alice") as {
      fee: number;
      decoded: { vin: unknown[]; vout: { value: number }[] };
    };
    assert.equal(tx.decoded.vin.length, 2);
    assert.equal(tx.decoded.vout.length, 1);
    assert.ok(tx.fee < 0);
    assert.equal(Math.round((tx.decoded.vout[0].value - tx.fee) * 1e8), Math.round(balance * 1e8));
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("importdescriptors widening a range downwards hands out the new positions", async () => {
  const { dir, loader } = await setup();
  try {
    const xprv =
      "tprv8ZgxMBicQKsPd7Uf69XL1XwhmjHopUGep8GuEiJDZmbQz6o58LninorQAfcKZWARbtRtfnLcJ5MQ2AtHcQJCCRUcMRvmDUjyEmNUWwx8UbK";
    await ok(loader, "createwallet", ["wpriv", false, true, "", false, true]);
    const request = {
      desc: addChecksum(`wpk(${xprv}/0h/0h/*h)`),
      timestamp: "now",
      range: [5, 10],
      active: true,
    };
    await ok(loader, "importdescriptors", [[request]], "wpriv");
    let info = await ok(loader, "getwalletinfo", [], "wpriv") as { keypoolsize: number };
    assert.equal(info.keypoolsize, 6);
    await ok(loader, "importdescriptors", [[{ ...request, range: [0, 10] }]], "wpriv");
    info = await ok(loader, "getwalletinfo", [], "wpriv");
    assert.equal(info.keypoolsize, 11);
    // Narrowing is refused.
    const narrowed = await call(
      loader,
      "importdescriptors",
      [[{ ...request, range: [5, 10] }]],
      "wpriv",
    );
    assert.deepEqual((narrowed.result as { error: unknown }[])[0].error, {
      code: -8,
      message: "new range must include current range = [0,10]",
    });
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("listsinceblock with an empty blockhash lists everything, as without one", async () => {
  const { dir, chain, loader } = await setup();
  try {
    const address = await ok(loader, "getnewaddress", [], "alice") as string;
    chain.mineBlock(scriptOf(address));
    const all = await ok(loader, "listsinceblock", [], "alice") as { transactions: unknown[] };
    const empty = await ok(loader, "listsinceblock", [""], "alice") as { transactions: unknown[] };
    assert.equal(all.transactions.length, 1);
    assert.deepEqual(empty, all);
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loading resubmits mempool transactions; one the node refuses becomes inactive", async () => {
  const { dir, chain, loader } = await setup();
  try {
    const address = await ok(loader, "getnewaddress", [], "alice") as string;
    chain.mineBlock(scriptOf(address));
    chain.mineBlocks(100, Uint8Array.of(0x51));
    const bob = await ok(loader, "getnewaddress", [], "bob") as string;
    const txid = await ok(loader, "sendtoaddress", [bob, 1], "alice") as string;
    await ok(loader, "unloadwallet", ["alice"]);
    chain.mempool.clear(); // the node forgot it (a restart)
    await ok(loader, "loadwallet", ["alice"]);
    assert.ok(chain.mempool.has(txid), "resubmitted");

    await ok(loader, "unloadwallet", ["alice"]);
    chain.mempool.clear();
    const accept = chain.broadcastTransaction.bind(chain);
    chain.broadcastTransaction = () =>
      Promise.resolve({ ok: false, error: "min relay fee not met", code: -26 });
    await ok(loader, "loadwallet", ["alice"]);
    chain.broadcastTransaction = accept;
    const tx = await ok(loader, "gettransaction", [txid], "alice") as { trusted: boolean };
    assert.equal(tx.trusted, false);
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bip125-replaceable comes from the node's mempool: yes, no, or unknown outside it", async () => {
  const { dir, chain, loader } = await setup();
  try {
    const address = await ok(loader, "getnewaddress", [], "alice") as string;
    chain.mineBlocks(2, scriptOf(address));
    chain.mineBlocks(100, Uint8Array.of(0x51));
    const bob = await ok(loader, "getnewaddress", [], "bob") as string;
    const final = await ok(loader, "sendtoaddress", [bob, 1, "", "", false, false], "alice");
    const signalling = await ok(loader, "sendtoaddress", [bob, 1, "", "", false, true], "alice");
    const replaceable = async (txid: string) =>
      ((await ok(loader, "gettransaction", [txid], "bob")) as Record<string, unknown>)[
        "bip125-replaceable"
      ];
    assert.equal(await replaceable(final), "no");
    assert.equal(await replaceable(signalling), "yes");
    // Gone from the mempool and not signalling: the node cannot tell.
    chain.mempool.delete(final);
    assert.equal(await replaceable(final), "unknown");
    const listed = await ok(loader, "listtransactions", [], "bob") as Record<string, unknown>[];
    assert.deepEqual(
      listed.map((entry) => [entry.txid, entry["bip125-replaceable"]]).sort(),
      [[final, "unknown"], [signalling, "yes"]].sort(),
    );
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a wallet loaded while its payment waits in the mempool learns it (requestMempoolTransactions)", async () => {
  const { dir, chain, loader } = await setup();
  try {
    const address = await ok(loader, "getnewaddress", [], "alice") as string;
    chain.mineBlocks(1, scriptOf(address));
    chain.mineBlocks(100, Uint8Array.of(0x51));
    const bobAddress = await ok(loader, "getnewaddress", [], "bob") as string;
    await ok(loader, "unloadwallet", ["bob"]);
    const txid = await ok(loader, "sendtoaddress", [bobAddress, 2], "alice") as string;
    await ok(loader, "loadwallet", ["bob"]);
    const balances = await ok(loader, "getbalances", [], "bob") as {
      mine: Record<string, number>;
    };
    assert.equal(balances.mine.untrusted_pending, 2);
    const listed = await ok(loader, "listtransactions", [], "bob") as { txid: string }[];
    assert.deepEqual(listed.map((entry) => entry.txid), [txid]);
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
