/**
 * Test support (not exported from mod.ts): the recorded regtest chain, a secp256k1 backend
 * (native when the library loads, else pure TypeScript), and temporary datadirs.
 */

import { selectParams } from "../../../kernel/chain/chain_params.ts";
import type { ChainParams } from "../../../kernel/chain/chain_params.ts";
import { hexToBytes } from "../../../kernel/encoding/hex.ts";
import { Block, decodeBlock } from "../../../kernel/primitives/block.ts";
import { BlockHeader } from "../../../kernel/primitives/block_header.ts";
import { OutPoint } from "../../../kernel/primitives/outpoint.ts";
import { Transaction } from "../../../kernel/primitives/transaction.ts";
import { SEQUENCE_FINAL, TxIn } from "../../../kernel/primitives/tx_in.ts";
import { TxOut } from "../../../kernel/primitives/tx_out.ts";
import { concatBytes } from "../../../kernel/encoding/bytes.ts";
import { heightScriptPrefix } from "../../../kernel/consensus/contextual_check.ts";
import { blockMerkleRoot } from "../../../kernel/merkle/merkle_root.ts";
import { blockWitnessMerkleRoot } from "../../../kernel/merkle/witness_commitment.ts";
import { checkProofOfWork } from "../../../kernel/chain/pow.ts";
import { type ChainEntry, medianTimePast } from "../../../kernel/chain/chain_entry.ts";
import { createPureSecp256k1 } from "../../../kernel/secp256k1/pure_backend.ts";
import { loadNativeSecp256k1 } from "../../../kernel/secp256k1/native_backend.ts";
import type { Secp256k1 } from "../../../kernel/secp256k1/secp256k1.ts";
import { ChainState } from "./chain_state.ts";
import type { ChainStateOptions } from "./chain_state_types.ts";

/** The recorded 158-block regtest chain (heights 0..157) and its expected figures. */
export interface RegtestChainVector {
  readonly blocks: readonly string[];
  readonly expected_tip_hash: string;
  readonly expected_height: number;
  readonly expected_gettxoutsetinfo: {
    readonly txouts: number;
    readonly bogosize: number;
    readonly hash_serialized_3: string;
    readonly total_value: number;
    readonly total_amount: number;
    readonly transactions: number;
  };
}

/** Path of a file in ../shared/vectors relative to the project root. */
export function vectorPath(name: string): string {
  return new URL(`../../../../shared/vectors/${name}`, import.meta.url).pathname;
}

let vectorCache: { vector: RegtestChainVector; blocks: Block[]; raw: Uint8Array[] } | undefined;

/** The vector, its blocks decoded, and their raw bytes. */
export function regtestChain(): { vector: RegtestChainVector; blocks: Block[]; raw: Uint8Array[] } {
  if (!vectorCache) {
    const vector = JSON.parse(
      Deno.readTextFileSync(vectorPath("regtest-chain-158.json")),
    ) as RegtestChainVector;
    const raw = vector.blocks.map((hex) => hexToBytes(hex));
    vectorCache = { vector, raw, blocks: raw.map((bytes) => decodeBlock(bytes)) };
  }
  return vectorCache;
}

let secpCache: Secp256k1 | undefined;

/** The native backend when libsecp256k1 loads, else the pure TypeScript one. */
export function testSecp256k1(): Secp256k1 {
  if (!secpCache) {
    try {
      secpCache = loadNativeSecp256k1();
    } catch {
      secpCache = createPureSecp256k1();
    }
  }
  return secpCache;
}

/** Regtest parameters. */
export function regtestParams(): ChainParams {
  return selectParams("regtest");
}

/** Opens a chainstate on `dir` (a network directory) with test defaults. */
export function openTestChain(
  dir: string,
  options: Partial<ChainStateOptions> = {},
): Promise<ChainState> {
  const params = options.params ?? regtestParams();
  return ChainState.open({
    params,
    networkDir: dir,
    secp256k1: testSecp256k1(),
    // A clock just after the recorded chain (mined in November 2026).
    clock: () => 1_795_500_000,
    // Worker threads cost a module load each; the tests that exercise them ask for one.
    scriptCheckThreads: 0,
    ...options,
  });
}

/** Feeds blocks[from..to) through processNewBlock and throws on any rejection. */
export async function feedBlocks(
  chain: ChainState,
  blocks: readonly Block[],
  from: number,
  to: number,
): Promise<void> {
  for (let i = from; i < to; i++) {
    const result = await chain.submitBlock(blocks[i]);
    if (result !== null && result !== "duplicate") {
      throw new Error(`block ${i} rejected: ${result}`);
    }
  }
}

