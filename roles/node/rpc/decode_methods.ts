/**
 * decoderawtransaction and decodescript (rpc/rawtransaction.cpp), with Freicoin's output types
 * and a `segwit` object that uses P2WPK for bare public keys and P2WSH otherwise.
 *
 * @module
 */
import {
  getBool,
  getStr,
  helpExampleCli,
  helpExampleRpc,
  type JsonObject,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
} from "../../../rpc/mod.ts";
import {
  encodeDestination,
  scriptForDestination,
  scriptHashOf,
  witnessV0LongHashOf,
  witnessV0ShortHashOfPubKey,
} from "../../../kernel/address/mod.ts";
import { bytesEqual } from "../../../kernel/encoding/mod.ts";
import { ripemd160 } from "../../../kernel/hash/mod.ts";
import { isUnspendable, readOp, solveScript, type TxoutType } from "../../../kernel/script/mod.ts";
import { inferDescriptor } from "../../../kernel/descriptor/mod.ts";
import type { NodeContext } from "../node_context.ts";
import { decodeHexTx, hasValidOps, parseHexV } from "./rpc_parse.ts";
import {
  ALL_OUTPUT_TYPES,
  decodeTxDoc,
  type ScriptJsonOptions,
  scriptPubKeyToJson,
  txToJson,
} from "./tx_json.ts";

import { scriptOptions } from "./node_rpc_extras.ts";

/** Script-writing options of a node context. */
// --- decoderawtransaction / decodescript -----------------------------------------------------

function decodeRawTransactionMethod(): RpcMethod<NodeContext> {
  return {
    name: "decoderawtransaction",
    category: "rawtransactions",
    description: "Return a JSON object representing the serialized, hex-encoded transaction.",
    args: [
      { names: "hexstring", type: "str_hex", description: "The transaction hex string" },
      {
        names: "iswitness",
        type: "bool",
        defaultHint: "depends on heuristic tests",
        description: "Whether the transaction hex is a serialized witness transaction.\n" +
          "If iswitness is not present, heuristic tests will be used in decoding.\n" +
          "If true, only witness deserialization will be tried.\n" +
          "If false, only non-witness deserialization will be tried.\n" +
          "This boolean should reflect whether the transaction has inputs\n" +
          "(e.g. fully valid, or on-chain transactions), if known by the caller.",
      },
    ],
    results: [{ type: "obj", inner: decodeTxDoc("The transaction id") }],
    examples: helpExampleCli("decoderawtransaction", '"hexstring"') +
      helpExampleRpc("decoderawtransaction", '"hexstring"'),
    handler: (call) => {
      const witnessArg = call.maybeArg(1);
      const isWitness = witnessArg === undefined ? undefined : getBool(witnessArg);
      const tx = decodeHexTx(getStr(call.params[0]), {
        tryWitness: isWitness ?? true,
        tryNoWitness: isWitness === undefined ? true : !isWitness,
      });
      if (!tx) throw new RpcError(RPC_ERROR.DESERIALIZATION_ERROR, "TX decode failed");
      return txToJson(tx, scriptOptions(call.context));
    },
  };
}

/** freicoind's `IsOpSuccess` opcode set. */
function isOpSuccess(opcode: number): boolean {
  return opcode === 80 || opcode === 98 || opcode === 122 || (opcode >= 126 && opcode <= 129) ||
    (opcode >= 131 && opcode <= 134) || (opcode >= 137 && opcode <= 138) ||
    (opcode >= 141 && opcode <= 142) || (opcode >= 149 && opcode <= 153) ||
    opcode === 167 || opcode === 176 || (opcode >= 180 && opcode <= 185) ||
    (opcode >= 187 && opcode <= 254);
}

const OP_CHECKSIGADD = 0xba;

function canWrap(script: Uint8Array, type: TxoutType): boolean {
  if (!["multisig", "nonstandard", "pubkey", "pubkeyhash"].includes(type)) return false;
  if (!hasValidOps(script) || isUnspendable(script)) return false;
  let pos = 0;
  while (pos < script.length) {
    const op = readOp(script, pos)!;
    if (op.opcode === OP_CHECKSIGADD || isOpSuccess(op.opcode)) return false;
    pos = op.end;
  }
  return true;
}

