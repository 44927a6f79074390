/**
 * Adapts roles/node/chain's {@link ChainState} to the {@link MiningChainView} the miner and
 * mempool read, and wires the mempool to the chain's block notifications.
 *
 * @module
 */
import type { VersionBitsCache } from "../../../kernel/chain/mod.ts";
import { createScriptVerifier } from "../../../kernel/consensus/mod.ts";
import type { Secp256k1 } from "../../../kernel/secp256k1/mod.ts";
import { BlockStatus, type ChainState, type ChainSubscription } from "../chain/mod.ts";
import type { MiningChainView } from "../mempool/chain_view.ts";
import { type Mempool, updateMempoolForReorg } from "../mempool/mod.ts";

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
 * Keeps `mempool` in step with the chain: a connected block's transactions (and conflicts)
 * leave the pool; a disconnected block's transactions are offered back at once, against the
 * block's parent, which is then the tip (`MaybeUpdateMempoolForReorg`). After a
 * reorganisation's new blocks connect, entries that are no longer final, are sequence-locked
 * or spend a now-immature coinbase are dropped.
 */
export function attachMempoolToChain(
  mempool: Mempool,
  chainState: ChainState,
  view: MiningChainView,
  now: () => number,
): ChainSubscription {
  let reorganised = false;
  return chainState.subscribe({
    blockConnected: (block) => {
      mempool.addTransactionsUpdated(1);
      mempool.removeForBlock(block.transactions, now());
    },
    blockDisconnected: (block) => {
      mempool.addTransactionsUpdated(1);
      reorganised = true;
      updateMempoolForReorg(mempool, view, block.transactions, now());
    },
    updatedTip: () => {
      if (!reorganised) return;
      reorganised = false;
      updateMempoolForReorg(mempool, view, [], now());
    },
  });
}
