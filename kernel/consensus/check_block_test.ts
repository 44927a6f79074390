import assert from "node:assert/strict";
import { selectParams } from "../chain/chain_params.ts";
import { hexToBytes } from "../encoding/hex.ts";
import { AuxProofOfWork, type AuxProofOfWorkFields } from "../primitives/aux_pow.ts";
import { Block, decodeBlock } from "../primitives/block.ts";
import { BlockHeader } from "../primitives/block_header.ts";
import { Transaction } from "../primitives/transaction.ts";
import { TxOut } from "../primitives/tx_out.ts";
import { remine } from "./_test_chain.ts";
import { checkBlock, checkBlockHeader } from "./check_block.ts";
import type { BlockValidationResult } from "./validation_result.ts";

const vector = JSON.parse(
  await Deno.readTextFile(
    new URL("../../../shared/vectors/regtest-chain-158.json", import.meta.url),
  ),
) as { blocks: string[] };
const blocks = vector.blocks.map((hex) => decodeBlock(hexToBytes(hex)));
const params = selectParams("regtest").consensus;

function reason(result: BlockValidationResult): string {
  return result.ok ? "ok" : result.reason;
}

Deno.test("every block of the real chain passes CheckBlock", () => {
  for (const block of blocks) assert.equal(reason(checkBlock(block, params)), "ok");
});

Deno.test("rejects a first transaction that is not a coinbase: bad-cb-missing", () => {
  const block = blocks[152];
  const mutated = remine(block, params, block.transactions.slice(1));
  assert.equal(reason(checkBlock(mutated, params)), "bad-cb-missing");
});

Deno.test("rejects a second coinbase: bad-cb-multiple", () => {
  const block = blocks[120];
  const mutated = remine(block, params, [block.transactions[0], blocks[119].transactions[0]]);
  assert.equal(reason(checkBlock(mutated, params)), "bad-cb-multiple");
});

Deno.test("rejects a duplicated tail of transactions (CVE-2012-2459): bad-txns-duplicate", () => {
  const block = blocks[152];
  const txs = block.transactions;
  // 3 transactions [a, b, c] have the same Merkle root as [a, b, c, c].
  const same = new Block(block.header, [...txs, txs[2]]);
  assert.equal(reason(checkBlock(same, params)), "bad-txns-duplicate");
});

Deno.test("rejects an over-size block: bad-blk-length", () => {
  const block = blocks[120];
  const coinbase = block.transactions[0];
  const filler = new TxOut(0n, new Uint8Array(1_000_001).fill(0x6a));
  const big = new Transaction({ ...coinbase, outputs: [...coinbase.outputs, filler] });
  const mutated = remine(block, params, [big, block.transactions[1]]);
  assert.equal(reason(checkBlock(mutated, params)), "bad-blk-length");
});

Deno.test("passes a transaction failure through with its tx hash: bad-txns-vout-negative", () => {
  const block = blocks[120];
  const [coinbase, finalTx] = block.transactions;
  const negative = new Transaction({
    ...finalTx,
    outputs: [new TxOut(-1n, new Uint8Array([0x51]))],
  });
  const mutated = remine(block, params, [coinbase, negative]);
  const result = checkBlock(mutated, params);
  assert.ok(!result.ok && result.reason === "bad-txns-vout-negative");
  assert.ok(
    result.debugMessage.startsWith(`Transaction check failed (tx hash ${negative.txidHex})`),
  );
});

Deno.test("checkPow false skips proof of work", () => {
  const block = blocks[120];
  const hard = new Block(
    new BlockHeader({ ...block.header, bits: 0x1d00ffff }),
    block.transactions,
  );
  assert.equal(reason(checkBlockHeader(hard.header, params)), "high-hash");
  assert.equal(reason(checkBlock(hard, params, { checkPow: false })), "ok");
});

function auxFields(change: Partial<AuxProofOfWorkFields> = {}): AuxProofOfWorkFields {
  return {
    commitVersion: 0x20000000,
    commitHashMerkleRoot: new Uint8Array(32),
    commitTime: 0,
    commitBits: 0x207fffff,
    commitNonce: 0,
    secretLo: 0n,
    secretHi: 0n,
    commitBranch: [],
    midstateHash: new Uint8Array(32),
    midstateBuffer: new Uint8Array(0),
    midstateLength: 0,
    auxLockTime: 0,
    auxBranch: [],
    auxNumTxns: 1,
    auxVersion: 0x20000000,
    auxHashPrevBlock: new Uint8Array(32),
    auxBits: 0x207fffff,
    auxNonce: 0,
    ...change,
  };
}

function withAux(change: Partial<AuxProofOfWorkFields>): BlockHeader {
  return new BlockHeader({ ...blocks[120].header, auxPow: new AuxProofOfWork(auxFields(change)) });
}

Deno.test("rejects malformed aux-pow data before any hashing", () => {
  const check = (change: Partial<AuxProofOfWorkFields>) =>
    reason(checkBlockHeader(withAux(change), params, { checkPow: false }));
  assert.equal(
    check({ midstateBuffer: new Uint8Array(64), midstateLength: 64 }),
    "auxpow-midstate-buffer",
  );
  assert.equal(
    check({ midstateBuffer: new Uint8Array(3), midstateLength: 68 }),
    "auxpow-midstate-length",
  );
  assert.equal(
    check({ auxBranch: new Array(26).fill(new Uint8Array(32)) }),
    "auxpow-merkle-branch",
  );
  assert.equal(
    check({ commitBranch: new Array(33).fill({ skip: 0, hash: new Uint8Array(32) }) }),
    "auxpow-commit-branch",
  );
  assert.equal(
    check({ commitBranch: new Array(2).fill({ skip: 127, hash: new Uint8Array(32) }) }),
    "auxpow-commit-branch-bits",
  );
  assert.equal(check({}), "ok");
});
