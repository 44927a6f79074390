/**
 * Child of wallet_crash_test.ts: a wallet that keeps writing (new addresses, and a block paying
 * it after each one) until it is killed. Prints "blocks <n>" every few blocks.
 *
 * Usage: deno run --allow-read=<dir> --allow-write=<dir> wallet_crash_child.ts <dir>
 */
import { NULL_LOGGER } from "../../cli/logger.ts";
import {
  decodeDestination,
  REGTEST_PREFIXES,
  scriptForDestination,
} from "../../kernel/address/mod.ts";
import { FakeChain } from "../../roles/wallet/_test_fake_chain.ts";
import { createWalletLoader } from "../../roles/wallet/mod.ts";

const dir = Deno.args[0];
const chain = new FakeChain();
chain.mineBlock(Uint8Array.of(0x51));
const loader = createWalletLoader({
  chain,
  walletDir: dir,
  network: "regtest",
  logger: NULL_LOGGER,
  settings: { keypool: 2 },
});

async function rpc(method: string, params: unknown[]): Promise<unknown> {
  const reply = JSON.parse(
    await loader.executeRpc(JSON.stringify({ method, params, id: 1 }), "/wallet/w", "child"),
  );
  if (reply.error !== null) throw new Error(reply.error.message);
  return reply.result;
}

await rpc("createwallet", ["w", null, null, null, null, null, null, null]);
const out = new TextEncoder();
for (let blocks = 1;; blocks++) {
  const address = await rpc("getnewaddress", []) as string;
  const decoded = decodeDestination(address, REGTEST_PREFIXES);
  if (!decoded.ok) throw new Error("bad address");
  chain.mineBlock(scriptForDestination(decoded.destination));
  await chain.waitForNotifications();
  if (blocks % 5 === 0) await Deno.stdout.write(out.encode(`blocks ${blocks}\n`));
}
