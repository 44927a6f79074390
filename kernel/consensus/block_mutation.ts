import type { ConsensusParams } from "../chain/consensus_params.ts";
import { ByteWriter } from "../encoding/byte_writer.ts";
import { blockWitnessMerkleRoot, getWitnessCommitment } from "../merkle/witness_commitment.ts";
import { Block } from "../primitives/block.ts";
import { Transaction } from "../primitives/transaction.ts";
import { TxIn } from "../primitives/tx_in.ts";
import { TxOut } from "../primitives/tx_out.ts";
import { checkMerkleRoot } from "./check_block.ts";
import { checkWitnessMalleation } from "./witness_malleation.ts";

/**
 * `IsBlockMutated`: the block's transactions do not match its header (Merkle root, aux-pow
 * commitment), a coinbase-less block has a 64-byte transaction, or (when checked) the witness
 * data does not match the commitment. A mutated block says nothing about the header's validity.
 *
 * @example
 * ```ts
 * import { isBlockMutated } from "./block_mutation.ts";
 * import { selectParams } from "../chain/chain_params.ts";
 * import { decodeBlock } from "../primitives/block.ts";
 * const params = selectParams("regtest");
 * console.assert(!isBlockMutated(decodeBlock(params.genesis.bytes), params.consensus, true));
 * ```
 */
export function isBlockMutated(
  block: Block,
  params: ConsensusParams,
  checkWitnessRoot: boolean,
): boolean {
  if (!checkMerkleRoot(block, params).ok) return true;
  const txs = block.transactions;
  if (txs.length === 0 || !txs[0].isCoinBase()) {
    return txs.some((tx) => tx.strippedSize === 64);
  }
  return !checkWitnessMalleation(block, checkWitnessRoot).ok;
}

/** `EMPTY_SEGWIT_COMMITMENT`: push of path 0, a zero root and the magic 4b4a4948. */
export const EMPTY_SEGWIT_COMMITMENT: Uint8Array = new ByteWriter(38)
  .writeU8(37)
  .writeU8(0)
  .writeBytes(new Uint8Array(32))
  .writeBytes(new Uint8Array([0x4b, 0x4a, 0x49, 0x48]))
  .toBytes();

/**
 * `UpdateUncommittedBlockStructures`: a block with a witness commitment, under segwit, gets the
 * coinbase witness `[""]` if its coinbase has none.
 */
export function updateUncommittedBlockStructures(block: Block, segwitActive: boolean): Block {
  const coinbase = block.transactions[0];
  if (!coinbase || !getWitnessCommitment(block) || !segwitActive || coinbase.hasWitness()) {
    return block;
  }
  const inputs = [...coinbase.inputs];
  inputs[0] = new TxIn({ ...inputs[0], witness: [new Uint8Array(0)] });
  return new Block(block.header, [
    new Transaction({ ...coinbase, inputs }),
    ...block.transactions.slice(1),
  ]);
}

/**
 * `GenerateCoinbaseCommitment` as Freicoin's miner uses it: when the block-final transaction
 * already ends with a commitment, its last output becomes `EMPTY_SEGWIT_COMMITMENT` with path
 * 0x01 and the block's witness root filled in; then the coinbase witness is added. Blocks
 * without a commitment are returned unchanged. The header's Merkle root is not updated.
 */
export function generateCoinbaseCommitment(block: Block, segwitActive: boolean): Block {
  if (!getWitnessCommitment(block)) return block;
  const txs = [...block.transactions];
  const last = txs[txs.length - 1];
  const outputs = [...last.outputs];
  const index = outputs.length - 1;
  outputs[index] = new TxOut(outputs[index].value, EMPTY_SEGWIT_COMMITMENT);
  txs[txs.length - 1] = new Transaction({ ...last, outputs });
  const root = blockWitnessMerkleRoot(new Block(block.header, txs));
  const script = EMPTY_SEGWIT_COMMITMENT.slice();
  script[1] = 0x01;
  script.set(root, 2);
  outputs[index] = new TxOut(outputs[index].value, script);
  txs[txs.length - 1] = new Transaction({ ...last, outputs });
  return updateUncommittedBlockStructures(new Block(block.header, txs), segwitActive);
}
