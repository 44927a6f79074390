/**
 * signrawtransactionwithkey (with Freicoin's prevtxs `refheight` and `value`) and
 * combinerawtransaction (transactions must share their lock_height).
 *
 * @module
 */
import {
  amountFromJson,
  getArray,
  getInt,
  getInt64,
  getStr,
  helpExampleCli,
  helpExampleRpc,
  isJsonObject,
  type JsonObject,
  type JsonTypeName,
  jsonTypeName,
  type JsonValue,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
} from "../../../rpc/mod.ts";
import {
  scriptForDestination,
  witnessV0LongHashOf,
  witnessV0ShortHashOf,
} from "../../../kernel/address/mod.ts";
import type { Coin } from "../../../kernel/consensus/mod.ts";
import { bytesEqual, bytesToHex, hashToHex } from "../../../kernel/encoding/mod.ts";
import { hash160 } from "../../../kernel/hash/mod.ts";
import { decodeSecret } from "../../../kernel/keys/mod.ts";
import { OutPoint, type TxIn, TxOut } from "../../../kernel/primitives/mod.ts";
import { disassemble, isPayToScriptHash, witnessProgram } from "../../../kernel/script/mod.ts";
import type { NodeContext } from "../node_context.ts";
import { extrasOf, secpOf } from "./node_rpc_extras.ts";
import { decodeHexTx, findValue, parseHashO, parseHexV } from "./rpc_parse.ts";
import {
  dataFromTransaction,
  mergeOnlyCreator,
  produceSignature,
  SigningProvider,
  signTransaction,
  UNKNOWN_VALUE,
  updateInput,
  withInputs,
} from "./sign_transaction.ts";
import { TransactionSignatureChecker } from "../../../kernel/script/mod.ts";

function outpointKey(outpoint: OutPoint): string {
  return `${bytesToHex(outpoint.hash)}:${outpoint.n}`;
}

function inputKey(input: TxIn): string {
  return outpointKey(input.prevout);
}

/** `FindCoins`: each prevout's coin from the UTXO set or the mempool. */
function findCoins(context: NodeContext, inputs: readonly TxIn[]): Map<string, Coin> {
  const coins = new Map<string, Coin>();
  const extras = extrasOf(context);
  for (const input of inputs) {
    const coin = context.chain.getCoin(input.prevout) ?? extras.mempoolCoin?.(input.prevout);
    if (coin) coins.set(inputKey(input), coin);
  }
  return coins;
}

/** `RPCTypeCheckObj`: required keys with types (checked in key order, as std::map iterates). */
function typeCheckObject(
  object: JsonValue,
  expected: Record<string, JsonTypeName>,
  allowNull = false,
): void {
  for (const key of Object.keys(expected).sort()) {
    const value = findValue(object, key);
    const type = value === undefined ? "null" : jsonTypeName(value);
    if (!allowNull && type === "null") {
      throw new RpcError(RPC_ERROR.TYPE_ERROR, `Missing ${key}`);
    }
    if (type !== expected[key] && !(allowNull && type === "null")) {
      throw new RpcError(
        RPC_ERROR.TYPE_ERROR,
        `JSON value of type ${type} for field ${key} is not of expected type ${expected[key]}`,
      );
    }
  }
}

