/**
 * The Merkle proofs checked by OP_MERKLEBRANCHVERIFY
 * (`src/consensus/merkleproof.{h,cpp}`), hashing inner nodes with the fast
 * (midstate) SHA-256.
 */
import { ByteReader } from "../encoding/byte_reader.ts";
import { bytesEqual } from "../encoding/bytes.ts";
import { fastHash256, sha256d } from "../hash/mod.ts";
import type { ScriptError } from "./script_error.ts";
import { decodeScriptNum } from "./script_num.ts";

const enum Link {
  DESCEND,
  VERIFY,
  SKIP,
}

// Left/right link of each 3-bit node code (MerkleNode::m_{left,right}_from_code).
const LEFT_OF_CODE = [
  Link.VERIFY,
  Link.VERIFY,
  Link.VERIFY,
  Link.DESCEND,
  Link.DESCEND,
  Link.DESCEND,
  Link.SKIP,
  Link.SKIP,
];
const RIGHT_OF_CODE = [
  Link.SKIP,
  Link.VERIFY,
  Link.DESCEND,
  Link.SKIP,
  Link.VERIFY,
  Link.DESCEND,
  Link.VERIFY,
  Link.DESCEND,
];

/** A deserialized `MerkleProof`: packed 3-bit node codes and the skipped hashes. */
export interface MerkleProof {
  nodeCodes: number[];
  skip: Uint8Array[];
}

/**
 * Deserializes a MerkleProof that must fill `bytes` exactly: VARINT node
 * count, ⌈3n/8⌉ bytes of big-endian packed codes with zero padding bits,
 * VARINT skip count, 32-byte skip hashes. Returns null on any violation
 * (the interpreter's INVALID_MERKLE_PROOF).
 */
export function decodeMerkleProof(bytes: Uint8Array): MerkleProof | null {
  try {
    const reader = new ByteReader(bytes);
    const count = reader.readVarInt(64);
    const dataSize = (3n * count + 7n) / 8n;
    if (dataSize > BigInt(reader.remaining)) return null;
    const packed = reader.readBytes(Number(dataSize));
    const n = Number(count);
    const nodeCodes: number[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const bit = 3 * i;
      const hi = packed[bit >> 3];
      const lo = (bit >> 3) + 1 < packed.length ? packed[(bit >> 3) + 1] : 0;
      nodeCodes[i] = (((hi << 8) | lo) >> (13 - (bit & 7))) & 7;
    }
    if (n % 8 !== 0 && (packed[packed.length - 1] & paddingMask(n)) !== 0) return null; // dirty
    const skipCount = reader.readVarInt(64);
    if (skipCount * 32n > BigInt(reader.remaining)) return null;
    const skip: Uint8Array[] = [];
    for (let i = 0n; i < skipCount; i++) skip.push(reader.readBytes(32));
    if (reader.remaining !== 0) return null;
    return { nodeCodes, skip };
  } catch {
    return null;
  }
}

/** Mask of the unused low bits of the last packed byte for n nodes. */
function paddingMask(n: number): number {
  const usedBits = (3 * n) % 8;
  return (1 << (8 - usedBits)) - 1;
}

/**
 * `MerkleTree::GetHash`: the root of the tree described by `proof` with
 * `verify` as the VERIFY leaves in order; null when the structure is invalid.
 */
