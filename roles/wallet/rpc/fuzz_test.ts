/**
 * Bounded fuzz: every wallet method called with random and mutated arguments answers a
 * well-formed reply (a result or an error), and the wallet stays usable and reloadable.
 */
import assert from "node:assert/strict";
import { NULL_LOGGER } from "../../../cli/logger.ts";
import { FakeChain } from "../_test_fake_chain.ts";
import { createWalletLoader } from "../wallet_loader.ts";
import { walletRpcMethods } from "./mod.ts";

/** A small deterministic generator (xorshift32), so failures reproduce. */
function generator(seed: number) {
  let state = seed >>> 0 || 1;
  return (below: number) => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state % below;
  };
}

const SAMPLES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1,
  0.5,
  1e300,
  "",
  "*",
  "legacy",
  "bech32",
  "0".repeat(64),
  "zz",
  "fcrt1qpfumrmcfcusnnjk4k6gfdpdh4940m0jlxh92kxnl6p403cvrfatsl6549x",
  "mjTkW3DjgyZck4KbiRusZsqTgaYTxdSz6z",
  "020000000001",
  [],
  [{}],
  [{ txid: "0".repeat(64), vout: 0 }],
  {},
  { desc: "raw(51)#qwmcd7n2", timestamp: "now" },
  { "fcrt1qpfumrmcfcusnnjk4k6gfdpdh4940m0jlxh92kxnl6p403cvrfatsl6549x": 1 },
];

Deno.test("random wallet calls always answer and leave a loadable wallet", async () => {
  const dir = await Deno.makeTempDir();
  const chain = new FakeChain();
  chain.mineBlock(Uint8Array.of(0x51));
  const options = {
    chain,
    walletDir: dir,
    network: "regtest" as const,
    logger: NULL_LOGGER,
    settings: { keypool: 2, fallbackFee: 20_000n },
  };
  let loader = createWalletLoader(options);
  const random = generator(20261124);
  // Methods that would end the session or need a file path are left out.
  const skip = new Set([
    "unloadwallet",
    "backupwallet",
    "restorewallet",
    "encryptwallet",
    "createwallet",
    "loadwallet",
  ]);
  const methods = walletRpcMethods().map((m) => m.name).filter((name) => !skip.has(name));
  try {
    await loader.executeRpc('{"method":"createwallet","params":["w"],"id":1}', "/", "t");
    let answered = 0;
    for (let i = 0; i < 400; i++) {
      const method = methods[random(methods.length)];
      const count = random(5);
      const params = Array.from({ length: count }, () => SAMPLES[random(SAMPLES.length)]);
      const text = await loader.executeRpc(
        JSON.stringify({ method, params, id: i }),
        "/wallet/w",
        "t",
      );
      const reply = JSON.parse(text);
      assert.equal(reply.id, i);
      if (reply.error === null) {
        assert.ok("result" in reply, `${method}: a reply without result`);
        answered++;
      } else {
        assert.equal(reply.result, null);
        assert.equal(typeof reply.error.code, "number");
        assert.equal(typeof reply.error.message, "string");
      }
    }
    assert.ok(answered > 0, "some calls succeed");
    assert.equal(
      JSON.parse(await loader.executeRpc("{not json", "/wallet/w", "t")).error.code,
      -32700,
    );
    await loader.shutdown();
    loader = createWalletLoader(options);
    const reloaded = JSON.parse(
      await loader.executeRpc('{"method":"loadwallet","params":["w"],"id":1}', "/", "t"),
    );
    assert.deepEqual(reloaded.result, { name: "w" });
    const balances = JSON.parse(
      await loader.executeRpc('{"method":"getbalances","id":2}', "/wallet/w", "t"),
    );
    assert.equal(balances.error, null);
  } finally {
    await loader.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
