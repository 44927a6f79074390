import assert from "node:assert/strict";
import { blockWitnessMerkleRoot, getWitnessCommitment } from "./witness_commitment.ts";
import { blockMerkleRoot } from "./merkle_root.ts";
import { computeFastMerkleRootFromBranch } from "./fast_merkle.ts";
import { bytesEqual } from "../encoding/bytes.ts";
import { bytesToHex, hashToHex, hexToBytes } from "../encoding/hex.ts";
import { decodeBlock } from "../primitives/block.ts";

function load(name: string) {
  return JSON.parse(
    Deno.readTextFileSync(new URL(`../../../shared/vectors/${name}`, import.meta.url)),
  );
}
const vectors = load("freicoin-protocol-vectors.json");
const chain = load("regtest-chain-158.json");

Deno.test("extracts the commitment and recomputes the witness root of the example block", () => {
  const example = vectors.block_witness_commitment_example;
  const block = decodeBlock(hexToBytes(example.block_hex));
  const commitment = getWitnessCommitment(block);
  assert.ok(commitment);
  assert.equal(commitment.path, 1);
  assert.equal(bytesToHex(commitment.root), example.witness_root);
  assert.equal(bytesToHex(blockWitnessMerkleRoot(block)), example.witness_root);
  assert.deepEqual(
    block.transactions[0].inputs[0].witness.map(bytesToHex),
    example.coinbase_witness_stack,
  );
});

Deno.test("the genesis block has no witness commitment", () => {
  const block = decodeBlock(hexToBytes(vectors.genesis.regtest.block_hex));
  assert.equal(getWitnessCommitment(block), null);
});

Deno.test("every block of the regtest chain has a matching Merkle root and commitment", () => {
  const blocks: string[] = chain.blocks;
  let committed = 0;
  for (let height = 0; height < blocks.length; height++) {
    const block = decodeBlock(hexToBytes(blocks[height]));
    const { root, mutated } = blockMerkleRoot(block);
    assert.equal(hashToHex(root), hashToHex(block.header.hashMerkleRoot), `height ${height}`);
    assert.equal(mutated, false);
    const commitment = getWitnessCommitment(block);
    if (height >= 101) assert.ok(commitment, `commitment expected at height ${height}`);
    if (!commitment) {
      assert.ok(
        block.transactions.every((tx) => !tx.hasWitness()),
        `unexpected witness at ${height}`,
      );
      continue;
    }
    committed++;
    // The check CheckWitnessMalleation makes: branch from the coinbase witness, path minus its top bit.
    const depth = 31 - Math.clz32(commitment.path);
    const nonce = block.transactions[0].inputs[0].witness;
    assert.equal(nonce.length, 1);
    assert.equal(nonce[0].length, 32 * depth);
    const branch = Array.from({ length: depth }, (_, i) => nonce[0].slice(32 * i, 32 * i + 32));
    const result = computeFastMerkleRootFromBranch(
      blockWitnessMerkleRoot(block),
      branch,
      commitment.path ^ (1 << depth),
    );
    assert.ok(result !== null);
    assert.ok(bytesEqual(result, commitment.root), `witness root at height ${height}`);
  }
  assert.equal(committed, blocks.length - 101);
});
