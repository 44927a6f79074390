/**
 * Auxiliary (merge-mined) proof of work: the parent-chain hashes a header commits to
 * (`CBlockHeader::GetAuxiliaryHash`, src/primitives/block.cpp), the two-stage target check
 * (`CheckAuxiliaryProofOfWork`) and the auxiliary difficulty filter of src/pow.cpp.
 */

import { ByteWriter } from "../encoding/byte_writer.ts";
import { fastHash256 } from "../hash/fast_hash.ts";
import { Sha256 } from "../hash/sha256_midstate.ts";
import { sha256, sha256d } from "../hash/sha256.ts";
import type { AuxProofOfWork, CommitBranchEntry } from "../primitives/aux_pow.ts";
import type { BlockHeader } from "../primitives/block_header.ts";
import type { ChainEntry } from "./chain_entry.ts";
import { bitLength, compactToTarget, hashToBigInt, targetToCompact } from "./compact.ts";
import type { ConsensusParams } from "./consensus_params.ts";

const MASK_256 = (1n << 256n) - 1n;
/** The low byte of commit_nonce holds the bias (`k_bias_mask`). */
const BIAS_MASK = 0xff;

/** The two hashes an aux-pow header proves work with. */
export interface AuxiliaryHash {
  /** Parent-chain header hash (1st stage), internal byte order. */
  readonly hash1: Uint8Array;
  /** Block-withholding hash (2nd stage): a SHA-256 midstate, big-endian words. */
  readonly hash2: Uint8Array;
  /** The commitment data is non-canonical (over-long map branch or extra branch bits). */
  readonly mutated: boolean;
}

/** `GetBias`: low byte of commit_nonce (0 without aux pow). */
export function getBias(header: BlockHeader): number {
  return header.auxPow ? header.auxPow.commitNonce & BIAS_MASK : 0;
}

/**
 * `GetFilteredTime` of a header: the 24.32 filter state spread over commit_time and the high
 * bytes of commit_nonce, returned as 32.32 fixed point (0 without aux pow).
 */
export function headerFilteredTime(header: BlockHeader): bigint {
  const aux = header.auxPow;
  if (!aux) return 0n;
  const raw = (BigInt(aux.commitTime >>> 0) << 32n) | BigInt((aux.commitNonce & ~BIAS_MASK) >>> 0);
  // int64 division truncates toward zero, as BigInt division does.
  return BigInt.asIntN(64, raw) / 256n;
}

function templateHeaderBytes(header: BlockHeader, aux: AuxProofOfWork): Uint8Array {
  return new ByteWriter(80)
    .writeI32LE(aux.commitVersion)
    .writeBytes(header.hashPrevBlock)
    .writeBytes(aux.commitHashMerkleRoot)
    .writeU32LE(aux.commitTime)
    .writeU32LE(aux.commitBits)
    .writeU32LE(aux.commitNonce)
    .toBytes();
}

/** Tests bit `bit` (0 = least significant) of a 256-bit key stored as uint256 bytes. */
function keyBit(key: Uint8Array, bit: number): boolean {
  return (key[31 - Math.floor(bit / 8)] & (1 << (bit % 8))) !== 0;
}

function setBit(out: Uint8Array, bit: number): void {
  out[31 - Math.floor(bit / 8)] |= 1 << (bit % 8);
}

/** `calc_bits`: key bits [begin, end) reversed into the low bits, with a length marker bit. */
function calcBits(key: Uint8Array, begin: number, end: number): Uint8Array {
  const out = new Uint8Array(32);
  for (let idx = begin; idx < end; idx++) {
    const src = 255 - idx;
    const dst = end - idx - 1;
    if (keyBit(key, src)) setBit(out, dst);
  }
  setBit(out, end - begin);
  return out;
}

/** `calc_remainder`: the key's low 256 − used bits. */
function calcRemainder(key: Uint8Array, used: number): Uint8Array {
  if (used === 0) return key;
  const out = new Uint8Array(32);
  for (let idx = 0; idx < 256 - used; idx++) if (keyBit(key, idx)) setBit(out, idx);
  return out;
}

/** `ComputeMerkleMapRootFromBranch`; undefined when the branch covers 256 or more bits. */
export function computeMerkleMapRootFromBranch(
  value: Uint8Array,
  branch: readonly CommitBranchEntry[],
  key: Uint8Array,
): Uint8Array | undefined {
  let total = 0;
  for (const skip of branch) total += 1 + skip.skip;
  if (total >= 256) return undefined;
  let hash = fastHash256(calcRemainder(key, total), value);
  for (const skip of branch) {
    total--;
    const begin = total - skip.skip;
    const end = total;
    hash = keyBit(key, end) ? fastHash256(skip.hash, hash) : fastHash256(hash, skip.hash);
    hash = fastHash256(calcBits(key, begin, end), hash);
  }
  return hash;
}

