/**
 * The `send` RPC (`src/wallet/rpc/spend.cpp send`): outputs as `[{address: amount}, {"data":
 * hex}, {"destroy": amount}]`, options for inputs, change, fees, lock_height and whether to
 * add the result to the wallet.
 *
 * @module
 */
import { decodeDestination, scriptForDestination } from "../../../kernel/address/mod.ts";
import { bytesToHex, concatBytes, hexToBytes, isHex } from "../../../kernel/encoding/mod.ts";
import { OutPoint, Transaction, TxIn, TxOut } from "../../../kernel/primitives/mod.ts";
import { pushData } from "../../../kernel/script/mod.ts";
import {
  amountFromJson,
  getArray,
  getBool,
  getInt,
  getObject,
  getStr,
  helpExampleCli,
  isJsonObject,
  type JsonObject,
  type JsonTypeName,
  jsonTypeName,
  type JsonValue,
  RPC_ERROR,
  type RpcArg,
  RpcError,
  type RpcMethod,
} from "../../../rpc/mod.ts";
import {
  antiFeeSnipingLockTime,
  type CoinControl,
  createTransaction,
  CreateTransactionError,
  dummySignedVsize,
  dustThreshold,
  feeForSize,
  inputVsize,
  MAX_BIP125_RBF_SEQUENCE,
  type Recipient,
  walletFeeRate,
} from "../create_transaction.ts";
import { availableCoins } from "../balances.ts";
import { signTransaction } from "../signer.ts";
import type { Wallet } from "../wallet.ts";
import type { WalletLoaderService } from "../wallet_loader.ts";
import { ensureUnlocked, parseHash, withWallet } from "./_util.ts";
import { commitTransaction, feeRateFromSatPerVb } from "./spend_methods.ts";
import { finishTransaction, fundingErrorText } from "./pst_methods.ts";
import { FUND_TX_DOC } from "./fund_tx_doc.ts";

type Method = RpcMethod<WalletLoaderService>;

const OP_RETURN = 0x6a;

/** Outputs as `[key, value]` pairs in order (`NormalizeOutputs`). */
export function normalizeOutputs(value: JsonValue | undefined): [string, JsonValue][] {
  if (isJsonObject(value)) {
    return Object.entries(value).filter(([, v]) => v !== undefined) as [string, JsonValue][];
  }
  const pairs: [string, JsonValue][] = [];
  for (const item of getArray(value)) {
    if (!isJsonObject(item)) {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        "Invalid parameter, key-value pair not an object as expected",
      );
    }
    const entries = Object.entries(item);
    if (entries.length !== 1) {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        "Invalid parameter, key-value pair must contain exactly one key",
      );
    }
    pairs.push(entries[0] as [string, JsonValue]);
  }
  return pairs;
}

/** The recipients of normalized outputs (`ParseOutputs`, with Freicoin's `destroy`). */
export function parseOutputs(
  wallet: Wallet,
  pairs: [string, JsonValue][],
  subtractFrom: Set<string>,
): Recipient[] {
  const recipients: Recipient[] = [];
  const seen = new Set<string>();
  let data: Uint8Array | null = null;
  let destroy: bigint | null = null;
  for (const [key, value] of pairs) {
    if (key === "data") {
      if (data !== null) {
        throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Invalid parameter, duplicate key: data");
      }
      const text = getStr(value);
      if (!isHex(text)) {
        throw new RpcError(
          RPC_ERROR.INVALID_PARAMETER,
          `Data must be hexadecimal string (not '${text}')`,
        );
      }
      data = hexToBytes(text);
      continue;
    }
    if (key === "destroy") {
      if (destroy !== null) {
        throw new RpcError(
          RPC_ERROR.INVALID_PARAMETER,
          "Invalid parameter, duplicate key: destroy",
        );
      }
      destroy = amountFromJson(value);
      continue;
    }
    const decoded = decodeDestination(key, wallet.options.prefixes);
    if (!decoded.ok) {
      throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, `Invalid Freicoin address: ${key}`);
    }
    if (seen.has(key)) {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        `Invalid parameter, duplicated address: ${key}`,
      );
    }
    seen.add(key);
    recipients.push({
      script: scriptForDestination(decoded.destination),
      value: amountFromJson(value),
      subtractFee: subtractFrom.has(key),
    });
  }
  if (data !== null || destroy !== null) {
    // A data output and a destroy output merge into one OP_RETURN output carrying the value.
    const script = data === null
      ? Uint8Array.of(OP_RETURN)
      : concatBytes(Uint8Array.of(OP_RETURN), pushData(data));
    recipients.push({ script, value: destroy ?? 0n, subtractFee: false });
  }
  return recipients;
}

