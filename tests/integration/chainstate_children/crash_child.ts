/**
 * Child process of the chainstate crash test.
 *
 * - `crash_child.ts <dir>`: feeds the recorded regtest chain into the chainstate at `<dir>`
 *   with a tiny -dbcache (a flush every few blocks), printing "connected <height>" after each
 *   block, so that the parent can SIGKILL it anywhere.
 * - `crash_child.ts <dir> kill-in-flush <n>`: the same, with coins flushes split into
 *   5-change transactions; SIGKILLs itself after partial transaction `<n>` of the first flush
 *   that has that many.
 * - `crash_child.ts <dir> reorg-kill-in-flush <n>`: connects blocks 1..60, flushes, then
 *   reorganises to a 20-block branch forking at height 50 without flushing, and SIGKILLs itself
 *   inside the split flush that follows (old tip 60, new tip the branch's 70).
 */
import {
  feedBlocks,
  mineBranch,
  openTestChain,
  regtestChain,
} from "../../../roles/node/chain/_test_support.ts";

const [dir, mode, chunkArg] = Deno.args;
const killChunk = Number(chunkArg ?? -1);
const { blocks } = regtestChain();
const out = new TextEncoder();
const kill = (index: number) => {
  if (index === killChunk) Deno.kill(Deno.pid, "SIGKILL");
};

if (mode === "reorg-kill-in-flush") {
  const first = await openTestChain(dir);
  await feedBlocks(first, blocks, 1, 61);
  const branch = mineBranch(first.getBlockEntry(50)!, 20, 7);
  await first.close();
  const chain = await openTestChain(dir, { coinsFlushChunkSize: 3, afterCoinsFlushChunk: kill });
  // The first ten branch blocks are stored without being connected ("inconclusive").
  for (const block of branch) await chain.submitBlock(block);
  if (chain.tip?.hashHex !== branch[19].hashHex) throw new Error("no reorganisation");
  await chain.flush();
  await chain.close();
} else {
  const chain = await openTestChain(dir, {
    dbcacheMiB: 0.02,
    coinsFlushChunkSize: mode === "kill-in-flush" ? 5 : undefined,
    afterCoinsFlushChunk: mode === "kill-in-flush" ? kill : undefined,
  });
  for (let height = 1; height < blocks.length; height++) {
    await feedBlocks(chain, blocks, height, height + 1);
    Deno.stdout.writeSync(out.encode(`connected ${chain.height}\n`));
  }
  await chain.close();
}