/** `ParsePrevouts`: adds the given previous outputs (and their scripts) to coins and keystore. */
function parsePrevouts(
  prevtxs: JsonValue | undefined,
  provider: SigningProvider | undefined,
  coins: Map<string, Coin>,
): void {
  if (prevtxs === undefined || prevtxs === null) return;
  for (const item of getArray(prevtxs)) {
    if (!(isJsonObject(item) || item instanceof Map)) {
      throw new RpcError(
        RPC_ERROR.DESERIALIZATION_ERROR,
        `expected object with {"txid'","vout","refheight","scriptPubKey"}`,
      );
    }
    typeCheckObject(item, {
      txid: "string",
      vout: "number",
      refheight: "number",
      scriptPubKey: "string",
    });
    const txid = parseHashO(item, "txid");
    const vout = getInt(findValue(item, "vout"));
    if (vout < 0) throw new RpcError(RPC_ERROR.DESERIALIZATION_ERROR, "vout cannot be negative");
    const refheight = getInt64(findValue(item, "refheight"));
    if (refheight < 0n) {
      throw new RpcError(RPC_ERROR.DESERIALIZATION_ERROR, "refheight cannot be negative");
    }
    if (refheight > 0xffffffffn) {
      throw new RpcError(RPC_ERROR.DESERIALIZATION_ERROR, "refheight cannot exceed 2^32");
    }
    const outpoint = new OutPoint(txid, vout);
    const scriptPubKey = parseHexV(findValue(item, "scriptPubKey"), "scriptPubKey");
    const key = outpointKey(outpoint);
    const existing = coins.get(key);
    if (existing) {
      if (!bytesEqual(existing.output.scriptPubKey, scriptPubKey)) {
        throw new RpcError(
          RPC_ERROR.DESERIALIZATION_ERROR,
          `Previous output scriptPubKey mismatch:\n${
            disassemble(existing.output.scriptPubKey)
          }\nvs:\n${disassemble(scriptPubKey)}`,
        );
      }
      if (BigInt(existing.refheight) !== refheight) {
        throw new RpcError(
          RPC_ERROR.DESERIALIZATION_ERROR,
          `Previous output refheight mismatch: ${existing.refheight} != ${refheight}`,
        );
      }
    }
    const valueArg = findValue(item, "value");
    const value = valueArg === undefined ? UNKNOWN_VALUE : amountFromJson(valueArg);
    coins.set(key, {
      output: new TxOut(value, scriptPubKey),
      height: 1,
      isCoinBase: false,
      refheight: Number(refheight),
    });
    if (provider) addPrevoutScripts(item, scriptPubKey, provider);
  }
}

/** The redeem/witness script part of `ParsePrevouts`. */
function addPrevoutScripts(
  item: JsonValue,
  scriptPubKey: Uint8Array,
  provider: SigningProvider,
): void {
  const isP2sh = isPayToScriptHash(scriptPubKey);
  const program = witnessProgram(scriptPubKey);
  const isP2wsh = program !== null && program.version === 0 &&
    (program.program.length === 20 || program.program.length === 32);
  if (!isP2sh && !isP2wsh) return;
  typeCheckObject(item, { redeemScript: "string", witnessScript: "string" }, true);
  const rs = findValue(item, "redeemScript");
  const ws = findValue(item, "witnessScript");
  const hasRs = rs !== undefined && rs !== null;
  const hasWs = ws !== undefined && ws !== null;
  if (!hasRs && !hasWs) {
    throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Missing redeemScript/witnessScript");
  }
  let script: Uint8Array;
  if (hasWs) {
    const entry = parseHexV(ws, "witnessScript");
    if (entry.length === 0 || entry[0] !== 0x00) {
      throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Unrecognized witnessScript version");
    }
    provider.addWitnessScript(entry);
    script = entry.subarray(1);
    provider.addScript(script);
  } else {
    script = parseHexV(rs, "redeemScript");
    provider.addScript(script);
    provider.addWitnessScript(Uint8Array.of(0, ...script));
  }
  const shortScript = scriptForDestination(witnessV0ShortHashOf(0, script));
  const longScript = scriptForDestination(witnessV0LongHashOf(0, script));
  provider.addScript(longScript);
  provider.addScript(shortScript);
  if (hasWs && hasRs) {
    const redeem = parseHexV(rs, "redeemScript");
    if (
      !bytesEqual(redeem, script) && !bytesEqual(redeem, shortScript) &&
      !bytesEqual(redeem, longScript)
    ) {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        "redeemScript does not correspond to witnessScript",
      );
    }
  }
  const matches = isP2sh
    ? bytesEqual(scriptPubKey, p2shScript(script))
    : bytesEqual(scriptPubKey, shortScript) || bytesEqual(scriptPubKey, longScript);
  if (!matches) {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      "redeemScript/witnessScript does not match scriptPubKey",
    );
  }
}

function p2shScript(script: Uint8Array): Uint8Array {
  return Uint8Array.of(0xa9, 0x14, ...hash160(script), 0x87);
}

const SIGHASH_TYPES: Record<string, number> = {
  "DEFAULT": 0,
  "ALL": 1,
  "ALL|ANYONECANPAY": 0x81,
  "NONE": 2,
  "NONE|ANYONECANPAY": 0x82,
  "SINGLE": 3,
  "SINGLE|ANYONECANPAY": 0x83,
};