/**
 * `send`'s own options; each may also be passed as a named parameter, so
 * `send outputs=… change_position=0` works as in freicoind.
 */
const SEND_OPTIONS: RpcArg[] = [
  {
    names: "add_inputs",
    type: "bool",
    defaultHint: 'false when "inputs" are specified, true otherwise',
    description: "Automatically include coins from the wallet to cover the target amount.\n",
  },
  {
    names: "include_unsafe",
    type: "bool",
    default: false,
    description:
      "Include inputs that are not safe to spend (unconfirmed transactions from outside keys and unconfirmed replacement transactions).\n" +
      "Warning: the resulting transaction may become invalid if one of the unsafe inputs disappears.\n" +
      "If that happens, you will need to fund the transaction with different inputs and republish it.",
  },
  {
    names: "minconf",
    type: "num",
    default: 0,
    description:
      "If add_inputs is specified, require inputs with at least this many confirmations.",
  },
  {
    names: "maxconf",
    type: "num",
    optional: true,
    description: "If add_inputs is specified, require inputs with at most this many confirmations.",
  },
  {
    names: "add_to_wallet",
    type: "bool",
    default: true,
    description:
      "When false, returns a serialized transaction which will not be added to the wallet or broadcast",
  },
  {
    names: "change_address",
    type: "str",
    defaultHint: "automatic",
    description: "The freicoin address to receive the change",
  },
  {
    names: "change_position",
    type: "num",
    defaultHint: "random",
    description: "The index of the change output",
  },
  {
    names: "change_type",
    type: "str",
    defaultHint: "set by -changetype",
    description:
      'The output type to use. Only valid if change_address is not specified. Options are "legacy", or "bech32".',
  },
  {
    names: "fee_rate",
    type: "amount",
    defaultHint: "not set, fall back to wallet fee estimation",
    description: "Specify a fee rate in sat/vB.",
    alsoPositional: true,
  },
  {
    names: "include_watching",
    type: "bool",
    defaultHint: "true for watch-only wallets, otherwise false",
    description: "Also select inputs which are watch only.\n" +
      "Only solvable inputs can be used. Watch-only destinations are solvable if the public key and/or output script was imported,\n" +
      "e.g. with 'importpubkey' or 'importmulti' with the 'pubkeys' or 'desc' field.",
  },
  {
    names: "inputs",
    type: "arr",
    default: [],
    description:
      "Specify inputs instead of adding them automatically. A JSON array of JSON objects",
    inner: [
      { names: "txid", type: "str_hex", description: "The transaction id" },
      { names: "vout", type: "num", description: "The output number" },
      { names: "sequence", type: "num", description: "The sequence number" },
      {
        names: "weight",
        type: "num",
        defaultHint: "Calculated from wallet and solving data",
        description: "The maximum weight for this input, " +
          "including the weight of the outpoint and sequence number. " +
          "Note that signature sizes are not guaranteed to be consistent, " +
          "so the maximum DER signatures size of 73 bytes should be used when considering ECDSA signatures." +
          "Remember to convert serialized sizes to weight units when necessary.",
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
    names: "lock_unspents",
    type: "bool",
    default: false,
    description: "Lock selected unspent outputs",
  },
  {
    names: "pst",
    type: "bool",
    defaultHint: "automatic",
    description: "Always return a PST, implies add_to_wallet=false.",
  },
  {
    names: "subtract_fee_from_outputs",
    type: "arr",
    default: [],
    description: "Outputs to subtract the fee from, specified as integer indices.\n" +
      "The fee will be equally deducted from the amount of each specified output.\n" +
      "Those recipients will receive less freicoins than you enter in their corresponding amount field.\n" +
      "If no outputs are specified here, the sender pays the fee.",
    inner: [{
      names: "vout_index",
      type: "num",
      optional: true,
      description: "The zero-based output index, before a change output is added.",
    }],
  },
];

/** The camelCase spellings `send` refuses, with the name to use instead (`PreventOutdatedOptions`). */
const OUTDATED_OPTIONS: [string, string][] = [
  ["feeRate", "fee_rate (sat/vB)"],
  ["changeAddress", "change_address"],
  ["changePosition", "change_position"],
  ["includeWatching", "include_watching"],
  ["lockUnspents", "lock_unspents"],
  ["subtractFeeFromOutputs", "subtract_fee_from_outputs"],
];

/** Throws freicoind's -8 "Use X instead of Y" for an outdated option name. */
export function preventOutdatedOptions(options: JsonObject): void {
  for (const [old, replacement] of OUTDATED_OPTIONS) {
    if (options[old] !== undefined) {
      throw new RpcError(RPC_ERROR.INVALID_PARAMETER, `Use ${replacement} instead of ${old}`);
    }
  }
}

/** The options FundTransaction knows, with the JSON type each must have (null: any). */
const FUND_OPTION_TYPES: Record<string, JsonTypeName | null> = {
  add_inputs: "bool",
  include_unsafe: "bool",
  add_to_wallet: "bool",
  changeAddress: "string",
  change_address: "string",
  changePosition: "number",
  change_position: "number",
  change_type: "string",
  includeWatching: "bool",
  include_watching: "bool",
  inputs: "array",
  lockUnspents: "bool",
  lock_unspents: "bool",
  locktime: "number",
  lockheight: "number",
  fee_rate: null,
  feeRate: null,
  pst: "bool",
  solving_data: "object",
  subtractFeeFromOutputs: "array",
  subtract_fee_from_outputs: "array",
  replaceable: "bool",
  conf_target: "number",
  estimate_mode: "string",
  minconf: "number",
  maxconf: "number",
  input_weights: "array",
};

/**
 * FundTransaction's strict `RPCTypeCheckObj`: a known option of the wrong JSON type, or an
 * unknown option, is a -3 error. Null values pass.
 */
export function checkSendOptionTypes(options: JsonObject): void {
  for (const [key, expected] of Object.entries(FUND_OPTION_TYPES)) {
    const actual = jsonTypeName(options[key]);
    if (expected !== null && actual !== "null" && actual !== expected) {
      throw new RpcError(
        RPC_ERROR.TYPE_ERROR,
        `JSON value of type ${actual} for field ${key} is not of expected type ${expected}`,
      );
    }
  }
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(FUND_OPTION_TYPES, key)) {
      throw new RpcError(RPC_ERROR.TYPE_ERROR, `Unexpected key ${key}`);
    }
  }
}

