import assert from "node:assert/strict";
import {
  blockMerkleRoot,
  blockTemplateMerkleRoot,
  computeMerkleBranch,
  computeMerkleRoot,
  computeMerkleRootFromBranch,
} from "./merkle_root.ts";
import { bytesToHex, hashToHex, hexToBytes } from "../encoding/hex.ts";
import { concatBytes } from "../encoding/bytes.ts";
import { sha256, sha256d } from "../hash/sha256.ts";
import { Block, decodeBlock } from "../primitives/block.ts";
import { Transaction } from "../primitives/transaction.ts";
import { TxIn } from "../primitives/tx_in.ts";

const vectors = JSON.parse(
  Deno.readTextFileSync(
    new URL("../../../shared/vectors/freicoin-protocol-vectors.json", import.meta.url),
  ),
);
const leaf = (i: number) => sha256(new Uint8Array([i]));

Deno.test("pairs an odd last node with itself", () => {
  const [a, b, c] = [leaf(1), leaf(2), leaf(3)];
  const ab = sha256d(concatBytes(a, b));
  const cc = sha256d(concatBytes(c, c));
  assert.deepEqual(computeMerkleRoot([a, b, c]).root, sha256d(concatBytes(ab, cc)));
  assert.deepEqual(computeMerkleRoot([a]).root, a);
  assert.equal(bytesToHex(computeMerkleRoot([]).root), "00".repeat(32));
});

Deno.test("flags the CVE-2012-2459 duplicate-subtree mutation", () => {
  const six = [1, 2, 3, 4, 5, 6].map(leaf);
  const eight = [...six, leaf(5), leaf(6)];
  const honest = computeMerkleRoot(six);
  const mutated = computeMerkleRoot(eight);
  assert.deepEqual(mutated.root, honest.root);
  assert.equal(honest.mutated, false);
  assert.equal(mutated.mutated, true);
  assert.equal(computeMerkleRoot([leaf(1), leaf(1)]).mutated, true);
});

Deno.test("every Merkle branch leads back to the root", () => {
  for (let n = 1; n <= 17; n++) {
    const leaves = Array.from({ length: n }, (_, i) => leaf(i));
    const { root } = computeMerkleRoot(leaves);
    for (let i = 0; i < n; i++) {
      assert.deepEqual(
        computeMerkleRootFromBranch(leaves[i], computeMerkleBranch(leaves, i), i),
        root,
      );
    }
  }
});

Deno.test("reproduces the Merkle roots of the genesis blocks and the commitment example", () => {
  for (
    const genesis of Object.values(vectors.genesis) as { block_hex: string; merkle_root: string }[]
  ) {
    const block = decodeBlock(hexToBytes(genesis.block_hex));
    assert.equal(hashToHex(blockMerkleRoot(block).root), genesis.merkle_root);
  }
  const example = vectors.block_witness_commitment_example;
  const block = decodeBlock(hexToBytes(example.block_hex));
  const { root, mutated } = blockMerkleRoot(block);
  assert.equal(hashToHex(root), example.merkle_root);
  assert.equal(mutated, false);
});

Deno.test("the template root ignores the coinbase scriptSig and nSequence", () => {
  const example = vectors.block_witness_commitment_example;
  const block = decodeBlock(hexToBytes(example.block_hex));
  const template = blockTemplateMerkleRoot(block).root;
  assert.notDeepEqual(template, blockMerkleRoot(block).root);
  const coinbase = block.transactions[0];
  const input = coinbase.inputs[0];
  const changed = new Transaction({
    ...coinbase,
    inputs: [new TxIn({ ...input, scriptSig: new Uint8Array([1, 2, 3]), sequence: 5 })],
  });
  const other = new Block(block.header, [changed, ...block.transactions.slice(1)]);
  assert.deepEqual(blockTemplateMerkleRoot(other).root, template);
});
