/**
 * Test support (not exported from mod.ts): replays a decoded regtest chain into an in-memory
 * UTXO set, and re-mines mutated blocks so that only the rule under test fails.
 */

import type { ChainEntry } from "../chain/chain_entry.ts";
import type { ConsensusParams } from "../chain/consensus_params.ts";
import { checkProofOfWork } from "../chain/pow.ts";
import type { VersionBitsCache } from "../chain/versionbits.ts";
import { blockMerkleRoot } from "../merkle/merkle_root.ts";
import { Block } from "../primitives/block.ts";
import { BlockHeader } from "../primitives/block_header.ts";
import type { Transaction } from "../primitives/transaction.ts";
import { MemoryCoinsView } from "./coins.ts";
import { type BlockFinalTxEntry, connectBlock } from "./connect_block.ts";
import type { ScriptVerifier } from "./script_check.ts";
import { validationToString } from "./validation_result.ts";

/** State of a replayed chain at its tip. */
export interface ReplayState {
  readonly view: MemoryCoinsView;
  readonly tip: ChainEntry;
  readonly finalTx: BlockFinalTxEntry | null;
  readonly entries: readonly ChainEntry[];
}

/** A chain entry for `block` on top of `prev`. */
export function entryFor(block: Block, prev: ChainEntry | undefined): ChainEntry {
  return {
    height: prev ? prev.height + 1 : 0,
    hash: block.hash,
    version: block.header.version,
    time: block.header.time,
    bits: block.header.bits,
    prev,
  };
}

/** Connects `blocks[0..count)` (genesis first); throws if any block fails. */
export function replayBlocks(
  blocks: readonly Block[],
  count: number,
  params: ConsensusParams,
  verifyScript: ScriptVerifier,
): ReplayState {
  const view = new MemoryCoinsView();
  const cache: VersionBitsCache = new Map();
  const entries: ChainEntry[] = [];
  let tip: ChainEntry | undefined;
  let finalTx: BlockFinalTxEntry | null = null;
  for (let height = 0; height < count; height++) {
    const entry = entryFor(blocks[height], tip);
    const result = connectBlock(blocks[height], params, {
      entry,
      view,
      finalTx,
      verifyScript,
      versionBitsCache: cache,
    });
    if (!result.ok) throw new Error(`replay block ${height}: ${validationToString(result)}`);
    finalTx = result.finalTx;
    entries.push(entry);
    tip = entry;
  }
  if (!tip) throw new Error("nothing replayed");
  return { view, tip, finalTx, entries };
}

/**
 * A copy of `block` with `transactions`, its Merkle root recomputed and a nonce found that
 * meets its target (instant on regtest). Header fields may be overridden.
 */
export function remine(
  block: Block,
  params: ConsensusParams,
  transactions: readonly Transaction[] = block.transactions,
  header: Partial<{ version: number; time: number; bits: number }> = {},
): Block {
  const draft = new Block(block.header, transactions);
  const hashMerkleRoot = blockMerkleRoot(draft).root;
  for (let nonce = 0; nonce < 1_000_000; nonce++) {
    const candidate = new BlockHeader({
      version: header.version ?? block.header.version,
      hashPrevBlock: block.header.hashPrevBlock,
      hashMerkleRoot,
      time: header.time ?? block.header.time,
      bits: header.bits ?? block.header.bits,
      nonce,
    });
    if (checkProofOfWork(candidate.hash, candidate.bits, params)) {
      return new Block(candidate, transactions);
    }
  }
  throw new Error("no nonce found");
}
