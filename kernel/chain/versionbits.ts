/**
 * BIP9 version-bits deployment states (src/versionbits.cpp) and the buried-deployment
 * activation helpers of src/deploymentstatus.h.
 */

import { bytesToHex } from "../encoding/hex.ts";
import { type ChainEntry, getAncestor, medianTimePast } from "./chain_entry.ts";
import {
  ALWAYS_ACTIVE,
  type BuriedDeploymentName,
  type ConsensusParams,
  deploymentHeight,
  type DeploymentName,
  NEVER_ACTIVE,
  VERSION_BITS_DEPLOYMENTS,
} from "./consensus_params.ts";

/** `VERSIONBITS_LAST_OLD_BLOCK_VERSION` (Freicoin: 3; Bitcoin: 4). */
export const VERSIONBITS_LAST_OLD_BLOCK_VERSION = 3;
/** `VERSIONBITS_TOP_BITS`: the version-bits signalling prefix. */
export const VERSIONBITS_TOP_BITS = 0x20000000;
/** `VERSIONBITS_TOP_MASK`. */
export const VERSIONBITS_TOP_MASK = 0xe0000000;
/** `VERSIONBITS_NUM_BITS`. */
export const VERSIONBITS_NUM_BITS = 29;

/** BIP9 states (`ThresholdState`), lower-case as getdeploymentinfo prints them. */
export type ThresholdState = "defined" | "started" | "locked_in" | "active" | "failed";

/**
 * Memo of states per period-boundary block, keyed by the boundary block's hash (hex; "" for
 * the parent of genesis). Callers keep one per deployment so repeated queries are cheap.
 */
export type ThresholdCache = Map<string, ThresholdState>;

function cacheKey(entry: ChainEntry | undefined): string {
  return entry ? bytesToHex(entry.hash) : "";
}

function signals(entry: ChainEntry, bit: number): boolean {
  return ((entry.version & VERSIONBITS_TOP_MASK) >>> 0) === VERSIONBITS_TOP_BITS &&
    ((entry.version >>> bit) & 1) !== 0;
}

/**
 * State of `name` for the block after `prev` (`GetStateFor`). `prev` undefined means the
 * genesis block is next.
 *
 * @example
 * ```ts
 * import { deploymentState } from "./versionbits.ts";
 * import { selectParams } from "./chain_params.ts";
 * const params = selectParams("regtest").consensus;
 * console.assert(deploymentState(undefined, params, "finaltx") === "active");
 * ```
 */
export function deploymentState(
  prev: ChainEntry | undefined,
  params: ConsensusParams,
  name: DeploymentName,
  cache: ThresholdCache = new Map(),
): ThresholdState {
  const deployment = params.deployments[name];
  const period = params.minerConfirmationWindow;
  const threshold = params.ruleChangeActivationThreshold;
  if (deployment.startTime === ALWAYS_ACTIVE) return "active";
  if (deployment.startTime === NEVER_ACTIVE) return "failed";

  // A block's state is that of the first block of its period.
  let walk = prev ? getAncestor(prev, prev.height - ((prev.height + 1) % period)) : undefined;
  const toCompute: ChainEntry[] = [];
  while (!cache.has(cacheKey(walk))) {
    if (!walk) {
      cache.set("", "defined");
      break;
    }
    if (BigInt(medianTimePast(walk)) < deployment.startTime) {
      cache.set(cacheKey(walk), "defined");
      break;
    }
    toCompute.push(walk);
    walk = getAncestor(walk, walk.height - period);
  }
  let state = cache.get(cacheKey(walk)) as ThresholdState;
  while (toCompute.length > 0) {
    const boundary = toCompute.pop() as ChainEntry;
    let next = state;
    const mtp = BigInt(medianTimePast(boundary));
    switch (state) {
      case "defined":
        if (mtp >= deployment.startTime) next = "started";
        break;
      case "started": {
        let count = 0;
        let counted: ChainEntry | undefined = boundary;
        for (let i = 0; i < period && counted; i++, counted = counted.prev) {
          if (signals(counted, deployment.bit)) count++;
        }
        if (count >= threshold) next = "locked_in";
        else if (mtp >= deployment.timeout) next = "failed";
        break;
      }
      case "locked_in":
        if (boundary.height + 1 >= deployment.minActivationHeight) next = "active";
        break;
      case "failed":
      case "active":
        break;
    }
    cache.set(cacheKey(boundary), next);
    state = next;
  }
  return state;
}

/** Per-deployment threshold caches, one map per deployment name. */
export type VersionBitsCache = Map<DeploymentName, ThresholdCache>;

