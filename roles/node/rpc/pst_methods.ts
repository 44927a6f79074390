/**
 * The node's PST methods (rpc/rawtransaction.cpp): createpst, decodepst, analyzepst, combinepst,
 * finalizepst, converttopst and joinpsts. PSTs travel as hex strings.
 *
 * @module
 */
import {
  amountToJson,
  getArray,
  getBool,
  getStr,
  helpExampleCli,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
  type RpcResult,
} from "../../../rpc/mod.ts";
import { encodeBase58Check } from "../../../kernel/address/mod.ts";
import { timeAdjustValue } from "../../../kernel/amount/mod.ts";
import { bytesToHex, hashToHex } from "../../../kernel/encoding/mod.ts";
import { writeHDKeypath } from "../../../kernel/keys/mod.ts";
import { Transaction, TxIn } from "../../../kernel/primitives/mod.ts";
import { disassemble } from "../../../kernel/script/mod.ts";
import {
  analyzePst,
  combinePsts,
  decodeHexPst,
  encodeHexPst,
  fillPstInput,
  finalizeAndExtractPst,
  type Pst,
  PstDecodeError,
  pstFromTransaction,
  type PstInput,
  pstInputSigned,
  type PstKeyOrigin,
  PstMismatchError,
  type PstOutput,
  type PstProprietary,
  pstSpentScript,
  pstVersion,
  type PstWitnessEntry,
  type ScriptKnowledge,
  signPstInput,
  structuredClonePst,
  updatePstOutput,
} from "../../../common/pst/mod.ts";
import { SigningProvider } from "../../../common/signing/mod.ts";
import { DescriptorError, parseDescriptor } from "../../../kernel/descriptor/mod.ts";
import type { NodeContext } from "../node_context.ts";
import { constructTransaction, createTxDoc } from "./construct_transaction.ts";
import { extrasOf, scriptOptions, secpOf } from "./node_rpc_extras.ts";
import { decodeHexTx, parseDescriptorRangeArg } from "./rpc_parse.ts";
import { CURRENCY_UNIT, type ScriptJsonOptions, scriptPubKeyToJson, txToJson } from "./tx_json.ts";

/** Decodes a PST argument, failing as freicoind does ("TX decode failed <reason>"). */
export function pstFromArg(value: JsonValue | undefined): Pst {
  try {
    return decodeHexPst(getStr(value));
  } catch (error) {
    if (error instanceof PstDecodeError) {
      throw new RpcError(RPC_ERROR.DESERIALIZATION_ERROR, `TX decode failed ${error.message}`);
    }
    throw error;
  }
}

// --- result docs ---------------------------------------------------------------------------

function doc(
  type: RpcResult["type"],
  key: string,
  description: string,
  inner?: RpcResult[],
  optional?: boolean,
): RpcResult {
  return { type, key, description, ...(inner ? { inner } : {}), ...(optional ? { optional } : {}) };
}

function opt(
  type: RpcResult["type"],
  key: string,
  description: string,
  inner?: RpcResult[],
): RpcResult {
  return doc(type, key, description, inner, true);
}

function proprietaryDoc(key: string, description: string, optional: boolean): RpcResult {
  return doc("arr", key, description, [{
    type: "obj",
    description: "",
    inner: [
      doc("str_hex", "identifier", "The hex string for the proprietary identifier"),
      doc("num", "subtype", "The number for the subtype"),
      doc("str_hex", "key", "The hex for the key"),
      doc("str_hex", "value", "The hex for the value"),
    ],
  }], optional);
}

function witnessDocs(hashType: RpcResult["type"]): RpcResult[] {
  return [
    opt("num", "witscript_version", "The inner script version"),
    opt("obj", "witness_script", "", [
      opt("str", "asm", "Disassembly of the witness script"),
      doc("str_hex", "hex", "The raw witness script bytes, hex-encoded"),
      doc("str", "type", "The type, eg 'pubkeyhash'"),
    ]),
    opt("arr", "witness_branch", "The hex-encoded hashes of the Merkle branch proof", [
      doc(hashType, "hash", "The hex-encoded branch skip hash"),
    ]),
    opt(
      "num",
      "witness_path",
      "The left/right branching information for the Merkle branch proof",
    ),
  ];
}

function redeemDoc(): RpcResult {
  return opt("obj", "redeem_script", "", [
    doc("str", "asm", "Disassembly of the redeem script"),
    doc("str_hex", "hex", "The raw redeem script bytes, hex-encoded"),
    doc("str", "type", "The type, eg 'pubkeyhash'"),
  ]);
}

function derivsDoc(pubkeyText: string): RpcResult {
  return opt("arr", "bip32_derivs", "", [{
    type: "obj",
    description: "",
    inner: [
      doc("str", "pubkey", pubkeyText),
      doc("str", "master_fingerprint", "The fingerprint of the master key"),
      doc("str", "path", "The path"),
    ],
  }]);
}

function preimageDoc(key: string, type: RpcResult["type"]): RpcResult {
  return opt("obj_dyn", key, "", [
    doc(type, "hash", "The hash and preimage that corresponds to it."),
  ]);
}

