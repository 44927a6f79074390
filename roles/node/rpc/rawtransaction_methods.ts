/**
 * Raw-transaction methods (rpc/rawtransaction.cpp, rawtransaction_util.cpp): getrawtransaction,
 * createrawtransaction (with Freicoin's `lockheight` at position 3 and `destroy` outputs),
 * decoderawtransaction and decodescript.
 *
 * @module
 */
import {
  amountFromJson,
  getArray,
  getBool,
  getInt,
  getInt64,
  getObject,
  getStr,
  helpExampleCli,
  helpExampleRpc,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  RPC_ERROR,
  type RpcArg,
  RpcError,
  type RpcMethod,
  type RpcResult,
} from "../../../rpc/mod.ts";
import {
  decodeDestination,
  encodeDestination,
  scriptForDestination,
  scriptHashOf,
  witnessV0LongHashOf,
  witnessV0ShortHashOfPubKey,
} from "../../../kernel/address/mod.ts";
import { bytesEqual, bytesToHex, hashToHex } from "../../../kernel/encoding/mod.ts";
import { ripemd160 } from "../../../kernel/hash/mod.ts";
import { OutPoint, Transaction, TxIn, TxOut } from "../../../kernel/primitives/mod.ts";
import { isUnspendable, readOp, solveScript, type TxoutType } from "../../../kernel/script/mod.ts";
import type { Coin } from "../../../kernel/consensus/mod.ts";
import { inferDescriptor } from "../../../kernel/descriptor/mod.ts";
import type { NodeContext } from "../node_context.ts";
import type { BlockIndexEntry } from "../chain/block_index_entry.ts";
import { BlockStatus } from "../chain/block_index_entry.ts";
import { extrasOf, secpOf } from "./node_rpc_extras.ts";
import {
  decodeHexTx,
  findValue,
  hasValidOps,
  parseHashO,
  parseHashV,
  parseHexV,
} from "./rpc_parse.ts";
import {
  ALL_OUTPUT_TYPES,
  CURRENCY_UNIT,
  decodeTxDoc,
  type ScriptJsonOptions,
  scriptPubKeyDoc,
  scriptPubKeyToJson,
  txToJson,
} from "./tx_json.ts";

const UNIX_EPOCH_TIME = "UNIX epoch time";
/** nSequence that signals BIP125 replaceability (`MAX_BIP125_RBF_SEQUENCE`). */
const MAX_BIP125_RBF_SEQUENCE = 0xfffffffd;
const MAX_SEQUENCE_NONFINAL = 0xfffffffe;
const SEQUENCE_FINAL = 0xffffffff;
const LOCKTIME_MAX = 0xffffffff;
const OP_RETURN = 0x6a;

/** Script-writing options of a node context. */
export function scriptOptions(context: NodeContext): ScriptJsonOptions {
  return {
    prefixes: context.params.prefixes,
    secp: secpOf(context),
    bitcoinMode: context.params.consensus.bitcoinMode,
  };
}

/** The members of a JSON object in order. */
export function objectEntries(value: JsonValue): [string, JsonValue][] {
  if (value instanceof Map) return [...value.entries()];
  return Object.entries(value as JsonObject).filter((e): e is [string, JsonValue] =>
    e[1] !== undefined
  );
}

// --- createrawtransaction -------------------------------------------------------------------

/** Arguments of createrawtransaction and createpst (`CreateTxDoc`). */
export function createTxDoc(): RpcArg[] {
  return [
    {
      names: "inputs",
      type: "arr",
      description: "The inputs",
      inner: [{
        names: "",
        type: "obj",
        optional: true,
        description: "",
        inner: [
          { names: "txid", type: "str_hex", description: "The transaction id" },
          { names: "vout", type: "num", description: "The output number" },
          {
            names: "sequence",
            type: "num",
            defaultHint: "depends on the value of the 'replaceable' and 'locktime' arguments",
            description: "The sequence number",
          },
        ],
      }],
    },
    {
      names: "outputs",
      type: "arr",
      description: "The outputs specified as key-value pairs.\n" +
        "Each key may only appear once, i.e. there can only be one 'data' output, and no address may be duplicated.\n" +
        "At least one output of either type must be specified.\n" +
        "For compatibility reasons, a dictionary, which holds the key-value pairs directly, is also\n" +
        "                             accepted as second parameter.",
      skipTypeCheck: true,
      inner: [
        {
          names: "",
          type: "obj_user_keys",
          optional: true,
          description: "",
          inner: [{
            names: "address",
            type: "amount",
            description:
              `A key-value pair. The key (string) is the freicoin address, the value (float or string) is the amount in ${CURRENCY_UNIT}`,
          }],
        },
        {
          names: "",
          type: "obj",
          optional: true,
          description: "",
          inner: [{
            names: "data",
            type: "str_hex",
            description: 'A key-value pair. The key must be "data", the value is hex-encoded data',
          }],
        },
        {
          names: "",
          type: "obj",
          optional: true,
          description: "",
          inner: [{
            names: "destroy",
            type: "amount",
            description: "An amount of freicoin to be destroyed (sent to an OP_RETURN output).",
          }],
        },
      ],
    },
    {
      names: "locktime",
      type: "num",
      default: 0,
      description: "Raw locktime. Non-0 value also locktime-activates inputs",
    },
    {
      names: "lockheight",
      type: "num",
      default: 0,
      description:
        "The reference height of the outputs in the transaction being generated, and the minimum height for inclusion in chain. If not specified, the height of the next block to be mined is used.",
    },
    {
      names: "replaceable",
      type: "bool",
      default: true,
      description: "Marks this transaction as BIP125-replaceable.\n" +
        "Allows this transaction to be replaced by a transaction with higher fees. If provided, it is an error if explicit sequence numbers are incompatible.",
    },
  ];
}

