/**
 * createmerkleproof (Freicoin's rpc/merkleproof.cpp): a fast-Merkle tree over data elements
 * (leaf = SHA256d of the data, inner node = the SHA-256 midstate hash), the serialized
 * `MerkleProof` that OP_MERKLEBRANCHVERIFY reads (3-bit node codes, skipped hashes), and a branch
 * proof for each element to verify.
 *
 * @module
 */
import {
  getArray,
  getBool,
  getInt,
  getStr,
  helpExampleCli,
  helpExampleRpc,
  type JsonObject,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
} from "../../../rpc/mod.ts";
import { bytesEqual, bytesToHex, ByteWriter, hashToHex } from "../../../kernel/encoding/mod.ts";
import { fastHash256, sha256d } from "../../../kernel/hash/mod.ts";
import type { NodeContext } from "../node_context.ts";

/** A subtree: one hash (to verify, or skipped), or an inner node. */
type MerkleTree =
  | { readonly kind: "leaf"; readonly hash: Uint8Array; readonly verify: boolean }
  | { readonly kind: "node"; readonly left: MerkleTree; readonly right: MerkleTree };

/** Link kinds of a node's children, and the 3-bit code of each (left, right) pair. */
type Link = "descend" | "verify" | "skip";
const NODE_CODES: readonly [Link, Link][] = [
  ["verify", "skip"],
  ["verify", "verify"],
  ["verify", "descend"],
  ["descend", "skip"],
  ["descend", "verify"],
  ["descend", "descend"],
  ["skip", "verify"],
  ["skip", "descend"],
];

function linkOf(tree: MerkleTree): Link {
  if (tree.kind === "node") return "descend";
  return tree.verify ? "verify" : "skip";
}

/** `MerkleTree(left, right)`: two skipped hashes collapse into one (a fully pruned subtree). */
function merge(left: MerkleTree, right: MerkleTree): MerkleTree {
  if (left.kind === "leaf" && !left.verify && right.kind === "leaf" && !right.verify) {
    return { kind: "leaf", hash: fastHash256(left.hash, right.hash), verify: false };
  }
  return { kind: "node", left, right };
}

function rootOf(tree: MerkleTree): Uint8Array {
  return tree.kind === "leaf" ? tree.hash : fastHash256(rootOf(tree.left), rootOf(tree.right));
}

/** The serialized `MerkleProof`: VARINT node count, packed codes, VARINT skip count, hashes. */
function encodeProof(tree: MerkleTree): Uint8Array {
  const codes: number[] = [];
  const skip: Uint8Array[] = [];
  const walk = (t: MerkleTree): void => {
    if (t.kind === "leaf") {
      if (!t.verify) skip.push(t.hash);
      return;
    }
    const left = linkOf(t.left);
    const right = linkOf(t.right);
    codes.push(NODE_CODES.findIndex(([l, r]) => l === left && r === right));
    walk(t.left);
    walk(t.right);
  };
  walk(tree);
  const packed = new Uint8Array(Math.ceil((3 * codes.length) / 8));
  codes.forEach((code, i) => {
    for (let b = 0; b < 3; b++) {
      if (code & (4 >> b)) {
        const bit = 3 * i + b;
        packed[bit >> 3] |= 0x80 >> (bit & 7);
      }
    }
  });
  const writer = new ByteWriter(64 + 32 * skip.length);
  writer.writeVarInt(codes.length).writeBytes(packed).writeVarInt(skip.length);
  for (const hash of skip) writer.writeBytes(hash);
  return writer.toBytes();
}

/** Each verified hash with its branch proof (`MerkleBranch::getvch`): path bytes, siblings. */
function branchProofs(tree: MerkleTree): { hash: Uint8Array; proof: Uint8Array }[] {
  const out: { hash: Uint8Array; proof: Uint8Array }[] = [];
  const walk = (t: MerkleTree, siblings: Uint8Array[], sides: boolean[]): void => {
    if (t.kind === "leaf") {
      if (!t.verify) return;
      // Deepest sibling first; a set bit means the sibling is on the left.
      const branch = [...siblings].reverse();
      const bits = [...sides].reverse();
      let path = 0;
      bits.forEach((onLeft, i) => {
        if (onLeft) path |= 1 << i;
      });
      const pathBytes: number[] = [];
      for (let p = path >>> 0; p !== 0; p >>>= 8) pathBytes.push(p & 0xff);
      const proof = new Uint8Array(pathBytes.length + 32 * branch.length);
      proof.set(pathBytes);
      branch.forEach((hash, i) => proof.set(hash, pathBytes.length + 32 * i));
      out.push({ hash: t.hash, proof });
      return;
    }
    walk(t.left, [...siblings, rootOf(t.right)], [...sides, false]);
    walk(t.right, [...siblings, rootOf(t.left)], [...sides, true]);
  };
  walk(tree, [], []);
  return out;
}

