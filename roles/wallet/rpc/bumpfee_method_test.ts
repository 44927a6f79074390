/**
 * bumpfee on an in-memory chain: option checks in freicoind's order and a real replacement
 * that pays more, spends the original's inputs again and marks both transactions.
 */
import assert from "node:assert/strict";
import { NULL_LOGGER } from "../../../cli/logger.ts";
import {
  decodeDestination,
  REGTEST_PREFIXES,
  scriptForDestination,
} from "../../../kernel/address/mod.ts";
import { hexToBytes } from "../../../kernel/encoding/mod.ts";
import { decodeTransaction } from "../../../kernel/primitives/mod.ts";
import { FakeChain } from "../_test_fake_chain.ts";
import { createWalletLoader, type WalletLoaderService } from "../wallet_loader.ts";

async function call(
  loader: WalletLoaderService,
  method: string,
  params: unknown[] | Record<string, unknown>,
): Promise<{ result: unknown; error: { code: number; message: string } | null }> {
  const request = JSON.stringify({ method, params, id: 1 });
  return JSON.parse(await loader.executeRpc(request, "/wallet/w", "test"));
}

async function ok<T>(
  loader: WalletLoaderService,
  method: string,
  params: unknown[] | Record<string, unknown> = [],
): Promise<T> {
  const reply = await call(loader, method, params);
  if (reply.error) throw new Error(`${method}: ${reply.error.message}`);
  return reply.result as T;
}

async function setup() {
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
  await ok(loader, "createwallet", ["w"]);
  const address = await ok<string>(loader, "getnewaddress");
  const decoded = decodeDestination(address, REGTEST_PREFIXES);
  if (!decoded.ok) throw new Error("bad address");
  chain.mineBlocks(2, scriptForDestination(decoded.destination));
  chain.mineBlocks(100, Uint8Array.of(0x51));
  const txid = await ok<string>(loader, "sendtoaddress", {
    address: await ok<string>(loader, "getnewaddress"),
    amount: 1,
    replaceable: true,
  });
  return {
    loader,
    txid,
    async close() {
      await loader.shutdown();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("bumpfee checks its options as freicoind does", async () => {
  const { loader, txid, close } = await setup();
  try {
    const cases: [Record<string, unknown>, number, string][] = [
      [
        { confTarget: 2, conf_target: 3 },
        -8,
        "confTarget and conf_target options should not both be set",
      ],
      [{ outputs: [] }, -8, "Invalid parameter, output argument cannot be an empty array"],
      [{ original_change_index: -1 }, -1, "JSON integer out of range"],
      [{ original_change_index: 5 }, -8, "Change position is out of range"],
      [
        { estimate_mode: "foo" },
        -8,
        'Invalid estimate_mode parameter, must be one of: "unset", "economical", "conservative"',
      ],
      [{ totalFee: 1 }, -3, "Unexpected key totalFee"],
      [{ fee_rate: 1 }, -8, "Insufficient total fee"],
    ];
    for (const [options, code, message] of cases) {
      const reply = await call(loader, "bumpfee", [txid, options]);
      assert.ok(reply.error, JSON.stringify(options));
      assert.equal(reply.error.code, code, JSON.stringify(options));
      assert.ok(reply.error.message.startsWith(message), reply.error.message);
    }
  } finally {
    await close();
  }
});

Deno.test("bumpfee replaces the transaction with one paying more from the same inputs", async () => {
  const { loader, txid, close } = await setup();
  try {
    const original = await ok<{ hex: string; fee: number }>(loader, "gettransaction", [txid]);
    const bumped = await ok<{ txid: string; origfee: number; fee: number; errors: string[] }>(
      loader,
      "bumpfee",
      { txid, fee_rate: 25 },
    );
    assert.equal(bumped.origfee, -original.fee);
    assert.ok(bumped.fee > bumped.origfee);
    assert.deepEqual(bumped.errors, []);
    const before = decodeTransaction(hexToBytes(original.hex));
    const after = decodeTransaction(
      hexToBytes((await ok<{ hex: string }>(loader, "gettransaction", [bumped.txid])).hex),
    );
    const spent = (tx: typeof before) => tx.inputs.map((i) => i.prevout.toString()).sort();
    for (const prevout of spent(before)) assert.ok(spent(after).includes(prevout));
    const again = await call(loader, "bumpfee", [txid]);
    assert.equal(again.error?.code, -4);
    assert.match(again.error!.message, /already bumped by transaction/);
  } finally {
    await close();
  }
});