function parseInputs(
  inputsArg: JsonValue | undefined,
  lockTime: number,
  rbf: boolean | undefined,
): TxIn[] {
  const inputs = inputsArg === undefined ? [] : getArray(inputsArg);
  return inputs.map((input) => {
    const object = getObject(input);
    const txid = parseHashO(object, "txid");
    const voutValue = findValue(object, "vout");
    if (!isNumber(voutValue)) {
      throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Invalid parameter, missing vout key");
    }
    const vout = getInt(voutValue);
    if (vout < 0) {
      throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Invalid parameter, vout cannot be negative");
    }
    let sequence = rbf ?? true
      ? MAX_BIP125_RBF_SEQUENCE
      : lockTime !== 0
      ? MAX_SEQUENCE_NONFINAL
      : SEQUENCE_FINAL;
    const sequenceValue = findValue(object, "sequence");
    if (isNumber(sequenceValue)) {
      const n = getInt64(sequenceValue);
      if (n < 0n || n > BigInt(SEQUENCE_FINAL)) {
        throw new RpcError(
          RPC_ERROR.INVALID_PARAMETER,
          "Invalid parameter, sequence number is out of range",
        );
      }
      sequence = Number(n);
    }
    return new TxIn({ prevout: new OutPoint(txid, vout), sequence });
  });
}

function isNumber(value: JsonValue | undefined): boolean {
  return typeof value === "number" || typeof value === "bigint" ||
    (typeof value === "object" && value !== null && !Array.isArray(value) &&
      !(value instanceof Map) && !isJsonObject(value));
}

/** `NormalizeOutputs`: the outputs as ordered key-value pairs. */
function normalizeOutputs(outputsArg: JsonValue | undefined): [string, JsonValue][] {
  if (outputsArg === undefined) {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      "Invalid parameter, output argument must be non-null",
    );
  }
  if (isJsonObject(outputsArg) || outputsArg instanceof Map) return objectEntries(outputsArg);
  const pairs: [string, JsonValue][] = [];
  for (const output of getArray(outputsArg)) {
    if (!(isJsonObject(output) || output instanceof Map)) {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        "Invalid parameter, key-value pair not an object as expected",
      );
    }
    const entries = objectEntries(output);
    if (entries.length !== 1) {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        "Invalid parameter, key-value pair must contain exactly one key",
      );
    }
    pairs.push(entries[0]);
  }
  return pairs;
}

