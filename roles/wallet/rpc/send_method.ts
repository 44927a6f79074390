/**
 * The `send` RPC (`src/wallet/rpc/spend.cpp send`): outputs as `[{address: amount}, {"data":
 * hex}, {"destroy": amount}]`, options for inputs, change, fees, lock_height and whether to
 * add the result to the wallet.
 *
 * @module
 */
import { decodeDestination, scriptForDestination } from "../../../kernel/address/mod.ts";
import { bytesToHex, concatBytes, hexToBytes, isHex } from "../../../kernel/encoding/mod.ts";
import { Transaction, TxIn, TxOut } from "../../../kernel/primitives/mod.ts";
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
  type JsonValue,
  RPC_ERROR,
  type RpcArg,
  RpcError,
  type RpcMethod,
} from "../../../rpc/mod.ts";
import {
  type CoinControl,
  CreateTransactionError,
  dustThreshold,
  feeForSize,
  inputVsize,
  MAX_BIP125_RBF_SEQUENCE,
  maxSignedSize,
  type Recipient,
  type SpendingInput,
  walletFeeRate,
} from "../create_transaction.ts";
import { MAX_STANDARD_TX_WEIGHT } from "../coin_selection/mod.ts";
import { adjustValue, availableCoins } from "../balances.ts";
import type { Wallet } from "../wallet.ts";
import type { WalletLoaderService } from "../wallet_loader.ts";
import { withWallet } from "./_util.ts";
import { finishTransaction } from "./pst_methods.ts";
import {
  ADD_INPUTS_UNLESS_GIVEN,
  FUND_TX_DOC,
  INCLUDE_WATCHING_DESCRIPTION,
  INPUT_ELIGIBILITY_DOC,
  LOCKHEIGHT_DOC,
  LOCKTIME_DOC,
  OUTPUTS_DOC,
  PST_DOC,
} from "./fund_tx_doc.ts";
import {
  applyFundOptions,
  constructInputs,
  fundTransaction,
  inputWeightsOf,
  interpretFeeEstimationInstructions,
  parseIncludeWatchOnly,
  preventOutdatedOptions,
  setFeeEstimateMode,
  subtractFeePositions,
} from "./fund_options.ts";

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
  ADD_INPUTS_UNLESS_GIVEN,
  ...INPUT_ELIGIBILITY_DOC,
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
    description: INCLUDE_WATCHING_DESCRIPTION,
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
  LOCKTIME_DOC,
  LOCKHEIGHT_DOC,
  {
    names: "lock_unspents",
    type: "bool",
    default: false,
    description: "Lock selected unspent outputs",
  },
  PST_DOC,
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

/** The positional fee arguments of send and sendall (conf_target, estimate_mode, fee_rate). */
const FEE_ARGUMENTS: RpcArg[] = [
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
    defaultHint: "not set, fall back to wallet fee estimation",
    description: "Specify a fee rate in sat/vB.",
  },
];

/**
 * The options object of send and sendall with the positional fee arguments moved in
 * (`InterpretFeeEstimationInstructions`) and outdated names refused.
 */
function sendOptions(call: { maybeArg(i: number): JsonValue | undefined }): JsonObject {
  const given = call.maybeArg(4);
  const options: JsonObject = given === undefined ? {} : { ...getObject(given) };
  interpretFeeEstimationInstructions(call.maybeArg(1), call.maybeArg(2), call.maybeArg(3), options);
  preventOutdatedOptions(options);
  return options;
}

