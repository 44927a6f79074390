/**
 * The wallet against the reference node's own answers: a watch-only wallet holding the public
 * descriptors of the reference wallet that mined `regtest-chain-158.json` follows the same
 * blocks and must give the balances, coins and transactions freicoind gave
 * (`regtest-rpc-samples.json`), to the kria.
 */
import assert from "node:assert/strict";
import { NULL_LOGGER } from "../../cli/logger.ts";
import { hexToBytes } from "../../kernel/encoding/mod.ts";
import { decodeBlock } from "../../kernel/primitives/mod.ts";
import { FakeChain } from "./_test_fake_chain.ts";
import { createWalletLoader, type WalletLoaderService } from "./wallet_loader.ts";

const VECTORS = new URL("../../../shared/vectors/", import.meta.url);
const chainVector = JSON.parse(
  Deno.readTextFileSync(new URL("regtest-chain-158.json", VECTORS)),
) as { blocks: string[] };
const samples = JSON.parse(
  Deno.readTextFileSync(new URL("regtest-rpc-samples.json", VECTORS)),
).samples as Record<string, { call: unknown[]; result: unknown }>;

/** The reference node's clock when it made the samples' transactions. */
const REFERENCE_TIME = 1795491904;

async function rpc(loader: WalletLoaderService, method: string, params: unknown[]) {
  const reply = JSON.parse(
    await loader.executeRpc(JSON.stringify({ method, params, id: 1 }), "/wallet/w", "test"),
  );
  if (reply.error !== null) throw new Error(`${method}: ${JSON.stringify(reply.error)}`);
  return reply.result;
}

/**
 * The reference wallet's descriptors were created from its master key, so it lists them as
 * `wpk(<master tpub>/84h/1h/0h/0/*)`; the watch-only copy holds the normalized
 * `wpk([fingerprint/84h/1h/0h]<account tpub>/0/*)` form `listdescriptors` printed.
 */
function normalizedParents(value: unknown): unknown {
  const normalized = (samples.listdescriptors.result as { descriptors: { desc: string }[] })
    .descriptors.map((d) => d.desc);
  const text = JSON.stringify(value).replace(
    /"(pkh|wpk)\(tpubD6NzVbkrYhZ4YHsar8EewsrZpNXE9hY4VdBRJHtTw6rfV7knChornrmHzeW3cjuPchZYjcBHuhbf2STGv3WufrqqJtVuVXYVzA76R2SPs2r\/(44|84)h\/1h\/0h\/([01])\/\*\)#[a-z0-9]{8}"/g,
    (_match, kind, _purpose, branch) =>
      JSON.stringify(normalized.find((d) => d.startsWith(kind) && d.includes(`/${branch}/*)`))),
  );
  return JSON.parse(text);
}

/** The sample's params without the trailing {wallet} routing object. */
function params(name: string): unknown[] {
  return samples[name].call.slice(1, -1);
}

async function watchOnlyReferenceWallet(dir: string) {
  const chain = new FakeChain();
  chain.connectBlock(hexToBytes(chainVector.blocks[0]));
  const loader = createWalletLoader({
    chain,
    walletDir: dir,
    network: "regtest",
    logger: NULL_LOGGER,
    clock: () => REFERENCE_TIME * 1000,
    settings: { keypool: 3 },
  });
  await rpc(loader, "createwallet", ["w", true, true, null, null, null, null, null]);
  const descriptors = (samples.listdescriptors.result as {
    descriptors: { desc: string; internal: boolean; range: [number, number] }[];
  }).descriptors;
  const requests = descriptors.map((d) => ({
    desc: d.desc,
    timestamp: "now",
    internal: d.internal,
    // The reference used 0..1001; the chain only pays to the first few positions.
    range: [0, 9],
  }));
  const imported = await rpc(loader, "importdescriptors", [requests]);
  assert.deepEqual(imported.map((r: { success: boolean }) => r.success), [true, true, true, true]);
  // The reference wallet made these receive addresses with getnewaddress (default label "").
  for (
    const address of [
      "fcrt1qn98dnpkj6rh0dzj8sn8t97hytqumjgwd9zn0jk",
      "fcrt1q8mtf0auqclufj82l6y3swwgs60vxwpvhk7s7pz",
      "mrWmC5SJ9RpURXKbtZuApTJ4v8fnQpwXWg",
    ]
  ) {
    await rpc(loader, "setlabel", [address, ""]);
  }
  return { chain, loader };
}

Deno.test("a watch-only copy of the reference wallet reaches freicoind's balances at height 151", async () => {
  const dir = await Deno.makeTempDir();
  const { chain, loader } = await watchOnlyReferenceWallet(dir);
  try {
    for (let h = 1; h <= 151; h++) chain.connectBlock(hexToBytes(chainVector.blocks[h]));
    const balances = await rpc(loader, "getbalances", []);
    assert.deepEqual(balances, samples.getbalances.result);
    assert.equal(await rpc(loader, "getbalance", []), samples.getbalance.result);
    // freicoind lists coins in hash-table order; compare the two it showed by txid.
    const unspent = await rpc(loader, "listunspent", []) as { txid: string }[];
    for (
      const expected of normalizedParents(samples.listunspent_first2.result) as { txid: string }[]
    ) {
      assert.deepEqual(unspent.find((coin) => coin.txid === expected.txid), expected);
    }
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the reference wallet's send looks as freicoind showed it, in the mempool and mined", async () => {
  const dir = await Deno.makeTempDir();
  const { chain, loader } = await watchOnlyReferenceWallet(dir);
  try {
    for (let h = 1; h <= 151; h++) chain.connectBlock(hexToBytes(chainVector.blocks[h]));
    const block152 = decodeBlock(hexToBytes(chainVector.blocks[152]));
    const send = block152.transactions[1];
    const accepted = await chain.broadcastTransaction(send.toBytes());
    assert.deepEqual(accepted, { ok: true });
    const details = await rpc(loader, "gettransaction", params("gettransaction_send"));
    assert.deepEqual(details, normalizedParents(samples.gettransaction_send.result));
    // verbose=true adds the decoded transaction, as getrawtransaction showed it (without hex).
    const verbose = await rpc(loader, "gettransaction", [
      ...params("gettransaction_send"),
      false,
      true,
    ]);
    const { hex: _hex, ...decoded } = samples.getrawtransaction_mempool_verbose.result as Record<
      string,
      unknown
    >;
    assert.deepEqual(verbose.decoded, decoded);

    chain.connectBlock(hexToBytes(chainVector.blocks[152]));
    const listed = await rpc(loader, "listtransactions", params("listtransactions"));
    assert.deepEqual(listed, normalizedParents(samples.listtransactions.result));
    const query = params("listunspent_atheight");
    query[4] = { atheight: 1000 };
    const atHeight = await rpc(loader, "listunspent", query) as { txid: string }[];
    for (
      const expected of normalizedParents(samples.listunspent_atheight.result) as { txid: string }[]
    ) {
      assert.deepEqual(atHeight.find((coin) => coin.txid === expected.txid), expected);
    }
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
