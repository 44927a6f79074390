import { ByteWriter } from "../encoding/byte_writer.ts";
import { sha256d } from "../hash/sha256.ts";
import { Sha256 } from "../hash/sha256_midstate.ts";
import { fastHash256 } from "../hash/fast_hash.ts";
import { BlockHeader } from "../primitives/block_header.ts";
import { WITNESS_COMMITMENT_MAGIC } from "./witness_commitment.ts";
import { computeMerkleMapRootFromBranch } from "./merkle_map.ts";
import { computeMerklePathAndMask, computeStableMerkleRootFromBranch } from "./stable_merkle.ts";

/** The two hashes a merge-mined header's proof-of-work is checked against. */
export interface AuxiliaryHash {
  /** SHA256d of the parent chain's block header (1st stage). */
  auxHash1: Uint8Array;
  /** The block-withholding hash: SHA-256 midstate of secret ‖ template ‖ auxHash1 (2nd stage). */
  auxHash2: Uint8Array;
  /** True when a branch was malformed; the aux pow is then invalid. */
  mutated: boolean;
}

/**
 * The block template a merge-mined header commits to: our previous hash and
 * the `commit_*` fields of the aux pow, as a plain header.
 */
export function auxPowTemplateHeader(header: BlockHeader): BlockHeader {
  const aux = header.auxPow;
  if (!aux) throw new RangeError("header has no aux pow");
  return new BlockHeader({
    version: aux.commitVersion,
    hashPrevBlock: header.hashPrevBlock,
    hashMerkleRoot: aux.commitHashMerkleRoot,
    time: aux.commitTime,
    bits: aux.commitBits,
    nonce: aux.commitNonce,
  });
}

/**
 * Computes the auxiliary proof-of-work hashes of a merge-mined header
 * (CBlockHeader::GetAuxiliaryHash); `auxPowPath` is the chain's Merkle-map
 * key (`Consensus::Params::aux_pow_path`). Run the header sanity checks
 * ("auxpow-midstate-buffer", "auxpow-midstate-length", ...) first; a
 * midstate buffer shorter than its length implies is reported as `mutated`
 * (the reference would read past it).
 */
export function getAuxiliaryHash(header: BlockHeader, auxPowPath: Uint8Array): AuxiliaryHash {
  const aux = header.auxPow;
  if (!aux) throw new RangeError("header has no aux pow");
  let mutated = false;

  // Template header hash, then one fast-Merkle level up with the secret's hash.
  const template = auxPowTemplateHeader(header).nativeBytes();
  const secret = new ByteWriter(16).writeU64LE(aux.secretLo).writeU64LE(aux.secretHi).toBytes();
  let hash = fastHash256(sha256d(template), sha256d(secret));

  // Up the Merkle map of chain commitments.
  const map = computeMerkleMapRootFromBranch(hash, aux.commitBranch, auxPowPath);
  if (map.invalid) mutated = true;
  hash = map.root;

  // Finish the parent's block-final transaction from its midstate.
  if (aux.midstateBuffer.length < aux.midstateLength % 64) {
    return { auxHash1: new Uint8Array(32), auxHash2: new Uint8Array(32), mutated: true };
  }
  const tail = new ByteWriter(40).writeBytes(hash).writeBytes(WITNESS_COMMITMENT_MAGIC)
    .writeU32LE(aux.auxLockTime).toBytes();
  const finalTxFirstHash = new Sha256(aux.midstateHash, {
    buffer: aux.midstateBuffer,
    length: aux.midstateLength,
  }).write(tail).finalize();
  hash = new Sha256().write(finalTxFirstHash).finalize();

  // Up the parent's transaction tree to its header.
  const { path, mask } = computeMerklePathAndMask(aux.auxBranch.length, (aux.auxNumTxns - 1) >>> 0);
  const parentRoot = computeStableMerkleRootFromBranch(hash, aux.auxBranch, path, mask);
  if (parentRoot.mutated) mutated = true;
  const parentHeader = new BlockHeader({
    version: aux.auxVersion,
    hashPrevBlock: aux.auxHashPrevBlock,
    hashMerkleRoot: parentRoot.root,
    time: header.time,
    bits: aux.auxBits,
    nonce: aux.auxNonce,
  });
  const auxHash1 = parentHeader.hash;

  const withholding = new ByteWriter(128).writeBytes(secret).writeBytes(template)
    .writeBytes(auxHash1).toBytes();
  const auxHash2 = new Sha256().write(withholding).midstate();
  return { auxHash1, auxHash2, mutated };
}
