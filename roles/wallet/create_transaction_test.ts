/**
 * Building transactions end to end through the funding RPCs on an in-memory chain: coin
 * selection over many coins, the fee paid for the signed size, change placement, preselected
 * and external inputs (solving_data, input_weights) and freicoind's error texts.
 */
import assert from "node:assert/strict";
import { NULL_LOGGER } from "../../cli/logger.ts";
import {
  decodeDestination,
  REGTEST_PREFIXES,
  scriptForDestination,
} from "../../kernel/address/mod.ts";
import { bytesToHex, hexToBytes } from "../../kernel/encoding/mod.ts";
import {
  decodeTransaction,
  OutPoint,
  Transaction,
  TxIn,
  TxOut,
} from "../../kernel/primitives/mod.ts";
import type { WalletNotifyEvent } from "../../schemas/mod.ts";
import { FakeChain } from "./_test_fake_chain.ts";
import { createWalletLoader, type WalletLoaderService } from "./wallet_loader.ts";

interface RpcReply {
  result: unknown;
  error: { code: number; message: string } | null;
}

async function call(
  loader: WalletLoaderService,
  wallet: string,
  method: string,
  params: unknown[] | Record<string, unknown> = [],
): Promise<RpcReply> {
  const request = JSON.stringify({ method, params, id: 1 });
  return JSON.parse(await loader.executeRpc(request, `/wallet/${wallet}`, "test"));
}

async function ok<T = never>(
  loader: WalletLoaderService,
  wallet: string,
  method: string,
  params: unknown[] | Record<string, unknown> = [],
): Promise<T> {
  const reply = await call(loader, wallet, method, params);
  if (reply.error !== null) throw new Error(`${method}: ${reply.error.message}`);
  return reply.result as T;
}

async function fails(
  loader: WalletLoaderService,
  wallet: string,
  method: string,
  params: unknown[] | Record<string, unknown>,
): Promise<{ code: number; message: string }> {
  const reply = await call(loader, wallet, method, params);
  assert.ok(reply.error, `${method} should fail`);
  return reply.error;
}

function scriptOf(address: string): Uint8Array {
  const decoded = decodeDestination(address, REGTEST_PREFIXES);
  if (!decoded.ok) throw new Error("bad address");
  return scriptForDestination(decoded.destination);
}

/** An unsigned version-2 transaction hex, as createrawtransaction would make it. */
function rawTransaction(
  inputs: { txid: string; vout: number }[],
  outputs: [string, bigint][],
): string {
  return bytesToHex(
    new Transaction({
      version: 2,
      inputs: inputs.map((i) =>
        new TxIn({
          prevout: new OutPoint(hexToBytes(i.txid).reverse(), i.vout),
          sequence: 0xfffffffd,
        })
      ),
      outputs: outputs.map(([address, value]) => new TxOut(value, scriptOf(address))),
      lockTime: 0,
      lockHeight: 0,
    }).toBytes(),
  );
}

/**
 * Alice with two mature coinbase rewards and 24 small payments to herself, all confirmed;
 * `notified` collects the -walletnotify events.
 */