function optionalBool(value: JsonValue | undefined, fallback: boolean): boolean {
  return value === undefined || value === null ? fallback : getBool(value);
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
        inner: OUTPUTS_DOC,
      },
      ...FEE_ARGUMENTS,
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
        const options = sendOptions(call);
        const rbf = optionalBool(options.replaceable, wallet.options.walletRbf);
        const pairs = normalizeOutputs(call.arg(0));
        const subtract = new Set(
          [...subtractFeePositions(options.subtract_fee_from_outputs, pairs.map(([k]) => k))]
            .map((i) => pairs[i][0]),
        );
        const recipients = parseOutputs(wallet, pairs, subtract);
        const skeleton = constructInputs(
          options.inputs,
          options.locktime,
          options.lockheight,
          wallet.tipHeight,
          rbf,
        );
        const control: CoinControl = {};
        // Coins are chosen automatically unless inputs are given (add_inputs overrides).
        control.onlySelected = skeleton.inputs.length > 0;
        inputWeightsOf(options.inputs, options);
        const { lockUnspents } = applyFundOptions(
          wallet,
          options,
          recipients.length,
          control,
          false,
        );
        if (recipients.length === 0) {
          throw new RpcError(
            RPC_ERROR.INVALID_PARAMETER,
            "Invalid parameter, must have at least one output",
          );
        }
        const tx = new Transaction({
          version: 2,
          inputs: skeleton.inputs,
          outputs: [],
          lockTime: skeleton.lockTime,
          lockHeight: skeleton.lockHeight,
        });
        const created = await fundTransaction(wallet, tx, recipients, control, lockUnspents);
        return await finishTransaction(wallet, created.tx, {
          pst: optionalBool(options.pst, false),
          addToWallet: optionalBool(options.add_to_wallet, true),
        });
      }),
  };
}

/** sendall's own options (freicoind's list; `FUND_TX_DOC` follows them). */
const SENDALL_OPTIONS: RpcArg[] = [
  {
    names: "add_to_wallet",
    type: "bool",
    default: true,
    description:
      "When false, returns the serialized transaction without broadcasting or adding it to the wallet",
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
    description: "Also select inputs which are watch-only.\n" +
      "Only solvable inputs can be used. Watch-only destinations are solvable if the public key and/or output script was imported,\n" +
      "e.g. with 'importpubkey' or 'importmulti' with the 'pubkeys' or 'desc' field.",
  },
  {
    names: "inputs",
    type: "arr",
    default: [],
    description:
      "Use exactly the specified inputs to build the transaction. Specifying inputs is incompatible with the send_max, minconf, and maxconf options.",
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
  LOCKTIME_DOC,
  {
    names: "lock_unspents",
    type: "bool",
    default: false,
    description: "Lock selected unspent outputs",
  },
  PST_DOC,
  {
    names: "send_max",
    type: "bool",
    default: false,
    description:
      "When true, only use UTXOs that can pay for their own fees to maximize the output amount. When 'false' (default), no UTXO is left behind. send_max is incompatible with providing specific inputs.",
  },
  {
    names: "minconf",
    type: "num",
    default: 0,
    description: "Require inputs with at least this many confirmations.",
  },
  {
    names: "maxconf",
    type: "num",
    optional: true,
    description: "Require inputs with at most this many confirmations.",
  },
];

const TOO_LOW_FOR_FEE =
  "Total value of UTXO pool too low to pay for transaction. Try using lower feerate or excluding uneconomic UTXOs with 'send_max' option.";

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
      ...FEE_ARGUMENTS,
      {
        names: "options",
        type: "obj_named_params",
        optional: true,
        description: "",
        onelineDescription: "options",
        inner: [...SENDALL_OPTIONS, ...FUND_TX_DOC],
      },
    ],
    results: [{ type: "obj", inner: [{ type: "bool", key: "complete" }] }],
    examples: helpExampleCli("sendall", "'[\"fcrt1q...\"]'"),
    handler: (call) =>
      withWallet(call, (wallet) => sendAllHandler(wallet, call.arg(0), sendOptions(call))),
  };
}

/** The recipients of sendall: fixed amounts and the addresses sharing what is left, in order. */
function sendAllRecipients(
  wallet: Wallet,
  value: JsonValue | undefined,
): { outputs: { script: Uint8Array; value: bigint | null; address: string }[] } {
  const outputs: { script: Uint8Array; value: bigint | null; address: string }[] = [];
  const seen = new Set<string>();
  let sharing = 0;
  for (const item of getArray(value)) {
    const entries: [string, JsonValue | null][] = typeof item === "string"
      ? [[item, null]]
      : Object.entries(getObject(item)) as [string, JsonValue][];
    for (const [address, amountValue] of entries) {
      if (amountValue === null) sharing++;
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
      outputs.push({
        script: scriptForDestination(decoded.destination),
        value: amountValue === null ? null : amountFromJson(amountValue),
        address,
      });
    }
  }
  if (sharing === 0) {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      "Must provide at least one address without a specified amount",
    );
  }
  return { outputs };
}

