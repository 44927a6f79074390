/**
 * BIP152 compact blocks as freicoind builds them (`CBlockHeaderAndShortTxIDs`,
 * src/blockencodings.cpp): the coinbase prefilled, every other transaction as a 6-byte
 * SipHash of its wtxid keyed by SHA-256(header ‖ nonce).
 *
 * @module
 */
import { sipHash24, type SipHashKey } from "../../../kernel/blockfilter/siphash.ts";
import { ByteWriter } from "../../../kernel/encoding/mod.ts";
import { sha256 } from "../../../kernel/hash/mod.ts";
import type { Block, BlockHeader } from "../../../kernel/primitives/mod.ts";
import type { CompactBlock } from "./messages.ts";

const SHORT_ID_MASK = 0xffffffffffffn;

/** `FillShortTxIDSelector`: the SipHash key of a compact block. */
export function shortIdKey(header: BlockHeader, nonce: bigint): SipHashKey {
  const writer = new ByteWriter(96);
  header.write(writer);
  writer.writeU64LE(nonce);
  const hash = sha256(writer.toBytes());
  const view = new DataView(hash.buffer, hash.byteOffset, 32);
  return { k0: view.getBigUint64(0, true), k1: view.getBigUint64(8, true) };
}

/** `GetShortID`: the low 48 bits of SipHash-2-4 of the wtxid (internal byte order). */
export function shortId(key: SipHashKey, wtxid: Uint8Array): number {
  return Number(sipHash24(key, wtxid) & SHORT_ID_MASK);
}

/** The compact form of `block` with the given nonce (random per announcement). */
export function buildCompactBlock(block: Block, nonce: bigint): CompactBlock {
  const key = shortIdKey(block.header, nonce);
  const [coinbase, ...rest] = block.transactions;
  return {
    header: block.header,
    nonce,
    shortIds: rest.map((tx) => shortId(key, tx.wtxid)),
    prefilled: [{ index: 0, tx: coinbase }],
  };
}