async function setup(notified?: WalletNotifyEvent[]) {
  const dir = await Deno.makeTempDir();
  const chain = new FakeChain();
  chain.mineBlock(Uint8Array.of(0x51));
  const loader = createWalletLoader({
    chain,
    walletDir: dir,
    network: "regtest",
    logger: NULL_LOGGER,
    settings: { keypool: 40, fallbackFee: 20_000n },
    clock: () => chain.time * 1000,
    transactionNotify: notified ? (event) => notified.push(event) : undefined,
  });
  for (const name of ["alice", "bob"]) {
    await ok(loader, name, "createwallet", [name, null, null, null, null, null, null, null]);
  }
  const mining = await ok<string>(loader, "alice", "getnewaddress", []);
  chain.mineBlocks(2, scriptOf(mining));
  chain.mineBlocks(100, Uint8Array.of(0x51));
  const amounts: Record<string, number> = {};
  for (let i = 0; i < 24; i++) {
    amounts[await ok<string>(loader, "alice", "getnewaddress", [])] = Number(
      ((10 + i) / 100).toFixed(2),
    );
  }
  await ok(loader, "alice", "sendmany", ["", amounts]);
  chain.mineBlock(Uint8Array.of(0x51), [...chain.mempool.values()]);
  return {
    chain,
    loader,
    async close() {
      await loader.shutdown();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("funded transactions spend distinct coins and pay the fee rate for their signed size", async () => {
  const { loader, close } = await setup();
  try {
    const bob = await ok<string>(loader, "bob", "getnewaddress", []);
    for (const amount of [0.05, 0.7, 3, 12.5, 60]) {
      const raw = rawTransaction([], [[bob, BigInt(Math.round(amount * 1e8))]]);
      const funded = await ok<{ hex: string; fee: number; changepos: number }>(
        loader,
        "alice",
        "fundrawtransaction",
        { hexstring: raw, options: { fee_rate: 10 } },
      );
      const signed = await ok<{ hex: string; complete: boolean }>(
        loader,
        "alice",
        "signrawtransactionwithwallet",
        [funded.hex],
      );
      assert.ok(signed.complete);
      const tx = decodeTransaction(hexToBytes(signed.hex));
      const prevouts = tx.inputs.map((input) => input.prevout.toString());
      assert.equal(new Set(prevouts).size, prevouts.length, "a coin spent twice");
      // 10 sat/vB for the signed size; signatures may come out a byte shorter than assumed.
      const fee = Math.round(funded.fee * 1e8);
      assert.ok(fee >= tx.virtualSize * 10, `fee ${fee} below 10 sat/vB of ${tx.virtualSize}`);
      assert.ok(fee <= (tx.virtualSize + tx.inputs.length) * 10, `fee ${fee} too high`);
    }
  } finally {
    await close();
  }
});

Deno.test("the change goes where it is asked to, to the given address", async () => {
  const { loader, close } = await setup();
  try {
    const bob = await ok<string>(loader, "bob", "getnewaddress", []);
    const change = await ok<string>(loader, "alice", "getrawchangeaddress", []);
    const raw = rawTransaction([], [[bob, 100_000_000n]]);
    const funded = await ok<{ hex: string; changepos: number }>(
      loader,
      "alice",
      "fundrawtransaction",
      [raw, { changePosition: 0, changeAddress: change }],
    );
    assert.equal(funded.changepos, 0);
    const tx = decodeTransaction(hexToBytes(funded.hex));
    assert.equal(bytesToHex(tx.outputs[0].scriptPubKey), bytesToHex(scriptOf(change)));
    const error = await fails(loader, "alice", "fundrawtransaction", [raw, { changePosition: 2 }]);
    assert.deepEqual(error, { code: -8, message: "changePosition out of bounds" });
  } finally {
    await close();
  }
});

Deno.test("preselected coins that fall short give freicoind's error unless others may be added", async () => {
  const { loader, close } = await setup();
  try {
    const bob = await ok<string>(loader, "bob", "getnewaddress", []);
    const coins = await ok<{ txid: string; vout: number; amount: number }[]>(
      loader,
      "alice",
      "listunspent",
      [],
    );
    const small = coins.find((c) => c.amount < 1)!;
    const error = await fails(loader, "alice", "send", {
      outputs: { [bob]: 5 },
      options: { inputs: [{ txid: small.txid, vout: small.vout }], add_to_wallet: false },
    });
    assert.equal(error.code, -4);
    assert.match(error.message, /^The preselected coins total amount does not cover/);
    const sent = await ok<{ hex: string }>(loader, "alice", "send", {
      outputs: { [bob]: 5 },
      options: {
        inputs: [{ txid: small.txid, vout: small.vout }],
        add_inputs: true,
        add_to_wallet: false,
      },
    });
    const tx = decodeTransaction(hexToBytes(sent.hex));
    assert.equal(tx.inputs[0].prevout.txid, small.txid, "the preselected input comes first");
  } finally {
    await close();
  }
});

Deno.test("an external input needs solving data, or a weight, to be funded", async () => {
  const { chain, loader, close } = await setup();
  try {
    const bobAddress = await ok<string>(loader, "bob", "getnewaddress", []);
    await ok(loader, "alice", "sendtoaddress", [bobAddress, 2]);
    chain.mineBlock(Uint8Array.of(0x51), [...chain.mempool.values()]);
    const [utxo] = await ok<{ txid: string; vout: number }[]>(loader, "bob", "listunspent", []);
    const info = await ok<{ desc: string }>(loader, "bob", "getaddressinfo", [bobAddress]);
    const alice = await ok<string>(loader, "alice", "getnewaddress", []);
    const raw = rawTransaction([utxo], [[alice, 300_000_000n]]);
    const unsolvable = await fails(loader, "alice", "fundrawtransaction", [raw]);
    assert.deepEqual(unsolvable, {
      code: -4,
      message: `Not solvable pre-selected input COutPoint(${utxo.txid.slice(0, 10)}, ${utxo.vout})`,
    });
    const badWeight = await fails(loader, "alice", "fundrawtransaction", [raw, {
      input_weights: [{ txid: utxo.txid, vout: utxo.vout, weight: 164 }],
    }]);
    assert.equal(badWeight.code, -8);
    assert.match(badWeight.message, /weight cannot be less than 165/);
    const badKey = await fails(loader, "alice", "fundrawtransaction", [raw, {
      solving_data: { pubkeys: ["01234567890a0b0c0d0e0f"] },
    }]);
    assert.deepEqual(badKey, {
      code: -5,
      message: "'01234567890a0b0c0d0e0f' is not a valid public key",
    });

    const rate = { fee_rate: 2 };
    const byDescriptor = await ok<{ hex: string; fee: number }>(
      loader,
      "alice",
      "fundrawtransaction",
      [
        raw,
        { ...rate, solving_data: { descriptors: [info.desc] } },
      ],
    );
    const byWeight = async (weight: number) =>
      (await ok<{ fee: number }>(loader, "alice", "fundrawtransaction", [raw, {
        ...rate,
        input_weights: [{ txid: utxo.txid, vout: utxo.vout, weight }],
      }])).fee;
    assert.ok(await byWeight(1000) > await byWeight(300), "a heavier input pays more");
    const tx = decodeTransaction(hexToBytes(byDescriptor.hex));
    assert.equal(tx.inputs[0].prevout.txid, utxo.txid);
  } finally {
    await close();
  }
});

Deno.test("a watch-only wallet without a change descriptor cannot make change", async () => {
  const { chain, loader, close } = await setup();
  try {
    await ok(loader, "watch", "createwallet", ["watch", true, true, null, null, null, null, null]);
    const address = await ok<string>(loader, "alice", "getnewaddress", []);
    const info = await ok<{ desc: string }>(loader, "alice", "getaddressinfo", [address]);
    const imported = await ok<{ success: boolean }[]>(loader, "watch", "importdescriptors", [[{
      desc: info.desc,
      timestamp: "now",
    }]]);
    assert.ok(imported[0].success);
    await ok(loader, "alice", "sendtoaddress", [address, 0.0001]);
    chain.mineBlock(Uint8Array.of(0x51), [...chain.mempool.values()]);
    const bob = await ok<string>(loader, "bob", "getnewaddress", []);
    const error = await fails(loader, "watch", "walletcreatefundedpst", {
      inputs: [],
      outputs: [{ [bob]: 0.00005 }],
      subtractFeeFromOutputs: [0],
      feeRate: 0.0001,
    });
    assert.equal(error.code, -4);
    assert.match(error.message, /^Transaction needs a change address, but we can't generate it\./);
    // Spending the whole coin (worth 9 999 kria a block later) needs no change.
    const whole = await ok<{ fee: number }>(loader, "watch", "walletcreatefundedpst", {
      inputs: [],
      outputs: [{ [bob]: 0.00009999 }],
      subtractFeeFromOutputs: [0],
      feeRate: 0.0008,
    });
    // One P2WPK input and output: 115 vbytes at 80 sat/vB.
    assert.equal(whole.fee, 0.000092);
  } finally {
    await close();
  }
});

/** sendtoaddress with `verbose`, answering its fee reason and the estimate mode it asked for. */
async function sendVerbose(
  chain: FakeChain,
  loader: WalletLoaderService,
  options: Record<string, unknown>,
): Promise<{ reason: string; conservative: boolean | undefined }> {
  const bob = await ok<string>(loader, "bob", "getnewaddress", []);
  chain.estimateCalls.length = 0;
  const sent = await ok<{ fee_reason: string }>(loader, "alice", "sendtoaddress", {
    address: bob,
    amount: 0.5,
    verbose: true,
    ...options,
  });
  // The discard rate asks for the longest target; the fee rate for the confirmation target.
  const asked = chain.estimateCalls.find((c) => c.blocks === (options.conf_target ?? 6));
  return { reason: sent.fee_reason, conservative: asked?.conservative };
}

Deno.test("the fee reason is the estimator's, and RBF transactions ask for economical estimates", async () => {
  const { chain, loader, close } = await setup();
  try {
    assert.deepEqual(await sendVerbose(chain, loader, {}), {
      reason: "Fallback fee",
      conservative: false,
    });
    chain.feeRate = 5_000n;
    chain.feeReason = "double-estimate";
    assert.deepEqual(await sendVerbose(chain, loader, {}), {
      reason: "Double Target 95% Threshold",
      conservative: false,
    });
    chain.feeReason = "half-estimate";
    assert.deepEqual(await sendVerbose(chain, loader, { replaceable: false }), {
      reason: "Half Target 60% Threshold",
      conservative: true,
    });
    chain.feeReason = "conservative";
    assert.deepEqual(
      await sendVerbose(chain, loader, { estimate_mode: "conservative", conf_target: 3 }),
      { reason: "Conservative Double Target longer horizon", conservative: true },
    );
    chain.feeReason = "full-estimate";
    assert.deepEqual(
      await sendVerbose(chain, loader, { replaceable: false, estimate_mode: "economical" }),
      { reason: "Target 85% Threshold", conservative: false },
    );
  } finally {
    await close();
  }
});

Deno.test("an estimate is raised to the mempool minimum, then to the required fee rate", async () => {
  const { chain, loader, close } = await setup();
  try {
    chain.feeRate = 5_000n;
    chain.mempoolMinimumFee = 8_000n;
    assert.equal((await sendVerbose(chain, loader, {})).reason, "Mempool Min Fee");
    const txid = chain.broadcasts.at(-1)!.txidHex;
    const fee = -(await ok<{ fee: number }>(loader, "alice", "gettransaction", [txid])).fee;
    const vsize = chain.broadcasts.at(-1)!.virtualSize;
    assert.ok(
      Math.round(fee * 1e8) >= 8 * vsize,
      `fee ${fee} pays the mempool minimum for ${vsize} vB`,
    );
    // The fallback fee obeys the mempool minimum too.
    chain.feeRate = null;
    chain.mempoolMinimumFee = 30_000n;
    assert.equal((await sendVerbose(chain, loader, {})).reason, "Mempool Min Fee");
    // Below -minrelaytxfee (1000 kria/kvB here) the required rate wins.
    chain.feeRate = 500n;
    chain.mempoolMinimumFee = 0n;
    assert.equal((await sendVerbose(chain, loader, {})).reason, "Minimum Required Fee");
  } finally {
    await close();
  }
});

Deno.test("bumpfee refuses a fee rate below the mempool minimum", async () => {
  const { chain, loader, close } = await setup();
  try {
    const bob = await ok<string>(loader, "bob", "getnewaddress", []);
    const txid = await ok<string>(loader, "alice", "sendtoaddress", [bob, 0.5]);
    chain.mempoolMinimumFee = 100_000n;
    const error = await fails(loader, "alice", "bumpfee", [txid, { fee_rate: 50 }]);
    assert.deepEqual(error, {
      code: -4,
      message:
        "New fee rate (0.0005) is lower than the minimum fee rate (0.001) to get into the mempool -- ",
    });
    chain.mempoolMinimumFee = 0n;
    const bumped = await ok<{ txid: string }>(loader, "alice", "bumpfee", [txid, { fee_rate: 50 }]);
    assert.notEqual(bumped.txid, txid);
  } finally {
    await close();
  }
});

Deno.test("-walletnotify hears a mempool transaction a block's conflict removed, as unconfirmed", async () => {
  const notified: WalletNotifyEvent[] = [];
  const { chain, loader, close } = await setup(notified);
  try {
    const bob = await ok<string>(loader, "bob", "getnewaddress", []);
    const [coin] = await ok<{ txid: string; vout: number }[]>(loader, "alice", "listunspent", []);
    const inputs = [{ txid: coin.txid, vout: coin.vout }];
    // Signed but kept out of the wallet and the mempool: it is mined later, in a block.
    const unseen = await ok<{ hex: string }>(loader, "alice", "send", {
      outputs: { [bob]: 0.01 },
      options: { inputs, add_to_wallet: false },
    });
    const sent = await ok<{ txid: string }>(loader, "alice", "send", {
      outputs: { [bob]: 0.02 },
      options: { inputs },
    });
    await chain.waitForNotifications();
    notified.length = 0;
    const mined = decodeTransaction(hexToBytes(unseen.hex));
    const block = chain.mineBlock(Uint8Array.of(0x51), [mined]);
    await chain.waitForNotifications();
    const alice = notified.filter((e) => e.walletName === "alice");
    assert.deepEqual(alice.find((e) => e.txid === sent.txid), {
      txid: sent.txid,
      walletName: "alice",
      blockHash: "unconfirmed",
      blockHeight: -1,
    });
    assert.deepEqual(alice.find((e) => e.txid === mined.txidHex), {
      txid: mined.txidHex,
      walletName: "alice",
      blockHash: bytesToHex(block.hash.slice().reverse()),
      blockHeight: block.height,
    });
  } finally {
    await close();
  }
});
