/**
 * Test support (not exported): the recorded reference chain, replayed through our miner to a
 * height with a mempool wired to it.
 */
import { selectParams } from "../../../kernel/chain/mod.ts";
import { hexToBytes } from "../../../kernel/encoding/mod.ts";
import { timeAdjustValue } from "../../../kernel/amount/mod.ts";
import {
  type Block,
  decodeBlock,
  OutPoint,
  Transaction,
  TxIn,
  TxOut,
} from "../../../kernel/primitives/mod.ts";
import { generateBlocks } from "../mining/generate_blocks.ts";
import { TestChain } from "../mining/_test_chain.ts";
import { acceptToMemoryPool } from "./accept.ts";
import { Mempool, type MempoolOptions } from "./mempool.ts";

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

/** The framework's P2WSH anyone-can-spend output (`ADDRESS_FCRT1_P2WSH_OP_TRUE`). */
export const P2WSH_OP_TRUE = hexToBytes(
  "00200a79b1ef09c72139cad5b6909685b7a96afdbe5f35caab1a7fd06af8e1834f57",
);
/** Its witness: the inner-versioned script `00 51` and an empty proof. */
export const P2WSH_OP_TRUE_WITNESS: readonly Uint8Array[] = [
  new Uint8Array([0x00, 0x51]),
  new Uint8Array(0),
];

/** A spendable output of the test wallet. */
export interface TestCoin {
  readonly outpoint: OutPoint;
  readonly value: bigint;
  readonly refheight: number;
}

/**
 * A regtest chain of `height` blocks at mock time (genesis + 1 s per block) whose coinbases pay
 * the P2WSH OP_TRUE output, and the mature coinbase outputs (as MiniWallet uses them).
 */
export async function opTrueChain(
  height: number,
  options: Partial<MempoolOptions> = {},
): Promise<{ chain: TestChain; mempool: Mempool; now: () => number; coins: TestCoin[] }> {
  const params = selectParams("regtest");
  let time = 1356123600;
  const chain = new TestChain(params, () => time);
  const mempool = new Mempool(options);
  chain.listeners.push({
    connected: (block, entry) => mempool.removeForBlock(block.transactions, time, entry.height),
  });
  await generateBlocks(chain, mempool, P2WSH_OP_TRUE, height, 1e6, { now: () => ++time });
  const coins: TestCoin[] = [];
  for (let h = 1; h + 100 <= height; h++) {
    const coinbase = chain.blockAt(h)!.transactions[0];
    const n = coinbase.outputs.length - 1;
    coins.push({
      outpoint: new OutPoint(coinbase.txid, n),
      value: coinbase.outputs[n].value,
      refheight: coinbase.lockHeight,
    });
  }
  return { chain, mempool, now: () => time, coins };
}

/** Options of {@link spendCoins}. */
export interface SpendOptions {
  /** Total fee in kria (at the spend's lock_height). Default 1000. */
  readonly fee?: bigint;
  /** Number of equal outputs. Default 1. */
  readonly outputs?: number;
  /** nSequence of every input. Default 0xfffffffd (opting in to RBF). */
  readonly sequence?: number;
  /** lock_height; default the highest refheight spent (as MiniWallet does). */
  readonly lockHeight?: number;
  /** nVersion. Default 2. */
  readonly version?: number;
}

/** A transaction spending `coins` to P2WSH OP_TRUE outputs, and its new coins. */
export function spendCoins(
  coins: readonly TestCoin[],
  options: SpendOptions = {},
): { tx: Transaction; coins: TestCoin[] } {
  const lockHeight = options.lockHeight ?? Math.max(...coins.map((c) => c.refheight));
  let total = 0n;
  for (const coin of coins) total += timeAdjustValue(coin.value, lockHeight - coin.refheight);
  const count = options.outputs ?? 1;
  const each = (total - (options.fee ?? 1000n)) / BigInt(count);
  const tx = new Transaction({
    version: options.version ?? 2,
    inputs: coins.map((coin) =>
      new TxIn({
        prevout: coin.outpoint,
        sequence: options.sequence ?? 0xfffffffd,
        witness: P2WSH_OP_TRUE_WITNESS,
      })
    ),
    outputs: Array.from({ length: count }, () => new TxOut(each, P2WSH_OP_TRUE)),
    lockTime: 0,
    lockHeight,
  });
  return {
    tx,
    coins: tx.outputs.map((output, n) => ({
      outpoint: new OutPoint(tx.txid, n),
      value: output.value,
      refheight: lockHeight,
    })),
  };
}
