/**
 * Native proof of work: target checks, block proof / chain work, and the difficulty
 * adjustment of src/pow.cpp (original Bitcoin-style retarget with the Art Forz fix, then the
 * 144-tap FIR filter retargeting every 9 blocks; regtest never retargets).
 */

import { hashToHex } from "../encoding/hex.ts";
import { type ChainEntry, getAncestor } from "./chain_entry.ts";
import { compactToTarget, hashToBigInt, targetToCompact } from "./compact.ts";
import type { ConsensusParams } from "./consensus_params.ts";
import { originalTargetTimespan } from "./consensus_params.ts";

const MASK_256 = (1n << 256n) - 1n;

/**
 * `CheckProofOfWork`: the block hash (internal byte order) is at or below the target encoded
 * by `bits`, which must be positive, not overflowing, and no easier than powLimit.
 *
 * @example
 * ```ts
 * import { checkProofOfWork } from "./pow.ts";
 * import { selectParams } from "./chain_params.ts";
 * const params = selectParams("regtest").consensus;
 * console.assert(checkProofOfWork(new Uint8Array(32), 0x207fffff, params));
 * ```
 */
export function checkProofOfWork(hash: Uint8Array, bits: number, params: ConsensusParams): boolean {
  const { target, negative, overflow } = compactToTarget(bits);
  if (negative || target === 0n || overflow || target > params.powLimit) return false;
  return hashToBigInt(hash) <= target;
}

/** Work represented by one target: 2^256 / (target + 1), 0 for invalid compact values. */
export function proofForBits(bits: number): bigint {
  const { target, negative, overflow } = compactToTarget(bits);
  if (negative || overflow || target === 0n) return 0n;
  return ((MASK_256 ^ target) / (target + 1n)) + 1n;
}

/**
 * `GetBlockProof`: native work plus, for a merge-mined header, the auxiliary work (unless the
 * sum would overflow 256 bits).
 */
export function getBlockProof(bits: number, auxCommitBits?: number): bigint {
  const work = proofForBits(bits);
  if (auxCommitBits === undefined) return work;
  const aux = proofForBits(auxCommitBits);
  if (aux === 0n) return work;
  const both = work + aux;
  return both > MASK_256 ? work : both;
}

/** `GetBlockProof` of a chain entry. */
export function entryProof(entry: ChainEntry): bigint {
  return getBlockProof(entry.bits, entry.auxPow?.commitBits);
}

/**
 * `GetBlockProofEquivalentTime`: seconds of work at the tip's rate between two chain-work
 * totals, saturating at ±INT64_MAX.
 */
export function getBlockProofEquivalentTime(
  toChainWork: bigint,
  fromChainWork: bigint,
  tip: ChainEntry,
  params: ConsensusParams,
): bigint {
  let r: bigint;
  let sign = 1n;
  if (toChainWork > fromChainWork) {
    r = toChainWork - fromChainWork;
  } else {
    r = fromChainWork - toChainWork;
    sign = -1n;
  }
  const spacing = tip.auxPow ? params.auxPowTargetSpacing : params.powTargetSpacing;
  r = (r * BigInt(spacing)) & MASK_256;
  r = r / entryProof(tip);
  if (r >= 1n << 63n) return sign * ((1n << 63n) - 1n);
  return sign * r;
}

/** Hash of the mainnet parent after which the "hash crash" of 2013 is undone. */
const HASH_CRASH_PARENT = "0000000000003bd73ea13954fbbf1cf50b5384f961d142a75a3dfe106f793a20";
const HASH_CRASH_BITS = 0x1b01c13a;

/** FIR filter taps (newest inter-block interval first), summing to 2^31. */
const FILTER_COEFFICIENTS: readonly number[] = [
  -845859,
  -459003,
  -573589,
  -703227,
  -848199,
  -1008841,
  -1183669,
  -1372046,
  -1573247,
  -1787578,
  -2011503,
  -2243311,
  -2482346,
  -2723079,
  -2964681,
  -3202200,
  -3432186,
  -3650186,
  -3851924,
  -4032122,
  -4185340,
  -4306430,
  -4389146,
  -4427786,
  -4416716,
  -4349289,
  -4220031,
  -4022692,
  -3751740,
  -3401468,
  -2966915,
  -2443070,
  -1825548,
  -1110759,
  -295281,
  623307,
  1646668,
  2775970,
  4011152,
  5351560,
  6795424,
  8340274,
  9982332,
  11717130,
  13539111,
  15441640,
  17417389,
  19457954,
  21554056,
  23695744,
  25872220,
  28072119,
  30283431,
  32493814,
  34690317,
  36859911,
  38989360,
  41065293,
  43074548,
  45004087,
  46841170,
  48573558,
  50189545,
  51678076,
  53028839,
  54232505,
  55280554,
  56165609,
  56881415,
  57422788,
  57785876,
  57968085,
  57968084,
  57785876,
  57422788,
  56881415,
  56165609,
  55280554,
  54232505,
  53028839,
  51678076,
  50189545,
  48573558,
  46841170,
  45004087,
  43074548,
  41065293,
  38989360,
  36859911,
  34690317,
  32493814,
  30283431,
  28072119,
  25872220,
  23695744,
  21554057,
  19457953,
  17417389,
  15441640,
  13539111,
  11717130,
  9982332,
  8340274,
  6795424,
  5351560,
  4011152,
  2775970,
  1646668,
  623307,
  -295281,
  -1110759,
  -1825548,
  -2443070,
  -2966915,
  -3401468,
  -3751740,
  -4022692,
  -4220031,
  -4349289,
  -4416715,
  -4427787,
  -4389146,
  -4306430,
  -4185340,
  -4032122,
  -3851924,
  -3650186,
  -3432186,
  -3202200,
  -2964681,
  -2723079,
  -2482346,
  -2243311,
  -2011503,
  -1787578,
  -1573247,
  -1372046,
  -1183669,
  -1008841,
  -848199,
  -703227,
  -573589,
  -459003,
  -845858,
];