export function merkleTreeRoot(
  proof: MerkleProof,
  verify: readonly Uint8Array[],
): Uint8Array | null {
  const nodes = proof.nodeCodes;
  if (nodes.length === 0 && verify.length === 0 && proof.skip.length === 0) {
    return sha256d(new Uint8Array(0));
  }
  if (verify.length + proof.skip.length !== nodes.length + 1) return null;
  if (nodes.length === 0) return verify.length > 0 ? verify[0] : proof.skip[0];

  // Pending left-hand hashes per level (null = placeholder), as in the reference.
  const stack: (Uint8Array | null)[] = [null, null];
  let verifyPos = 0;
  let skipPos = 0;
  const visit = (link: Link): boolean => {
    let hash: Uint8Array;
    if (link === Link.DESCEND) {
      stack.push(null);
      return false;
    } else if (link === Link.VERIFY) {
      if (verifyPos === verify.length) return true;
      hash = verify[verifyPos++];
    } else {
      if (skipPos === proof.skip.length) return true;
      hash = proof.skip[skipPos++];
    }
    while (stack[stack.length - 1] !== null) {
      hash = fastHash256(stack[stack.length - 1]!, hash);
      stack.pop();
    }
    stack[stack.length - 1] = hash;
    return false;
  };
  const result = depthFirstTraverse(nodes, visit);
  if (!result.finishedAtEnd || stack.length !== 1 || stack[0] === null) return null;
  if (verifyPos !== verify.length || skipPos !== proof.skip.length) return null;
  return stack[0];
}

/**
 * Walks the node codes depth-first (`depth_first_traverse`); `finishedAtEnd`
 * is true only when the tree closes exactly at the last node and the visitor
 * never stopped early.
 */
function depthFirstTraverse(
  nodes: readonly number[],
  visit: (link: Link) => boolean,
): { finishedAtEnd: boolean } {
  const path: { node: number; right: boolean }[] = [];
  for (let pos = 0; pos < nodes.length; pos++) {
    const code = nodes[pos];
    if (visit(LEFT_OF_CODE[code])) return { finishedAtEnd: false };
    if (LEFT_OF_CODE[code] === Link.DESCEND) {
      path.push({ node: pos, right: false });
      continue;
    }
    if (visit(RIGHT_OF_CODE[code])) return { finishedAtEnd: false };
    if (RIGHT_OF_CODE[code] === Link.DESCEND) {
      path.push({ node: pos, right: true });
      continue;
    }
    let done = false;
    while (path.length > 0 && !done) {
      const top = path[path.length - 1];
      if (top.right) {
        path.pop();
      } else {
        const rightLink = RIGHT_OF_CODE[nodes[top.node]];
        if (visit(rightLink)) return { finishedAtEnd: false };
        top.right = true;
        if (rightLink === Link.DESCEND) done = true;
      }
    }
    if (path.length === 0) return { finishedAtEnd: pos + 1 === nodes.length };
  }
  return { finishedAtEnd: false };
}

/**
 * OP_MERKLEBRANCHVERIFY in witness scripts: `[leaves…] proof root count`.
 * Pops count, root and proof (the leaves stay); returns null on success or
 * the error name.
 */
export function merkleBranchVerify(stack: Uint8Array[]): ScriptError | null {
  if (stack.length < 3) return "INVALID_STACK_OPERATION";
  const countArg = stack[stack.length - 1];
  const root = stack[stack.length - 2];
  const proofBytes = stack[stack.length - 3];
  let param: number;
  try {
    param = decodeScriptNum(countArg, true, 2);
  } catch {
    return "MINIMALDATA";
  }
  const prehashed = param < 0;
  const count = Math.abs(param);
  if (stack.length < 3 + count) return "INVALID_STACK_OPERATION";
  if (root.length !== 32) return "INVALID_HASH_LENGTH";
  const proof = decodeMerkleProof(proofBytes);
  if (proof === null) return "INVALID_MERKLE_PROOF";
  const nodes = proof.nodeCodes.length;
  if (
    (nodes > 0 || count > 0 || proof.skip.length > 0) && count + proof.skip.length !== nodes + 1
  ) {
    return "INVALID_MERKLE_PROOF";
  }
  const leaves: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const leaf = stack[stack.length - 4 - i];
    if (prehashed) {
      if (leaf.length !== 32) return "INVALID_HASH_LENGTH";
      leaves.push(leaf);
    } else {
      leaves.push(sha256d(leaf));
    }
  }
  const computed = merkleTreeRoot(proof, leaves);
  if (computed === null) return "INVALID_MERKLE_PROOF";
  if (!bytesEqual(computed, root)) return "MERKLEBRANCHVERIFY";
  stack.length -= 3;
  return null;
}
