import assert from "node:assert/strict";
import { selectParams } from "../chain/chain_params.ts";
import { calculateHeadersWork, hasValidProofOfWork } from "../chain/header_work.ts";
import { bytesToHex, hexToBytes } from "../encoding/hex.ts";
import { Block, decodeBlock } from "../primitives/block.ts";
import { BlockHeader } from "../primitives/block_header.ts";
import { Transaction } from "../primitives/transaction.ts";
import { TxIn } from "../primitives/tx_in.ts";
import { TxOut } from "../primitives/tx_out.ts";
import {
  EMPTY_SEGWIT_COMMITMENT,
  generateCoinbaseCommitment,
  isBlockMutated,
} from "./block_mutation.ts";

const vector = JSON.parse(
  await Deno.readTextFile(
    new URL("../../../shared/vectors/regtest-chain-158.json", import.meta.url),
  ),
) as { blocks: string[] };
const blocks = vector.blocks.map((hex) => decodeBlock(hexToBytes(hex)));
const params = selectParams("regtest").consensus;

function stripCommitment(block: Block): Block {
  const [coinbase, ...rest] = block.transactions;
  const input = new TxIn({ ...coinbase.inputs[0], witness: [] });
  const last = rest[rest.length - 1];
  const outputs = [...last.outputs];
  outputs[outputs.length - 1] = new TxOut(
    outputs[outputs.length - 1].value,
    EMPTY_SEGWIT_COMMITMENT,
  );
  rest[rest.length - 1] = new Transaction({ ...last, outputs });
  return new Block(block.header, [new Transaction({ ...coinbase, inputs: [input] }), ...rest]);
}

Deno.test("regenerating the commitment of real blocks 101 and 153 gives the mined bytes", () => {
  for (const height of [101, 153]) {
    const mined = blocks[height];
    const rebuilt = generateCoinbaseCommitment(stripCommitment(mined), true);
    assert.equal(bytesToHex(rebuilt.toBytes()), bytesToHex(mined.toBytes()), `block ${height}`);
  }
});

Deno.test("blocks without a commitment are left alone", () => {
  assert.equal(generateCoinbaseCommitment(blocks[50], true), blocks[50]);
});

Deno.test("isBlockMutated spots Merkle and witness mismatches but not valid blocks", () => {
  assert.equal(isBlockMutated(blocks[152], params, true), false);
  const [coinbase, spend, finalTx] = blocks[152].transactions;
  const witness = spend.inputs[0].witness.map((item) => item.slice());
  witness[0][3] ^= 1;
  const tampered = new Transaction({
    ...spend,
    inputs: [new TxIn({ ...spend.inputs[0], witness })],
  });
  const witnessChanged = new Block(blocks[152].header, [coinbase, tampered, finalTx]);
  assert.equal(isBlockMutated(witnessChanged, params, true), true);
  assert.equal(
    isBlockMutated(witnessChanged, params, false),
    true,
    "witness without commitment check",
  );
  const dropped = new Block(blocks[152].header, [coinbase, finalTx]);
  assert.equal(isBlockMutated(dropped, params, false), true);
});

Deno.test("header proof-of-work checks and work sums", () => {
  const headers = blocks.slice(0, 10).map((block) => block.header);
  assert.ok(hasValidProofOfWork(headers, params));
  assert.equal(calculateHeadersWork(headers), 20n);
  const hard = new BlockHeader({ ...headers[3], bits: 0x1d00ffff });
  assert.ok(!hasValidProofOfWork([...headers, hard], params));
});
