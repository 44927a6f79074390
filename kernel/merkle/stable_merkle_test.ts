import assert from "node:assert/strict";
import { computeMerklePathAndMask, computeStableMerkleRootFromBranch } from "./stable_merkle.ts";
import { computeMerkleBranch, computeMerkleRoot } from "./merkle_root.ts";
import { sha256 } from "../hash/sha256.ts";

/** The Satoshi branch without the levels where the node is paired with itself. */
function stableBranch(leaves: Uint8Array[], position: number): Uint8Array[] {
  const full = computeMerkleBranch(leaves, position);
  const out: Uint8Array[] = [];
  let index = position;
  let width = leaves.length;
  for (const hash of full) {
    if ((index ^ 1) < width) out.push(hash);
    index >>>= 1;
    width = Math.ceil(width / 2);
  }
  return out;
}

Deno.test("stable branches with their path and mask lead back to the root", () => {
  for (let n = 1; n <= 40; n++) {
    const leaves = Array.from({ length: n }, (_, i) => sha256(new Uint8Array([i, n])));
    const { root } = computeMerkleRoot(leaves);
    for (let position = 0; position < n; position++) {
      const branch = stableBranch(leaves, position);
      const { path, mask } = computeMerklePathAndMask(branch.length, position);
      const result = computeStableMerkleRootFromBranch(leaves[position], branch, path, mask);
      assert.equal(result.mutated, false, `n=${n} position=${position}`);
      assert.deepEqual(result.root, root, `n=${n} position=${position}`);
    }
  }
});

Deno.test("path and mask drop the self-paired levels of the last leaf", () => {
  // 5 leaves, last leaf (index 4): paired with itself at levels 0 and 1.
  assert.deepEqual(computeMerklePathAndMask(1, 4), { path: 1, mask: 3 });
  assert.deepEqual(computeMerklePathAndMask(3, 4), { path: 4, mask: 0 });
  assert.deepEqual(computeMerklePathAndMask(0, 0), { path: 0, mask: 0 });
});

Deno.test("leftover path bits mark a stable branch as mutated", () => {
  const leaf = sha256(new Uint8Array([1]));
  assert.equal(computeStableMerkleRootFromBranch(leaf, [], 1, 0).mutated, true);
  assert.equal(computeStableMerkleRootFromBranch(leaf, [leaf], 1, 0).mutated, false);
});
