/**
 * Payload codecs of the P2P messages (src/protocol.h, src/blockencodings.h, and the
 * `ProcessMessage` branches that read them). One typed value per message type; the
 * decoder rejects truncated data, oversized counts and trailing bytes with a
 * {@linkcode DecodeError}, and never allocates from a length it has not checked against the
 * bytes actually present.
 *
 * @module
 */
import { ByteReader, ByteWriter, DecodeError } from "../../../kernel/encoding/mod.ts";
import { Block, BlockHeader, BlockLocator, Transaction } from "../../../kernel/primitives/mod.ts";
import {
  type NetAddressEntry,
  readAddrV1,
  readAddrV2,
  writeAddrV1,
  writeAddrV2,
} from "./net_address.ts";
import type { NetMessageType } from "./protocol.ts";
import { decodeVersion, encodeVersion, type VersionMessage } from "./version_message.ts";

/** One inventory vector (`CInv`). */
export interface Inventory {
  readonly type: number;
  /** Internal byte order. */
  readonly hash: Uint8Array;
}

/** A compact block (`CBlockHeaderAndShortTxIDs`, BIP152). */
export interface CompactBlock {
  readonly header: BlockHeader;
  readonly nonce: bigint;
  /** 6-byte short ids as numbers (48 bits fit a double exactly). */
  readonly shortIds: readonly number[];
  /** Prefilled transactions with absolute indexes. */
  readonly prefilled: readonly { readonly index: number; readonly tx: Transaction }[];
}

/** A typed P2P message. */
export type NetMessage =
  | { readonly type: "version"; readonly version: VersionMessage }
  | {
    readonly type:
      | "verack"
      | "sendheaders"
      | "getaddr"
      | "mempool"
      | "wtxidrelay"
      | "sendaddrv2"
      | "filterclear";
  }
  | { readonly type: "ping"; readonly nonce: bigint }
  | {
    readonly type: "pong";
    readonly nonce: bigint;
    /** Bytes the payload really had (a pong shorter than 8 bytes is tolerated, as freicoind). */
    readonly payloadSize?: number;
  }
  | { readonly type: "inv" | "getdata" | "notfound"; readonly inventory: readonly Inventory[] }
  | {
    readonly type: "getheaders" | "getblocks";
    readonly locator: BlockLocator;
    readonly hashStop: Uint8Array;
  }
  | { readonly type: "headers"; readonly headers: readonly BlockHeader[] }
  | {
    readonly type: "block";
    /** The serialization sent or received (what goes on the wire). */
    readonly bytes: Uint8Array;
    /** The parsed block; always set by the decoder, optional when sending stored bytes. */
    readonly block?: Block;
  }
  | {
    readonly type: "tx";
    readonly tx: Transaction;
    /** Serialize with witness data (default true; false for a plain MSG_TX request). */
    readonly witness?: boolean;
  }
  | { readonly type: "feefilter"; readonly feeRate: bigint }
  | { readonly type: "sendcmpct"; readonly highBandwidth: boolean; readonly version: bigint }
  | { readonly type: "addr" | "addrv2"; readonly addresses: readonly NetAddressEntry[] }
  | { readonly type: "cmpctblock"; readonly compact: CompactBlock }
  | {
    readonly type: "getblocktxn";
    readonly blockHash: Uint8Array;
    readonly indexes: readonly number[];
  }
  | {
    readonly type: "blocktxn";
    readonly blockHash: Uint8Array;
    readonly transactions: readonly Transaction[];
  }
  | { readonly type: "sendtxrcncl"; readonly version: number; readonly salt: bigint }
  | {
    /** Messages we never act on beyond their type (bloom filters, merkleblock, BIP157). */
    readonly type:
      | "merkleblock"
      | "filterload"
      | "filteradd"
      | "getcfilters"
      | "cfilter"
      | "getcfheaders"
      | "cfheaders"
      | "getcfcheckpt"
      | "cfcheckpt";
    readonly payload: Uint8Array;
  };

