/**
 * createrawtransaction (rpc/rawtransaction.cpp, rawtransaction_util.cpp) with Freicoin's
 * `lockheight` at position 3 (0 or -1 meaning the next block's height) and `destroy` outputs
 * (an OP_RETURN output carrying value, merged with a `data` output when both are given).
 *
 * @module
 */
import {
  amountFromJson,
  firstDuplicateKey,
  getArray,
  getBool,
  getInt,
  getInt64,
  getObject,
  helpExampleCli,
  helpExampleRpc,
  isJsonObject,
  type JsonValue,
  RPC_ERROR,
  type RpcArg,
  RpcError,
  type RpcMethod,
} from "../../../rpc/mod.ts";
import { decodeDestination, scriptForDestination } from "../../../kernel/address/mod.ts";
import { bytesToHex } from "../../../kernel/encoding/mod.ts";
import { OutPoint, Transaction, TxIn, TxOut } from "../../../kernel/primitives/mod.ts";
import type { NodeContext } from "../node_context.ts";
import { findValue, parseHashO, parseHexV } from "./rpc_parse.ts";
import { CURRENCY_UNIT } from "./tx_json.ts";

import { pushData } from "../../../kernel/script/mod.ts";
import { objectEntries } from "./rpc_parse.ts";
/** nSequence that signals BIP125 replaceability (`MAX_BIP125_RBF_SEQUENCE`). */
const MAX_BIP125_RBF_SEQUENCE = 0xfffffffd;
const MAX_SEQUENCE_NONFINAL = 0xfffffffe;
const SEQUENCE_FINAL = 0xffffffff;
const LOCKTIME_MAX = 0xffffffff;
const OP_RETURN = 0x6a;

/** Script-writing options of a node context. */
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
  if (outputsArg instanceof Map) return objectEntries(outputsArg);
  if (isJsonObject(outputsArg)) {
    // UniValue keeps repeated keys; our objects keep the first value and remember the repeat,
    // which is then met again after the others (freicoind rejects it there).
    const pairs = objectEntries(outputsArg);
    const repeated = firstDuplicateKey(outputsArg);
    if (repeated !== undefined) pairs.push([repeated, outputsArg[repeated]!]);
    return pairs;
  }
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
  const push = pushData(data);
  const out = new Uint8Array(1 + push.length);
  out[0] = OP_RETURN;
  out.set(push, 1);
  return out;
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

/** createrawtransaction. */
export function constructTransactionMethods(): RpcMethod<NodeContext>[] {
  return [createRawTransactionMethod()];
}
