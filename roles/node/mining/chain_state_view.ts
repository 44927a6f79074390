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
import type { Transaction } from "../../../kernel/primitives/mod.ts";

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
 * Keeps `mempool` in step with the chain (`MaybeUpdateMempoolForReorg` as the node's
 * validation calls it): a connected block's transactions (and their conflicts) leave the pool
 * at once; the transactions of disconnected blocks are collected and offered back when the
 * reorganisation is over — at the tip update, or once the chainstate's current operation has
 * returned (an `invalidateblock` ends without one) — and judged against the final tip, as are
 * the entries already in the pool (finality, BIP68, coinbase maturity). Transactions that the
 * new branch confirmed are not offered back.
 */
export function attachMempoolToChain(
  mempool: Mempool,
  chainState: ChainState,
  view: MiningChainView,
  now: () => number,
): ChainSubscription {
  let disconnected: Transaction[][] = [];
  let confirmedDuring = new Set<string>();
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (disconnected.length === 0) return;
    // Oldest disconnected block first, so parents come back before their children.
    const txs = disconnected.reverse().flat().filter((tx) => !confirmedDuring.has(tx.txidHex));
    disconnected = [];
    confirmedDuring = new Set();
    updateMempoolForReorg(mempool, view, txs, now());
  };
  return chainState.subscribe({
    blockConnected: (block) => {
      mempool.addTransactionsUpdated(1);
      mempool.removeForBlock(block.transactions, now());
      if (disconnected.length > 0) {
        for (const tx of block.transactions) confirmedDuring.add(tx.txidHex);
      }
    },
    blockDisconnected: (block) => {
      mempool.addTransactionsUpdated(1);
      disconnected.push([...block.transactions]);
      if (!scheduled) {
        scheduled = true;
        queueMicrotask(flush);
      }
    },
    updatedTip: flush,
  });
}
