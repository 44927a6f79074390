/**
 * Test support (not exported): the recorded reference chain, replayed through our miner to a
 * height with a mempool wired to it.
 */
import { selectParams } from "../../../kernel/chain/mod.ts";
import { hexToBytes } from "../../../kernel/encoding/mod.ts";
import { type Block, decodeBlock } from "../../../kernel/primitives/mod.ts";
import { generateBlocks } from "../mining/generate_blocks.ts";
import { TestChain } from "../mining/_test_chain.ts";
import { acceptToMemoryPool } from "./accept.ts";
import { Mempool } from "./mempool.ts";

/** Where the shared vectors live. */
export const VECTORS = new URL("../../../../shared/vectors/", import.meta.url);
/** The reference chain, genesis first. */
export const blocks: Block[] = (JSON.parse(
  Deno.readTextFileSync(new URL("regtest-chain-158.json", VECTORS)),
) as { blocks: string[] }).blocks.map((hex) => decodeBlock(hexToBytes(hex)));

/** The reference chain replayed to `height` through our miner, with its mempool wired. */
/** A test chain at `height` built from the reference blocks, with its mempool. */
export async function chainAt(
  height: number,
): Promise<{ chain: TestChain; mempool: Mempool; now: number }> {
  const params = selectParams("regtest");
  let now = 0;
  const chain = new TestChain(params, () => now);
  const mempool = new Mempool();
  chain.listeners.push({ connected: (block) => mempool.removeForBlock(block.transactions, now) });
  for (let h = 1; h <= height; h++) {
    now = blocks[h].header.time;
    for (const tx of blocks[h].transactions.slice(1, -1)) {
      acceptToMemoryPool(mempool, chain, tx, { acceptTime: now });
    }
    const script = blocks[h].transactions[0].outputs.at(-1)!.scriptPubKey;
    await generateBlocks(chain, mempool, script, 1, 1e6, { now: () => now });
  }
  return { chain, mempool, now };
}