/** Smallest serialized transaction, used to bound counts before reading. */
const MIN_TX_SIZE = 10;
/** Smallest serialized header plus its transaction count. */
const MIN_HEADER_ENTRY_SIZE = 81;

/** Serializes a message's payload. */
export function encodePayload(message: NetMessage): Uint8Array {
  const writer = new ByteWriter(64);
  switch (message.type) {
    case "version":
      return encodeVersion(message.version);
    case "verack":
    case "sendheaders":
    case "getaddr":
    case "mempool":
    case "wtxidrelay":
    case "sendaddrv2":
    case "filterclear":
      break;
    case "ping":
    case "pong":
      writer.writeU64LE(message.nonce);
      break;
    case "inv":
    case "getdata":
    case "notfound":
      writer.writeCompactSize(message.inventory.length);
      for (const inv of message.inventory) writer.writeU32LE(inv.type).writeBytes(inv.hash);
      break;
    case "getheaders":
    case "getblocks":
      message.locator.write(writer);
      writer.writeBytes(message.hashStop);
      break;
    case "headers":
      writer.writeCompactSize(message.headers.length);
      for (const header of message.headers) {
        header.write(writer);
        writer.writeCompactSize(0);
      }
      break;
    case "block":
      return message.bytes;
    case "tx":
      return message.tx.toBytes({ witness: message.witness ?? true });
    case "feefilter":
      writer.writeI64LE(message.feeRate);
      break;
    case "sendcmpct":
      writer.writeU8(message.highBandwidth ? 1 : 0).writeU64LE(message.version);
      break;
    case "addr":
      writer.writeCompactSize(message.addresses.length);
      for (const entry of message.addresses) writeAddrV1(writer, entry);
      break;
    case "addrv2":
      writer.writeCompactSize(message.addresses.length);
      for (const entry of message.addresses) writeAddrV2(writer, entry);
      break;
    case "cmpctblock":
      writeCompactBlock(writer, message.compact);
      break;
    case "getblocktxn": {
      writer.writeBytes(message.blockHash).writeCompactSize(message.indexes.length);
      let previous = -1;
      for (const index of message.indexes) {
        writer.writeCompactSize(index - previous - 1);
        previous = index;
      }
      break;
    }
    case "blocktxn":
      writer.writeBytes(message.blockHash).writeCompactSize(message.transactions.length);
      for (const tx of message.transactions) tx.write(writer);
      break;
    case "sendtxrcncl":
      writer.writeU32LE(message.version).writeU64LE(message.salt);
      break;
    default:
      return message.payload;
  }
  return writer.toBytes();
}

function writeCompactBlock(writer: ByteWriter, compact: CompactBlock): void {
  compact.header.write(writer);
  writer.writeU64LE(compact.nonce).writeCompactSize(compact.shortIds.length);
  for (const id of compact.shortIds) {
    writer.writeU32LE(id % 0x100000000).writeU16LE(Math.floor(id / 0x100000000));
  }
  writer.writeCompactSize(compact.prefilled.length);
  let previous = -1;
  for (const { index, tx } of compact.prefilled) {
    writer.writeCompactSize(index - previous - 1);
    previous = index;
    tx.write(writer);
  }
}

/**
 * Parses the payload of a message of a known type.
 *
 * @throws {DecodeError} for malformed payloads (the reference logs and ignores these)
 */
export function decodePayload(type: NetMessageType, payload: Uint8Array): NetMessage {
  // Unread trailing bytes are ignored, as the reference ignores them in every message.
  return readPayload(type, new ByteReader(payload), payload);
}