/** `ParseSighashString`: null means DEFAULT, which signs as ALL. */
function parseSighash(value: JsonValue | undefined): number {
  if (value === undefined || value === null) return 0;
  const text = getStr(value);
  const type = SIGHASH_TYPES[text];
  if (type === undefined) {
    throw new RpcError(RPC_ERROR.INVALID_PARAMETER, `'${text}' is not a valid sighash parameter.`);
  }
  return type;
}

function coinDescription(coin: Coin): string {
  const value = coin.output.value;
  const whole = value / 100_000_000n;
  const fraction = (value % 100_000_000n).toString().padStart(8, "0");
  return `CTxOut(nValue=${whole}.${fraction}, scriptPubKey=${
    bytesToHex(coin.output.scriptPubKey).slice(0, 30)
  })`;
}

function signRawTransactionWithKeyMethod(): RpcMethod<NodeContext> {
  return {
    name: "signrawtransactionwithkey",
    category: "rawtransactions",
    description: "\nSign inputs for raw transaction (serialized, hex-encoded).\n" +
      "The second argument is an array of base58-encoded private\n" +
      "keys that will be the only keys used to sign the transaction.\n" +
      "The third optional argument (may be null) is an array of previous transaction outputs that\n" +
      "this transaction depends on but may not yet be in the block chain.\n",
    args: [
      { names: "hexstring", type: "str", description: "The transaction hex string" },
      {
        names: "privkeys",
        type: "arr",
        description: "The base58-encoded private keys for signing",
        inner: [{
          names: "privatekey",
          type: "str_hex",
          optional: true,
          description: "private key in base58-encoding",
        }],
      },
      {
        names: "prevtxs",
        type: "arr",
        optional: true,
        description: "The previous dependent transaction outputs",
        inner: [{
          names: "",
          type: "obj",
          optional: true,
          description: "",
          inner: [
            { names: "txid", type: "str_hex", description: "The transaction id" },
            { names: "vout", type: "num", description: "The output number" },
            { names: "scriptPubKey", type: "str_hex", description: "script key" },
            {
              names: "redeemScript",
              type: "str_hex",
              optional: true,
              description: "(required for P2SH) redeem script",
            },
            {
              names: "witnessScript",
              type: "str_hex",
              optional: true,
              description: "(required for P2WSH) witness script",
            },
            {
              names: "value",
              type: "amount",
              optional: true,
              description:
                "(required for Segwit inputs) the amount spent at the reference height of the transaction being spent",
            },
            {
              names: "refheight",
              type: "num",
              optional: true,
              description: "The lockheight of the transaction output being spent",
            },
          ],
        }],
      },
      {
        names: "sighashtype",
        type: "str",
        default: "ALL",
        description: "The signature hash type. Must be one of:\n" +
          '       "DEFAULT"\n' +
          '       "ALL"\n' +
          '       "NONE"\n' +
          '       "SINGLE"\n' +
          '       "ALL|ANYONECANPAY"\n' +
          '       "NONE|ANYONECANPAY"\n' +
          '       "SINGLE|ANYONECANPAY"\n',
      },
    ],
    results: [{
      type: "obj",
      inner: [
        {
          type: "str_hex",
          key: "hex",
          description: "The hex-encoded raw transaction with signature(s)",
        },
        {
          type: "bool",
          key: "complete",
          description: "If the transaction has a complete set of signatures",
        },
        {
          type: "arr",
          key: "errors",
          optional: true,
          description: "Script verification errors (if there are any)",
          inner: [{
            type: "obj",
            inner: [
              {
                type: "str_hex",
                key: "txid",
                description: "The hash of the referenced, previous transaction",
              },
              {
                type: "num",
                key: "vout",
                description: "The index of the output to spent and used as input",
              },
              {
                type: "arr",
                key: "witness",
                description: "",
                inner: [{ type: "str_hex", key: "witness", description: "" }],
              },
              {
                type: "str_hex",
                key: "scriptSig",
                description: "The hex-encoded signature script",
              },
              { type: "num", key: "sequence", description: "Script sequence number" },
              {
                type: "str",
                key: "error",
                description: "Verification or signing error related to the input",
              },
            ],
          }],
        },
      ],
    }],
    examples: helpExampleCli("signrawtransactionwithkey", '"myhex" "[\\"key1\\",\\"key2\\"]"') +
      helpExampleRpc("signrawtransactionwithkey", '"myhex", "[\\"key1\\",\\"key2\\"]"'),
    handler: (call) => {
      const context = call.context;
      const secp = secpOf(context);
      const tx = decodeHexTx(getStr(call.params[0]));
      if (!tx) {
        throw new RpcError(
          RPC_ERROR.DESERIALIZATION_ERROR,
          "TX decode failed. Make sure the tx has at least one input.",
        );
      }
      const provider = new SigningProvider(secp);
      for (const item of getArray(call.params[1])) {
        const key = decodeSecret(getStr(item), context.params.prefixes);
        if (!key) throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, "Invalid private key");
        provider.addKey(key);
      }
      const coins = findCoins(context, tx.inputs);
      parsePrevouts(call.maybeArg(2), provider, coins);
      const hashType = parseSighash(call.maybeArg(3));
      const result = signTransaction(secp, tx, provider, coins, hashType, inputKey);
      const errors: JsonValue[] = [];
      for (const [index, message] of [...result.errors].sort((a, b) => a[0] - b[0])) {
        const input = result.tx.inputs[index];
        if (message === "Missing value") {
          const coin = coins.get(inputKey(input))!;
          throw new RpcError(RPC_ERROR.TYPE_ERROR, `Missing value for ${coinDescription(coin)}`);
        }
        errors.push({
          txid: hashToHex(input.prevout.hash),
          vout: input.prevout.n,
          witness: input.witness.map((w) => bytesToHex(w)),
          scriptSig: bytesToHex(input.scriptSig),
          sequence: input.sequence,
          error: message,
        });
      }
      const answer: JsonObject = {
        hex: bytesToHex(result.tx.toBytes()),
        complete: result.complete,
      };
      if (errors.length > 0) answer.errors = errors;
      return answer;
    },
  };
}

