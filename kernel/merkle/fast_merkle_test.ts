import assert from "node:assert/strict";
import {
  computeFastMerkleBranch,
  computeFastMerkleRoot,
  computeFastMerkleRootFromBranch,
} from "./fast_merkle.ts";
import { bytesToHex, hexToBytes } from "../encoding/hex.ts";
import { sha256, sha256d } from "../hash/sha256.ts";

const vectors = JSON.parse(
  Deno.readTextFileSync(
    new URL("../../../shared/vectors/freicoin-protocol-vectors.json", import.meta.url),
  ),
);
const fast = vectors.fast_merkle;

Deno.test("the vector leaves are SHA-256 of the single bytes 0..7", () => {
  fast.leaves_sha256_of_single_byte_i.forEach((leaf: string, i: number) => {
    assert.equal(bytesToHex(sha256(new Uint8Array([i]))), leaf);
  });
});

Deno.test("computes the fast Merkle roots of 1..8 leaves", async (t) => {
  const leaves = fast.leaves_sha256_of_single_byte_i.map(hexToBytes);
  for (let n = 1; n <= 8; n++) {
    await t.step(`${n} leaves`, () => {
      assert.equal(
        bytesToHex(computeFastMerkleRoot(leaves.slice(0, n))),
        fast[`root_of_first_${n}`],
      );
    });
  }
});

Deno.test("the root of no leaves is SHA256d of nothing", () => {
  assert.deepEqual(computeFastMerkleRoot([]), sha256d(new Uint8Array()));
});

Deno.test("every branch of trees of 1..40 leaves leads back to the root", () => {
  for (let n = 1; n <= 40; n++) {
    const leaves = Array.from({ length: n }, (_, i) => sha256(new Uint8Array([i, n])));
    const root = computeFastMerkleRoot(leaves);
    for (let position = 0; position < n; position++) {
      const { branch, path } = computeFastMerkleBranch(leaves, position);
      const result = computeFastMerkleRootFromBranch(leaves[position], branch, path);
      assert.deepEqual(result, root, `n=${n} position=${position}`);
    }
  }
});

Deno.test("the branch path drops levels without a sibling (303 leaves, leaf 291 -> path 51)", () => {
  const leaves = Array.from({ length: 303 }, (_, i) => sha256(new Uint8Array([i & 0xff, i >> 8])));
  const { branch, path } = computeFastMerkleBranch(leaves, 291);
  assert.equal(path, 51);
  assert.equal(branch.length, 6);
});

Deno.test("a branch with leftover path bits is invalid", () => {
  const leaves = [sha256(new Uint8Array([1])), sha256(new Uint8Array([2]))];
  const { branch, path } = computeFastMerkleBranch(leaves, 1);
  assert.equal(path, 1);
  assert.equal(computeFastMerkleRootFromBranch(leaves[1], branch, path | 2), null);
  assert.throws(() => computeFastMerkleBranch(leaves, 2), RangeError);
});