/** sendall (`src/wallet/rpc/spend.cpp sendall`), with freicoind's checks in its order. */
async function sendAllHandler(
  wallet: Wallet,
  recipientsArg: JsonValue | undefined,
  options: JsonObject,
): Promise<JsonValue> {
  // freicoind checks that some address gets the remainder before it parses any address.
  const hasSharing = getArray(recipientsArg).some((r) => typeof r === "string");
  if (!hasSharing) {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      "Must provide at least one address without a specified amount",
    );
  }
  const control: CoinControl = {};
  setFeeEstimateMode(control, options.conf_target, options.estimate_mode, options.fee_rate, false);
  control.allowWatchOnly = parseIncludeWatchOnly(options.include_watching, wallet);
  const hasMinconf = options.minconf !== undefined && options.minconf !== null;
  const hasMaxconf = options.maxconf !== undefined && options.maxconf !== null;
  if (hasMinconf) {
    const minconf = getInt(options.minconf);
    if (minconf < 0) {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        `Invalid minconf (minconf cannot be negative): ${minconf}`,
      );
    }
    control.minDepth = minconf;
  }
  if (hasMaxconf) {
    control.maxDepth = getInt(options.maxconf);
    if (control.maxDepth < (control.minDepth ?? 0)) {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        `maxconf can't be lower than minconf: ${control.maxDepth} < ${control.minDepth ?? 0}`,
      );
    }
  }
  const rbf = optionalBool(options.replaceable, wallet.options.walletRbf);
  let rate: bigint;
  try {
    rate = await walletFeeRate(wallet, control);
  } catch (error) {
    if (!(error instanceof CreateTransactionError)) throw error;
    // A given fee rate below the minimum is a parameter error here, not a wallet error.
    const code = error.message.startsWith("Fee rate (")
      ? RPC_ERROR.INVALID_PARAMETER
      : RPC_ERROR.WALLET_ERROR;
    throw new RpcError(code, error.message);
  }
  const { outputs: wanted } = sendAllRecipients(wallet, recipientsArg);
  const skeleton = constructInputs(
    options.inputs,
    options.locktime,
    options.lockheight,
    wallet.tipHeight,
    rbf,
  );
  const lockHeight = skeleton.lockHeight;
  const sendMax = optionalBool(options.send_max, false);
  const hasInputs = options.inputs !== undefined && options.inputs !== null;
  const spent: SpendingInput[] = [];
  let totalInputValue = 0n;
  if (hasInputs && options.send_max !== undefined && options.send_max !== null) {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      "Cannot combine send_max with specific inputs.",
    );
  } else if (hasInputs && (hasMinconf || hasMaxconf)) {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      "Cannot combine minconf or maxconf with specific inputs.",
    );
  } else if (hasInputs) {
    for (const input of skeleton.inputs) {
      const { prevout } = input;
      // The wallet keys spends by the txid in internal byte order.
      if (wallet.isSpent(`${bytesToHex(prevout.hash)}:${prevout.n}`)) {
        throw new RpcError(
          RPC_ERROR.INVALID_PARAMETER,
          `Input not available. UTXO (${prevout.txid}:${prevout.n}) was already spent.`,
        );
      }
      const prev = wallet.prevOutput(prevout);
      const output = prev?.wtx.tx.outputs[prev.n];
      if (!prev || !output || !wallet.isMine(output.scriptPubKey)) {
        throw new RpcError(
          RPC_ERROR.INVALID_PARAMETER,
          `Input not found. UTXO (${prevout.txid}:${prevout.n}) is not part of wallet.`,
        );
      }
      const refheight = prev.wtx.tx.lockHeight;
      spent.push({ outpoint: prevout, coin: { output, refheight } });
      totalInputValue += adjustValue(wallet, output.value, lockHeight - refheight);
    }
  } else {
    const coins = availableCoins(wallet, {
      atHeight: lockHeight,
      minDepth: control.minDepth ?? 0,
      maxDepth: control.maxDepth,
    });
    for (const coin of coins) {
      const size = inputVsize(wallet, coin.output.scriptPubKey);
      if (size === null) continue; // not solvable: freicoind's AvailableCoins leaves it out
      if (sendMax && feeForSize(rate, size) > coin.amount) continue;
      spent.push({
        outpoint: coin.outpoint,
        coin: { output: coin.output, refheight: coin.refheight },
      });
      skeleton.inputs.push(
        new TxIn({ prevout: coin.outpoint, sequence: rbf ? MAX_BIP125_RBF_SEQUENCE : 0xffffffff }),
      );
      totalInputValue += coin.amount;
    }
  }
  const draftOutputs = wanted.map((w) => new TxOut(w.value ?? 0n, w.script));
  const size = maxSignedSize(wallet, spent, draftOutputs);
  const feeFromSize = feeForSize(rate, size?.vsize ?? 0);
  const effectiveValue = totalInputValue - feeFromSize;
  if (feeFromSize > wallet.options.maxTxFee) {
    throw new RpcError(
      RPC_ERROR.WALLET_ERROR,
      "Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)",
    );
  }
  if (effectiveValue <= 0n) {
    throw new RpcError(
      RPC_ERROR.WALLET_INSUFFICIENT_FUNDS,
      sendMax
        ? "Total value of UTXO pool too low to pay for transaction, try using lower feerate."
        : TOO_LOW_FOR_FEE,
    );
  }
  if ((size?.weight ?? 0) > MAX_STANDARD_TX_WEIGHT) {
    throw new RpcError(RPC_ERROR.WALLET_ERROR, "Transaction too large.");
  }
  const claimed = draftOutputs.reduce((sum, o) => sum + o.value, 0n);
  if (claimed > totalInputValue) {
    throw new RpcError(
      RPC_ERROR.WALLET_INSUFFICIENT_FUNDS,
      "Assigned more value to outputs than available funds.",
    );
  }
  const remainder = effectiveValue - claimed;
  if (remainder < 0n) {
    throw new RpcError(
      RPC_ERROR.WALLET_INSUFFICIENT_FUNDS,
      "Insufficient funds for fees after creating specified outputs.",
    );
  }
  const sharing = BigInt(wanted.filter((w) => w.value === null).length);
  const relay = await wallet.options.chain.relayFees();
  let gaveRemainder = false;
  const outputs = wanted.map((w) => {
    if (w.value === null) {
      let value = remainder / sharing;
      if (!gaveRemainder) {
        value += remainder % sharing;
        gaveRemainder = true;
      }
      const output = new TxOut(value, w.script);
      if (value < dustThreshold(output, relay.dust)) {
        throw new RpcError(
          RPC_ERROR.WALLET_INSUFFICIENT_FUNDS,
          "Dynamically assigned remainder results in dust output.",
        );
      }
      return output;
    }
    const output = new TxOut(w.value, w.script);
    if (w.value < dustThreshold(output, relay.dust)) {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        `Specified output amount to ${w.address} is below dust threshold.`,
      );
    }
    return output;
  });
  if (optionalBool(options.lock_unspents, false)) {
    for (const input of skeleton.inputs) wallet.setCoinLock(input.prevout, true, false);
  }
  const tx = new Transaction({
    version: 2,
    inputs: skeleton.inputs,
    outputs,
    lockTime: skeleton.lockTime,
    lockHeight,
  });
  return await finishTransaction(wallet, tx, {
    pst: optionalBool(options.pst, false),
    addToWallet: optionalBool(options.add_to_wallet, true),
  });
}

/** The send and sendall methods. */
export function sendMethods(): Method[] {
  return [send(), sendAll()];
}