/** `ComputeMerklePathAndMask`: path bits and the mask of levels hashed with themselves. */
export function computeMerklePathAndMask(
  branchLength: number,
  position: number,
): { path: number; mask: number } {
  let max = 32;
  for (; max > 0; max--) if (position & (2 ** (max - 1))) break;
  let mask = 0;
  let path = position >>> 0;
  while (max > branchLength) {
    let i = max - 1;
    for (; i >= 0; i--) if (!(path & (2 ** i))) break;
    if (i < 0) return { path: 0, mask: 0 };
    mask = (mask | (2 ** i)) >>> 0;
    const high = Math.floor(path / 2 ** (i + 1)) * 2 ** i;
    const low = path % 2 ** i;
    path = (high + low) >>> 0;
    max--;
  }
  return { path, mask };
}

function hashPair(left: Uint8Array, right: Uint8Array): Uint8Array {
  const data = new Uint8Array(64);
  data.set(left, 0);
  data.set(right, 32);
  return sha256d(data);
}

/** `ComputeStableMerkleRootFromBranch` (SHA256d tree with self-paired levels in `mask`). */
export function computeStableMerkleRootFromBranch(
  leaf: Uint8Array,
  branch: readonly Uint8Array[],
  pathIn: number,
  maskIn: number,
): { root: Uint8Array; mutated: boolean } {
  let hash = leaf;
  let path = pathIn >>> 0;
  let mask = maskIn >>> 0;
  let index = 0;
  while (index < branch.length) {
    if (mask & 1) {
      hash = hashPair(hash, hash);
    } else {
      hash = path & 1 ? hashPair(branch[index], hash) : hashPair(hash, branch[index]);
      index++;
      path >>>= 1;
    }
    mask >>>= 1;
  }
  while (mask & 1) {
    hash = hashPair(hash, hash);
    mask >>>= 1;
  }
  return { root: hash, mutated: path !== 0 || mask !== 0 };
}

/**
 * `GetAuxiliaryHash`: rebuilds the parent chain's block-final transaction hash and header
 * from the commitment, giving the 1st-stage (parent header) and 2nd-stage (withholding) hashes.
 * Returns undefined for a header without aux pow.
 */
export function getAuxiliaryHash(
  header: BlockHeader,
  params: ConsensusParams,
): AuxiliaryHash | undefined {
  const aux = header.auxPow;
  if (!aux) return undefined;
  const template = templateHeaderBytes(header, aux);
  let hash = sha256d(template);
  const secret = new ByteWriter(16).writeU64LE(aux.secretLo).writeU64LE(aux.secretHi).toBytes();
  hash = fastHash256(hash, sha256d(secret));
  const mapRoot = computeMerkleMapRootFromBranch(hash, aux.commitBranch, params.auxPowPath);
  // An over-long map branch yields a zero hash. The reference flags it as mutated but the
  // stable-root computation below then resets that flag; CheckBlockHeader rejects such
  // branches first ("auxpow-commit-branch-bits"), so only the later flag matters.
  hash = mapRoot ?? new Uint8Array(32);
  // Finish the parent block-final transaction's hash from the committed midstate.
  const lengthBytes = aux.midstateLength >>> 0;
  const hasher = new Sha256(aux.midstateHash, {
    length: lengthBytes,
    buffer: padBuffer(aux.midstateBuffer, lengthBytes % 64),
  });
  hasher.write(hash);
  hasher.write(new Uint8Array([0x4b, 0x4a, 0x49, 0x48]));
  hasher.write(new ByteWriter(4).writeU32LE(aux.auxLockTime).toBytes());
  hash = sha256(hasher.finalize());
  const { path, mask } = computeMerklePathAndMask(aux.auxBranch.length, aux.auxNumTxns - 1);
  const stable = computeStableMerkleRootFromBranch(hash, aux.auxBranch, path, mask);
  const parentHeader = new ByteWriter(80)
    .writeI32LE(aux.auxVersion)
    .writeBytes(aux.auxHashPrevBlock)
    .writeBytes(stable.root)
    .writeU32LE(header.time)
    .writeU32LE(aux.auxBits)
    .writeU32LE(aux.auxNonce)
    .toBytes();
  const hash1 = sha256d(parentHeader);
  const withholding = new ByteWriter(128).writeBytes(secret).writeBytes(template).writeBytes(hash1)
    .toBytes();
  const hash2 = new Sha256().write(withholding).midstate();
  return { hash1, hash2, mutated: stable.mutated };
}

/** The midstate buffer zero-extended to `pending` bytes (CheckBlockHeader bounds it first). */
function padBuffer(buffer: Uint8Array, pending: number): Uint8Array {
  if (buffer.length >= pending) return buffer;
  const out = new Uint8Array(pending);
  out.set(buffer);
  return out;
}

/**
 * `CheckAuxiliaryProofOfWork`: true without aux pow; otherwise the commitment is canonical,
 * hash1 ≤ target(commit_bits) << bias and hash2 ≤ (2^256 − 1) >> bias.
 */