/**
 * `DeploymentActiveAfter` for a BIP9 deployment: active for the block that follows `prev`.
 */
export function isDeploymentActiveAfter(
  prev: ChainEntry | undefined,
  params: ConsensusParams,
  name: DeploymentName,
  cache?: VersionBitsCache,
): boolean {
  let perDeployment: ThresholdCache | undefined = cache?.get(name);
  if (cache && !perDeployment) {
    perDeployment = new Map();
    cache.set(name, perDeployment);
  }
  return deploymentState(prev, params, name, perDeployment) === "active";
}

/** `DeploymentActiveAfter` for a buried deployment: height of the next block ≥ activation. */
export function isBuriedActiveAfter(
  prev: ChainEntry | undefined,
  params: ConsensusParams,
  name: BuriedDeploymentName,
): boolean {
  const nextHeight = prev ? prev.height + 1 : 0;
  return nextHeight >= deploymentHeight(params, name);
}

/** `DeploymentActiveAt` for a buried deployment: the block at `height` enforces it. */
export function isBuriedActiveAt(
  height: number,
  params: ConsensusParams,
  name: BuriedDeploymentName,
): boolean {
  return height >= deploymentHeight(params, name);
}

/**
 * `ComputeBlockVersion`: the nVersion a miner puts on the block after `prev` — the top bits
 * plus the bit of every deployment that is started or locked in.
 */
export function computeBlockVersion(
  prev: ChainEntry | undefined,
  params: ConsensusParams,
  cache?: VersionBitsCache,
): number {
  let version = VERSIONBITS_TOP_BITS;
  for (const name of VERSION_BITS_DEPLOYMENTS) {
    let perDeployment = cache?.get(name);
    if (cache && !perDeployment) {
      perDeployment = new Map();
      cache.set(name, perDeployment);
    }
    const state = deploymentState(prev, params, name, perDeployment);
    if (state === "locked_in" || state === "started") {
      version |= 1 << params.deployments[name].bit;
    }
  }
  return version >>> 0;
}

/** Signalling statistics of the current period (`BIP9Stats`). */
export interface Bip9Stats {
  readonly period: number;
  readonly threshold: number;
  readonly elapsed: number;
  readonly count: number;
  readonly possible: boolean;
}

/**
 * `GetStateStatisticsFor`: signalling count in the period containing `entry`, and the
 * per-block signalling flags oldest first.
 */
export function deploymentStatistics(
  entry: ChainEntry | undefined,
  params: ConsensusParams,
  name: DeploymentName,
): { stats: Bip9Stats; signalling: boolean[] } {
  const period = params.minerConfirmationWindow;
  const threshold = params.ruleChangeActivationThreshold;
  if (!entry) {
    return { stats: { period, threshold, elapsed: 0, count: 0, possible: false }, signalling: [] };
  }
  const bit = params.deployments[name].bit;
  let blocksInPeriod = 1 + (entry.height % period);
  const signalling = new Array<boolean>(blocksInPeriod).fill(false);
  let elapsed = 0;
  let count = 0;
  let walk: ChainEntry | undefined = entry;
  do {
    elapsed++;
    blocksInPeriod--;
    if (walk && signals(walk, bit)) {
      count++;
      signalling[blocksInPeriod] = true;
    }
    walk = walk?.prev;
  } while (blocksInPeriod > 0);
  const possible = period - threshold >= elapsed - count;
  return { stats: { period, threshold, elapsed, count, possible }, signalling };
}

/**
 * Height at which the current state of `name` began for the block after `prev`
 * (`GetStateSinceHeightFor`).
 */
export function deploymentStateSinceHeight(
  prev: ChainEntry | undefined,
  params: ConsensusParams,
  name: DeploymentName,
  cache: ThresholdCache = new Map(),
): number {
  const start = params.deployments[name].startTime;
  if (start === ALWAYS_ACTIVE || start === NEVER_ACTIVE) return 0;
  const initial = deploymentState(prev, params, name, cache);
  if (initial === "defined") return 0;
  const period = params.minerConfirmationWindow;
  let walk = prev ? getAncestor(prev, prev.height - ((prev.height + 1) % period)) : undefined;
  let previousPeriodParent = walk ? getAncestor(walk, walk.height - period) : undefined;
  while (
    previousPeriodParent && deploymentState(previousPeriodParent, params, name, cache) === initial
  ) {
    walk = previousPeriodParent;
    previousPeriodParent = getAncestor(previousPeriodParent, previousPeriodParent.height - period);
  }
  return walk ? walk.height + 1 : 0;
}
