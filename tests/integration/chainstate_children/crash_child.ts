/**
 * Child process of the chainstate crash test: feeds the recorded regtest chain into the
 * chainstate at `Deno.args[0]` with a tiny -dbcache (a flush every few blocks), printing
 * "connected <height>" after each block. With `Deno.args[1] = "kill-in-flush"` it splits
 * coins flushes into 5-change transactions and SIGKILLs itself after partial transaction
 * number `Deno.args[2]` of the first flush that has that many.
 */
import {
  feedBlocks,
  openTestChain,
  regtestChain,
} from "../../../roles/node/chain/_test_support.ts";

const [dir, mode, chunkArg] = Deno.args;
const killChunk = mode === "kill-in-flush" ? Number(chunkArg) : -1;
const chain = await openTestChain(dir, {
  dbcacheMiB: 0.02,
  coinsFlushChunkSize: mode === "kill-in-flush" ? 5 : undefined,
  afterCoinsFlushChunk: (index) => {
    if (index === killChunk) Deno.kill(Deno.pid, "SIGKILL");
  },
});
const { blocks } = regtestChain();
const out = new TextEncoder();
for (let height = 1; height < blocks.length; height++) {
  await feedBlocks(chain, blocks, height, height + 1);
  Deno.stdout.writeSync(out.encode(`connected ${chain.height}\n`));
}
await chain.close();
