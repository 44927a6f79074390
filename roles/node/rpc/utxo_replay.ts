/**
 * The UTXO set as a list, for scantxoutset: the chainstate's own iteration when it offers one
 * (`unspentOutputs()`), otherwise a replay of the active chain's blocks kept per chainstate and
 * brought forward block by block while the chain only grows (rebuilt after a reorganisation).
 *
 * @module
 */
import { RPC_ERROR, RpcError } from "../../../rpc/mod.ts";
import { type Coin, isUnspendableScript } from "../../../kernel/consensus/mod.ts";
import { bytesToHex, compareBytes } from "../../../kernel/encoding/mod.ts";
import { OutPoint } from "../../../kernel/primitives/mod.ts";
import type { BlockIndexEntry } from "../chain/block_index_entry.ts";
import type { ChainState } from "../chain/chain_state.ts";

/** One unspent output and where it is. */
export interface UnspentOutput {
  readonly outpoint: OutPoint;
  readonly coin: Coin;
}

interface Replay {
  tip: BlockIndexEntry | undefined;
  readonly coins: Map<string, UnspentOutput>;
}

const replays = new WeakMap<ChainState, Replay>();

function keyOf(hash: Uint8Array, n: number): string {
  return `${bytesToHex(hash)}:${n}`;
}

/** Applies the active chain's blocks above `replay.tip` up to the current tip. */
function bringForward(chain: ChainState, replay: Replay): void {
  // The genesis coinbase is not in the UTXO set.
  for (let height = Math.max(1, (replay.tip?.height ?? 0) + 1); height <= chain.height; height++) {
    const entry = chain.getBlockEntry(height)!;
    const block = chain.readBlock(entry);
    if (!block) throw new RpcError(RPC_ERROR.MISC_ERROR, "Block not found on disk");
    for (const tx of block.transactions) {
      if (!tx.isCoinBase()) {
        for (const input of tx.inputs) {
          replay.coins.delete(keyOf(input.prevout.hash, input.prevout.n));
        }
      }
      tx.outputs.forEach((output, n) => {
        if (isUnspendableScript(output.scriptPubKey)) return;
        replay.coins.set(keyOf(tx.txid, n), {
          outpoint: new OutPoint(tx.txid, n),
          coin: { output, height, isCoinBase: tx.isCoinBase(), refheight: tx.lockHeight },
        });
      });
    }
  }
  replay.tip = chain.tip;
}

/** Every unspent output at the tip, in the coins database's key order (txid bytes, then index). */
export async function unspentOutputs(chain: ChainState): Promise<UnspentOutput[]> {
  const own = (chain as unknown as {
    unspentOutputs?: () => Promise<UnspentOutput[]> | UnspentOutput[];
  }).unspentOutputs;
  if (typeof own === "function") return await own.call(chain);
  let replay = replays.get(chain);
  if (!replay || (replay.tip !== undefined && !chain.contains(replay.tip))) {
    replay = { tip: undefined, coins: new Map() };
    replays.set(chain, replay);
  }
  bringForward(chain, replay);
  return [...replay.coins.values()].sort((a, b) =>
    compareBytes(a.outpoint.hash, b.outpoint.hash) || a.outpoint.n - b.outpoint.n
  );
}
