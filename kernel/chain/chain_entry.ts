/**
 * The view of a block index entry that difficulty, version-bits and median-time-past
 * computations need (the parts of `CBlockIndex` they read). The node's block index
 * implements it; tests build small chains of plain objects.
 */

/** Merge-mining data of a header, as difficulty adjustment reads it. */
export interface AuxPowSummary {
  /** `m_aux_pow.m_commit_bits`: the compact auxiliary target. */
  readonly commitBits: number;
  /** `GetFilteredTime()`: the committed filter state, 32.32 fixed point. */
  readonly filteredTime: bigint;
}

/** One block in a chain of headers. */
export interface ChainEntry {
  /** Height (genesis = 0). */
  readonly height: number;
  /** Block hash, internal byte order. */
  readonly hash: Uint8Array;
  /** Header nVersion. */
  readonly version: number;
  /** Header nTime. */
  readonly time: number;
  /** Header nBits, with the aux-pow format bit already cleared. */
  readonly bits: number;
  /** The parent, or undefined for genesis. */
  readonly prev: ChainEntry | undefined;
  /** Present only when the header carries an auxiliary proof of work. */
  readonly auxPow?: AuxPowSummary | undefined;
  /** Optional fast ancestor lookup (skip list); a walk over `prev` is used otherwise. */
  ancestor?(height: number): ChainEntry | undefined;
}

/**
 * The ancestor of `entry` at `height` (`CBlockIndex::GetAncestor`), or undefined when the
 * height is above the entry or negative.
 */
export function getAncestor(entry: ChainEntry, height: number): ChainEntry | undefined {
  if (height > entry.height || height < 0) return undefined;
  if (entry.ancestor) return entry.ancestor(height);
  let walk: ChainEntry | undefined = entry;
  while (walk && walk.height > height) walk = walk.prev;
  return walk;
}

/** Number of blocks whose times the median time past covers (`nMedianTimeSpan`). */
export const MEDIAN_TIME_SPAN = 11;

/**
 * Median of the last 11 block times ending at `entry` (`GetMedianTimePast`).
 *
 * @example
 * ```ts
 * import { medianTimePast } from "./chain_entry.ts";
 * const genesis = { height: 0, hash: new Uint8Array(32), version: 1, time: 100, bits: 0, prev: undefined };
 * console.assert(medianTimePast(genesis) === 100);
 * ```
 */
export function medianTimePast(entry: ChainEntry): number {
  const times: number[] = [];
  let walk: ChainEntry | undefined = entry;
  for (let i = 0; i < MEDIAN_TIME_SPAN && walk; i++, walk = walk.prev) times.push(walk.time);
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}