function readPayload(type: NetMessageType, reader: ByteReader, payload: Uint8Array): NetMessage {
  switch (type) {
    case "version":
      return { type, version: decodeVersion(payload) };
    case "verack":
    case "sendheaders":
    case "getaddr":
    case "mempool":
    case "wtxidrelay":
    case "sendaddrv2":
    case "filterclear":
      return { type };
    case "ping":
      return { type, nonce: reader.readU64LE() };
    case "pong":
      // A short pong is not an error: the message processor cancels the ping for it.
      if (payload.length < 8) return { type, nonce: 0n, payloadSize: payload.length };
      return { type, nonce: reader.readU64LE(), payloadSize: payload.length };
    case "inv":
    case "getdata":
    case "notfound":
      return { type, inventory: readInventory(reader) };
    case "getheaders":
    case "getblocks": {
      const locator = BlockLocator.read(reader);
      return { type, locator, hashStop: reader.readHash() };
    }
    case "headers": {
      const count = reader.readVectorLength(MIN_HEADER_ENTRY_SIZE);
      const headers: BlockHeader[] = [];
      for (let i = 0; i < count; i++) {
        headers.push(BlockHeader.read(reader));
        reader.readCompactSize(); // the transaction count, always 0 and ignored
      }
      return { type, headers };
    }
    case "block": {
      const block = Block.read(reader);
      return { type, block, bytes: payload.subarray(0, reader.offset) };
    }
    case "tx":
      return { type, tx: Transaction.read(reader) };
    case "feefilter":
      return { type, feeRate: reader.readI64LE() };
    case "sendcmpct":
      return { type, highBandwidth: reader.readU8() !== 0, version: reader.readU64LE() };
    case "addr":
    case "addrv2": {
      const count = reader.readVectorLength(type === "addr" ? 30 : 9);
      const addresses: NetAddressEntry[] = [];
      for (let i = 0; i < count; i++) {
        addresses.push(type === "addr" ? readAddrV1(reader) : readAddrV2(reader));
      }
      return { type, addresses };
    }
    case "cmpctblock":
      return { type, compact: readCompactBlock(reader) };
    case "getblocktxn": {
      const blockHash = reader.readHash();
      const count = reader.readVectorLength(1);
      const indexes: number[] = [];
      let previous = -1;
      for (let i = 0; i < count; i++) {
        const index = previous + 1 + reader.readCompactSize();
        // BlockTransactionsRequest: indexes must stay within 16 bits.
        if (index > 0xffff) throw new DecodeError("differential value overflow");
        indexes.push(index);
        previous = index;
      }
      return { type, blockHash, indexes };
    }
    case "blocktxn": {
      const blockHash = reader.readHash();
      const count = reader.readVectorLength(MIN_TX_SIZE);
      const transactions: Transaction[] = [];
      for (let i = 0; i < count; i++) transactions.push(Transaction.read(reader));
      return { type, blockHash, transactions };
    }
    case "sendtxrcncl":
      return { type, version: reader.readU32LE(), salt: reader.readU64LE() };
    default:
      return { type, payload };
  }
}

function readInventory(reader: ByteReader): Inventory[] {
  const count = reader.readVectorLength(36);
  const inventory: Inventory[] = [];
  for (let i = 0; i < count; i++) {
    inventory.push({ type: reader.readU32LE(), hash: reader.readHash() });
  }
  return inventory;
}

function readCompactBlock(reader: ByteReader): CompactBlock {
  const header = BlockHeader.read(reader);
  const nonce = reader.readU64LE();
  const idCount = reader.readVectorLength(6);
  const shortIds: number[] = [];
  for (let i = 0; i < idCount; i++) {
    const low = reader.readU32LE();
    shortIds.push(low + reader.readU16LE() * 0x100000000);
  }
  const prefilledCount = reader.readVectorLength(1 + MIN_TX_SIZE);
  const prefilled: { index: number; tx: Transaction }[] = [];
  let previous = -1;
  for (let i = 0; i < prefilledCount; i++) {
    const index = previous + 1 + reader.readCompactSize();
    if (index > 0xffff) throw new DecodeError("indexes overflowed 16 bits");
    prefilled.push({ index, tx: Transaction.read(reader) });
    previous = index;
  }
  if (shortIds.length + prefilled.length > 0xffff) {
    throw new DecodeError("indexes overflowed 16 bits");
  }
  return { header, nonce, shortIds, prefilled };
}
