// Bounded fuzzing of the transaction, header and block decoders with random and
// mutated inputs from a seeded PRNG: they must throw nothing but DecodeError,
// terminate, and round-trip whatever they accept.
import assert from "node:assert/strict";
import { DecodeError } from "../encoding/decode_error.ts";
import { bytesEqual } from "../encoding/bytes.ts";
import { hexToBytes } from "../encoding/hex.ts";
import { decodeTransaction, encodeTransaction } from "./transaction.ts";
import { decodeBlockHeader, encodeBlockHeader } from "./block_header.ts";
import { decodeBlock, encodeBlock } from "./block.ts";
import { AuxProofOfWork } from "./aux_pow.ts";
import { BlockHeader } from "./block_header.ts";
import { BlockLocator, decodeBlockLocator } from "./block_locator.ts";
import { loadVectors } from "./_test_vectors.ts";

/** mulberry32: a small deterministic PRNG, so failures reproduce. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(random: () => number, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => Math.floor(random() * 256));
}

function mutate(random: () => number, input: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(input);
  const pick = (n: number) => Math.floor(random() * n);
  switch (pick(6)) {
    case 0: { // flip a few bytes
      for (let i = 0, n = 1 + pick(4); i < n; i++) bytes[pick(bytes.length)] = pick(256);
      return bytes;
    }
    case 1: // truncate
      return bytes.subarray(0, pick(bytes.length));
    case 2: { // insert random bytes
      const at = pick(bytes.length + 1);
      const extra = randomBytes(random, 1 + pick(8));
      return Uint8Array.from([...bytes.subarray(0, at), ...extra, ...bytes.subarray(at)]);
    }
    case 3: { // delete a range
      const at = pick(bytes.length);
      return Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + 1 + pick(8))]);
    }
    case 4: { // write a large CompactSize somewhere
      const at = pick(Math.max(1, bytes.length - 5));
      bytes.set([[0xfd, 0xfe, 0xff][pick(3)], pick(256), pick(256), pick(256), pick(256)], at);
      return bytes;
    }
    default: { // set or clear the marker / extension bits
      if (bytes.length > 5) bytes[4] = [0x00, 0xff, 0x01][pick(3)];
      if (bytes.length > 5) bytes[5] = pick(4);
      if (bytes.length > 75) bytes[74] ^= 0x80;
      return bytes;
    }
  }
}

interface Codec {
  decode(bytes: Uint8Array): unknown;
  encode(value: unknown): Uint8Array;
}

/** Decodes `input`; if accepted, checks that the re-encoding decodes to the same encoding. */
function exercise(codec: Codec, input: Uint8Array): boolean {
  let value: unknown;
  try {
    value = codec.decode(input);
  } catch (error) {
    if (!(error instanceof DecodeError)) {
      throw new Error(`non-DecodeError for input ${input.length} bytes: ${error}`, {
        cause: error,
      });
    }
    return false;
  }
  const encoded = codec.encode(value);
  const again = codec.encode(codec.decode(encoded));
  assert.ok(bytesEqual(encoded, again), "re-encoding is stable");
  return true;
}

const txCodec: Codec = {
  decode: (b) => decodeTransaction(b),
  encode: (v) => encodeTransaction(v as ReturnType<typeof decodeTransaction>),
};
const headerCodec: Codec = {
  decode: (b) => decodeBlockHeader(b),
  encode: (v) => encodeBlockHeader(v as ReturnType<typeof decodeBlockHeader>),
};
const blockCodec: Codec = {
  decode: (b) => decodeBlock(b),
  encode: (v) => encodeBlock(v as ReturnType<typeof decodeBlock>),
};

const vectors = loadVectors("freicoin-protocol-vectors.json");
const chain = loadVectors("regtest-chain-158.json");
const blockSeeds: Uint8Array[] = [
  hexToBytes(vectors.block_witness_commitment_example.block_hex),
  ...[1, 101, 120, 152, 153, 157].map((h) => hexToBytes(chain.blocks[h])),
];
const txSeeds: Uint8Array[] = [
  hexToBytes(vectors.mainnet_tx_b25458e2.hex),
  hexToBytes(vectors.p2wpk_spend_example.tx_hex_with_witness),
  ...blockSeeds.flatMap((b) => decodeBlock(b).transactions.map((tx) => tx.toBytes())),
];
const plainHeader = decodeBlockHeader(hexToBytes(vectors.genesis.regtest.header_hex));
const auxHeader = new BlockHeader({
  ...plainHeader,
  auxPow: new AuxProofOfWork({
    commitVersion: 1,
    commitHashMerkleRoot: new Uint8Array(32).fill(1),
    commitTime: 2,
    commitBits: 3,
    commitNonce: 4,
    secretLo: 5n,
    secretHi: 6n,
    commitBranch: [{ skip: 7, hash: new Uint8Array(32).fill(8) }],
    midstateHash: new Uint8Array(32).fill(9),
    midstateBuffer: new Uint8Array([10, 11]),
    midstateLength: 66,
    auxLockTime: 12,
    auxBranch: [new Uint8Array(32).fill(13)],
    auxNumTxns: 2,
    auxVersion: 14,
    auxHashPrevBlock: new Uint8Array(32).fill(15),
    auxBits: 16,
    auxNonce: 17,
  }),
});
const headerSeeds = [plainHeader.toBytes(), auxHeader.toBytes()];

function fuzz(codec: Codec, seeds: Uint8Array[], seed: number, iterations: number) {
  const random = prng(seed);
  let accepted = 0;
  for (let i = 0; i < iterations; i++) {
    const input = i % 4 === 0
      ? randomBytes(random, Math.floor(random() * 200))
      : mutate(random, seeds[Math.floor(random() * seeds.length)]);
    if (exercise(codec, input)) accepted++;
  }
  return accepted;
}

Deno.test("transaction decoding survives random and mutated input", () => {
  for (const seed of txSeeds) assert.ok(exercise(txCodec, seed));
  const accepted = fuzz(txCodec, txSeeds, 1, 4000);
  assert.ok(accepted > 0, "some mutations are still valid transactions");
});

Deno.test("header decoding survives random and mutated input", () => {
  for (const seed of headerSeeds) assert.ok(exercise(headerCodec, seed));
  const accepted = fuzz(headerCodec, headerSeeds, 2, 4000);
  assert.ok(accepted > 0);
});

Deno.test("block decoding survives random and mutated input", () => {
  for (const seed of blockSeeds) assert.ok(exercise(blockCodec, seed));
  const accepted = fuzz(blockCodec, blockSeeds, 3, 2000);
  assert.ok(accepted > 0);
});

const locatorCodec: Codec = {
  decode: (b) => decodeBlockLocator(b),
  encode: (v) => (v as BlockLocator).toBytes(),
};

Deno.test("block locator decoding survives random and mutated input", () => {
  const seeds = [
    new BlockLocator([new Uint8Array(32).fill(1), new Uint8Array(32).fill(2)]).toBytes(),
  ];
  const accepted = fuzz(locatorCodec, seeds, 4, 2000);
  assert.ok(accepted > 0);
});