function send(): Method {
  return {
    name: "send",
    category: "wallet",
    description:
      "\nEXPERIMENTAL warning: this call may be changed in future releases.\n\nSend a transaction.\n",
    args: [
      {
        names: "outputs",
        type: "arr",
        description:
          "The outputs specified as key-value pairs.\nEach key may only appear once, i.e. there can only be one 'data' output, and no address may be duplicated.\nAt least one output of either type must be specified.\nFor convenience, a dictionary, which holds the key-value pairs directly, is also accepted.",
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
                "A key-value pair. The key (string) is the freicoin address, the value (float or string) is the amount in FRC",
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
              description:
                'A key-value pair. The key must be "data", the value is hex-encoded data',
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
              description:
                'A key-value pair. The key must be "destroy", the value is the amount to be destroyed',
            }],
          },
        ],
      },
      {
        names: "conf_target",
        type: "num",
        defaultHint: "wallet -txconfirmtarget",
        description: "Confirmation target in blocks",
      },
      {
        names: "estimate_mode",
        type: "str",
        default: "unset",
        description:
          'The fee estimate mode, must be one of (case insensitive):\n"unset"\n"economical"\n"conservative"',
      },
      {
        names: "fee_rate",
        type: "amount",
        defaultHint: "not set, falls back to wallet fee estimation",
        description: "Specify a fee rate in sat/vB.",
      },
      {
        names: "options",
        type: "obj_named_params",
        optional: true,
        description: "",
        onelineDescription: "options",
        inner: [...SEND_OPTIONS, ...FUND_TX_DOC],
      },
    ],
    results: [{ type: "obj", inner: [{ type: "bool", key: "complete" }] }],
    examples: helpExampleCli("send", "'{\"fcrt1q...\": 0.1}'"),
    handler: (call) =>
      withWallet(call, async (wallet) => {
        ensureUnlocked(wallet);
        const options: JsonObject = call.maybeArg(4) !== undefined ? getObject(call.arg(4)) : {};
        // finishTransaction signs through the PST, so a watch-only wallet still gets its PST.
        const control: CoinControl = { sign: false };
        const confTarget = call.maybeArg(1) ?? options.conf_target;
        const estimateMode = call.maybeArg(2) ?? options.estimate_mode;
        const feeRate = call.maybeArg(3) ?? options.fee_rate;
        if (call.maybeArg(1) !== undefined && options.conf_target !== undefined) {
          throw new RpcError(
            RPC_ERROR.INVALID_PARAMETER,
            "Pass conf_target and estimate_mode either as arguments or in the options object, but not both",
          );
        }
        if (call.maybeArg(3) !== undefined && options.fee_rate !== undefined) {
          throw new RpcError(
            RPC_ERROR.INVALID_PARAMETER,
            "Pass the fee_rate either as an argument, or in the options object, but not both",
          );
        }
        // freicoind rejects renamed and unknown options before it looks at the fee settings.
        preventOutdatedOptions(options);
        checkSendOptionTypes(options);
        if (feeRate !== undefined && feeRate !== null) {
          if (confTarget !== undefined && confTarget !== null) {
            throw new RpcError(
              RPC_ERROR.INVALID_PARAMETER,
              "Cannot specify both conf_target and fee_rate. Please provide either a confirmation target in blocks for automatic fee estimation, or an explicit fee rate.",
            );
          }
          control.feeRate = feeRateFromSatPerVb(feeRate);
        } else if (confTarget !== undefined && confTarget !== null) {
          const blocks = getInt(confTarget);
          if (blocks < 1 || blocks > 1008) {
            throw new RpcError(
              RPC_ERROR.INVALID_PARAMETER,
              "Invalid conf_target, must be between 1 and 1008",
            );
          }
          control.confirmTarget = blocks;
        }
        void estimateMode;
        const pairs = normalizeOutputs(call.arg(0));
        const subtract = new Set<string>();
        if (options.subtract_fee_from_outputs !== undefined) {
          for (const position of getArray(options.subtract_fee_from_outputs)) {
            const index = getInt(position);
            if (index < 0 || index >= pairs.length) {
              throw new RpcError(
                RPC_ERROR.INVALID_PARAMETER,
                `Invalid parameter 'subtract_fee_from_outputs', position too large: ${index}`,
              );
            }
            subtract.add(pairs[index][0]);
          }
        }
        const recipients = parseOutputs(wallet, pairs, subtract);
        if (recipients.length === 0) {
          throw new RpcError(
            RPC_ERROR.INVALID_PARAMETER,
            "Invalid parameter, must have at least one output",
          );
        }
        if (options.inputs !== undefined) {
          control.selected = getArray(options.inputs).map((item) => {
            const o = getObject(item);
            return new OutPoint(parseHash(o.txid, "txid"), getInt(o.vout));
          });
          control.onlySelected = options.add_inputs === undefined
            ? control.selected.length > 0
            : !getBool(options.add_inputs);
        } else if (options.add_inputs !== undefined) {
          control.onlySelected = !getBool(options.add_inputs);
        }
        if (options.change_address !== undefined) {
          const decoded = decodeDestination(
            getStr(options.change_address),
            wallet.options.prefixes,
          );
          if (!decoded.ok) {
            throw new RpcError(
              RPC_ERROR.INVALID_ADDRESS_OR_KEY,
              "Change address must be a valid freicoin address",
            );
          }
          control.changeScript = scriptForDestination(decoded.destination);
        }
        if (options.change_position !== undefined) {
          control.changePosition = getInt(
            options.change_position,
          );
        }
        if (options.change_type !== undefined) {
          const type = getStr(options.change_type);
          if (type !== "legacy" && type !== "bech32") {
            throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, `Unknown change type '${type}'`);
          }
          control.changeType = type;
        }
        if (options.include_unsafe !== undefined) {
          control.includeUnsafe = getBool(
            options.include_unsafe,
          );
        }
        if (options.replaceable !== undefined) control.replaceable = getBool(options.replaceable);
        if (options.locktime !== undefined) control.lockTime = getInt(options.locktime);
        if (options.lockheight !== undefined && getInt(options.lockheight) > 0) {
          control.lockHeight = getInt(options.lockheight);
        }
        const pstOptIn = options.pst !== undefined && getBool(options.pst);
        let created;
        try {
          created = await createTransaction(wallet, recipients, control);
        } catch (error) {
          if (error instanceof CreateTransactionError) {
            throw new RpcError(RPC_ERROR.WALLET_ERROR, fundingErrorText(error.message, control));
          }
          throw error;
        }
        if (options.lock_unspents !== undefined && getBool(options.lock_unspents)) {
          for (const input of created.tx.inputs) wallet.setCoinLock(input.prevout, true, false);
        }
        const addToWallet = options.add_to_wallet === undefined
          ? true
          : getBool(options.add_to_wallet);
        return await finishTransaction(wallet, created.tx, { pst: pstOptIn, addToWallet });
      }),
  };
}