/** What a test miner needs to know about the parent block. */
export interface MiningParent {
  readonly hash: Uint8Array;
  readonly height: number;
  /** Median time past of the parent. */
  readonly medianTime: number;
  /** The parent's header time (the child gets parent time + 1, at least MTP + 1). */
  readonly time: number;
}

/**
 * Mines a regtest block on `parent` below height 101 (no block-final transaction needed):
 * a coinbase as freicoind's miner builds it (BIP34 height push, nLockTime = MTP,
 * lock_height = height) paying `reward` kria (default the full 50 FRC subsidy) to OP_TRUE,
 * with `tag` in the scriptSig to make branches distinct.
 */
export function mineBlock(
  parent: MiningParent,
  options: { tag?: number; reward?: bigint; extra?: readonly Transaction[] } = {},
): Block {
  const height = parent.height + 1;
  const coinbase = new Transaction({
    version: 2,
    inputs: [
      new TxIn({
        prevout: OutPoint.null(),
        scriptSig: concatBytes(
          heightScriptPrefix(height),
          new Uint8Array([0x01, options.tag ?? 0]),
        ),
        sequence: SEQUENCE_FINAL,
      }),
    ],
    outputs: [new TxOut(options.reward ?? 5_000_000_000n, new Uint8Array([0x51]))],
    lockTime: parent.medianTime,
    lockHeight: height,
  });
  const transactions = [coinbase, ...(options.extra ?? [])];
  const draft = new Block(
    new BlockHeader({
      version: 0x20000000,
      hashPrevBlock: parent.hash,
      hashMerkleRoot: new Uint8Array(32),
      time: 0,
      bits: 0x207fffff,
      nonce: 0,
    }),
    transactions,
  );
  const hashMerkleRoot = blockMerkleRoot(draft).root;
  const time = Math.max(parent.medianTime + 1, parent.time + 1);
  const consensus = regtestParams().consensus;
  for (let nonce = 0; nonce < 1_000_000; nonce++) {
    const header = new BlockHeader({
      version: 0x20000000,
      hashPrevBlock: parent.hash,
      hashMerkleRoot,
      time,
      bits: 0x207fffff,
      nonce,
    });
    if (checkProofOfWork(header.hash, header.bits, consensus)) {
      return new Block(header, transactions);
    }
  }
  throw new Error("no nonce found");
}

/** Mines `count` blocks on top of `entry`, each on the previous. */
export function mineBranch(
  entry: ChainEntry,
  count: number,
  tag: number,
): Block[] {
  const blocks: Block[] = [];
  let parent: ChainEntry = entry;
  for (let i = 0; i < count; i++) {
    const block = mineBlock({
      hash: parent.hash,
      height: parent.height,
      medianTime: medianTimePast(parent),
      time: parent.time,
    }, { tag });
    blocks.push(block);
    parent = {
      hash: block.hash,
      height: parent.height + 1,
      version: block.header.version,
      time: block.header.time,
      bits: block.header.bits,
      prev: parent,
    };
  }
  return blocks;
}

/**
 * `block` with `transactions` (the last one its block-final tx): the witness commitment in
 * the final tx's last output and the Merkle root recomputed, and a valid nonce found.
 */
export function remineWithCommitment(block: Block, transactions: readonly Transaction[]): Block {
  const draft = new Block(block.header, transactions);
  const root = blockWitnessMerkleRoot(draft);
  const finalTx = transactions[transactions.length - 1];
  const last = finalTx.outputs[finalTx.outputs.length - 1];
  const script = last.scriptPubKey.slice();
  script.set(root, 2);
  const committed = new Transaction({
    ...finalTx,
    outputs: [...finalTx.outputs.slice(0, -1), new TxOut(last.value, script)],
  });
  const txs = [...transactions.slice(0, -1), committed];
  const hashMerkleRoot = blockMerkleRoot(new Block(block.header, txs)).root;
  const consensus = regtestParams().consensus;
  for (let nonce = 0; nonce < 1_000_000; nonce++) {
    const header = new BlockHeader({ ...block.header, hashMerkleRoot, nonce });
    if (checkProofOfWork(header.hash, header.bits, consensus)) return new Block(header, txs);
  }
  throw new Error("no nonce found");
}