function decodePstInputsDoc(): RpcResult {
  return doc("arr", "inputs", "", [{
    type: "obj",
    description: "",
    inner: [
      opt("obj", "non_witness_utxo", "Decoded network transaction for non-witness UTXOs", [
        { type: "elision", description: "" },
      ]),
      opt("obj", "witness_utxo", "Transaction output for witness UTXOs", [
        doc("num", "value", `The value in ${CURRENCY_UNIT}`),
        doc("num", "refheight", "The lockheight of the transaction output being spent"),
        doc(
          "num",
          "amount",
          `The value in ${CURRENCY_UNIT} as input into the PST (at the reference height of the PST)`,
        ),
        doc("obj", "scriptPubKey", "", [
          doc("str", "asm", "Disassembly of the public key script"),
          doc("str", "desc", "Inferred descriptor for the output"),
          doc("str_hex", "hex", "The raw public key script bytes, hex-encoded"),
          doc("str", "type", "The type, eg 'pubkeyhash'"),
          opt(
            "str",
            "address",
            "The Freicoin address (only if a well-defined address exists)",
          ),
        ]),
      ]),
      opt("obj_dyn", "partial_signatures", "", [
        doc("str", "pubkey", "The public key and signature that corresponds to it."),
      ]),
      opt("str", "sighash", "The sighash type to be used"),
      redeemDoc(),
      ...witnessDocs("str_hex"),
      derivsDoc("The public key with the derivation path as the value."),
      opt("obj", "final_scriptSig", "", [
        doc("str", "asm", "Disassembly of the final signature script"),
        doc("str_hex", "hex", "The raw final signature script bytes, hex-encoded"),
      ]),
      opt("arr", "final_scriptwitness", "", [
        doc("str_hex", "", "hex-encoded witness data (if any)"),
      ]),
      preimageDoc("ripemd160_preimages", "str_hex"),
      preimageDoc("sha256_preimages", "str"),
      preimageDoc("hash160_preimages", "str"),
      preimageDoc("hash256_preimages", "str"),
      opt("obj_dyn", "unknown", "The unknown input fields", [
        doc("str_hex", "key", "(key-value pair) An unknown key-value pair"),
      ]),
      proprietaryDoc("proprietary", "The input proprietary map", true),
    ],
  }]);
}

function decodePstOutputsDoc(): RpcResult {
  return doc("arr", "outputs", "", [{
    type: "obj",
    description: "",
    inner: [
      redeemDoc(),
      ...witnessDocs("str"),
      derivsDoc("The public key this path corresponds to"),
      opt("obj_dyn", "unknown", "The unknown output fields", [
        doc("str_hex", "key", "(key-value pair) An unknown key-value pair"),
      ]),
      proprietaryDoc("proprietary", "The output proprietary map", true),
    ],
  }]);
}

// --- decodepst JSON ------------------------------------------------------------------------

const SIGHASH_NAMES = new Map<number, string>([
  [1, "ALL"],
  [2, "NONE"],
  [3, "SINGLE"],
  [0x81, "ALL|ANYONECANPAY"],
  [0x82, "NONE|ANYONECANPAY"],
  [0x83, "SINGLE|ANYONECANPAY"],
]);

function sighashToStr(type: number): string {
  return SIGHASH_NAMES.get(type & 0xff) ?? "";
}

function hexMap(map: Map<string, Uint8Array>): JsonObject {
  const out: JsonObject = {};
  for (const key of [...map.keys()].sort()) out[key] = bytesToHex(map.get(key)!);
  return out;
}

function proprietaryJson(map: Map<string, PstProprietary>): JsonValue[] {
  return [...map.keys()].sort().map((key) => {
    const entry = map.get(key)!;
    return {
      identifier: bytesToHex(entry.identifier),
      subtype: Number(entry.subtype),
      key: bytesToHex(entry.key),
      value: bytesToHex(entry.value),
    };
  });
}

function fingerprintHex(origin: PstKeyOrigin): string {
  return bytesToHex(origin.fingerprint);
}

function keypathsJson(paths: Map<string, PstKeyOrigin>): JsonValue[] {
  return [...paths.keys()].sort().map((pubkey) => ({
    pubkey,
    master_fingerprint: fingerprintHex(paths.get(pubkey)!),
    path: writeHDKeypath(paths.get(pubkey)!.path),
  }));
}

/** A bare script as decodepst writes redeem and witness scripts (`ScriptToUniv`, no address). */
function scriptJson(script: Uint8Array, options: ScriptJsonOptions): JsonObject {
  const full = scriptPubKeyToJson(script, options, { hex: true, address: false });
  return { asm: full.asm, hex: full.hex, type: full.type };
}

function addWitnessEntry(
  out: JsonObject,
  entry: PstWitnessEntry | undefined,
  options: ScriptJsonOptions,
): void {
  if (!entry) return;
  out.witscript_version = entry.script[0];
  out.witness_script = entry.script[0] === 0
    ? scriptJson(entry.script.subarray(1), options)
    : { hex: bytesToHex(entry.script.subarray(1)), type: "unknown" };
  out.witness_branch = entry.branch.map((hash) => hashToHex(hash));
  out.witness_path = entry.path;
}