export function checkAuxiliaryProofOfWork(header: BlockHeader, params: ConsensusParams): boolean {
  const aux = header.auxPow;
  if (!aux) return true;
  const hashes = getAuxiliaryHash(header, params);
  if (!hashes || hashes.mutated) return false;
  const { target, negative, overflow } = compactToTarget(aux.commitBits);
  if (negative || target === 0n || overflow) return false;
  const bias = getBias(header);
  if (256 - bitLength(target) < bias) return false;
  if (hashToBigInt(hashes.hash1) > ((target << BigInt(bias)) & MASK_256)) return false;
  // hash2 is a raw midstate; the reference reads it as a uint256 (little-endian bytes).
  if (hashToBigInt(hashes.hash2) > (MASK_256 >> BigInt(bias))) return false;
  return true;
}

/**
 * `GetFilteredTimeAux`: second-order Bessel filter over the last three inter-block times,
 * 32.32 fixed point, clamped to 56 bits.
 */
export function getFilteredTimeAux(last: ChainEntry | undefined, params: ConsensusParams): bigint {
  const x: bigint[] = [0n, 0n, 0n];
  let walk = last;
  for (let i = 0; i < 3; i++) {
    if (walk && walk.prev) {
      x[i] = BigInt(walk.time - walk.prev.time);
      walk = walk.prev;
    } else {
      x[i] = BigInt(params.auxPowTargetSpacing);
    }
  }
  let y: bigint;
  if (last && last.prev) {
    y = last.prev.auxPow?.filteredTime ?? 0n;
  } else {
    y = BigInt(params.auxPowTargetSpacing) << 32n;
  }
  const a2 = 0x126145ean;
  let time = x[0] * 0x4498517an + x[1] * 0x8930a2f5n + x[2] * 0x4498517an - (y >> 32n) * a2 -
    (((y & 0xffffffffn) * a2) >> 32n);
  time = BigInt.asIntN(64, time);
  if (time > 0x007fffffffffffffn) time = 0x007fffffffffffffn;
  if (time < -36028797018963968n) time = -36028797018963968n;
  return time;
}

function auxAdjustmentFactor(
  last: ChainEntry,
  params: ConsensusParams,
): { numerator: bigint; denominator: bigint } {
  const filtered = getFilteredTimeAux(last, params);
  const spacing = BigInt(params.auxPowTargetSpacing);
  if (filtered < -11596411699199n) return { numerator: 17n, denominator: 16n };
  if (filtered > 18417830345788n) return { numerator: 16n, denominator: 17n };
  return {
    numerator: BigInt.asIntN(64, (((1n + 64n) * spacing) << 32n) - filtered),
    denominator: (64n * spacing) << 32n,
  };
}

/**
 * `GetNextWorkRequiredAux`: the first merge-mined block gets twice the native target; later
 * ones follow the filter.
 */
export function getNextWorkRequiredAux(
  last: ChainEntry | undefined,
  headerBits: number,
  params: ConsensusParams,
): number {
  if (!last || !last.auxPow) {
    const target = (compactToTarget(headerBits).target << 1n) & MASK_256;
    return targetToCompact(target);
  }
  return calculateNextWorkRequiredAux(last, params);
}

/** `CalculateNextWorkRequiredAux`. `last` must carry aux pow. */
export function calculateNextWorkRequiredAux(last: ChainEntry, params: ConsensusParams): number {
  if (!last.auxPow) throw new Error("aux retarget from a header without aux pow");
  if (params.powNoRetargeting) return last.auxPow.commitBits;
  const factor = auxAdjustmentFactor(last, params);
  if (factor.numerator < 0n || factor.denominator <= 0n) {
    throw new Error("aux retarget: invalid adjustment factor");
  }
  const old = compactToTarget(last.auxPow.commitBits).target;
  const scaled = (old * factor.denominator) / factor.numerator;
  if (scaled > MASK_256) throw new Error("aux retarget: target exceeds 256 bits");
  return targetToCompact(scaled > params.auxPowLimit ? params.auxPowLimit : scaled);
}

/**
 * `CheckNextWorkRequiredAux` (after the size expansion): commit_bits within half to twice the
 * targets of the last 11 merge-mined blocks.
 */
export function checkNextWorkRequiredAux(
  last: ChainEntry | undefined,
  header: BlockHeader,
  params: ConsensusParams,
): boolean {
  if (!header.auxPow) return true;
  if (!last) return false;
  if (!last.auxPow) return header.auxPow.commitBits === targetToCompact(params.auxPowLimit);
  let min = params.auxPowLimit;
  let max = 1n;
  let walk: ChainEntry | undefined = last;
  for (let i = 0; i < 11 && walk && walk.auxPow; i++, walk = walk.prev) {
    const target = compactToTarget(walk.auxPow.commitBits).target;
    const localMin = target >> 1n;
    const localMax = (target << 1n) & MASK_256;
    if (min > localMin) min = localMin;
    if (max < localMax) max = localMax;
  }
  const target = compactToTarget(header.auxPow.commitBits).target;
  return min <= target && target <= max;
}
