import { sha256d } from "../hash/mod.ts";
import type { Block } from "../primitives/mod.ts";
import { GcsFilter, type GcsParams } from "./gcs_filter.ts";

/** Golomb-Rice parameter of the basic filter (`BASIC_FILTER_P`). */
export const BASIC_FILTER_P = 19;
/** Inverse false-positive rate of the basic filter (`BASIC_FILTER_M`). */
export const BASIC_FILTER_M = 784931;

const OP_RETURN = 0x6a;

function readUint64LE(bytes: Uint8Array, offset: number): bigint {
  let value = 0n;
  for (let i = 7; i >= 0; i--) value = (value << 8n) | BigInt(bytes[offset + i]);
  return value;
}

/** Basic-filter parameters for a block: SipHash keyed with the first 16 bytes of its hash. */
export function basicFilterParams(blockHash: Uint8Array): GcsParams {
  if (blockHash.length !== 32) throw new RangeError("block hash must be 32 bytes");
  return {
    key: { k0: readUint64LE(blockHash, 0), k1: readUint64LE(blockHash, 8) },
    p: BASIC_FILTER_P,
    m: BASIC_FILTER_M,
  };
}

/**
 * The elements of a block's basic filter (BIP158): every output script except empty and
 * `OP_RETURN` ones, and every non-empty script spent by the block (from its undo data).
 */
export function basicFilterElements(
  block: Block,
  spentScripts: Iterable<Uint8Array>,
): Uint8Array[] {
  const elements: Uint8Array[] = [];
  for (const tx of block.transactions) {
    for (const output of tx.outputs) {
      const script = output.scriptPubKey;
      if (script.length === 0 || script[0] === OP_RETURN) continue;
      elements.push(script);
    }
  }
  for (const script of spentScripts) {
    if (script.length > 0) elements.push(script);
  }
  return elements;
}

/** A block's BIP158 basic filter (`BlockFilter` of type BASIC). */
export class BlockFilter {
  readonly blockHash: Uint8Array;
  readonly filter: GcsFilter;

  /** Wraps an already built or decoded filter. */
  constructor(blockHash: Uint8Array, filter: GcsFilter) {
    this.blockHash = blockHash;
    this.filter = filter;
  }

  /**
   * Builds the basic filter of a block, given the scriptPubKeys of the coins it spends (in any
   * order). The key is the block's own hash.
   */
  static basic(block: Block, spentScripts: Iterable<Uint8Array>): BlockFilter {
    const params = basicFilterParams(block.hash);
    return new BlockFilter(
      block.hash,
      GcsFilter.fromElements(params, basicFilterElements(block, spentScripts)),
    );
  }

  /** Parses a block's encoded basic filter (throws `DecodeError` when malformed). */
  static decodeBasic(blockHash: Uint8Array, encoded: Uint8Array): BlockFilter {
    return new BlockFilter(blockHash, GcsFilter.decode(basicFilterParams(blockHash), encoded));
  }

  /** The encoded filter bytes. */
  get encoded(): Uint8Array {
    return this.filter.encoded;
  }

  /** SHA256d of the encoded filter. */
  get hash(): Uint8Array {
    return sha256d(this.filter.encoded);
  }

  /** The filter header: SHA256d(filter hash || previous header) (`ComputeHeader`). */
  computeHeader(previousHeader: Uint8Array): Uint8Array {
    const data = new Uint8Array(64);
    data.set(this.hash);
    data.set(previousHeader, 32);
    return sha256d(data);
  }
}