interface FeeTally {
  raw: bigint;
  present: bigint;
  complete: boolean;
}

const MAX_MONEY = 9_007_199_254_740_991n;
const inRange = (value: bigint) => value >= 0n && value <= MAX_MONEY;

function present(value: bigint, depth: number, options: ScriptJsonOptions): bigint {
  return options.bitcoinMode ? value : timeAdjustValue(value, depth);
}

function inputJson(
  pst: Pst,
  index: number,
  options: ScriptJsonOptions,
  tally: FeeTally,
): JsonObject {
  const input: PstInput = pst.inputs[index];
  const out: JsonObject = {};
  let spent: { value: bigint; present: bigint } | undefined;
  if (input.witnessUtxo) {
    const { output, refheight } = input.witnessUtxo;
    const adjusted = present(output.value, pst.tx.lockHeight - refheight, options);
    out.witness_utxo = {
      value: amountToJson(output.value),
      refheight,
      amount: amountToJson(adjusted),
      scriptPubKey: scriptPubKeyToJson(output.scriptPubKey, options),
    };
    spent = { value: output.value, present: adjusted };
  }
  if (input.nonWitnessUtxo) {
    const prev = input.nonWitnessUtxo;
    const output = prev.outputs[pst.tx.inputs[index].prevout.n];
    out.non_witness_utxo = txToJson(prev, options);
    if (output) {
      const adjusted = present(output.value, pst.tx.lockHeight - prev.lockHeight, options);
      spent = { value: output.value, present: adjusted };
    } else {
      spent = undefined;
    }
  }
  if (
    spent && inRange(spent.value) && inRange(spent.present) &&
    inRange(tally.present + spent.present)
  ) {
    tally.raw += spent.value;
    tally.present += spent.present;
  } else {
    tally.complete = false;
  }
  if (input.partialSigs.size > 0) {
    const sigs: JsonObject = {};
    for (const id of [...input.partialSigs.keys()].sort()) {
      const { pubkey, sig } = input.partialSigs.get(id)!;
      sigs[bytesToHex(pubkey)] = bytesToHex(sig);
    }
    out.partial_signatures = sigs;
  }
  if (input.sighashType !== undefined) out.sighash = sighashToStr(input.sighashType);
  if (input.redeemScript) out.redeem_script = scriptJson(input.redeemScript, options);
  addWitnessEntry(out, input.witnessEntry, options);
  if (input.hdKeypaths.size > 0) out.bip32_derivs = keypathsJson(input.hdKeypaths);
  if (input.finalScriptSig) {
    out.final_scriptSig = {
      asm: disassemble(input.finalScriptSig, true),
      hex: bytesToHex(input.finalScriptSig),
    };
  }
  if (input.finalScriptWitness) {
    out.final_scriptwitness = input.finalScriptWitness.map((item) => bytesToHex(item));
  }
  const preimages: [string, Map<string, Uint8Array>][] = [
    ["ripemd160_preimages", input.ripemd160Preimages],
    ["sha256_preimages", input.sha256Preimages],
    ["hash160_preimages", input.hash160Preimages],
    ["hash256_preimages", input.hash256Preimages],
  ];
  for (const [key, map] of preimages) if (map.size > 0) out[key] = hexMap(map);
  if (input.proprietary.size > 0) out.proprietary = proprietaryJson(input.proprietary);
  if (input.unknown.size > 0) out.unknown = hexMap(input.unknown);
  return out;
}

function outputJson(output: PstOutput, options: ScriptJsonOptions): JsonObject {
  const out: JsonObject = {};
  if (output.redeemScript) out.redeem_script = scriptJson(output.redeemScript, options);
  addWitnessEntry(out, output.witnessEntry, options);
  if (output.hdKeypaths.size > 0) out.bip32_derivs = keypathsJson(output.hdKeypaths);
  if (output.proprietary.size > 0) out.proprietary = proprietaryJson(output.proprietary);
  if (output.unknown.size > 0) out.unknown = hexMap(output.unknown);
  return out;
}

/** decodepst's answer for a PST. */
export function decodePstJson(pst: Pst, options: ScriptJsonOptions): JsonObject {
  const result: JsonObject = { tx: txToJson(pst.tx, options) };
  result.global_xpubs = pst.xpubs.map(({ xpub, origin }) => ({
    xpub: encodeBase58Check(xpub),
    master_fingerprint: fingerprintHex(origin),
    path: writeHDKeypath(origin.path),
  }));
  result.pst_version = pstVersion(pst);
  result.proprietary = proprietaryJson(pst.proprietary);
  result.unknown = hexMap(pst.unknown);
  const tally: FeeTally = { raw: 0n, present: 0n, complete: true };
  result.inputs = pst.inputs.map((_, i) => inputJson(pst, i, options, tally));
  result.outputs = pst.outputs.map((output) => outputJson(output, options));
  let outputTotal = 0n;
  for (const output of pst.tx.outputs) {
    if (inRange(output.value) && inRange(outputTotal + output.value)) outputTotal += output.value;
    else tally.complete = false;
  }
  if (tally.complete) {
    result.demurrage = amountToJson(tally.raw - tally.present);
    result.fee = amountToJson(tally.present - outputTotal);
  }
  return result;
}