/**
 * `GetFilteredTime`: the FIR-filtered sum over the last 144 inter-block intervals ending at
 * `last` (seconds · 2^31); missing intervals near genesis count as the target spacing.
 */
export function getFilteredTime(last: ChainEntry, params: ConsensusParams): bigint {
  let filtered = 0n;
  let walk: ChainEntry | undefined = last;
  for (let i = 0; i < FILTER_COEFFICIENTS.length; i++) {
    let delta: bigint;
    if (walk && walk.prev) {
      // The reference narrows the difference to int32.
      delta = BigInt.asIntN(32, BigInt(walk.time - walk.prev.time));
      walk = walk.prev;
    } else {
      walk = undefined;
      delta = BigInt(params.powTargetSpacing);
    }
    filtered += BigInt(FILTER_COEFFICIENTS[i]) * delta;
  }
  return BigInt.asIntN(64, filtered);
}

/** Retarget factor as (numerator, denominator): new target = old · denominator / numerator. */
export interface AdjustmentFactor {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

/** `GetOriginalAdjustmentFactor`: actual timespan clamped to [T/4, 4T] (Art Forz fix). */
export function getOriginalAdjustmentFactor(
  last: ChainEntry,
  params: ConsensusParams,
): AdjustmentFactor {
  const interval = params.originalAdjustInterval;
  const goBack = last.height + 1 !== interval ? interval : interval - 1;
  const first = getAncestor(last, last.height - goBack);
  if (!first) throw new Error("retarget: ancestor missing");
  const timespan = originalTargetTimespan(params);
  let actual = last.time - first.time;
  if (actual < Math.trunc(timespan / 4)) actual = Math.trunc(timespan / 4);
  if (actual > timespan * 4) actual = timespan * 4;
  return { numerator: BigInt(timespan), denominator: BigInt(actual) };
}

/** `GetFilteredAdjustmentFactor`: gain 41/400, limiter 211/200. */
export function getFilteredAdjustmentFactor(
  last: ChainEntry,
  params: ConsensusParams,
): AdjustmentFactor {
  const filtered = getFilteredTime(last, params);
  const spacing = BigInt(params.powTargetSpacing);
  if (filtered < 597105209444n) return { numerator: 211n, denominator: 200n };
  if (filtered > 1943831401459n) return { numerator: 200n, denominator: 211n };
  const numerator = BigInt.asIntN(64, (((41n + 400n) * spacing) << 31n) - 41n * filtered);
  const denominator = (400n * spacing) << 31n;
  return { numerator, denominator };
}

function retarget(bits: number, factor: AdjustmentFactor, limit: bigint): number {
  if (factor.numerator < 0n || factor.denominator <= 0n) {
    throw new Error("retarget: invalid adjustment factor");
  }
  const old = compactToTarget(bits).target;
  const scaled = (old * factor.denominator) / factor.numerator;
  if (scaled > MASK_256) throw new Error("retarget: target exceeds 256 bits");
  return targetToCompact(scaled > limit ? limit : scaled);
}

/**
 * `GetNextWorkRequired`: the nBits the block after `last` must carry.
 *
 * @example
 * ```ts
 * import { getNextWorkRequired } from "./pow.ts";
 * import { selectParams } from "./chain_params.ts";
 * const params = selectParams("regtest").consensus;
 * const tip = { height: 2015, hash: new Uint8Array(32), version: 4, time: 0, bits: 0x207fffff, prev: undefined };
 * console.assert(getNextWorkRequired(tip, params) === 0x207fffff);
 * ```
 */
export function getNextWorkRequired(last: ChainEntry, params: ConsensusParams): number {
  if (hashToHex(last.hash) === HASH_CRASH_PARENT) return HASH_CRASH_BITS;
  const useFilter = last.height >= params.diffAdjustThreshold - 1;
  const interval = useFilter ? params.filteredAdjustInterval : params.originalAdjustInterval;
  if ((last.height + 1) % interval !== 0) return last.bits;
  return calculateNextWorkRequired(last, params);
}

/** `CalculateNextWorkRequired`: the retarget itself (no interval check). */
export function calculateNextWorkRequired(last: ChainEntry, params: ConsensusParams): number {
  if (params.powNoRetargeting) return last.bits;
  const useFilter = last.height >= params.diffAdjustThreshold - 1;
  const factor = useFilter
    ? getFilteredAdjustmentFactor(last, params)
    : getOriginalAdjustmentFactor(last, params);
  return retarget(last.bits, factor, params.powLimit);
}

/**
 * `PermittedDifficultyTransition` (headers presync): whether `newBits` at `height` could follow
 * `oldBits`. Always true on filtered heights and without retargeting.
 */
export function permittedDifficultyTransition(
  params: ConsensusParams,
  height: number,
  oldBits: number,
  newBits: number,
): boolean {
  if (params.powNoRetargeting) return true;
  if (height >= params.diffAdjustThreshold - 1) return true;
  if (height % params.originalAdjustInterval === 0) {
    const timespan = BigInt(originalTargetTimespan(params));
    const observed = compactToTarget(newBits).target;
    const old = compactToTarget(oldBits).target;
    const bound = (span: bigint): bigint => {
      let t = ((old * span) & MASK_256) / timespan;
      if (t > params.powLimit) t = params.powLimit;
      return compactToTarget(targetToCompact(t)).target;
    };
    if (bound(timespan * 4n) < observed) return false;
    if (bound(timespan / 4n) > observed) return false;
    return true;
  }
  return oldBits === newBits;
}