function sendAll(): Method {
  return {
    name: "sendall",
    category: "wallet",
    description:
      "EXPERIMENTAL warning: this call may be changed in future releases.\n\nSpend the value of all (or specific) confirmed UTXOs and unconfirmed change in the wallet to one or more recipients.\nUnconfirmed inbound UTXOs and locked UTXOs will not be spent. Sendall will respect the avoid_reuse wallet flag.\nIf your wallet contains many small inputs, either because it received tiny payments or as a result of accumulating change, consider using `send_max` to exclude inputs that are worth less than the fees needed to spend them.\n",
    args: [
      {
        names: "recipients",
        type: "arr",
        description:
          "The sendall destinations. Each address may only appear once.\nOptionally some recipients can be specified with an amount to perform payments, but at least one address must appear without a specified amount.\n",
        skipTypeCheck: true,
        inner: [
          {
            names: "address",
            type: "str",
            optional: true,
            description:
              "A freicoin address which receives an equal share of the unspecified amount.",
          },
          {
            names: "",
            type: "obj_user_keys",
            optional: true,
            description: "",
            inner: [{
              names: "address",
              type: "amount",
              description:
                "A key-value pair. The key (string) is the freicoin address, the value (float or string) is the amount in FRC",
            }],
          },
        ],
      },
      {
        names: "conf_target",
        type: "num",
        defaultHint: "wallet -txconfirmtarget",
        description: "Confirmation target in blocks",
      },
      {
        names: "estimate_mode",
        type: "str",
        default: "unset",
        description:
          'The fee estimate mode, must be one of (case insensitive):\n"unset"\n"economical"\n"conservative"',
      },
      {
        names: "fee_rate",
        type: "amount",
        defaultHint: "not set, falls back to wallet fee estimation",
        description: "Specify a fee rate in sat/vB.",
      },
      {
        names: "options",
        type: "obj_named_params",
        optional: true,
        description: "",
        onelineDescription: "options",
        inner: [],
      },
    ],
    results: [{ type: "obj", inner: [{ type: "bool", key: "complete" }] }],
    examples: helpExampleCli("sendall", "'[\"fcrt1q...\"]'"),
    handler: (call) =>
      withWallet(call, async (wallet) => {
        ensureUnlocked(wallet);
        const options: JsonObject = call.maybeArg(4) !== undefined ? getObject(call.arg(4)) : {};
        const control: CoinControl = {};
        const feeRateArg = call.maybeArg(3) ?? options.fee_rate;
        const confTarget = call.maybeArg(1) ?? options.conf_target;
        if (feeRateArg !== undefined && feeRateArg !== null) {
          control.feeRate = feeRateFromSatPerVb(feeRateArg);
        } else if (confTarget !== undefined && confTarget !== null) {
          control.confirmTarget = getInt(confTarget);
        }
        const rate = await walletFeeRate(wallet, control).catch((error: Error) => {
          throw new RpcError(RPC_ERROR.WALLET_ERROR, error.message);
        });
        const lockHeight = options.lockheight !== undefined && getInt(options.lockheight) > 0
          ? getInt(options.lockheight)
          : wallet.tipHeight + 1;
        // Recipients: fixed amounts, and the addresses sharing what is left.
        const fixed: { script: Uint8Array; value: bigint }[] = [];
        const sharing: Uint8Array[] = [];
        const seen = new Set<string>();
        for (const item of getArray(call.arg(0))) {
          const entries: [string, JsonValue | undefined][] = typeof item === "string"
            ? [[item, undefined]]
            : Object.entries(getObject(item)) as [string, JsonValue][];
          for (const [address, value] of entries) {
            const decoded = decodeDestination(address, wallet.options.prefixes);
            if (!decoded.ok) {
              throw new RpcError(
                RPC_ERROR.INVALID_ADDRESS_OR_KEY,
                `Invalid Freicoin address: ${address}`,
              );
            }
            if (seen.has(address)) {
              throw new RpcError(
                RPC_ERROR.INVALID_PARAMETER,
                `Invalid parameter, duplicated address: ${address}`,
              );
            }
            seen.add(address);
            const script = scriptForDestination(decoded.destination);
            if (value === undefined) sharing.push(script);
            else fixed.push({ script, value: amountFromJson(value) });
          }
        }
        if (sharing.length === 0) {
          throw new RpcError(
            RPC_ERROR.INVALID_PARAMETER,
            "Must provide at least one address without a specified amount",
          );
        }
        const sendMax = options.send_max !== undefined && getBool(options.send_max);
        const minDepth = options.minconf !== undefined ? getInt(options.minconf) : 0;
        const maxDepth = options.maxconf !== undefined ? getInt(options.maxconf) : undefined;
        let coins = availableCoins(wallet, { atHeight: lockHeight, minDepth, maxDepth });
        if (options.inputs !== undefined) {
          const wanted = new Set(
            getArray(options.inputs).map((item) => {
              const o = getObject(item);
              return `${bytesToHex(parseHash(o.txid, "txid").slice().reverse())}:${getInt(o.vout)}`;
            }),
          );
          coins = availableCoins(wallet, {
            atHeight: lockHeight,
            includeUnsafe: true,
            includeLocked: true,
          })
            .filter((c) => wanted.has(`${c.wtx.txidHex}:${c.outpoint.n}`));
          if (coins.length !== wanted.size) {
            throw new RpcError(
              RPC_ERROR.INVALID_PARAMETER,
              "Input not available. UTXO is missing from wallet.",
            );
          }
        }
        const sizes: number[] = [];
        const used = coins.filter((coin) => {
          const size = inputVsize(wallet, coin.output.scriptPubKey);
          if (size === null) return false;
          if (sendMax && feeForSize(rate, Math.ceil(size)) > coin.amount) return false;
          sizes.push(size);
          return true;
        });
        if (used.length === 0) {
          throw new RpcError(
            RPC_ERROR.WALLET_INSUFFICIENT_FUNDS,
            "Total value of UTXO pool too low to pay for transaction. Try using lower feerate or excluding uneconomic UTXOs with 'send_max' option.",
          );
        }
        const total = used.reduce((sum, c) => sum + c.amount, 0n);
        const draft = [
          ...fixed.map((f) => new TxOut(f.value, f.script)),
          ...sharing.map((s) => new TxOut(0n, s)),
        ];
        const fee = feeForSize(
          rate,
          dummySignedVsize(
            wallet,
            used.map((c) => ({
              outpoint: c.outpoint,
              coin: { output: c.output, refheight: c.refheight },
            })),
            draft,
          ),
        );
        const fixedSum = fixed.reduce((sum, f) => sum + f.value, 0n);
        const remaining = total - fee - fixedSum;
        if (total - fee < 0n) {
          throw new RpcError(
            RPC_ERROR.WALLET_INSUFFICIENT_FUNDS,
            "Total value of UTXO pool too low to pay for transaction. Try using lower feerate or excluding uneconomic UTXOs with 'send_max' option.",
          );
        }
        if (remaining < 0n) {
          throw new RpcError(
            RPC_ERROR.WALLET_INSUFFICIENT_FUNDS,
            "Assigned more value to outputs than available funds.",
          );
        }
        const share = remaining / BigInt(sharing.length);
        const relay = await wallet.options.chain.relayFees();
        const outputs = [
          ...fixed.map((f) => new TxOut(f.value, f.script)),
          ...sharing.map((s, i) =>
            new TxOut(share + (i === 0 ? remaining % BigInt(sharing.length) : 0n), s)
          ),
        ];
        if (outputs.some((o) => o.value < dustThreshold(o, relay.dust))) {
          throw new RpcError(RPC_ERROR.WALLET_INSUFFICIENT_FUNDS, "Dust amount would be produced.");
        }
        const replaceable = options.replaceable !== undefined
          ? getBool(options.replaceable)
          : wallet.options.walletRbf;
        const lockTime = options.locktime !== undefined
          ? getInt(options.locktime)
          : await antiFeeSnipingLockTime(wallet);
        const unsigned = new Transaction({
          version: 2,
          inputs: used.map((c) =>
            new TxIn({
              prevout: c.outpoint,
              sequence: replaceable ? MAX_BIP125_RBF_SEQUENCE : 0xffffffff,
            })
          ),
          outputs,
          lockTime,
          lockHeight,
        });
        const signed = signTransaction(
          unsigned,
          used.map((c) => ({ output: c.output, refheight: c.refheight })),
          (script) => wallet.ownerOf(script),
          { secp: wallet.options.secp },
        );
        if (!signed.results.every((r) => r.complete)) {
          throw new RpcError(RPC_ERROR.WALLET_ERROR, "Signing transaction failed");
        }
        if (options.lock_unspents !== undefined && getBool(options.lock_unspents)) {
          for (const c of used) wallet.setCoinLock(c.outpoint, true, false);
        }
        const addToWallet = options.add_to_wallet === undefined
          ? true
          : getBool(options.add_to_wallet);
        const result: JsonObject = { txid: signed.tx.txidHex };
        if (addToWallet) await commitTransaction(wallet, signed.tx, null, null);
        else result.hex = bytesToHex(signed.tx.toBytes());
        result.complete = true;
        return result;
      }),
  };
}

/** The send and sendall methods. */
export function sendMethods(): Method[] {
  return [send(), sendAll()];
}