// --- methods -------------------------------------------------------------------------------

function decodePstMethod(): RpcMethod<NodeContext> {
  return {
    name: "decodepst",
    category: "rawtransactions",
    description:
      "Return a JSON object representing the serialized, hex-encoded partially signed Freicoin transaction.",
    args: [{ names: "pst", type: "str", description: "The PST hex string" }],
    results: [{
      type: "obj",
      inner: [
        doc("obj", "tx", "The decoded network-serialized unsigned transaction.", [
          {
            type: "elision",
            description: "The layout is the same as the output of decoderawtransaction.",
          },
        ]),
        doc("arr", "global_xpubs", "", [{
          type: "obj",
          description: "",
          inner: [
            doc("str", "xpub", "The extended public key this path corresponds to"),
            doc("str_hex", "master_fingerprint", "The fingerprint of the master key"),
            doc("str", "path", "The path"),
          ],
        }]),
        doc(
          "num",
          "pst_version",
          "The PST version number. Not to be confused with the unsigned transaction version",
        ),
        proprietaryDoc("proprietary", "The global proprietary map", false),
        doc("obj_dyn", "unknown", "The unknown global fields", [
          doc("str_hex", "key", "(key-value pair) An unknown key-value pair"),
        ]),
        decodePstInputsDoc(),
        decodePstOutputsDoc(),
        opt(
          "str_amount",
          "demurrage",
          "The total demurrage of all inputs, if all UTXOs slots in the PST have been filled.",
        ),
        opt(
          "str_amount",
          "fee",
          "The transaction fee paid if all UTXOs slots in the PST have been filled.",
        ),
      ],
    }],
    examples: helpExampleCli("decodepst", '"pst"'),
    handler: (call) => decodePstJson(pstFromArg(call.params[0]), scriptOptions(call.context)),
  };
}

function combinePstMethod(): RpcMethod<NodeContext> {
  return {
    name: "combinepst",
    category: "rawtransactions",
    description:
      "\nCombine multiple partially signed Freicoin transactions into one transaction.\n" +
      "Implements the Combiner role.\n",
    args: [{
      names: "txs",
      type: "arr",
      description: "The hex strings of partially signed transactions",
      inner: [{ names: "pst", type: "str", optional: true, description: "A hex string of a PST" }],
    }],
    results: [{ type: "str", description: "The hex-encoded partially signed transaction" }],
    examples: helpExampleCli("combinepst", `'["myhex_1", "myhex_2", "myhex_3"]'`),
    handler: (call) => {
      const txs = getArray(call.params[0]);
      if (txs.length === 0) {
        throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Parameter 'txs' cannot be empty");
      }
      const psts = txs.map(pstFromArg);
      try {
        return encodeHexPst(combinePsts(psts));
      } catch (error) {
        if (error instanceof PstMismatchError) {
          throw new RpcError(RPC_ERROR.INVALID_PARAMETER, error.message);
        }
        throw error;
      }
    },
  };
}

function finalizePstMethod(): RpcMethod<NodeContext> {
  return {
    name: "finalizepst",
    category: "rawtransactions",
    description:
      "Finalize the inputs of a PST. If the transaction is fully signed, it will produce a\n" +
      "network serialized transaction which can be broadcast with sendrawtransaction. Otherwise a PST will be\n" +
      "created which has the final_scriptSig and final_scriptWitness fields filled for inputs that are complete.\n" +
      "Implements the Finalizer and Extractor roles.\n",
    args: [
      { names: "pst", type: "str", description: "A hex string of a PST" },
      {
        names: "extract",
        type: "bool",
        default: true,
        description: "If true and the transaction is complete,\n" +
          "                             extract and return the complete transaction in normal network serialization instead of the PST.",
      },
    ],
    results: [{
      type: "obj",
      inner: [
        opt("str", "pst", "The hex-encoded partially signed transaction if not extracted"),
        opt("str_hex", "hex", "The hex-encoded network transaction if extracted"),
        doc("bool", "complete", "If the transaction has a complete set of signatures"),
      ],
    }],
    examples: helpExampleCli("finalizepst", '"pst"'),
    handler: (call) => {
      const pst = pstFromArg(call.params[0]);
      const extractArg = call.maybeArg(1);
      const extract = extractArg === undefined || getBool(extractArg);
      const tx = finalizeAndExtractPst(secpOf(call.context), pst);
      if (tx && extract) return { hex: bytesToHex(tx.toBytes()), complete: true };
      return { pst: encodeHexPst(pst), complete: tx !== undefined };
    },
  };
}