function combineRawTransactionMethod(): RpcMethod<NodeContext> {
  return {
    name: "combinerawtransaction",
    category: "rawtransactions",
    description: "\nCombine multiple partially signed transactions into one transaction.\n" +
      "The combined transaction may be another partially signed transaction or a \n" +
      "fully signed transaction.",
    args: [{
      names: "txs",
      type: "arr",
      description: "The hex strings of partially signed transactions",
      inner: [{
        names: "hexstring",
        type: "str_hex",
        optional: true,
        description: "A hex-encoded raw transaction",
      }],
    }],
    results: [{ type: "str", description: "The hex-encoded raw transaction with signature(s)" }],
    examples: helpExampleCli("combinerawtransaction", `'["myhex1", "myhex2", "myhex3"]'`),
    handler: (call) => {
      const context = call.context;
      const secp = secpOf(context);
      const variants = getArray(call.params[0]).map((item, index) => {
        const tx = decodeHexTx(getStr(item));
        if (!tx) {
          throw new RpcError(
            RPC_ERROR.DESERIALIZATION_ERROR,
            `TX decode failed for tx ${index}. Make sure the tx has at least one input.`,
          );
        }
        return tx;
      });
      if (variants.length === 0) {
        throw new RpcError(RPC_ERROR.DESERIALIZATION_ERROR, "Missing transactions");
      }
      const lockHeight = variants[0].lockHeight;
      if (variants.some((tx) => tx.lockHeight !== lockHeight)) {
        throw new RpcError(
          RPC_ERROR.INVALID_PARAMETER,
          "Provided transactions have incompatible lock_height fields",
        );
      }
      const merged = variants[0];
      const coins = findCoins(context, merged.inputs);
      const inputs = [...merged.inputs];
      const provider = new SigningProvider(secp);
      for (let i = 0; i < inputs.length; i++) {
        const coin = coins.get(inputKey(inputs[i]));
        if (!coin) {
          throw new RpcError(RPC_ERROR.VERIFY_ERROR, "Input not found or already spent");
        }
        const current = withInputs(merged, inputs);
        const sigdata = dataFromTransaction(secp, current, i, coin);
        for (const variant of variants) {
          if (variant.inputs.length > i) {
            sigdata.merge(dataFromTransaction(secp, variant, i, coin));
          }
        }
        const checker = new TransactionSignatureChecker(secp, current, i, coin.output.value, 1);
        produceSignature(provider, mergeOnlyCreator(checker), coin.output.scriptPubKey, sigdata);
        inputs[i] = updateInput(inputs[i], sigdata);
      }
      return bytesToHex(withInputs(merged, inputs).toBytes());
    },
  };
}

/** signrawtransactionwithkey and combinerawtransaction. */
export function signMethods(): RpcMethod<NodeContext>[] {
  return [combineRawTransactionMethod(), signRawTransactionWithKeyMethod()];
}
