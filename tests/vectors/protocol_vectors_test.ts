/**
 * The rows of ../shared/vectors/freicoin-protocol-vectors.json that concern chain parameters,
 * proof of work, subsidy and block checks: genesis blocks (built from parameters), subsidy
 * values, and the witness-commitment block.
 */
import assert from "node:assert/strict";
import { type ChainName, selectParams } from "../../kernel/chain/chain_params.ts";
import { checkProofOfWork } from "../../kernel/chain/pow.ts";
import { getBlockSubsidy } from "../../kernel/chain/subsidy.ts";
import { checkBlock, checkMerkleRoot } from "../../kernel/consensus/check_block.ts";
import { blockWeight } from "../../kernel/consensus/contextual_check.ts";
import { checkWitnessMalleation } from "../../kernel/consensus/witness_malleation.ts";
import { bytesToHex, hashToHex, hexToBytes } from "../../kernel/encoding/hex.ts";
import { decodeBlock } from "../../kernel/primitives/block.ts";

interface GenesisRow {
  hash: string;
  merkle_root: string;
  header_hex: string;
  nTime: number;
  nNonce: number;
  nBits: string;
  nVersion: number;
  block_hex: string;
}

interface ProtocolVectors {
  genesis: Record<string, GenesisRow>;
  genesis_tx_main_regtest_signet: { txid: string; hex: string };
  genesis_tx_testnet: { txid: string; hex: string };
  subsidy: Record<string, Record<string, number>>;
  block_witness_commitment_example: {
    block_hex: string;
    block_hash: string;
    witness_root: string;
    final_tx_last_output_script: string;
    coinbase_witness_stack: string[];
    merkle_root: string;
    block_weight: number;
  };
}

const vectors: ProtocolVectors = JSON.parse(
  await Deno.readTextFile(
    new URL("../../../shared/vectors/freicoin-protocol-vectors.json", import.meta.url),
  ),
);

const CHAIN_OF_ROW: Record<string, ChainName> = {
  main: "main",
  testnet: "test",
  "signet(default challenge)": "signet",
  regtest: "regtest",
};

for (const [row, chain] of Object.entries(CHAIN_OF_ROW)) {
  Deno.test(`genesis ${row}: built from parameters, byte-identical to the vector`, () => {
    const expected = vectors.genesis[row];
    const params = selectParams(chain);
    const genesis = params.genesis;
    assert.equal(bytesToHex(genesis.bytes), expected.block_hex);
    assert.equal(bytesToHex(genesis.header), expected.header_hex);
    assert.equal(hashToHex(genesis.hash), expected.hash);
    assert.equal(hashToHex(genesis.merkleRoot), expected.merkle_root);
    assert.equal(hashToHex(params.consensus.hashGenesisBlock), expected.hash);
    const block = decodeBlock(genesis.bytes);
    assert.equal(block.header.time, expected.nTime);
    assert.equal(block.header.nonce, expected.nNonce);
    assert.equal(block.header.bits.toString(16).padStart(8, "0"), expected.nBits);
    assert.equal(block.header.version, expected.nVersion);
    assert.ok(checkProofOfWork(genesis.hash, block.header.bits, params.consensus));
    assert.ok(checkBlock(block, params.consensus).ok);
  });
}

Deno.test("genesis transactions: the shared one and testnet's built one match the vectors", () => {
  const main = decodeBlock(selectParams("main").genesis.bytes).transactions[0];
  assert.equal(bytesToHex(main.toBytes()), vectors.genesis_tx_main_regtest_signet.hex);
  assert.equal(main.txidHex, vectors.genesis_tx_main_regtest_signet.txid);
  const test = decodeBlock(selectParams("test").genesis.bytes).transactions[0];
  assert.equal(bytesToHex(test.toBytes()), vectors.genesis_tx_testnet.hex);
  assert.equal(test.txidHex, vectors.genesis_tx_testnet.txid);
});

for (const [row, values] of Object.entries(vectors.subsidy)) {
  const chain: ChainName = row === "testnet" ? "test" : row as ChainName;
  for (const [height, subsidy] of Object.entries(values)) {
    Deno.test(`subsidy ${row} at height ${height} is ${subsidy} kria`, () => {
      assert.equal(getBlockSubsidy(Number(height), selectParams(chain).consensus), BigInt(subsidy));
    });
  }
}

Deno.test("witness commitment block: Merkle root, commitment and weight check out", () => {
  const example = vectors.block_witness_commitment_example;
  const block = decodeBlock(hexToBytes(example.block_hex));
  assert.equal(block.hashHex, example.block_hash);
  assert.equal(hashToHex(block.header.hashMerkleRoot), example.merkle_root);
  const consensus = selectParams("regtest").consensus;
  assert.ok(checkMerkleRoot(block, consensus).ok);
  assert.ok(checkWitnessMalleation(block, true).ok);
  assert.equal(blockWeight(block), example.block_weight);
  const last = block.transactions[block.transactions.length - 1];
  assert.equal(
    bytesToHex(last.outputs[last.outputs.length - 1].scriptPubKey),
    example.final_tx_last_output_script,
  );
  assert.deepEqual(
    block.transactions[0].inputs[0].witness.map((item) => bytesToHex(item)),
    example.coinbase_witness_stack,
  );
});