function createPstMethod(): RpcMethod<NodeContext> {
  return {
    name: "createpst",
    category: "rawtransactions",
    description: "\nCreates a transaction in the Partially Signed Transaction format.\n" +
      "Implements the Creator role.\n",
    args: createTxDoc(),
    results: [{ type: "str", description: "The resulting raw transaction (hex-encoded string)" }],
    examples: helpExampleCli(
      "createpst",
      '"[{\\"txid\\":\\"myid\\",\\"vout\\":0}]" "[{\\"data\\":\\"00010203\\"}]"',
    ),
    handler: (call) => {
      // Bug-compatible with freicoind: position 3 is read both as the `replaceable` bool and as
      // the lock height, so any non-null value there fails one of the two readings, and
      // position 4 is never read.
      const third = call.maybeArg(3);
      const rbf = third === undefined ? undefined : getBool(third);
      const tx = constructTransaction(call.context, {
        inputs: call.maybeArg(0),
        outputs: call.maybeArg(1),
        locktime: call.maybeArg(2),
        lockheight: third,
        rbf,
      });
      return encodeHexPst(pstFromTransaction(tx));
    },
  };
}

function convertToPstMethod(): RpcMethod<NodeContext> {
  return {
    name: "converttopst",
    category: "rawtransactions",
    description:
      "\nConverts a network serialized transaction to a PST. This should be used only with createrawtransaction and fundrawtransaction\n" +
      "createpst and walletcreatefundedpst should be used for new applications.\n",
    args: [
      { names: "hexstring", type: "str_hex", description: "The hex string of a raw transaction" },
      {
        names: "permitsigdata",
        type: "bool",
        default: false,
        description: "If true, any signatures in the input will be discarded and conversion\n" +
          "                              will continue. If false, RPC will fail if any signatures are present.",
      },
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
    results: [{ type: "str", description: "The resulting raw transaction (hex-encoded string)" }],
    examples: "\nCreate a transaction\n" +
      helpExampleCli(
        "createrawtransaction",
        '"[{\\"txid\\":\\"myid\\",\\"vout\\":0}]" "[{\\"data\\":\\"00010203\\"}]"',
      ) +
      "\nConvert the transaction to a PST\n" +
      helpExampleCli("converttopst", '"rawtransaction"'),
    handler: (call) => {
      const permitArg = call.maybeArg(1);
      const permitSigData = permitArg === undefined ? false : getBool(permitArg);
      const witnessArg = call.maybeArg(2);
      const isWitness = witnessArg === undefined ? undefined : getBool(witnessArg);
      const tx = decodeHexTx(getStr(call.params[0]), {
        tryWitness: isWitness ?? true,
        tryNoWitness: isWitness === undefined ? true : !isWitness,
      });
      if (!tx) throw new RpcError(RPC_ERROR.DESERIALIZATION_ERROR, "TX decode failed");
      const inputs = tx.inputs.map((input) => {
        if ((input.scriptSig.length > 0 || input.witness.length > 0) && !permitSigData) {
          throw new RpcError(
            RPC_ERROR.DESERIALIZATION_ERROR,
            "Inputs must not have scriptSigs and scriptWitnesses",
          );
        }
        return new TxIn({ prevout: input.prevout, sequence: input.sequence });
      });
      return encodeHexPst(
        pstFromTransaction(new Transaction({ ...tx, inputs, outputs: tx.outputs })),
      );
    },
  };
}

/** Fisher-Yates with crypto randomness (freicoind shuffles with FastRandomContext). */
function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  const random = new Uint32Array(out.length);
  crypto.getRandomValues(random);
  for (let i = out.length - 1; i > 0; i--) {
    const j = random[i] % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function joinPstsMethod(): RpcMethod<NodeContext> {
  return {
    name: "joinpsts",
    category: "rawtransactions",
    description:
      "\nJoins multiple distinct PSTs with different inputs and outputs into one PST with inputs and outputs from all of the PSTs\n" +
      "No input in any of the PSTs can be in more than one of the PSTs.\n",
    args: [{
      names: "txs",
      type: "arr",
      description: "The hex strings of partially signed transactions",
      inner: [{ names: "pst", type: "str", description: "A hex string of a PST" }],
    }],
    results: [{ type: "str", description: "The hex-encoded partially signed transaction" }],
    examples: helpExampleCli("joinpsts", '"pst"'),
    handler: (call) => {
      const txs = getArray(call.params[0]);
      if (txs.length <= 1) {
        throw new RpcError(
          RPC_ERROR.INVALID_PARAMETER,
          "At least two PSTs are required to join PSTs.",
        );
      }
      const psts = txs.map(pstFromArg);
      let version = 1;
      let lockTime = 0xffffffff;
      for (const pst of psts) {
        version = Math.max(version, pst.tx.version >>> 0);
        lockTime = Math.min(lockTime, pst.tx.lockTime);
      }
      const ins: { txin: TxIn; data: PstInput }[] = [];
      const outs: { txout: Pst["tx"]["outputs"][number]; data: PstOutput }[] = [];
      const seen = new Set<string>();
      const merged = pstFromTransaction(
        new Transaction({ version: 0, inputs: [], outputs: [], lockTime: 0, lockHeight: 0 }),
      );
      for (const pst of psts) {
        pst.tx.inputs.forEach((txin, i) => {
          const id = `${txin.prevout.txid}:${txin.prevout.n}:${txin.sequence}`;
          if (seen.has(id)) {
            throw new RpcError(
              RPC_ERROR.INVALID_PARAMETER,
              `Input ${txin.prevout.txid}:${txin.prevout.n} exists in multiple PSTs`,
            );
          }
          seen.add(id);
          const data = pst.inputs[i];
          data.partialSigs.clear();
          data.finalScriptSig = undefined;
          data.finalScriptWitness = undefined;
          ins.push({ txin, data });
        });
        pst.tx.outputs.forEach((txout, i) => outs.push({ txout, data: pst.outputs[i] }));
        merged.xpubs.push(
          ...pst.xpubs.filter((x) =>
            !merged.xpubs.some((y) => bytesToHex(y.xpub) === bytesToHex(x.xpub))
          ),
        );
        for (const [key, value] of pst.unknown) {
          if (!merged.unknown.has(key)) merged.unknown.set(key, value);
        }
      }
      const inputs = shuffled(ins);
      const outputs = shuffled(outs);
      // freicoind builds the joined transaction from a default CMutableTransaction, so its
      // lock_height stays 0; the global xpubs do not survive the shuffle copy.
      const tx = new Transaction({
        version: version | 0,
        inputs: inputs.map((entry) => entry.txin),
        outputs: outputs.map((entry) => entry.txout),
        lockTime,
        lockHeight: 0,
      });
      return encodeHexPst({
        tx,
        xpubs: [],
        proprietary: new Map(),
        unknown: merged.unknown,
        inputs: inputs.map((entry) => entry.data),
        outputs: outputs.map((entry) => entry.data),
      });
    },
  };
}

function analyzePstMethod(): RpcMethod<NodeContext> {
  return {
    name: "analyzepst",
    category: "rawtransactions",
    description:
      "\nAnalyzes and provides information about the current status of a PST and its inputs\n",
    args: [{ names: "pst", type: "str", description: "A hex string of a PST" }],
    results: [{
      type: "obj",
      inner: [
        opt("arr", "inputs", "", [{
          type: "obj",
          description: "",
          inner: [
            doc("bool", "has_utxo", "Whether a UTXO is provided"),
            doc("bool", "is_final", "Whether the input is finalized"),
            opt(
              "obj",
              "missing",
              "Things that are missing that are required to complete this input",
              [
                opt("arr", "pubkeys", "", [
                  doc(
                    "str_hex",
                    "keyid",
                    "Public key ID, hash160 of the public key, of a public key whose BIP 32 derivation path is missing",
                  ),
                ]),
                opt("arr", "signatures", "", [
                  doc(
                    "str_hex",
                    "keyid",
                    "Public key ID, hash160 of the public key, of a public key whose signature is missing",
                  ),
                ]),
                opt("str_hex", "redeemscript", "Hash160 of the redeemScript that is missing"),
                opt("str_hex", "witnessscript", "SHA256 of the witnessScript that is missing"),
              ],
            ),
            opt("str", "next", "Role of the next person that this input needs to go to"),
          ],
        }]),
        opt("num", "estimated_vsize", "Estimated vsize of the final signed transaction"),
        opt(
          "str_amount",
          "estimated_feerate",
          `Estimated feerate of the final signed transaction in ${CURRENCY_UNIT}/kvB. Shown only if all UTXO slots in the PST have been filled`,
        ),
        opt(
          "str_amount",
          "demurrage",
          "The total input lost to demurrage. Shown only if all UTXO slots in the PST that have been filled",
        ),
        opt(
          "str_amount",
          "fee",
          "The transaction fee paid. Shown only if all UTXO slots in the PST have been filled",
        ),
        doc("str", "next", "Role of the next person that this pst needs to go to"),
        opt("str", "error", "Error message (if there is one)"),
      ],
    }],
    examples: helpExampleCli("analyzepst", '"pst"'),
    handler: (call) => {
      const pst = pstFromArg(call.params[0]);
      const options = scriptOptions(call.context);
      const analysis = analyzePst(secpOf(call.context), pst, options.bitcoinMode ?? false);
      const result: JsonObject = {};
      if (analysis.inputs.length > 0) {
        result.inputs = analysis.inputs.map((input) => {
          const out: JsonObject = {
            has_utxo: input.hasUtxo,
            is_final: input.isFinal,
            next: input.next,
          };
          const missing = input.missing;
          if (missing) {
            const shown: JsonObject = {};
            if (missing.pubkeys.length > 0) shown.pubkeys = missing.pubkeys;
            if (missing.redeemscript !== undefined) shown.redeemscript = missing.redeemscript;
            if (missing.witnessscript !== undefined) shown.witnessscript = missing.witnessscript;
            if (missing.signatures.length > 0) shown.signatures = missing.signatures;
            out.missing = shown;
          }
          return out;
        });
      }
      if (analysis.estimatedVsize !== undefined) result.estimated_vsize = analysis.estimatedVsize;
      if (analysis.estimatedFeerate !== undefined) {
        result.estimated_feerate = amountToJson(analysis.estimatedFeerate);
      }
      if (analysis.demurrage !== undefined) result.demurrage = amountToJson(analysis.demurrage);
      if (analysis.fee !== undefined) result.fee = amountToJson(analysis.fee);
      result.next = analysis.next;
      if (analysis.error !== undefined) result.error = analysis.error;
      return result;
    },
  };
}

/** What the descriptors given to utxoupdatepst/descriptorprocesspst know, by hex script. */
type DescriptorKnowledge = Map<string, ScriptKnowledge>;

/** `EvalDescriptorStringOrObject` for each descriptor, collecting per-script knowledge. */
function evalDescriptors(
  context: NodeContext,
  value: JsonValue | undefined,
  withKeys: boolean,
): DescriptorKnowledge {
  const known: DescriptorKnowledge = new Map();
  if (value === undefined) return known;
  const options = { prefixes: context.params.prefixes, secp: secpOf(context) };
  for (const item of getArray(value)) {
    let text: string;
    let range: [number, number] = [0, 1000];
    if (typeof item === "string") {
      text = item;
    } else if (isJsonObject(item)) {
      if (item.desc === undefined || item.desc === null) {
        throw new RpcError(
          RPC_ERROR.INVALID_PARAMETER,
          "Descriptor needs to be provided in scan object",
        );
      }
      text = getStr(item.desc);
      if (item.range !== undefined && item.range !== null) {
        range = parseDescriptorRangeArg(item.range);
      }
    } else {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        "Scan object needs to be either a string or an object",
      );
    }
    let descriptor;
    try {
      descriptor = parseDescriptor(text, options);
    } catch (error) {
      if (error instanceof DescriptorError) {
        throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, error.message);
      }
      throw error;
    }
    if (!descriptor.isRange) range = [0, 0];
    for (let i = range[0]; i <= range[1]; i++) {
      const expanded = descriptor.expandWithSigningData(i);
      if (expanded === null) {
        throw new RpcError(
          RPC_ERROR.INVALID_ADDRESS_OR_KEY,
          `Cannot derive script without private keys: '${text}'`,
        );
      }
      const keys = withKeys ? [...descriptor.expandPrivate(i).values()] : [];
      for (const script of expanded.scripts) {
        const id = bytesToHex(script);
        if (!known.has(id)) known.set(id, { data: expanded.signingData, keys });
      }
    }
  }
  return known;
}

