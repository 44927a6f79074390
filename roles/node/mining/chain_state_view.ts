/**
 * Adapts roles/node/chain's {@link ChainState} to the {@link MiningChainView} the miner and
 * mempool read, and wires the mempool to the chain's block notifications.
 *
 * @module
 */
import type { VersionBitsCache } from "../../../kernel/chain/mod.ts";
import { createScriptVerifier } from "../../../kernel/consensus/mod.ts";
import type { Secp256k1 } from "../../../kernel/secp256k1/mod.ts";
import {
  type BlockIndexEntry,
  BlockStatus,
  type ChainState,
  type ChainSubscription,
} from "../chain/mod.ts";
import type { MiningChainView } from "../mempool/chain_view.ts";
import {
  type Mempool,
  readdDisconnectedTransactions,
  removeForReorgAtTip,
} from "../mempool/mod.ts";

/** A {@link MiningChainView} over a {@link ChainState}. */
export function chainStateView(
  chainState: ChainState,
  secp256k1: Secp256k1,
  now: () => number,
): MiningChainView {
  const versionBitsCache: VersionBitsCache = new Map();
  return {
    params: chainState.params,
    verifyScript: createScriptVerifier(secp256k1),
    versionBitsCache,
    tip: () => {
      const tip = chainState.tip;
      if (!tip) throw new Error("chainstate has no tip");
      return tip;
    },
    getCoin: (outpoint) => chainState.getCoin(outpoint),
    finalTx: () => chainState.finalTx(),
    isInitialBlockDownload: () => chainState.isInitialBlockDownload(now()),
    lookupBlock: (hash) => {
      const entry = chainState.lookupBlockIndex(hash);
      if (!entry) return undefined;
      return {
        entry,
        isValid: entry.isValid(BlockStatus.VALID_SCRIPTS),
        isFailed: entry.failed,
        haveData: entry.haveData,
      };
    },
    processNewBlock: async (block) => {
      const result = await chainState.processNewBlock(block, { requested: true });
      const failure = result.checked && !result.checked.ok ? result.checked : undefined;
      return {
        accepted: result.accepted && !failure,
        isNew: result.newBlock,
        ...(failure ? { failure } : {}),
      };
    },
    processNewBlockHeaders: async (block) => {
      const result = await chainState.processBlockHeaders([block.header]);
      return result.ok ? { accepted: true } : { accepted: false, failure: result };
    },
  };
}

/**
 * How many blocks one `invalidateblock` offers back to the pool: freicoind re-adds the
 * transactions of the first ten it disconnects and drops the rest (keeping the mempool current
 * through a deep invalidation is futile).
 */
const MAX_INVALIDATED_BLOCKS_READDED = 10;

/**
 * Keeps `mempool` in step with the chain (`MaybeUpdateMempoolForReorg` as the node's
 * validation calls it): a connected block's transactions (and their conflicts) leave the pool
 * at once; a disconnected block's transactions are offered back at once, while its parent is
 * the tip (as `InvalidateBlock` does after each `DisconnectTip`), so the ancestor and
 * descendant limits apply to one block's transactions at a time and their inputs are still
 * in the chain. When the chainstate's operation is over — at the tip update, or once it has
 * returned (an `invalidateblock` ends without one) — the whole pool is judged against the
 * final tip (finality, BIP68, coinbase maturity) and trimmed. Transactions that a new branch
 * confirms leave the pool as that branch connects.
 */
export function attachMempoolToChain(
  mempool: Mempool,
  chainState: ChainState,
  view: MiningChainView,
  now: () => number,
): ChainSubscription {
  let disconnectedEntries: BlockIndexEntry[] = [];
  let scheduled = false;
  const finish = () => {
    scheduled = false;
    if (disconnectedEntries.length === 0) return;
    disconnectedEntries = [];
    removeForReorgAtTip(mempool, view, now());
  };
  return chainState.subscribe({
    blockConnected: (block, entry) => {
      mempool.addTransactionsUpdated(1);
      mempool.removeForBlock(block.transactions, now(), entry.height);
    },
    blockDisconnected: (block, entry) => {
      mempool.addTransactionsUpdated(1);
      // An invalidation marks each block failed once it is disconnected; a reorganisation
      // does not, and re-adds however deep it goes.
      const previous = disconnectedEntries.at(-1);
      const invalidating = previous !== undefined &&
        (previous.status & BlockStatus.FAILED_MASK) !== 0;
      disconnectedEntries.push(entry);
      const addToMempool = !invalidating ||
        disconnectedEntries.length <= MAX_INVALIDATED_BLOCKS_READDED;
      readdDisconnectedTransactions(mempool, view, block.transactions, now(), addToMempool);
      if (!scheduled) {
        scheduled = true;
        queueMicrotask(finish);
      }
    },
    updatedTip: finish,
  });
}
