/**
 * Block headers and blocks as JSON (`blockheaderToJSON`, `blockToJSON` in rpc/blockchain.cpp).
 *
 * @module
 */
import { type JsonObject, RPC_ERROR, RpcError } from "../../../rpc/mod.ts";
import { bytesToHex, hashToHex } from "../../../kernel/encoding/mod.ts";
import type { Block } from "../../../kernel/primitives/mod.ts";
import type { BlockUndo } from "../../../kernel/consensus/mod.ts";
import type { BlockIndexEntry } from "../chain/block_index_entry.ts";
import type { ChainState } from "../chain/chain_state.ts";
import { type ScriptJsonOptions, type TxDetail, txToJson } from "./tx_json.ts";

/** `ConvertBitsToDifficulty`: the difficulty of compact target `bits` as a double. */
export function difficultyOfBits(bits: number): number {
  let shift = (bits >>> 24) & 0xff;
  let difficulty = 0x0000ffff / (bits & 0x00ffffff);
  while (shift < 29) {
    difficulty *= 256.0;
    shift++;
  }
  while (shift > 29) {
    difficulty /= 256.0;
    shift--;
  }
  return difficulty;
}

/** Chain work as the 64-digit hex freicoind prints. */
export function chainWorkHex(work: bigint): string {
  return work.toString(16).padStart(64, "0");
}

/** `%08x` of a 32-bit value (negative versions print as their two's complement). */
export function hex32(value: number): string {
  return (value >>> 0).toString(16).padStart(8, "0");
}

/** Confirmations (-1 off the active chain) and the next block on it (`ComputeNextBlockAndDepth`). */
export function depthAndNext(
  chain: ChainState,
  entry: BlockIndexEntry,
): { confirmations: number; next: BlockIndexEntry | undefined } {
  if (!chain.contains(entry)) return { confirmations: -1, next: undefined };
  return {
    confirmations: chain.height - entry.height + 1,
    next: chain.getBlockEntry(entry.height + 1),
  };
}

/** A block header as JSON (`blockheaderToJSON`). */
export function headerToJson(chain: ChainState, entry: BlockIndexEntry): JsonObject {
  const { confirmations, next } = depthAndNext(chain, entry);
  const result: JsonObject = {
    hash: entry.hashHex,
    confirmations,
    height: entry.height,
    version: entry.version,
    versionHex: hex32(entry.version),
    merkleroot: hashToHex(entry.header.hashMerkleRoot),
    time: entry.time,
    mediantime: chain.medianTimePast(entry),
    nonce: entry.header.nonce >>> 0,
    bits: hex32(entry.bits),
    difficulty: difficultyOfBits(entry.bits),
  };
  if (entry.auxPow) result.auxdifficulty = difficultyOfBits(entry.auxPow.commitBits);
  result.chainwork = chainWorkHex(entry.chainWork);
  result.nTx = entry.txCount;
  if (entry.prev) result.previousblockhash = entry.prev.hashHex;
  if (next) result.nextblockhash = next.hashHex;
  return result;
}

/** Reads a block or throws freicoind's "Block not found on disk" (`GetBlockChecked`). */
export function readBlockChecked(chain: ChainState, entry: BlockIndexEntry): Block {
  const block = chain.readBlock(entry);
  if (!block) throw new RpcError(RPC_ERROR.MISC_ERROR, "Block not found on disk");
  return block;
}

/** Block verbosity beyond the txid list. */
export type BlockDetail = "txids" | TxDetail;

/** A block as JSON (`blockToJSON`). */
export function blockToJson(
  chain: ChainState,
  block: Block,
  entry: BlockIndexEntry,
  detail: BlockDetail,
  options: ScriptJsonOptions,
): JsonObject {
  const result = headerToJson(chain, entry);
  const stripped = block.toBytes({ witness: false }).length;
  const size = block.totalSize;
  result.strippedsize = stripped;
  result.size = size;
  result.weight = stripped * 3 + size;
  if (detail === "txids") {
    result.tx = block.transactions.map((tx) => tx.txidHex);
    return result;
  }
  let undo: BlockUndo | undefined;
  if (entry.height > 0) {
    try {
      undo = chain.readUndo(entry);
    } catch {
      undo = undefined;
    }
  }
  result.tx = block.transactions.map((tx, i) =>
    txToJson(tx, {
      ...options,
      includeHex: true,
      spentCoins: i > 0 ? undo?.txUndo[i - 1] : undefined,
      detail,
    })
  );
  return result;
}

/** The header's serialization as hex (`getblockheader` verbose=false). */
export function headerHex(entry: BlockIndexEntry): string {
  return bytesToHex(entry.header.toBytes());
}