/** `ProcessPST`: previous transactions and UTXOs from the node, then descriptor knowledge. */
function processPst(
  context: NodeContext,
  pst: Pst,
  known: DescriptorKnowledge,
  options: { sign: boolean; sighash: number; finalize: boolean; bip32derivs: boolean },
): void {
  const extras = extrasOf(context);
  pst.tx.inputs.forEach((txin, i) => {
    const input = pst.inputs[i];
    if (input.nonWitnessUtxo) return;
    const txid = txin.prevout.txid;
    const prev = extras.txIndexLookup?.(txid)?.tx ?? extras.mempoolTransaction?.(txid);
    if (prev) {
      input.nonWitnessUtxo = prev;
      return;
    }
    const coin = context.chain.getCoin(txin.prevout) ?? extras.mempoolCoin?.(txin.prevout);
    if (coin && isSegwitScript(coin.output.scriptPubKey, known)) {
      input.witnessUtxo = { output: coin.output, refheight: coin.refheight };
    }
  });
  const secp = secpOf(context);
  pst.inputs.forEach((_, i) => {
    const script = pstSpentScript(pst, i);
    const knowledge = script && known.get(bytesToHex(script));
    if (knowledge) fillPstInput(secp, pst, i, knowledge, options);
    else {
      signPstInput(secp, new SigningProvider(secp), pst, i, { ...options, sign: options.sign });
    }
  });
  pst.tx.outputs.forEach((output, i) => {
    const knowledge = known.get(bytesToHex(output.scriptPubKey));
    if (knowledge) updatePstOutput(pst, i, knowledge, options.bip32derivs);
  });
}

