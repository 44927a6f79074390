import assert from "node:assert/strict";
import { Block, decodeBlock, encodeBlock } from "./block.ts";
import { BlockHeader, decodeBlockHeader, encodeBlockHeader } from "./block_header.ts";
import { AuxProofOfWork } from "./aux_pow.ts";
import { Transaction } from "./transaction.ts";
import { BLOCK_LOCATOR_DUMMY_VERSION, BlockLocator, decodeBlockLocator } from "./block_locator.ts";
import { bytesToHex, hashToHex, hexToBytes } from "../encoding/hex.ts";
import { DecodeError } from "../encoding/decode_error.ts";
import { ByteReader } from "../encoding/byte_reader.ts";
import { loadVectors } from "./_test_vectors.ts";

const vectors = loadVectors("freicoin-protocol-vectors.json");
const chain = loadVectors("regtest-chain-158.json");

Deno.test("decodes every genesis block and reproduces hash, header and bytes", async (t) => {
  for (const [network, genesis] of Object.entries(vectors.genesis)) {
    await t.step(network, () => {
      const g = genesis as Record<string, string | number>;
      const raw = hexToBytes(g.block_hex as string);
      const block = decodeBlock(raw);
      assert.equal(block.hashHex, g.hash);
      assert.equal(hashToHex(block.header.hashMerkleRoot), g.merkle_root);
      assert.equal(bytesToHex(block.header.toBytes()), g.header_hex);
      assert.equal(block.header.time, g.nTime);
      assert.equal(block.header.nonce, g.nNonce);
      assert.equal(block.header.bits, parseInt(g.nBits as string, 16));
      assert.equal(block.header.version, g.nVersion);
      assert.deepEqual(encodeBlock(block), raw);
      assert.equal(decodeBlockHeader(hexToBytes(g.header_hex as string)).hashHex, g.hash);
    });
  }
});

Deno.test("round-trips every block of the 158-block regtest chain", () => {
  const blocks: string[] = chain.blocks;
  let previous: Uint8Array = new Uint8Array(32);
  const txids = new Set<string>();
  for (let height = 0; height < blocks.length; height++) {
    const raw = hexToBytes(blocks[height]);
    const block = decodeBlock(raw);
    assert.deepEqual(block.toBytes(), raw, `height ${height}`);
    assert.deepEqual(block.header.hashPrevBlock, previous, `link at height ${height}`);
    assert.equal(block.totalSize, raw.length);
    previous = block.hash;
    for (const tx of block.transactions) {
      txids.add(tx.txidHex);
      // Hashes from raw bytes equal hashes from re-serialization.
      const rebuilt = new Transaction({ ...tx });
      assert.equal(rebuilt.txidHex, tx.txidHex);
      assert.equal(rebuilt.wtxidHex, tx.wtxidHex);
    }
    if (height > 0) assert.equal(block.transactions[0].lockHeight, height);
  }
  assert.equal(hashToHex(previous), chain.expected_tip_hash);
  assert.equal(blocks.length - 1, chain.expected_height);
  for (const txid of Object.values(chain.txids_of_interest)) assert.ok(txids.has(txid as string));
});

Deno.test("decodes the block with a witness commitment", () => {
  const example = vectors.block_witness_commitment_example;
  const raw = hexToBytes(example.block_hex);
  const block = decodeBlock(raw);
  assert.equal(block.hashHex, example.block_hash);
  assert.equal(block.weight, example.block_weight);
  assert.deepEqual(block.toBytes(), raw);
  const last = block.transactions[block.transactions.length - 1];
  assert.equal(
    bytesToHex(last.outputs[last.outputs.length - 1].scriptPubKey),
    example.final_tx_last_output_script,
  );
});