/** `ParseOutputs` + `AddOutputs`: outputs with Freicoin's merged `data`/`destroy` OP_RETURN. */
function parseOutputs(context: NodeContext, pairs: [string, JsonValue][]): TxOut[] {
  const outputs: { script: Uint8Array; value: bigint; opReturn: boolean }[] = [];
  const seen = new Set<string>();
  let hasData = false;
  let hasDestroy = false;
  for (const [name, value] of pairs) {
    if (name === "data") {
      if (hasData) {
        throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Invalid parameter, duplicate key: data");
      }
      hasData = true;
      const data = parseHexV(typeof value === "string" ? value : String(value), "Data");
      const script = dataScript(data);
      const destroyed = hasDestroy ? outputs.find((o) => o.opReturn) : undefined;
      if (destroyed) destroyed.script = script;
      else outputs.push({ script, value: 0n, opReturn: true });
    } else if (name === "destroy") {
      if (hasDestroy) {
        throw new RpcError(
          RPC_ERROR.INVALID_PARAMETER,
          "Invalid parameter, duplicate key: destroy",
        );
      }
      hasDestroy = true;
      const amount = amountFromJson(value);
      const carrier = hasData ? outputs.find((o) => o.opReturn) : undefined;
      if (carrier) carrier.value = amount;
      else outputs.push({ script: Uint8Array.of(OP_RETURN), value: amount, opReturn: true });
    } else {
      const decoded = decodeDestination(name, context.params.prefixes);
      const amount = amountFromJson(value);
      if (!decoded.ok) {
        throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, `Invalid Freicoin address: ${name}`);
      }
      const script = scriptForDestination(decoded.destination);
      const key = bytesToHex(script);
      if (seen.has(key)) {
        throw new RpcError(
          RPC_ERROR.INVALID_PARAMETER,
          `Invalid parameter, duplicated address: ${name}`,
        );
      }
      seen.add(key);
      outputs.push({ script, value: amount, opReturn: false });
    }
  }
  return outputs.map((o) => new TxOut(o.value, o.script));
}

/** `OP_RETURN <data>` with a minimal push. */
function dataScript(data: Uint8Array): Uint8Array {
  const push = pushBytes(data);
  const out = new Uint8Array(1 + push.length);
  out[0] = OP_RETURN;
  out.set(push, 1);
  return out;
}

function pushBytes(data: Uint8Array): Uint8Array {
  const n = data.length;
  let prefix: number[];
  if (n < 0x4c) prefix = [n];
  else if (n <= 0xff) prefix = [0x4c, n];
  else if (n <= 0xffff) prefix = [0x4d, n & 0xff, n >> 8];
  else prefix = [0x4e, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];
  return Uint8Array.from([...prefix, ...data]);
}

/** `ConstructTransaction`: a version-2 transaction from createrawtransaction's arguments. */
export function constructTransaction(
  context: NodeContext,
  args: {
    inputs: JsonValue | undefined;
    outputs: JsonValue | undefined;
    locktime: JsonValue | undefined;
    lockheight: JsonValue | undefined;
    rbf: boolean | undefined;
  },
): Transaction {
  let lockTime = 0;
  if (args.locktime !== undefined) {
    const n = getInt64(args.locktime);
    if (n < 0n || n > BigInt(LOCKTIME_MAX)) {
      throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Invalid parameter, locktime out of range");
    }
    lockTime = Number(n);
  }
  let lockHeight = 0;
  if (args.lockheight !== undefined) {
    const n = getInt64(args.lockheight);
    if (n < -1n || n > 0xffffffffn) {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        "Invalid parameter, lockheight out of range",
      );
    }
    lockHeight = n <= 0n ? 0 : Number(n);
  }
  if (lockHeight === 0) lockHeight = context.chain.height + 1;
  const inputs = parseInputs(args.inputs, lockTime, args.rbf);
  const outputs = parseOutputs(context, normalizeOutputs(args.outputs));
  if (
    args.rbf === true && inputs.length > 0 &&
    !inputs.some((input) => input.sequence <= MAX_BIP125_RBF_SEQUENCE)
  ) {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      "Invalid parameter combination: Sequence number(s) contradict replaceable option",
    );
  }
  return new Transaction({ version: 2, inputs, outputs, lockTime, lockHeight });
}

function createRawTransactionMethod(): RpcMethod<NodeContext> {
  const inputs = '"[{\\"txid\\":\\"myid\\",\\"vout\\":0}]"';
  return {
    name: "createrawtransaction",
    category: "rawtransactions",
    description: "\nCreate a transaction spending the given inputs and creating new outputs.\n" +
      "Outputs can be addresses or data.\n" +
      "Returns hex-encoded raw transaction.\n" +
      "Note that the transaction's inputs are not signed, and\n" +
      "it is not stored in the wallet or transmitted to the network.\n",
    args: createTxDoc(),
    results: [{
      type: "str_hex",
      key: "transaction",
      description: "hex string of the transaction",
    }],
    examples: helpExampleCli("createrawtransaction", `${inputs} "[{\\"address\\":0.01}]"`) +
      helpExampleCli("createrawtransaction", `${inputs} "[{\\"data\\":\\"00010203\\"}]"`) +
      helpExampleRpc("createrawtransaction", `${inputs}, "[{\\"address\\":0.01}]"`) +
      helpExampleRpc("createrawtransaction", `${inputs}, "[{\\"data\\":\\"00010203\\"}]"`),
    handler: (call) => {
      const rbfArg = call.maybeArg(4);
      const tx = constructTransaction(call.context, {
        inputs: call.maybeArg(0),
        outputs: call.maybeArg(1),
        locktime: call.maybeArg(2),
        lockheight: call.maybeArg(3),
        rbf: rbfArg === undefined ? undefined : getBool(rbfArg),
      });
      return bytesToHex(tx.toBytes());
    },
  };
}

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