/** `IsSegWitOutput`: a witness program, directly or inside a known P2SH redeem script. */
function isSegwitScript(script: Uint8Array, known: DescriptorKnowledge): boolean {
  const isProgram = (s: Uint8Array) =>
    s.length >= 4 && s.length <= 42 && (s[0] === 0 || (s[0] >= 0x51 && s[0] <= 0x60)) &&
    s[1] + 2 === s.length;
  if (isProgram(script)) return true;
  const knowledge = known.get(bytesToHex(script));
  return [...(knowledge?.data.scripts.values() ?? [])].some(isProgram);
}

const DESCRIPTORS_ARG_INNER = [
  { names: "", type: "str" as const, optional: true, description: "An output descriptor" },
  {
    names: "",
    type: "obj" as const,
    optional: true,
    description: "An object with an output descriptor and extra information",
    inner: [
      { names: "desc", type: "str" as const, description: "An output descriptor" },
      {
        names: "range",
        type: "range" as const,
        default: 1000,
        description: "Up to what index HD chains should be explored (either end or [begin,end])",
      },
    ],
  },
];

function utxoUpdatePstMethod(): RpcMethod<NodeContext> {
  return {
    name: "utxoupdatepst",
    category: "rawtransactions",
    description:
      "\nUpdates all segwit inputs and outputs in a PST with data from output descriptors, the UTXO set, txindex, or the mempool.\n",
    args: [
      { names: "pst", type: "str", description: "A hex string of a PST" },
      {
        names: "descriptors",
        type: "arr",
        optional: true,
        description: "An array of either strings or objects",
        inner: DESCRIPTORS_ARG_INNER,
      },
    ],
    results: [{
      type: "str",
      description: "The hex-encoded partially signed transaction with inputs updated",
    }],
    examples: helpExampleCli("utxoupdatepst", '"pst"'),
    handler: (call) => {
      const known = evalDescriptors(call.context, call.maybeArg(1), false);
      const pst = pstFromArg(call.params[0]);
      processPst(call.context, pst, known, {
        sign: false,
        sighash: 1,
        finalize: false,
        bip32derivs: true,
      });
      return encodeHexPst(pst);
    },
  };
}