function sampleAuxPow(auxNumTxns = 3): AuxProofOfWork {
  const h = (b: number) => new Uint8Array(32).fill(b);
  return new AuxProofOfWork({
    commitVersion: 0x20000000,
    commitHashMerkleRoot: h(1),
    commitTime: 123,
    commitBits: 0x1d00ffff,
    commitNonce: 0x0102,
    secretLo: 0x1122334455667788n,
    secretHi: 0xffffffffffffffffn,
    commitBranch: [{ skip: 3, hash: h(2) }],
    midstateHash: h(3),
    midstateBuffer: new Uint8Array([1, 2, 3]),
    midstateLength: 131,
    auxLockTime: 77,
    auxBranch: [h(4), h(5)],
    auxNumTxns,
    auxVersion: 4,
    auxHashPrevBlock: h(6),
    auxBits: 0x17034567,
    auxNonce: 99,
  });
}

Deno.test("round-trips an extended header with aux pow; the hash ignores it", () => {
  const plain = decodeBlockHeader(hexToBytes(vectors.genesis.regtest.header_hex));
  const extended = new BlockHeader({ ...plain, auxPow: sampleAuxPow() });
  const bytes = encodeBlockHeader(extended);
  assert.ok(bytes.length > 80);
  assert.equal(bytes[74] & 0x80, 0x80, "nBits bit 23 set on the wire");
  const decoded = decodeBlockHeader(bytes);
  assert.equal(decoded.bits, plain.bits);
  assert.deepEqual(decoded.auxPow, extended.auxPow);
  assert.deepEqual(decoded.toBytes(), bytes);
  assert.equal(decoded.hashHex, plain.hashHex);
  // The same inside a block: the transaction count follows the extension.
  const genesis = decodeBlock(hexToBytes(vectors.genesis.regtest.block_hex));
  const block = new Block(decoded, genesis.transactions);
  assert.deepEqual(decodeBlock(block.toBytes()).toBytes(), block.toBytes());
});

Deno.test("an aux pow whose transaction count wraps to 0 is the null aux pow", () => {
  const plain = decodeBlockHeader(hexToBytes(vectors.genesis.regtest.header_hex));
  const bytes = new BlockHeader({ ...plain, auxPow: sampleAuxPow(0) }).toBytes();
  const decoded = decodeBlockHeader(bytes);
  assert.equal(decoded.auxPow, null);
  assert.equal(decoded.toBytes().length, 80);
});

Deno.test("rejects a bad extension marker, unknown header flags and trailing bytes", () => {
  const header = hexToBytes(vectors.genesis.regtest.header_hex);
  const withFlag = (tail: number[]) => {
    const out = new Uint8Array(80 + tail.length);
    out.set(header);
    out[74] |= 0x80;
    out.set(tail, 80);
    return out;
  };
  assert.throws(() => decodeBlockHeader(withFlag([0xfe, 0x01])), {
    message: "Invalid extended block header dummy value",
  });
  assert.throws(() => decodeBlockHeader(withFlag([0xff, 0x02])), {
    message: "Unknown block header optional data",
  });
  // Marker with no flags is accepted and re-encodes as a plain header.
  assert.equal(decodeBlockHeader(withFlag([0xff, 0x00])).toBytes().length, 80);
  assert.throws(() => decodeBlockHeader(withFlag([])), DecodeError);
  const longer = new Uint8Array(81);
  longer.set(header);
  assert.throws(() => decodeBlockHeader(longer), DecodeError);
  assert.throws(() => decodeBlock(header), DecodeError);
});

Deno.test("block locators carry the reference's dummy version and round-trip", () => {
  const locator = new BlockLocator([new Uint8Array(32).fill(1), new Uint8Array(32).fill(2)]);
  const bytes = locator.toBytes();
  assert.equal(new ByteReader(bytes).readI32LE(), BLOCK_LOCATOR_DUMMY_VERSION);
  assert.equal(bytes.length, 4 + 1 + 64);
  assert.deepEqual(decodeBlockLocator(bytes).have, locator.have);
  assert.equal(new ByteReader(locator.toBytes(0)).readI32LE(), 0);
  assert.throws(() => decodeBlockLocator(hexToBytes("0000000002" + "00".repeat(32))), DecodeError);
});