function canWrapP2wsh(type: TxoutType, solutions: Uint8Array[]): boolean {
  if (type === "multisig" || type === "pubkey") {
    // Uncompressed keys cannot be used with segwit checksigs.
    return solutions.every((s) => s.length === 1 || s.length === 33);
  }
  return type === "nonstandard";
}

/** `decodescript`'s answer for a script. */
export function decodeScriptJson(context: NodeContext, script: Uint8Array): JsonObject {
  const options = scriptOptions(context);
  const result = scriptPubKeyToJson(script, options, { hex: false, address: true });
  const { type, solutions } = solveScript(script);
  if (!canWrap(script, type)) return result;
  result.p2sh = encodeDestination(scriptHashOf(script), context.params.prefixes);
  if (!canWrapP2wsh(type, solutions)) return result;
  let segwitScript: Uint8Array;
  if (type === "pubkey") {
    segwitScript = scriptForDestination(witnessV0ShortHashOfPubKey(solutions[0]));
    result.segwit = scriptPubKeyToJson(segwitScript, options);
  } else {
    const longHash = witnessV0LongHashOf(0, script);
    segwitScript = scriptForDestination(longHash);
    const entry = Uint8Array.of(0, ...script);
    const shortId = ripemd160(longHash.hash);
    result.segwit = scriptPubKeyToJsonWithWitness(segwitScript, options, shortId, entry);
  }
  return result;
}

/** `ScriptToUniv` with a provider that knows one witness script (for the `desc`). */
function scriptPubKeyToJsonWithWitness(
  script: Uint8Array,
  options: ScriptJsonOptions,
  shortId: Uint8Array,
  entry: Uint8Array,
): JsonObject {
  const out = scriptPubKeyToJson(script, options);
  out.desc = inferDescriptor(script, {
    getWitnessV0Script: (id) => bytesEqual(id, shortId) ? entry : undefined,
  }, options).toString();
  return out;
}

function decodeScriptMethod(): RpcMethod<NodeContext> {
  return {
    name: "decodescript",
    category: "rawtransactions",
    description: "\nDecode a hex-encoded script.\n",
    args: [{ names: "hexstring", type: "str_hex", description: "the hex-encoded script" }],
    results: [{
      type: "obj",
      inner: [
        { type: "str", key: "asm", description: "Script public key" },
        { type: "str", key: "desc", description: "Inferred descriptor for the script" },
        {
          type: "str",
          key: "type",
          description: `The output type (e.g. ${ALL_OUTPUT_TYPES})`,
        },
        {
          type: "str",
          key: "address",
          optional: true,
          description: "The Freicoin address (only if a well-defined address exists)",
        },
        {
          type: "str",
          key: "p2sh",
          optional: true,
          description:
            "address of P2SH script wrapping this redeem script (not returned for types that should not be wrapped)",
        },
        {
          type: "obj",
          key: "segwit",
          optional: true,
          description:
            "Result of a witness script public key wrapping this redeem script (not returned for types that should not be wrapped)",
          inner: [
            {
              type: "str",
              key: "asm",
              description: "String representation of the script public key",
            },
            { type: "str_hex", key: "hex", description: "Hex string of the script public key" },
            {
              type: "str",
              key: "type",
              description:
                "The type of the script public key (e.g. witness_v0_shorthash or witness_v0_longhash)",
            },
            {
              type: "str",
              key: "address",
              optional: true,
              description: "The Freicoin address (only if a well-defined address exists)",
            },
            { type: "str", key: "desc", description: "Inferred descriptor for the script" },
          ],
        },
      ],
    }],
    examples: helpExampleCli("decodescript", '"hexstring"') +
      helpExampleRpc("decodescript", '"hexstring"'),
    handler: (call) => {
      const hex = getStr(call.params[0]);
      const script = hex.length > 0 ? parseHexV(hex, "argument") : new Uint8Array();
      return decodeScriptJson(call.context, script);
    },
  };
}

/** decoderawtransaction and decodescript. */
export function decodeMethods(): RpcMethod<NodeContext>[] {
  return [decodeRawTransactionMethod(), decodeScriptMethod()];
}