const SIGHASH_ARG_VALUES: Record<string, number> = {
  DEFAULT: 1,
  ALL: 1,
  NONE: 2,
  SINGLE: 3,
  "ALL|ANYONECANPAY": 0x81,
  "NONE|ANYONECANPAY": 0x82,
  "SINGLE|ANYONECANPAY": 0x83,
};

function descriptorProcessPstMethod(): RpcMethod<NodeContext> {
  return {
    name: "descriptorprocesspst",
    category: "rawtransactions",
    description:
      "\nUpdate all segwit inputs in a PST with information from output descriptors, the UTXO set or the mempool. \n" +
      "Then, sign the inputs we are able to with information from the output descriptors. ",
    args: [
      { names: "pst", type: "str", description: "The transaction, hex-encoded" },
      {
        names: "descriptors",
        type: "arr",
        description: "An array of either strings or objects",
        inner: DESCRIPTORS_ARG_INNER,
      },
      {
        names: "sighashtype",
        type: "str",
        default: "DEFAULT for Taproot, ALL otherwise",
        description:
          "The signature hash type to sign with if not specified by the PST. Must be one of\n" +
          '       "DEFAULT"\n       "ALL"\n       "NONE"\n       "SINGLE"\n' +
          '       "ALL|ANYONECANPAY"\n       "NONE|ANYONECANPAY"\n       "SINGLE|ANYONECANPAY"',
      },
      {
        names: "bip32derivs",
        type: "bool",
        default: true,
        description: "Include BIP 32 derivation paths for public keys if we know them",
      },
      {
        names: "finalize",
        type: "bool",
        default: true,
        description: "Also finalize inputs if possible",
      },
    ],
    results: [{
      type: "obj",
      inner: [
        doc("str", "pst", "The hex-encoded partially signed transaction"),
        doc("bool", "complete", "If the transaction has a complete set of signatures"),
        opt("str_hex", "hex", "The hex-encoded network transaction if complete"),
      ],
    }],
    examples: helpExampleCli(
      "descriptorprocesspst",
      '"pst" "[\\"descriptor1\\", \\"descriptor2\\"]"',
    ) +
      helpExampleCli(
        "descriptorprocesspst",
        '"pst" "[{\\"desc\\":\\"mydescriptor\\", \\"range\\":21}]"',
      ),
    handler: (call) => {
      const known = evalDescriptors(call.context, call.params[1], true);
      const sighashArg = call.maybeArg(2);
      let sighash = 1;
      if (sighashArg !== undefined) {
        const name = getStr(sighashArg);
        if (SIGHASH_ARG_VALUES[name] === undefined) {
          throw new RpcError(
            RPC_ERROR.INVALID_PARAMETER,
            `'${name}' is not a valid sighash parameter.`,
          );
        }
        sighash = SIGHASH_ARG_VALUES[name];
      }
      const flag = (i: number) => {
        const value = call.maybeArg(i);
        return value === undefined ? true : getBool(value);
      };
      const pst = pstFromArg(call.params[0]);
      processPst(call.context, pst, known, {
        sign: true,
        sighash,
        bip32derivs: flag(3),
        finalize: flag(4),
      });
      const complete = pst.inputs.every(pstInputSigned);
      const result: JsonObject = { pst: encodeHexPst(pst), complete };
      if (complete) {
        const tx = finalizeAndExtractPst(secpOf(call.context), structuredClonePst(pst));
        if (tx) result.hex = bytesToHex(tx.toBytes());
      }
      return result;
    },
  };
}

/** The node's PST methods, for {@link nodeRpcMethods}. */
export function pstMethods(): RpcMethod<NodeContext>[] {
  return [
    utxoUpdatePstMethod(),
    descriptorProcessPstMethod(),
    analyzePstMethod(),
    combinePstMethod(),
    convertToPstMethod(),
    createPstMethod(),
    decodePstMethod(),
    finalizePstMethod(),
    joinPstsMethod(),
  ];
}
