/**
 * `CVerifyDB::VerifyDB` (-checkblocks, -checklevel, the verifychain RPC): re-reads the last
 * blocks and re-checks them without changing the chainstate. Level 0 reads the blocks, 1 runs
 * CheckBlock, 2 reads and checksums the undo data, 3 disconnects the blocks in a scratch view
 * and checks that the coins match, 4 reconnects them with full validation.
 */

import type { Logger } from "../../../cli/logger.ts";
import type { ConsensusParams } from "../../../kernel/chain/consensus_params.ts";
import type { VersionBitsCache } from "../../../kernel/chain/versionbits.ts";
import { checkBlock } from "../../../kernel/consensus/check_block.ts";
import { type BlockUndo, connectBlock } from "../../../kernel/consensus/connect_block.ts";
import type { ScriptVerifier } from "../../../kernel/consensus/script_check.ts";
import { validationToString } from "../../../kernel/consensus/validation_result.ts";
import type { Block } from "../../../kernel/primitives/block.ts";
import { type BlockIndexEntry, BlockStatus } from "./block_index_entry.ts";
import type { VerifyDBResult } from "./chain_state_types.ts";
import { BlockCoinsView, type CoinsCache } from "./coins_cache.ts";
import { disconnectBlock } from "./disconnect_block.ts";

/** What {@link verifyChain} reads. */
export interface VerifyContext {
  readonly tip: BlockIndexEntry | undefined;
  /** The coins at the tip; only read (changes stay in a scratch layer). */
  readonly cache: CoinsCache;
  readBlock(entry: BlockIndexEntry): Block | undefined;
  readUndo(entry: BlockIndexEntry): BlockUndo | undefined;
  readonly params: ConsensusParams;
  readonly verifyScript: ScriptVerifier;
  readonly versionBitsCache: VersionBitsCache;
  readonly parallelScriptChecks: boolean;
  readonly logger: Logger;
}

/** Verifies the last `checkBlocks` blocks (0 or more than the height: all) at `checkLevel` 0–4. */
export function verifyChain(
  context: VerifyContext,
  checkBlocks: number,
  checkLevel: number,
): VerifyDBResult {
  const tip = context.tip;
  if (!tip || tip.height <= 1) return { ok: true };
  const depth = checkBlocks <= 0 || checkBlocks > tip.height ? tip.height : checkBlocks;
  const level = Math.max(0, Math.min(4, checkLevel));
  context.logger.info(`Verifying last ${depth} blocks at level ${level}`);
  const view = new BlockCoinsView(context.cache);
  let lowest: BlockIndexEntry = tip;
  let finalTx = context.cache.finalTx;
  let unclean = 0;
  for (let entry: BlockIndexEntry | undefined = tip; entry?.prev; entry = entry.prev) {
    if (entry.height <= tip.height - depth) break;
    const block = context.readBlock(entry);
    if (!block) {
      return {
        ok: false,
        message: `ReadBlockFromDisk failed at ${entry.height}, hash=${entry.hashHex}`,
      };
    }
    if (level >= 1) {
      const checked = checkBlock(block, context.params);
      if (!checked.ok) {
        return {
          ok: false,
          message: `found bad block at ${entry.height}, hash=${entry.hashHex} (${
            validationToString(checked)
          })`,
        };
      }
    }
    let undo: BlockUndo | undefined;
    if (level >= 2 && entry.status & BlockStatus.HAVE_UNDO) {
      try {
        undo = context.readUndo(entry);
      } catch {
        undo = undefined;
      }
      if (!undo) {
        return {
          ok: false,
          message: `found bad undo data at ${entry.height}, hash=${entry.hashHex}`,
        };
      }
    }
    if (level >= 3 && undo) {
      const outcome = disconnectBlock(block, entry.height, undo, view);
      if (outcome === "failed") {
        return {
          ok: false,
          message:
            `irrecoverable inconsistency in block data at ${entry.height}, hash=${entry.hashHex}`,
        };
      }
      if (outcome === "unclean") unclean++;
      finalTx = undo.previousFinalTx;
      lowest = entry.prev;
    }
  }
  if (unclean > 0) {
    return {
      ok: false,
      message: `coin database inconsistencies found (last ${depth} blocks, ${unclean} unclean)`,
    };
  }
  if (level >= 4 && lowest !== tip) {
    for (let height = lowest.height + 1; height <= tip.height; height++) {
      const entry = tip.ancestor(height)!;
      const block = context.readBlock(entry);
      if (!block) return { ok: false, message: `ReadBlockFromDisk failed at ${entry.height}` };
      const result = connectBlock(block, context.params, {
        entry,
        view,
        finalTx,
        verifyScript: context.verifyScript,
        versionBitsCache: context.versionBitsCache,
        parallelScriptChecks: context.parallelScriptChecks,
      });
      if (!result.ok) {
        return {
          ok: false,
          message: `found unconnectable block at ${entry.height}, hash=${entry.hashHex} (${
            validationToString(result)
          })`,
        };
      }
      finalTx = result.finalTx;
    }
  }
  context.logger.info("Verification: No coin database inconsistencies in last blocks");
  return { ok: true };
}
