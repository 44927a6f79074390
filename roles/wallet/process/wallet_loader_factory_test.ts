import assert from "node:assert/strict";
import { Args } from "../../../cli/args/args.ts";
import { nodeOptionRegistry } from "../../../cli/args/option_registry.ts";
import { NULL_LOGGER } from "../../../cli/logger.ts";
import { createPureSecp256k1 } from "../../../kernel/secp256k1/mod.ts";
import { FakeChain } from "../_test_fake_chain.ts";
import type { WalletLoaderService } from "../wallet_loader.ts";
import { makeWalletLoader } from "./wallet_loader_factory.ts";

function regtestArgs(): Args {
  const args = new Args(nodeOptionRegistry());
  args.parseCommandLine(["-regtest"]);
  return args;
}

Deno.test("the loader signs with the backend it is handed (freicoind's node passes its own)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "wallet-factory-" });
  const secp = createPureSecp256k1();
  const loader = makeWalletLoader({
    chain: new FakeChain(),
    walletDir: dir,
    args: regtestArgs(),
    logger: NULL_LOGGER,
    startupWallets: { read: () => Promise.resolve([]), write: () => Promise.resolve() },
    secp,
  }) as WalletLoaderService;
  const fallback = makeWalletLoader({
    chain: new FakeChain(),
    walletDir: dir,
    args: regtestArgs(),
    logger: NULL_LOGGER,
    startupWallets: { read: () => Promise.resolve([]), write: () => Promise.resolve() },
  }) as WalletLoaderService;
  try {
    assert.equal(loader.secp, secp);
    assert.notEqual(fallback.secp, secp, "without one it makes its own pure backend");
  } finally {
    await loader.shutdown();
    await fallback.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
