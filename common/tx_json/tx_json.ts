/**
 * Transactions and scripts as JSON, the way freicoind writes them (`TxToUniv`, `ScriptToUniv`
 * in core_write.cpp) with Freicoin's fields: `lockheight`, and with undo data each input's
 * `prevout` (`value`, `refheight`, `amount`) and the transaction's `demurrage` and `fee`.
 *
 * @module
 */
import { amountToJson, type JsonObject, type JsonValue, type RpcResult } from "../../rpc/mod.ts";
import {
  type ChainPrefixes,
  encodeDestination,
  extractDestination,
} from "../../kernel/address/mod.ts";
import { type Coin, coinPresentValue } from "../../kernel/consensus/mod.ts";
import { inferDescriptor } from "../../kernel/descriptor/mod.ts";
import { bytesToHex, hashToHex } from "../../kernel/encoding/mod.ts";
import type { Transaction } from "../../kernel/primitives/mod.ts";
import { disassemble, solveScript, type TxoutType } from "../../kernel/script/mod.ts";
import type { Secp256k1 } from "../../kernel/secp256k1/mod.ts";

/** The currency unit in help texts. */
export const CURRENCY_UNIT = "FRC";

/** Every output type name, comma-separated (`GetAllOutputTypes`). */
export const ALL_OUTPUT_TYPES: string = [
  "nonstandard",
  "pubkey",
  "pubkeyhash",
  "scripthash",
  "multisig",
  "nulldata",
  "unspendable",
  "witness_v0_longhash",
  "witness_v0_shorthash",
  "witness_unknown",
].join(", ");

/** What writing scripts needs: the network's address prefixes and a curve backend. */
export interface ScriptJsonOptions {
  readonly prefixes: ChainPrefixes;
  readonly secp: Secp256k1;
  /** Regtest -bitcoinmode: present values equal reference values. */
  readonly bitcoinMode?: boolean;
}

/** The TxoutType of a script. */
export function scriptType(script: Uint8Array): TxoutType {
  return solveScript(script).type;
}

/**
 * A scriptPubKey as JSON (`ScriptToUniv` with hex and address): asm, desc, hex, address (when
 * the script has one and is not bare P2PK), type.
 */
export function scriptPubKeyToJson(
  script: Uint8Array,
  options: ScriptJsonOptions,
  include: { hex?: boolean; address?: boolean } = {},
): JsonObject {
  const withHex = include.hex ?? true;
  const withAddress = include.address ?? true;
  const out: JsonObject = { asm: disassemble(script) };
  if (withAddress) out.desc = inferDescriptor(script, {}, options).toString();
  if (withHex) out.hex = bytesToHex(script);
  const type = scriptType(script);
  if (withAddress && type !== "pubkey") {
    const address = encodeDestination(extractDestination(script), options.prefixes);
    if (address !== "") out.address = address;
  }
  out.type = type;
  return out;
}

/** How much of each input `txToJson` shows (`TxVerbosity`). */
export type TxDetail = "details" | "details_and_prevout";

/** Options of {@link txToJson}. */
export interface TxJsonOptions extends ScriptJsonOptions {
  /** Append the serialized transaction as `hex`. */
  readonly includeHex?: boolean;
  /** The coins the inputs spent, in input order (undo data); enables demurrage and fee. */
  readonly spentCoins?: readonly Coin[];
  /** With spent coins: also write each input's `prevout`. */
  readonly detail?: TxDetail;
  /** Written as `blockhash` when given (display hex). */
  readonly blockHash?: string;
}

