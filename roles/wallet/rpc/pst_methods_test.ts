/**
 * walletprocesspst on a watch-only copy of the reference wallet (the public descriptors
 * freicoind listed), against the PST freicoind's own wallet produced.
 */
import assert from "node:assert/strict";
import { NULL_LOGGER } from "../../../cli/logger.ts";
import { bytesToHex, hexToBytes } from "../../../kernel/encoding/mod.ts";
import { hash160 } from "../../../kernel/hash/mod.ts";
import { createPureSecp256k1 } from "../../../kernel/secp256k1/mod.ts";
import { decodeHexPst, encodeHexPst, finalizePst } from "../../../common/pst/mod.ts";
import { FakeChain } from "../_test_fake_chain.ts";
import { createWalletLoader, type WalletLoaderService } from "../wallet_loader.ts";

const VECTORS = new URL("../../../../shared/vectors/", import.meta.url);
const chainVector = JSON.parse(
  Deno.readTextFileSync(new URL("regtest-chain-158.json", VECTORS)),
) as { blocks: string[] };
const samples = JSON.parse(
  Deno.readTextFileSync(new URL("regtest-rpc-samples.json", VECTORS)),
).samples as Record<string, { call: unknown[]; result: unknown }>;

async function rpc(loader: WalletLoaderService, method: string, params: unknown[]) {
  const reply = JSON.parse(
    await loader.executeRpc(JSON.stringify({ method, params, id: 1 }), "/wallet/w", "test"),
  );
  if (reply.error !== null) return { __error__: reply.error };
  return reply.result;
}

async function watchOnlyWallet(dir: string) {
  const chain = new FakeChain();
  chain.connectBlock(hexToBytes(chainVector.blocks[0]));
  const loader = createWalletLoader({
    chain,
    walletDir: dir,
    network: "regtest",
    logger: NULL_LOGGER,
    clock: () => 1795491904 * 1000,
    settings: { keypool: 3 },
  });
  await rpc(loader, "createwallet", ["w", true, true, null, null, null, null, null]);
  const descriptors = (samples.listdescriptors.result as {
    descriptors: { desc: string; internal: boolean }[];
  }).descriptors;
  const requests = descriptors.map((d) => ({
    desc: d.desc,
    timestamp: "now",
    internal: d.internal,
    range: [0, 20],
  }));
  await rpc(loader, "importdescriptors", [requests]);
  for (let h = 1; h < chainVector.blocks.length; h++) {
    chain.connectBlock(hexToBytes(chainVector.blocks[h]));
  }
  return loader;
}

Deno.test("walletprocesspst fills in the wallet's UTXO, scripts and key origins", async () => {
  const dir = await Deno.makeTempDir();
  const loader = await watchOnlyWallet(dir);
  try {
    const sample = samples.walletprocesspst;
    const unsigned = sample.call[1] as string;
    const expected = decodeHexPst((sample.result as { pst: string }).pst);
    const answer = await rpc(loader, "walletprocesspst", [unsigned, false]);
    assert.equal(answer.complete, false);
    assert.equal(answer.hex, undefined);
    const ours = decodeHexPst(answer.pst);
    // The same previous transaction, witness UTXO and output description as freicoind.
    assert.equal(
      ours.inputs[0].nonWitnessUtxo?.txidHex,
      expected.inputs[0].nonWitnessUtxo?.txidHex,
    );
    assert.deepEqual(ours.inputs[0].witnessUtxo, expected.inputs[0].witnessUtxo);
    assert.deepEqual(ours.outputs, expected.outputs);
    // Unsigned, the input keeps its witness script and origin for a signer.
    assert.equal(ours.inputs[0].witnessEntry?.script.length, 36);
    assert.equal(ours.inputs[0].hdKeypaths.size, 1);
    // With the signature freicoind made, finalizing gives freicoind's processed PST exactly.
    const [sig, script] = expected.inputs[0].finalScriptWitness!;
    const pubkey = script.slice(2, 35);
    ours.inputs[0].partialSigs.set(bytesToHex(hash160(pubkey)), { pubkey, sig });
    assert.equal(finalizePst(createPureSecp256k1(), ours), true);
    assert.equal(encodeHexPst(ours), (sample.result as { pst: string }).pst);
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("walletprocesspst rejects a bad PST and an unknown sighash type", async () => {
  const dir = await Deno.makeTempDir();
  const loader = await watchOnlyWallet(dir);
  try {
    assert.deepEqual(await rpc(loader, "walletprocesspst", ["00"]), {
      __error__: {
        code: -22,
        message: "TX decode failed DataStream::read(): end of data: iostream error",
      },
    });
    const unsigned = samples.walletprocesspst.call[1] as string;
    assert.deepEqual(await rpc(loader, "walletprocesspst", [unsigned, true, "BAD"]), {
      __error__: { code: -8, message: "'BAD' is not a valid sighash parameter." },
    });
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
