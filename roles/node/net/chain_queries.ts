/**
 * Chain questions the P2P layer asks: locators (`GetLocator`), the fork point of a peer's
 * locator (`FindForkInGlobalIndex`), and the blocks to fetch next from a peer
 * (`FindNextBlocksToDownload`).
 *
 * @module
 */
import { BlockLocator } from "../../../kernel/primitives/mod.ts";
import { type BlockIndexEntry, BlockStatus, type ChainState } from "../chain/mod.ts";

/** A locator for `entry`: ten steps of one back, then doubling, always ending at genesis. */
export function locatorFor(entry: BlockIndexEntry | undefined): BlockLocator {
  const have: Uint8Array[] = [];
  let step = 1;
  let current = entry;
  while (current) {
    have.push(current.hash);
    if (current.height === 0) break;
    const height = Math.max(current.height - step, 0);
    current = current.ancestor(height);
    if (have.length > 10) step *= 2;
  }
  return new BlockLocator(have);
}

/** The last block of our active chain that the locator names, or genesis. */
export function findForkInActiveChain(
  chain: ChainState,
  locator: BlockLocator,
): BlockIndexEntry | undefined {
  for (const hash of locator.have) {
    const entry = chain.lookupBlockIndex(hash);
    if (!entry) continue;
    if (chain.contains(entry)) return entry;
    const tip = chain.tip;
    if (tip && entry.ancestor(tip.height) === tip) return tip;
  }
  return chain.getBlockEntry(0);
}

/** The last common ancestor of two entries. */
export function lastCommonAncestor(
  a: BlockIndexEntry,
  b: BlockIndexEntry,
): BlockIndexEntry | undefined {
  let x: BlockIndexEntry | undefined = a.height > b.height ? a.ancestor(b.height) : a;
  let y: BlockIndexEntry | undefined = b.height > a.height ? b.ancestor(a.height) : b;
  while (x && y && x !== y) {
    x = x.prev;
    y = y.prev;
  }
  return x;
}

/** What {@linkcode nextBlocksToDownload} needs. */
export interface DownloadQuery {
  readonly chain: ChainState;
  /** The most-work block the peer has. */
  readonly peerBest: BlockIndexEntry;
  /** The peer's last common block with our chain from the previous call. */
  readonly lastCommon: BlockIndexEntry | undefined;
  /** How many blocks to return at most. */
  readonly count: number;
  /** True for a block already requested from some peer. */
  readonly inFlight: (entry: BlockIndexEntry) => boolean;
  /** Blocks beyond our tip to look ahead (`BLOCK_DOWNLOAD_WINDOW`). */
  readonly window: number;
  /** The peer asked for; with `inFlightFrom`, lets the query name a staller. */
  readonly peerId?: number;
  /** The peer a block is in flight from, if any (`mapBlocksInFlight`). */
  readonly inFlightFrom?: (entry: BlockIndexEntry) => number | undefined;
}

/**
 * The blocks to request from a peer, lowest first: on the peer's best chain, above our
 * last common block, without data, not failed, not in flight, within the download window.
 */
export function nextBlocksToDownload(
  query: DownloadQuery,
): { blocks: BlockIndexEntry[]; lastCommon: BlockIndexEntry | undefined; staller?: number } {
  const { chain, peerBest } = query;
  const tip = chain.tip;
  if (!tip || peerBest.chainWork < tip.chainWork) {
    return { blocks: [], lastCommon: query.lastCommon };
  }
  let lastCommon = query.lastCommon;
  // Bootstrap by guessing that our active chain at the peer's height is the fork point.
  if (!lastCommon) lastCommon = chain.getBlockEntry(Math.min(peerBest.height, tip.height));
  // If the peer reorganized, the old common block may not be its ancestor any more. Blocks
  // of a side chain we already have count as common too, so the window moves along them.
  if (lastCommon) lastCommon = lastCommonAncestor(lastCommon, peerBest);
  if (!lastCommon || lastCommon === peerBest) return { blocks: [], lastCommon };
  const blocks: BlockIndexEntry[] = [];
  const windowEnd = lastCommon.height + query.window;
  const maxHeight = Math.min(peerBest.height, windowEnd + 1);
  let walk = lastCommon;
  // The peer holding the first block of the window we are waiting for (`waitingfor`).
  let waitingFor: number | undefined;
  while (walk.height < maxHeight && blocks.length < query.count) {
    const upTo = Math.min(walk.height + 128, maxHeight);
    const path: BlockIndexEntry[] = [];
    for (let entry = peerBest.ancestor(upTo); entry && entry !== walk; entry = entry.prev) {
      path.push(entry);
    }
    path.reverse();
    for (const entry of path) {
      if (entry.failed) return { blocks, lastCommon };
      const haveData = (entry.status & BlockStatus.HAVE_DATA) !== 0;
      if (haveData || chain.contains(entry)) {
        // Advance the common block over everything we already have, contiguously.
        if (entry.chainTxCount > 0 || chain.contains(entry)) lastCommon = entry;
        continue;
      }
      if (query.inFlight(entry)) {
        waitingFor ??= query.inFlightFrom?.(entry);
        continue;
      }
      if (entry.height > windowEnd) {
        // The window is full and cannot move: whoever holds its first block stalls us.
        const stalled = blocks.length === 0 && waitingFor !== undefined &&
          waitingFor !== query.peerId;
        return stalled ? { blocks, lastCommon, staller: waitingFor } : { blocks, lastCommon };
      }
      blocks.push(entry);
      if (blocks.length >= query.count) break;
    }
    walk = path.length > 0 ? path[path.length - 1] : peerBest;
  }
  return { blocks, lastCommon };
}
