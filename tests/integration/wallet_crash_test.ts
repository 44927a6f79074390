/**
 * `kill -9` of a process writing to a wallet leaves a wallet that loads, with every block's
 * changes either fully there or not at all.
 */
import assert from "node:assert/strict";
import { NULL_LOGGER } from "../../cli/logger.ts";
import { REGTEST_PREFIXES } from "../../kernel/address/mod.ts";
import { createPureSecp256k1 } from "../../kernel/secp256k1/mod.ts";
import { FakeChain } from "../../roles/wallet/_test_fake_chain.ts";
import { createWalletLoader, DEFAULT_WALLET_SETTINGS, Wallet } from "../../roles/wallet/mod.ts";

const CHILD = new URL("./wallet_crash_child.ts", import.meta.url).pathname;

async function killAfterBlocks(dir: string, blocks: number, extraMs: number): Promise<void> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      `--allow-read=${dir},${new URL("../../", import.meta.url).pathname}`,
      `--allow-write=${dir}`,
      CHILD,
      dir,
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    while (!text.includes(`blocks ${blocks}\n`)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`child ended early: ${text}`);
      text += decoder.decode(value);
    }
    // Kill in the middle of later writes, not at a line boundary.
    await new Promise((resolve) => setTimeout(resolve, extraMs));
    child.kill("SIGKILL");
  } finally {
    reader.releaseLock();
    await child.stdout.cancel().catch(() => {});
    await child.stderr.cancel().catch(() => {});
    await child.status;
  }
}

Deno.test("a wallet killed with SIGKILL mid-write reopens consistent and loads", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const extraMs of [0, 37, 113]) {
      await Deno.remove(dir, { recursive: true });
      await Deno.mkdir(dir);
      await killAfterBlocks(dir, 10, extraMs);

      // Read the file as it was left.
      const chain = new FakeChain();
      chain.mineBlock(Uint8Array.of(0x51));
      const wallet = Wallet.open("w", `${dir}/w/wallet.dat`, {
        ...DEFAULT_WALLET_SETTINGS,
        chain,
        prefixes: REGTEST_PREFIXES,
        isTestChain: true,
        secp: createPureSecp256k1(),
        logger: NULL_LOGGER,
        now: () => 0,
      });
      try {
        const height = wallet.lastBlockHeight;
        assert.ok(height >= 10, `at least 10 blocks were processed (got ${height})`);
        // Each block paid the wallet once, written with the block marker in one transaction.
        const confirmed = [...wallet.txs.values()].filter((wtx) => wtx.state === "confirmed");
        assert.equal(confirmed.length, height);
        assert.deepEqual(
          confirmed.map((wtx) => wtx.blockHeight).sort((a, b) => a! - b!),
          Array.from({ length: height }, (_, i) => i + 1),
        );
        // Every paid script is known, and the receive descriptor moved past it.
        const receive = wallet.activeManager("bech32", false)!;
        for (const wtx of confirmed) {
          const script = wtx.tx.outputs[0].scriptPubKey;
          assert.equal(wallet.ownerOf(script), receive);
        }
        assert.ok(receive.row.nextIndex >= height);
        assert.ok(receive.row.rangeEnd >= receive.row.nextIndex);
      } finally {
        wallet.close();
      }

      // And the loader loads it (against another chain: its blocks are simply not there).
      const loader = createWalletLoader({
        chain,
        walletDir: dir,
        network: "regtest",
        logger: NULL_LOGGER,
      });
      const reply = JSON.parse(
        await loader.executeRpc('{"method":"loadwallet","params":["w"],"id":1}', "/", "test"),
      );
      assert.deepEqual(reply.result, { name: "w" });
      await loader.shutdown();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
