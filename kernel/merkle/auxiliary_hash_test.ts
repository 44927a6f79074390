import assert from "node:assert/strict";
import { getAuxiliaryHash } from "./auxiliary_hash.ts";
import { computeMerkleMapRootFromBranch } from "./merkle_map.ts";
import { computeMerkleBranch, computeMerkleRoot } from "./merkle_root.ts";
import { ByteWriter } from "../encoding/byte_writer.ts";
import { concatBytes } from "../encoding/bytes.ts";
import { fastHash256 } from "../hash/fast_hash.ts";
import { sha256, sha256d } from "../hash/sha256.ts";
import { Sha256 } from "../hash/sha256_midstate.ts";
import { AuxProofOfWork } from "../primitives/aux_pow.ts";
import { BlockHeader } from "../primitives/block_header.ts";

const h = (byte: number) => new Uint8Array(32).fill(byte);

Deno.test("an empty Merkle-map branch hashes the whole key with the value", () => {
  const key = sha256(new Uint8Array([42]));
  const value = h(7);
  const { root, invalid } = computeMerkleMapRootFromBranch(value, [], key);
  assert.equal(invalid, false);
  assert.deepEqual(root, fastHash256(key, value));
  assert.equal(
    computeMerkleMapRootFromBranch(value, [{ skip: 255, hash: h(1) }], key).invalid,
    true,
  );
});

// Builds a parent-chain block whose last transaction ends with our
// commitment, the way a merge-mining pool would, then checks that the aux pow
// proof (midstate + stable branch) reproduces the parent header hash computed
// the long way (whole-transaction SHA256d and the full Merkle tree).
Deno.test("reproduces the parent header hash of a constructed merge-mined block", () => {
  const auxPowPath = sha256(new TextEncoder().encode("chain key"));
  const ourTime = 1_700_000_000;
  const secretLo = 0x0123456789abcdefn;
  const secretHi = 0xfedcba9876543210n;
  const commitFields = {
    commitVersion: 0x20000000,
    commitHashMerkleRoot: h(0x11),
    commitTime: 0x01020304,
    commitBits: 0x1d00ffff,
    commitNonce: 0x05,
  };
  const hashPrevBlock = h(0x22);

  // Commitment: template hash next to the secret's hash, then the map level.
  const template = new BlockHeader({
    version: commitFields.commitVersion,
    hashPrevBlock,
    hashMerkleRoot: commitFields.commitHashMerkleRoot,
    time: commitFields.commitTime,
    bits: commitFields.commitBits,
    nonce: commitFields.commitNonce,
  });
  const secret = new ByteWriter().writeU64LE(secretLo).writeU64LE(secretHi).toBytes();
  const commitment = fastHash256(template.hash, sha256d(secret));
  const commitRoot = fastHash256(auxPowPath, commitment);

  // Parent block-final transaction: 150 arbitrary bytes, the commitment, magic, lock time.
  const prefix = Uint8Array.from({ length: 150 }, (_, i) => (i * 7) & 0xff);
  const auxLockTime = 654321;
  const finalTx = concatBytes(
    prefix,
    commitRoot,
    new Uint8Array([0x4b, 0x4a, 0x49, 0x48]),
    new ByteWriter().writeU32LE(auxLockTime).toBytes(),
  );
  const prefixHasher = new Sha256().write(prefix);

  // Parent block with 6 transactions, the final one last.
  const parentLeaves = [1, 2, 3, 4, 5].map((i) => sha256(new Uint8Array([i])));
  parentLeaves.push(sha256d(finalTx));
  const parentRoot = computeMerkleRoot(parentLeaves).root;
  // Stable branch of the last leaf: level 1 pairs it with itself (6 -> 3 nodes).
  const fullBranch = computeMerkleBranch(parentLeaves, 5);
  const auxBranch = [fullBranch[0], fullBranch[2]];

  const auxVersion = 0x3fff0000;
  const auxHashPrevBlock = h(0x33);
  const auxBits = 0x17034567;
  const auxNonce = 99;
  const header = new BlockHeader({
    version: 0x20000000,
    hashPrevBlock,
    hashMerkleRoot: h(0x44),
    time: ourTime,
    bits: 0x1d00ffff,
    nonce: 0,
    auxPow: new AuxProofOfWork({
      ...commitFields,
      secretLo,
      secretHi,
      commitBranch: [],
      midstateHash: prefixHasher.midstate(),
      midstateBuffer: prefixHasher.pendingBytes(),
      midstateLength: prefix.length,
      auxLockTime,
      auxBranch,
      auxNumTxns: 6,
      auxVersion,
      auxHashPrevBlock,
      auxBits,
      auxNonce,
    }),
  });

  const result = getAuxiliaryHash(header, auxPowPath);
  assert.equal(result.mutated, false);
  const parentHeader = new BlockHeader({
    version: auxVersion,
    hashPrevBlock: auxHashPrevBlock,
    hashMerkleRoot: parentRoot,
    time: ourTime,
    bits: auxBits,
    nonce: auxNonce,
  });
  assert.deepEqual(result.auxHash1, parentHeader.hash);
  const withholding = concatBytes(secret, template.nativeBytes(), parentHeader.hash);
  assert.deepEqual(result.auxHash2, new Sha256().write(withholding).midstate());

  // A shortened branch is still well formed but proves a different header.
  const shortened = new BlockHeader({
    ...header,
    auxPow: new AuxProofOfWork({ ...header.auxPow!, auxBranch: [fullBranch[0]] }),
  });
  const other = getAuxiliaryHash(shortened, auxPowPath);
  assert.equal(other.mutated, false);
  assert.notDeepEqual(other.auxHash1, result.auxHash1);
  // A Merkle-map path of 256 bits or more, or a short midstate buffer, is a mutation.
  const longMap = new BlockHeader({
    ...header,
    auxPow: new AuxProofOfWork({ ...header.auxPow!, commitBranch: [{ skip: 255, hash: h(9) }] }),
  });
  assert.equal(getAuxiliaryHash(longMap, auxPowPath).mutated, true);
  const shortBuffer = new BlockHeader({
    ...header,
    auxPow: new AuxProofOfWork({ ...header.auxPow!, midstateBuffer: new Uint8Array(1) }),
  });
  assert.equal(getAuxiliaryHash(shortBuffer, auxPowPath).mutated, true);
});
