/**
 * Genesis blocks, built from their parameters as src/kernel/chainparams.cpp builds them.
 * The result is the block's wire serialization; `decodeBlock` from kernel/primitives turns it
 * into a Block.
 */

import { ByteWriter } from "../encoding/byte_writer.ts";
import { hexToBytes } from "../encoding/hex.ts";
import { sha256, sha256d } from "../hash/sha256.ts";

/**
 * The genesis transaction shared by main, signet and regtest (`hexGenesisTx`): version 2, the
 * "Telegraph 27/Jun/2012" coinbase, 8 outputs totalling 75 056 846 171 kria, lock_height 0.
 */
export const GENESIS_TX_HEX =
  "02000000010000000000000000000000000000000000000000000000000000000000000000ffffffff4d04ffff001d01044554656c6567726170682032372f4a756e2f3230313220426172636c61797320686974207769746820c2a33239306d2066696e65206f766572204c69626f7220666978696e67ffffffff08893428ed05000000434104678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5fac010000000000000023205029d180e0c5ed798d877b1ada99772986c1422ca932c41b2d0400000000000075000100000000000000fd530103202020754d31014d6574616c73207765726520616e20696d706c696369746c7920616275736976652061677265656d656e742e0a4d6f6465726e2022706170657222206973206120666c6177656420746f6f6c2c2069747320656e67696e656572696e672069732061206e657374206f66206c6565636865732e0a546865206f6c64206d6f6e6579206973206f62736f6c6574652e0a4c65742074686520696e646976696475616c206d6f6e6574697a65206974732063726564697420776974686f75742063617274656c20696e7465726d65646961726965732e0a4769766520757320612072656e742d6c657373206361736820736f2077652063616e206265206672656520666f72207468652066697273742074696d652e0a4c65742074686973206265207468652061776169746564206461776e2e7576a9140ef0f9d19a653023554146a866238b8822bc84df88ac0100000000000000fa082020202020202020754cd4224c65742075732063616c63756c6174652c20776974686f757420667572746865722061646f2c20696e206f7264657220746f207365652077686f2069732072696768742e22202d2d476f747466726965642057696c68656c6d204c6569626e697a0acebec2b4efbda5e28880efbda560efbc89e38080e38080e38080e3808020206e0aefbfa3e38080e38080e380802020efbcbce38080e380802020efbc882045efbc8920676f6f64206a6f622c206d61616b75210aefbe8ce38080e38080e3808020202fe383bd20e383bd5fefbc8fefbc8f7576a914c26be5ec809aa4bf6b30aa89823cff7cedc3679a88ac01000000000000005f06202020202020753c4963682077c3bc6e736368652046726569636f696e207669656c204572666f6c67207a756d204e75747a656e206465722039392050726f7a656e74217576a9142939acd60037281a708eb11e4e9eda452c029eca88ac0100000000000000980d20202020202020202020202020754c6d225468652076616c7565206f662061206d616e2073686f756c64206265207365656e20696e207768617420686520676976657320616e64206e6f7420696e20776861742068652069732061626c6520746f20726563656976652e22202d2d416c626572742045696e737465696e7576a914f9ca5caab4bda4dc28b5556aa79a2eec0447f0bf88ac0100000000000000800c202020202020202020202020754c5622416e2061726d79206f66207072696e6369706c65732063616e2070656e65747261746520776865726520616e2061726d79206f6620736f6c64696572732063616e6e6f742e22202d2d54686f6d6173205061696e657576a91408f320cbb41a1ae25b794f6175f96080681989f388accc60948c0b0000001976a91485e54144c4020a65fa0a8fdbac8bba75dbc2fd0088ac0000000000000000";

/** Bytes of an ASCII string (kept free of TextEncoder so the kernel needs only ES APIs). */
function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** Header fields of a genesis block. */
export interface GenesisHeaderFields {
  readonly version: number;
  readonly time: number;
  readonly bits: number;
  readonly nonce: number;
}

/** A genesis block: its serialization and the hashes derived from it. */
export interface GenesisBlock {
  /** Wire serialization (80-byte header, tx count, the one transaction). */
  readonly bytes: Uint8Array;
  /** The 80-byte header. */
  readonly header: Uint8Array;
  /** Block hash, internal byte order. */
  readonly hash: Uint8Array;
  /** Merkle root = txid of the one transaction, internal byte order. */
  readonly merkleRoot: Uint8Array;
}

/**
 * Builds a one-transaction genesis block (`CreateGenesisBlock`). The transaction must be given
 * in its serialization without witness; its txid is the Merkle root.
 *
 * @example
 * ```ts
 * import { buildGenesisBlock, GENESIS_TX_HEX } from "./genesis.ts";
 * import { hexToBytes, hashToHex } from "../encoding/hex.ts";
 * const block = buildGenesisBlock(
 *   { version: 1, time: 1356123600, bits: 0x207fffff, nonce: 1 },
 *   hexToBytes(GENESIS_TX_HEX),
 * );
 * console.assert(hashToHex(block.hash).startsWith("67756db0"));
 * ```
 */
export function buildGenesisBlock(fields: GenesisHeaderFields, tx: Uint8Array): GenesisBlock {
  const merkleRoot = sha256d(tx);
  const header = new ByteWriter(80)
    .writeI32LE(fields.version)
    .writeBytes(new Uint8Array(32))
    .writeBytes(merkleRoot)
    .writeU32LE(fields.time)
    .writeU32LE(fields.bits)
    .writeU32LE(fields.nonce)
    .toBytes();
  const bytes = new ByteWriter(80 + 1 + tx.length)
    .writeBytes(header)
    .writeCompactSize(1)
    .writeBytes(tx)
    .toBytes();
  return { bytes, header, hash: sha256d(header), merkleRoot };
}

/** The shared main/signet/regtest genesis transaction bytes. */
export function mainGenesisTx(): Uint8Array {
  return hexToBytes(GENESIS_TX_HEX);
}

/**
 * The testnet genesis transaction, built as the reference builds it: version 2, scriptSig
 * `OP_0 <"The Times 7/Aug/2020 ...">`, one 95.36743164 FRC output to `OP_RETURN`,
 * nLockTime 1596931200, lock_height 0.
 */
export function testnetGenesisTx(perpetualSubsidy: bigint): Uint8Array {
  const text = asciiBytes(
    "The Times 7/Aug/2020 Foreign Office cat quits to spend more time with family",
  );
  // CScript() << 0 << text: OP_0, then a push of 76 bytes, which needs OP_PUSHDATA1.
  const scriptSig = new ByteWriter().writeU8(0x00).writeU8(0x4c).writeU8(text.length)
    .writeBytes(text).toBytes();
  return new ByteWriter()
    .writeI32LE(2)
    .writeCompactSize(1)
    .writeBytes(new Uint8Array(32))
    .writeU32LE(0xffffffff)
    .writeVarBytes(scriptSig)
    .writeU32LE(0xffffffff)
    .writeCompactSize(1)
    .writeI64LE(perpetualSubsidy)
    .writeVarBytes(new Uint8Array([0x6a]))
    .writeU32LE(1596931200)
    .writeU32LE(0)
    .toBytes();
}

/**
 * The merge-mining key `aux_pow_path` = SHA256d(tag ‖ tag ‖ genesis block), tag =
 * SHA256("auxpow").
 */
export function auxPowPath(genesisBytes: Uint8Array): Uint8Array {
  const tag = sha256(asciiBytes("auxpow"));
  const data = new Uint8Array(64 + genesisBytes.length);
  data.set(tag, 0);
  data.set(tag, 32);
  data.set(genesisBytes, 64);
  return sha256d(data);
}