/** `ParseHex`: hex pairs up to the first character that is not one (spaces skipped). */
function parseHexLenient(text: string): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i])) i++;
    const pair = text.slice(i, i + 2);
    if (!/^[0-9a-fA-F]{2}$/.test(pair)) break;
    out.push(parseInt(pair, 16));
    i += 2;
  }
  return Uint8Array.from(out);
}

/** `uint256::SetHex`: optional 0x, then up to 64 hex digits, right-aligned. */
function hashFromHexLenient(text: string): Uint8Array {
  let digits = text.trimStart();
  if (/^0[xX]/.test(digits)) digits = digits.slice(2);
  digits = (/^[0-9a-fA-F]*/.exec(digits)?.[0] ?? "").slice(-64);
  const hash = new Uint8Array(32);
  for (let i = 0; i < digits.length; i++) {
    const nibble = parseInt(digits[digits.length - 1 - i], 16);
    hash[i >> 1] |= i & 1 ? nibble << 4 : nibble;
  }
  return hash;
}

/** createmerkleproof. */
export function createMerkleProofMethod(): RpcMethod<NodeContext> {
  return {
    name: "createmerkleproof",
    category: "util",
    description:
      "\nCreate a fast Merkle-tree from the provided data elements, and return the proof structure and data necessary for validation.\n",
    args: [
      {
        names: "data",
        type: "arr",
        description:
          "The data elements, either as hex-encoded data or hash values; see prehashed option",
        inner: [{
          names: "",
          type: "str_hex",
          optional: true,
          description: "Either hex-encoded data, or its hash value",
        }],
      },
      {
        names: "pos",
        type: "arr",
        description: "The position of elements which need to be verified by the proof",
        inner: [{
          names: "",
          type: "num",
          optional: true,
          description: "The position of an element to be verified by the proof",
        }],
      },
      {
        names: "prehashed",
        type: "bool",
        default: false,
        description: "If set, the data elements specified are hex-encoded 256-bit hash values",
      },
    ],
    results: [{
      type: "obj",
      inner: [
        { type: "str_hex", key: "root", description: "The root hash of the Merkle tree" },
        { type: "str_hex", key: "proof", description: "The serialized proof structure" },
        {
          type: "arr",
          key: "veirfy",
          description: "The data necessary to verify the proof",
          inner: [{
            type: "obj",
            inner: [
              { type: "str_hex", key: "hash", description: "The hash used in proof verification" },
              { type: "str_hex", key: "data", description: "The original data, if available" },
            ],
          }],
        },
      ],
    }],
    examples: helpExampleCli("createmerkleproof", "") + helpExampleRpc("createmerkleproof", ""),
    handler: (call) => {
      const prehashed = call.params.length > 2 ? getBool(call.params[2]) : false;
      const positions = new Set<number>();
      const includeAll = call.maybeArg(1) === undefined;
      if (!includeAll) {
        for (const item of getArray(call.params[1])) {
          const position = getInt(item);
          if (position < 0) {
            throw new RpcError(RPC_ERROR.INVALID_PARAMETER, `Invalid tree position: ${position}`);
          }
          if (positions.has(position)) {
            throw new RpcError(
              RPC_ERROR.INVALID_PARAMETER,
              `Tree position specified twice: ${position}`,
            );
          }
          positions.add(position);
        }
      }
      const elements: { hash: Uint8Array; data?: Uint8Array }[] = [];
      let level: MerkleTree[] = [];
      if (call.maybeArg(0) !== undefined) {
        getArray(call.params[0]).forEach((item, index) => {
          const text = getStr(item);
          const element = prehashed
            ? { hash: hashFromHexLenient(text) }
            : { hash: sha256d(parseHexLenient(text)), data: parseHexLenient(text) };
          elements.push(element);
          level.push({
            kind: "leaf",
            hash: element.hash,
            verify: includeAll || positions.has(index),
          });
        });
        const outOfRange = [...positions].filter((p) => p >= elements.length).sort((a, b) => a - b);
        if (outOfRange.length > 0) {
          throw new RpcError(
            RPC_ERROR.INVALID_PARAMETER,
            `These tree positions are out of range: ${outOfRange.join(", ")}`,
          );
        }
      }
      if (level.length === 0) {
        // The empty tree: no nodes, no hashes; its root is the hash of the empty string.
        return { root: hashToHex(sha256d(new Uint8Array())), tree: "0000", verify: [] };
      }
      while (level.length > 1) {
        const next: MerkleTree[] = [];
        for (let i = 0; i < level.length; i += 2) {
          next.push(i + 1 < level.length ? merge(level[i], level[i + 1]) : level[i]);
        }
        level = next;
      }
      const tree = level[0];
      const verify = branchProofs(tree).map(({ hash, proof }) => {
        const entry: JsonObject = { hash: hashToHex(hash) };
        const known = elements.find((e) => e.data !== undefined && bytesEqual(e.hash, hash));
        if (known?.data) entry.data = bytesToHex(known.data);
        entry.proof = bytesToHex(proof);
        return entry;
      });
      return { root: hashToHex(rootOf(tree)), tree: bytesToHex(encodeProof(tree)), verify };
    },
  };
}
