/**
 * Block undo data as freicoind writes it to rev?????.dat (src/undo.h): per-input records
 * (`TxInUndoFormatter`), and the block record in its legacy form (a CompactSize vector of
 * per-transaction vectors) or its extended form (`0xff`, flags, VARINT counts, then the prior
 * block-final entry) which freicoind uses once a block-final entry exists.
 */

import { ByteReader } from "../../../kernel/encoding/byte_reader.ts";
import { ByteWriter } from "../../../kernel/encoding/byte_writer.ts";
import { DecodeError } from "../../../kernel/encoding/decode_error.ts";
import type { Coin } from "../../../kernel/consensus/coins.ts";
import type { BlockFinalTxEntry, BlockUndo } from "../../../kernel/consensus/connect_block.ts";
import {
  type PublicKeyDecompressor,
  readCompressedTxOut,
  writeCompressedTxOut,
  writeVarIntNumber,
} from "./coin_codec.ts";

/** `MAX_TX_PER_BLOCK`: (MAX_BLOCK_WEIGHT / 4) / 50. */
const MAX_TX_PER_BLOCK = 20_000;
/** `MAX_INPUTS_PER_BLOCK`: MAX_BLOCK_WEIGHT / (4 × 41). */
const MAX_INPUTS_PER_BLOCK = 24_390;
/** Smallest possible per-input undo record (code, dummy, amount, script kind + 20 bytes). */
const MIN_INPUT_UNDO_SIZE = 3;

function writeInputUndo(writer: ByteWriter, coin: Coin): void {
  writeVarIntNumber(writer, coin.height * 2 + (coin.isCoinBase ? 1 : 0));
  // Compatibility dummy (old transaction-version slot), present when height > 0.
  if (coin.height > 0) writer.writeU8(0);
  writeCompressedTxOut(writer, coin.output);
  if (coin.height > 0) writeVarIntNumber(writer, coin.refheight);
}

function readInputUndo(reader: ByteReader, decompress?: PublicKeyDecompressor): Coin {
  const code = Number(reader.readVarInt(32));
  const height = Math.floor(code / 2);
  if (height > 0) reader.readVarInt(32);
  const output = readCompressedTxOut(reader, decompress);
  const refheight = height > 0 ? Number(reader.readVarInt(32)) : 0;
  return { output, height, isCoinBase: (code & 1) === 1, refheight };
}

function writeFinalTxEntry(writer: ByteWriter, entry: BlockFinalTxEntry | null): void {
  const size = entry?.size ?? 0;
  writeVarIntNumber(writer, size);
  if (entry && size > 0) writer.writeBytes(entry.hash);
}

function readFinalTxEntry(reader: ByteReader): BlockFinalTxEntry | null {
  const size = Number(reader.readVarInt(32));
  if (size === 0) return null;
  return { hash: reader.readHash(), size };
}

/** Serializes block undo data (`CBlockUndo`) in freicoind's format. */
export function encodeBlockUndo(undo: BlockUndo): Uint8Array {
  const writer = new ByteWriter(256);
  const finalTx = undo.previousFinalTx;
  if (finalTx && finalTx.size > 0) {
    writer.writeU8(0xff).writeU8(0x01);
    writeVarIntNumber(writer, undo.txUndo.length);
    for (const tx of undo.txUndo) {
      writeVarIntNumber(writer, tx.length);
      for (const coin of tx) writeInputUndo(writer, coin);
    }
    writeFinalTxEntry(writer, finalTx);
  } else {
    writer.writeCompactSize(undo.txUndo.length);
    for (const tx of undo.txUndo) {
      writer.writeCompactSize(tx.length);
      for (const coin of tx) writeInputUndo(writer, coin);
    }
  }
  return writer.toBytes();
}

function readCount(reader: ByteReader, extended: boolean, max: number, what: string): number {
  const count = extended ? Number(reader.readVarInt(64)) : reader.readCompactSize();
  if (count > max) throw new DecodeError(`Too many ${what} undo records`);
  if (count * MIN_INPUT_UNDO_SIZE > reader.remaining && what === "input") {
    throw new DecodeError("end of data");
  }
  return count;
}

/**
 * Parses block undo data; truncated, oversized or trailing data and unknown flags throw
 * {@link DecodeError}.
 */
export function decodeBlockUndo(
  bytes: Uint8Array,
  decompress?: PublicKeyDecompressor,
): BlockUndo {
  const reader = new ByteReader(bytes);
  let extended = false;
  let flags = 0;
  if (reader.remaining > 0 && reader.peekU8() === 0xff) {
    reader.readU8();
    extended = true;
    flags = reader.readU8();
    if (flags & ~0x01) throw new DecodeError("Unknown flag in block undo deserialization");
  }
  const txCount = readCount(reader, extended, MAX_TX_PER_BLOCK, "tx");
  const txUndo: Coin[][] = [];
  for (let i = 0; i < txCount; i++) {
    const inputCount = readCount(reader, extended, MAX_INPUTS_PER_BLOCK, "input");
    const coins: Coin[] = [];
    for (let j = 0; j < inputCount; j++) coins.push(readInputUndo(reader, decompress));
    txUndo.push(coins);
  }
  const previousFinalTx = extended && (flags & 0x01) ? readFinalTxEntry(reader) : null;
  reader.assertFinished();
  return { txUndo, previousFinalTx };
}
