/**
 * Test support (not exported from mod.ts): the recorded regtest chain, a secp256k1 backend
 * (native when the library loads, else pure TypeScript), and temporary datadirs.
 */

import { selectParams } from "../../../kernel/chain/chain_params.ts";
import type { ChainParams } from "../../../kernel/chain/chain_params.ts";
import { hexToBytes } from "../../../kernel/encoding/hex.ts";
import { type Block, decodeBlock } from "../../../kernel/primitives/block.ts";
import { createPureSecp256k1 } from "../../../kernel/secp256k1/pure_backend.ts";
import { loadNativeSecp256k1 } from "../../../kernel/secp256k1/native_backend.ts";
import type { Secp256k1 } from "../../../kernel/secp256k1/secp256k1.ts";
import { ChainState, type ChainStateOptions } from "./chain_state.ts";

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