// --- getrawtransaction ------------------------------------------------------------------------

function getRawTransactionResults(): RpcResult[] {
  return [
    {
      type: "str",
      key: "data",
      cond: "if verbosity is not set or set to 0",
      description: "The serialized transaction as a hex-encoded string for 'txid'",
    },
    {
      type: "obj",
      cond: "if verbosity is set to 1",
      inner: [
        {
          type: "bool",
          key: "in_active_chain",
          optional: true,
          description:
            'Whether specified block is in the active chain or not (only present with explicit "blockhash" argument)',
        },
        { type: "str_hex", key: "blockhash", optional: true, description: "the block hash" },
        { type: "num", key: "confirmations", optional: true, description: "The confirmations" },
        {
          type: "num_time",
          key: "blocktime",
          optional: true,
          description: `The block time expressed in ${UNIX_EPOCH_TIME}`,
        },
        { type: "num", key: "time", optional: true, description: 'Same as "blocktime"' },
        { type: "str_hex", key: "hex", description: "The serialized, hex-encoded data for 'txid'" },
        ...decodeTxDoc("The transaction id (same as provided)"),
      ],
    },
    {
      type: "obj",
      cond: "for verbosity = 2",
      inner: [
        { type: "elision", description: "Same output as verbosity = 1" },
        {
          type: "num",
          key: "fee",
          optional: true,
          description:
            `transaction fee in ${CURRENCY_UNIT}, omitted if block undo data is not available`,
        },
        {
          type: "arr",
          key: "vin",
          description: "",
          inner: [{
            type: "obj",
            description: "utxo being spent",
            inner: [
              { type: "elision", description: "Same output as verbosity = 1" },
              {
                type: "obj",
                key: "prevout",
                optional: true,
                description: "The previous output, omitted if block undo data is not available",
                inner: [
                  { type: "bool", key: "generated", description: "Coinbase or not" },
                  { type: "num", key: "height", description: "The height of the prevout" },
                  {
                    type: "str_amount",
                    key: "value",
                    description: `The value in ${CURRENCY_UNIT}`,
                  },
                  { type: "obj", key: "scriptPubKey", description: "", inner: scriptPubKeyDoc() },
                ],
              },
            ],
          }],
        },
      ],
    },
  ];
}

interface FoundTransaction {
  tx: Transaction;
  /** The block holding it, when it was found in one. */
  block?: BlockIndexEntry;
  /** Its position in that block. */
  index?: number;
}

function findInBlock(
  context: NodeContext,
  entry: BlockIndexEntry,
  txid: Uint8Array,
): FoundTransaction | undefined {
  const block = context.chain.readBlock(entry);
  if (!block) return undefined;
  const index = block.transactions.findIndex((tx) => bytesEqual(tx.txid, txid));
  return index < 0 ? undefined : { tx: block.transactions[index], block: entry, index };
}