/** A transaction as JSON (`TxToUniv`). */
export function txToJson(tx: Transaction, options: TxJsonOptions): JsonObject {
  const entry: JsonObject = {
    txid: tx.txidHex,
    hash: tx.wtxidHex,
    version: tx.version >>> 0,
    size: tx.totalSize,
    vsize: tx.virtualSize,
    weight: tx.weight,
    locktime: tx.lockTime,
    lockheight: tx.lockHeight,
  };
  const coins = options.spentCoins;
  const presentOptions = { bitcoinMode: options.bitcoinMode ?? false };
  let rawIn = 0n;
  let totalIn = 0n;
  const vin: JsonValue[] = tx.inputs.map((input, i) => {
    const item: JsonObject = {};
    if (tx.isCoinBase()) {
      item.coinbase = bytesToHex(input.scriptSig);
    } else {
      item.txid = hashToHex(input.prevout.hash);
      item.vout = input.prevout.n;
      item.scriptSig = {
        asm: disassemble(input.scriptSig, true),
        hex: bytesToHex(input.scriptSig),
      };
    }
    if (input.witness.length > 0) item.txinwitness = input.witness.map((w) => bytesToHex(w));
    const coin = coins?.[i];
    if (coin) {
      const present = coinPresentValue(coin, tx.lockHeight, presentOptions);
      rawIn += coin.output.value;
      totalIn += present;
      if (options.detail === "details_and_prevout") {
        item.prevout = {
          generated: coin.isCoinBase,
          height: coin.height,
          value: amountToJson(coin.output.value),
          // freicoind formats refheight with ValueFromAmount, so 152 prints as 0.00000152.
          refheight: amountToJson(BigInt(coin.refheight)),
          amount: amountToJson(present),
          scriptPubKey: scriptPubKeyToJson(coin.output.scriptPubKey, options),
        };
      }
    }
    item.sequence = input.sequence;
    return item;
  });
  entry.vin = vin;
  let totalOut = 0n;
  entry.vout = tx.outputs.map((output, n) => {
    totalOut += output.value;
    return {
      value: amountToJson(output.value),
      n,
      scriptPubKey: scriptPubKeyToJson(output.scriptPubKey, options),
    };
  });
  if (coins) {
    entry.demurrage = amountToJson(rawIn - totalIn);
    entry.fee = amountToJson(totalIn - totalOut);
  }
  if (options.blockHash !== undefined) entry.blockhash = options.blockHash;
  if (options.includeHex) entry.hex = bytesToHex(tx.toBytes());
  return entry;
}

/** Result docs of a scriptPubKey object (`ScriptPubKeyDoc`). */
export function scriptPubKeyDoc(): RpcResult[] {
  return [
    { type: "str", key: "asm", description: "Disassembly of the public key script" },
    { type: "str", key: "desc", description: "Inferred descriptor for the output" },
    { type: "str_hex", key: "hex", description: "The raw public key script bytes, hex-encoded" },
    {
      type: "str",
      key: "address",
      optional: true,
      description: "The Freicoin address (only if a well-defined address exists)",
    },
    { type: "str", key: "type", description: `The type (one of: ${ALL_OUTPUT_TYPES})` },
  ];
}

/** Result docs of a decoded transaction (`DecodeTxDoc`). */
export function decodeTxDoc(txidFieldDoc: string): RpcResult[] {
  return [
    { type: "str_hex", key: "txid", description: txidFieldDoc },
    {
      type: "str_hex",
      key: "hash",
      description: "The transaction hash (differs from txid for witness transactions)",
    },
    { type: "num", key: "size", description: "The serialized transaction size" },
    {
      type: "num",
      key: "vsize",
      description: "The virtual transaction size (differs from size for witness transactions)",
    },
    {
      type: "num",
      key: "weight",
      description: "The transaction's weight (between vsize*4-3 and vsize*4)",
    },
    { type: "num", key: "version", description: "The version" },
    { type: "num_time", key: "locktime", description: "The lock time" },
    {
      type: "num",
      key: "lockheight",
      description: "The reference height, and the minimum height for inclusion in chain.",
    },
    {
      type: "arr",
      key: "vin",
      description: "",
      inner: [{
        type: "obj",
        description: "",
        inner: [
          {
            type: "str_hex",
            key: "coinbase",
            optional: true,
            description: "The coinbase value (only if coinbase transaction)",
          },
          {
            type: "str_hex",
            key: "txid",
            optional: true,
            description: "The transaction id (if not coinbase transaction)",
          },
          {
            type: "num",
            key: "vout",
            optional: true,
            description: "The output number (if not coinbase transaction)",
          },
          {
            type: "obj",
            key: "scriptSig",
            optional: true,
            description: "The script (if not coinbase transaction)",
            inner: [
              { type: "str", key: "asm", description: "Disassembly of the signature script" },
              {
                type: "str_hex",
                key: "hex",
                description: "The raw signature script bytes, hex-encoded",
              },
            ],
          },
          {
            type: "arr",
            key: "txinwitness",
            optional: true,
            description: "",
            inner: [{
              type: "str_hex",
              key: "hex",
              description: "hex-encoded witness data (if any)",
            }],
          },
          { type: "num", key: "sequence", description: "The script sequence number" },
        ],
      }],
    },
    {
      type: "arr",
      key: "vout",
      description: "",
      inner: [{
        type: "obj",
        description: "",
        inner: [
          { type: "str_amount", key: "value", description: `The value in ${CURRENCY_UNIT}` },
          { type: "num", key: "n", description: "index" },
          { type: "obj", key: "scriptPubKey", description: "", inner: scriptPubKeyDoc() },
        ],
      }],
    },
  ];
}
