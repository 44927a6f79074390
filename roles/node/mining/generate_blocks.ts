/**
 * Regtest mining (`generateBlocks` / `GenerateBlock`, src/rpc/mining.cpp): grind the nonce of
 * a template and hand the block to the chainstate.
 *
 * @module
 */
import { checkProofOfWork } from "../../../kernel/chain/mod.ts";
import { Block, BlockHeader } from "../../../kernel/primitives/mod.ts";
import type { MiningChainView } from "../mempool/chain_view.ts";
import type { Mempool } from "../mempool/mod.ts";
import { BlockAssembler, type BlockAssemblerOptions, withMerkleRoot } from "./block_assembler.ts";

const UINT32_MAX = 0xffffffff;

/** Why generation stopped early. */
export class GenerateError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "GenerateError";
  }
}

/** Tries left, shared across the blocks of one call (the reference's `max_tries` by reference). */
export interface TriesLeft {
  value: number;
}

/**
 * `GenerateBlock`: computes the Merkle root and grinds the nonce. Returns the solved block,
 * null when the tries ran out, or "exhausted" when the nonce space ran out (the caller then
 * builds a fresh template, as the reference does).
 */
export function solveBlock(
  block: Block,
  chain: MiningChainView,
  tries: TriesLeft,
  interrupted: () => boolean = () => false,
): Block | null | "exhausted" {
  const consensus = chain.params.consensus;
  const solved = withMerkleRoot(block);
  const fields = { ...solved.header };
  let header = solved.header;
  while (
    tries.value > 0 && header.nonce < UINT32_MAX &&
    !checkProofOfWork(header.hash, header.bits, consensus) && !interrupted()
  ) {
    fields.nonce = header.nonce + 1;
    header = new BlockHeader(fields);
    tries.value--;
  }
  if (tries.value === 0 || interrupted()) return null;
  if (header.nonce === UINT32_MAX) return "exhausted";
  return new Block(header, solved.transactions);
}

/** Options of {@link generateBlocks}. */
export interface GenerateOptions extends BlockAssemblerOptions {
  /** The node's clock, seconds (honours setmocktime). */
  readonly now: () => number;
  /** Stops early when true (shutdown). */
  readonly interrupted?: () => boolean;
}

/**
 * `generateBlocks`: mines `count` blocks paying `scriptPubKey`, each submitted through
 * `chain.processNewBlock`; returns their hashes (display hex). Stops early, returning what it
 * has, when `maxTries` runs out.
 * @throws {GenerateError} "ProcessNewBlock, block not accepted" when the chain refuses a block
 */
export async function generateBlocks(
  chain: MiningChainView,
  mempool: Mempool | undefined,
  scriptPubKey: Uint8Array,
  count: number,
  maxTries: number,
  options: GenerateOptions,
): Promise<string[]> {
  const hashes: string[] = [];
  const tries: TriesLeft = { value: maxTries };
  const interrupted = options.interrupted ?? (() => false);
  while (count > 0 && !interrupted()) {
    const assembler = new BlockAssembler(chain, mempool, options);
    const template = assembler.createNewBlock(scriptPubKey);
    const solved = solveBlock(template.block, chain, tries, interrupted);
    if (solved === null) break;
    if (solved === "exhausted") continue;
    const result = await chain.processNewBlock(solved, {
      forceProcessing: true,
      minPowChecked: true,
    });
    if (!result.accepted) throw new GenerateError("ProcessNewBlock, block not accepted");
    count--;
    hashes.push(solved.hashHex);
  }
  return hashes;
}