function getRawTransactionMethod(): RpcMethod<NodeContext> {
  return {
    name: "getrawtransaction",
    category: "rawtransactions",
    description:
      "By default, this call only returns a transaction if it is in the mempool. If -txindex is enabled\n" +
      "and no blockhash argument is passed, it will return the transaction if it is in the mempool or any block.\n" +
      "If a blockhash argument is passed, it will return the transaction if\n" +
      "the specified block is available and the transaction is in that block.\n\n" +
      "Hint: Use gettransaction for wallet transactions.\n\n" +
      "If verbosity is 0 or omitted, returns the serialized transaction as a hex-encoded string.\n" +
      "If verbosity is 1, returns a JSON Object with information about the transaction.\n" +
      "If verbosity is 2, returns a JSON Object with information about the transaction, including fee and prevout information.",
    args: [
      { names: "txid", type: "str_hex", description: "The transaction id" },
      {
        names: "verbosity|verbose",
        type: "num",
        default: 0,
        skipTypeCheck: true,
        description:
          "0 for hex-encoded data, 1 for a JSON object, and 2 for JSON object with fee and prevout",
      },
      {
        names: "blockhash",
        type: "str_hex",
        optional: true,
        description: "The block in which to look for the transaction",
      },
    ],
    results: getRawTransactionResults(),
    examples: helpExampleCli("getrawtransaction", '"mytxid"') +
      helpExampleCli("getrawtransaction", '"mytxid" 1') +
      helpExampleRpc("getrawtransaction", '"mytxid", 1') +
      helpExampleCli("getrawtransaction", '"mytxid" 0 "myblockhash"') +
      helpExampleCli("getrawtransaction", '"mytxid" 1 "myblockhash"') +
      helpExampleCli("getrawtransaction", '"mytxid" 2 "myblockhash"'),
    handler: (call) => {
      const context = call.context;
      const txid = parseHashV(call.params[0], "parameter 1");
      if (bytesEqual(txid, context.params.genesis.merkleRoot)) {
        throw new RpcError(
          RPC_ERROR.INVALID_ADDRESS_OR_KEY,
          "The genesis block coinbase is not considered an ordinary transaction and cannot be retrieved",
        );
      }
      const verbosityArg = call.maybeArg(1);
      const verbosity = verbosityArg === undefined
        ? 0
        : typeof verbosityArg === "boolean"
        ? (verbosityArg ? 1 : 0)
        : getInt(verbosityArg);
      let blockEntry: BlockIndexEntry | undefined;
      const blockHashArg = call.maybeArg(2);
      if (blockHashArg !== undefined) {
        blockEntry = context.chain.lookupBlockIndex(parseHashV(blockHashArg, "parameter 3"));
        if (!blockEntry) {
          throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, "Block hash not found");
        }
      }
      const found = lookupTransaction(context, txid, blockEntry);
      if (!found) {
        let message: string;
        if (blockEntry) {
          if ((blockEntry.status & BlockStatus.HAVE_DATA) === 0) {
            throw new RpcError(RPC_ERROR.MISC_ERROR, "Block not available");
          }
          message = "No such transaction found in the provided block";
        } else if (!extrasOf(context).txIndexLookup) {
          message =
            "No such mempool transaction. Use -txindex or provide a block hash to enable blockchain transaction queries";
        } else {
          message = "No such mempool or blockchain transaction";
        }
        throw new RpcError(
          RPC_ERROR.INVALID_ADDRESS_OR_KEY,
          `${message}. Use gettransaction for wallet transactions.`,
        );
      }
      if (verbosity <= 0) return bytesToHex(found.tx.toBytes());
      const result: JsonObject = {};
      if (blockEntry) result.in_active_chain = context.chain.contains(blockEntry);
      let spentCoins: readonly Coin[] | undefined;
      if (
        verbosity >= 2 && found.block && found.index !== undefined && found.index > 0 &&
        !found.tx.isCoinBase()
      ) {
        try {
          spentCoins = context.chain.readUndo(found.block)?.txUndo[found.index - 1];
        } catch {
          spentCoins = undefined;
        }
      }
      Object.assign(
        result,
        txToJson(found.tx, {
          ...scriptOptions(context),
          includeHex: true,
          spentCoins,
          detail: "details_and_prevout",
        }),
      );
      if (found.block) {
        result.blockhash = found.block.hashHex;
        if (context.chain.contains(found.block)) {
          result.confirmations = 1 + context.chain.height - found.block.height;
          result.time = found.block.time;
          result.blocktime = found.block.time;
        } else {
          result.confirmations = 0;
        }
      }
      return result;
    },
  };
}

/** `GetTransaction`: in a given block, else the mempool, else the tx index. */
function lookupTransaction(
  context: NodeContext,
  txid: Uint8Array,
  blockEntry: BlockIndexEntry | undefined,
): FoundTransaction | undefined {
  if (blockEntry) return findInBlock(context, blockEntry, txid);
  const extras = extrasOf(context);
  const txidHex = hashToHex(txid);
  const pooled = extras.mempoolTransaction?.(txidHex);
  if (pooled) return { tx: pooled };
  const indexed = extras.txIndexLookup?.(txidHex);
  if (!indexed) return undefined;
  const entry = context.chain.lookupBlockIndex(indexed.blockHash);
  return entry ? findInBlock(context, entry, txid) ?? { tx: indexed.tx } : { tx: indexed.tx };
}

/** The raw-transaction methods of this folder. */
export function rawTransactionMethods(): RpcMethod<NodeContext>[] {
  return [
    getRawTransactionMethod(),
    createRawTransactionMethod(),
    decodeRawTransactionMethod(),
    decodeScriptMethod(),
  ];
}

/** Decodes a hex transaction argument or throws freicoind's -22 "TX decode failed". */
export function decodeTxArg(
  value: JsonValue | undefined,
  message = "TX decode failed",
): Transaction {
  const tx = decodeHexTx(getStr(value));
  if (!tx) throw new RpcError(RPC_ERROR.DESERIALIZATION_ERROR, message);
  return tx;
}
