import assert from "node:assert/strict";
import { hashFromHex, hashToHex, hexToBytes } from "../../../kernel/encoding/mod.ts";
import { computeFastMerkleRootFromBranch } from "../../../kernel/merkle/mod.ts";
import { rpcSamples, TestNode } from "./_test_support.ts";

/** The root a branch proof (path bytes, then 32-byte siblings) gives for a leaf. */
function rootFromProof(leafHex: string, proofHex: string): string | undefined {
  const proof = hexToBytes(proofHex);
  const pathBytes = proof.length % 32;
  let path = 0;
  for (let i = pathBytes - 1; i >= 0; i--) path = path * 256 + proof[i];
  const branch: Uint8Array[] = [];
  for (let i = pathBytes; i < proof.length; i += 32) branch.push(proof.subarray(i, i + 32));
  const root = computeFastMerkleRootFromBranch(hashFromHex(leafHex), branch, path);
  return root === null ? undefined : hashToHex(root);
}

// createmerkleproof's documented keys ("proof", "veirfy") differ from what freicoind returns
// ("tree", "verify"), so its results are not checked against the docs.
const NO_DOC_CHECK = { docCheck: false };

Deno.test("createmerkleproof answers as the reference node did", async () => {
  await using node = await TestNode.open({}, NO_DOC_CHECK);
  const sample = rpcSamples()["createmerkleproof"];
  assert.deepEqual(await node.answer(sample.call), sample.result);
});

Deno.test("createmerkleproof proofs verify every requested leaf against the root", async () => {
  await using node = await TestNode.open({}, NO_DOC_CHECK);
  const data = ["00", "01", "02", "03", "04", "05", "06"];
  const all = await node.call("createmerkleproof", [data, data.map((_, i) => i)]) as {
    root: string;
    verify: { hash: string; data: string; proof: string }[];
  };
  assert.equal(all.verify.length, data.length);
  for (const positions of [[0], [6], [2, 5], [1, 3, 4]]) {
    const some = await node.call("createmerkleproof", [data, positions]) as typeof all;
    assert.equal(some.root, all.root);
    assert.deepEqual(some.verify.map((v) => v.data), positions.map((p) => data[p]));
    for (const leaf of some.verify) assert.equal(rootFromProof(leaf.hash, leaf.proof), all.root);
  }
  const prehashed = await node.call("createmerkleproof", [
    all.verify.map((v) => v.hash),
    [0],
    true,
  ]) as typeof all;
  assert.equal(prehashed.root, all.root);
  const cases: [unknown[], string][] = [
    [[data, [-1]], "Invalid tree position: -1"],
    [[data, [1, 1]], "Tree position specified twice: 1"],
    [[data, [9, 7]], "These tree positions are out of range: 7, 9"],
  ];
  for (const [params, message] of cases) {
    assert.deepEqual(await node.answer(["createmerkleproof", ...params]), {
      __error__: { code: -8, message },
    });
  }
});
