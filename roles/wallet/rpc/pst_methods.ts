/**
 * The wallet's PST methods (wallet/rpc/spend.cpp): walletprocesspst, and the wallet's part of a
 * PST (`CWallet::FillPST`): previous transactions, scripts, key origins and signatures for
 * the inputs and outputs the wallet knows.
 *
 * @module
 */
import {
  amountFromJson,
  amountToJson,
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
import { decodeDestination, scriptForDestination } from "../../../kernel/address/mod.ts";
import { bytesToHex } from "../../../kernel/encoding/mod.ts";
import { OutPoint, Transaction, TxIn } from "../../../kernel/primitives/mod.ts";
import { SigHash } from "../../../kernel/script/mod.ts";
import {
  decodeHexPst,
  encodeHexPst,
  fillPstInput,
  finalizeAndExtractPst,
  type Pst,
  PstDecodeError,
  pstFromTransaction,
  pstInputSigned,
  pstSpentScript,
  type ScriptKnowledge,
  structuredClonePst,
  updatePstOutput,
} from "../../../common/pst/mod.ts";
import type { Wallet } from "../wallet.ts";
import type { WalletLoaderService } from "../wallet_loader.ts";
import {
  type CoinControl,
  createTransaction,
  CreateTransactionError,
  MAX_BIP125_RBF_SEQUENCE,
} from "../create_transaction.ts";
import { ensureUnlocked, parseHash, withWallet } from "./_util.ts";
import { FUND_TX_DOC } from "./fund_tx_doc.ts";
import { normalizeOutputs, parseOutputs } from "./send_method.ts";
import { commitTransaction, feeRateFromSatPerVb } from "./spend_methods.ts";

type Method = RpcMethod<WalletLoaderService>;

const HELP_REQUIRING_PASSPHRASE =
  "\nRequires wallet passphrase to be set with walletpassphrase call if wallet is encrypted.";

const SIGHASH_NAMES: Record<string, number> = {
  DEFAULT: SigHash.ALL,
  ALL: SigHash.ALL,
  "ALL|ANYONECANPAY": SigHash.ALL | SigHash.ANYONECANPAY,
  NONE: SigHash.NONE,
  "NONE|ANYONECANPAY": SigHash.NONE | SigHash.ANYONECANPAY,
  SINGLE: SigHash.SINGLE,
  "SINGLE|ANYONECANPAY": SigHash.SINGLE | SigHash.ANYONECANPAY,
};

/** `ParseSighashString`: ALL when absent. */
export function parseSighash(value: JsonValue | undefined): number {
  if (value === undefined) return SigHash.ALL;
  const name = getStr(value);
  const type = SIGHASH_NAMES[name];
  if (type === undefined) {
    throw new RpcError(RPC_ERROR.INVALID_PARAMETER, `'${name}' is not a valid sighash parameter.`);
  }
  return type;
}

/** Decodes a PST argument as freicoind does ("TX decode failed <reason>"). */
export function pstArg(value: JsonValue | undefined): Pst {
  try {
    return decodeHexPst(getStr(value));
  } catch (error) {
    if (error instanceof PstDecodeError) {
      throw new RpcError(RPC_ERROR.DESERIALIZATION_ERROR, `TX decode failed ${error.message}`);
    }
    throw error;
  }
}

/** How {@link fillWalletPst} works on a PST. */
export interface FillPstOptions {
  sign: boolean;
  sighash: number;
  bip32derivs: boolean;
  finalize: boolean;
}

/** What the wallet knows about one of its scripts (keys only when signing). */
function knowledgeOf(
  wallet: Wallet,
  script: Uint8Array,
  withKeys: boolean,
): ScriptKnowledge | undefined {
  const manager = wallet.ownerOf(script);
  const position = manager?.scripts.get(bytesToHex(script));
  if (!manager || position === undefined) return undefined;
  const data = manager.signingData(position);
  if (data === null) return undefined;
  const keys = withKeys && manager.hasPrivateKeys ? manager.privateKeys(position).values() : [];
  return { data, keys };
}

/**
 * `CWallet::FillPST`: adds the previous transactions the wallet has, signs (when asked) the
 * inputs it can, and describes its own outputs (scripts, key origins). Returns whether every
 * input is now final. Changes `pst` in place.
 */
export function fillWalletPst(wallet: Wallet, pst: Pst, options: FillPstOptions): boolean {
  pst.tx.inputs.forEach((txin, i) => {
    const input = pst.inputs[i];
    if (pstInputSigned(input) || input.nonWitnessUtxo) return;
    const prev = wallet.prevOutput(txin.prevout);
    if (prev) input.nonWitnessUtxo = prev.wtx.tx;
  });
  for (let i = 0; i < pst.inputs.length; i++) {
    const input = pst.inputs[i];
    if (pstInputSigned(input)) continue;
    if (options.sign && input.sighashType !== undefined && input.sighashType !== options.sighash) {
      throw new RpcError(
        RPC_ERROR.DESERIALIZATION_ERROR,
        "Specified sighash value does not match value stored in PST",
      );
    }
    const script = pstSpentScript(pst, i);
    const known = script && knowledgeOf(wallet, script, options.sign);
    if (known) fillPstInput(wallet.options.secp, pst, i, known, options);
  }
  pst.tx.outputs.forEach((txout, i) => {
    const known = knowledgeOf(wallet, txout.scriptPubKey, false);
    if (known) updatePstOutput(pst, i, known, options.bip32derivs);
  });
  return pst.inputs.every(pstInputSigned);
}

/** walletprocesspst's answer after filling: the PST, completeness and the final transaction. */
export function processedPstJson(wallet: Wallet, pst: Pst, complete: boolean): JsonObject {
  const result: JsonObject = { pst: encodeHexPst(pst), complete };
  if (complete) {
    const tx = finalizeAndExtractPst(wallet.options.secp, structuredClonePst(pst));
    if (tx) result.hex = bytesToHex(tx.toBytes());
  }
  return result;
}

function walletProcessPst(): Method {
  return {
    name: "walletprocesspst",
    category: "wallet",
    description: "\nUpdate a PST with input information from our wallet and then sign inputs\n" +
      "that we can sign for." + HELP_REQUIRING_PASSPHRASE,
    args: [
      { names: "pst", type: "str", description: "The transaction hex string" },
      {
        names: "sign",
        type: "bool",
        default: true,
        description: "Also sign the transaction when updating (requires wallet to be unlocked)",
      },
      {
        names: "sighashtype",
        type: "str",
        defaultHint: "DEFAULT for Taproot, ALL otherwise",
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
        { type: "str", key: "pst", description: "The hex-encoded partially signed transaction" },
        {
          type: "bool",
          key: "complete",
          description: "If the transaction has a complete set of signatures",
        },
        {
          type: "str_hex",
          key: "hex",
          optional: true,
          description: "The hex-encoded network transaction if complete",
        },
      ],
    }],
    examples: helpExampleCli("walletprocesspst", '"pst"'),
    handler: (call) =>
      withWallet(call, (wallet) => {
        const pst = pstArg(call.params[0]);
        const sighash = parseSighash(call.maybeArg(2));
        const flag = (i: number) => {
          const value = call.maybeArg(i);
          return value === undefined ? true : getBool(value);
        };
        const options = { sign: flag(1), sighash, bip32derivs: flag(3), finalize: flag(4) };
        if (options.sign) ensureUnlocked(wallet);
        const complete = fillWalletPst(wallet, pst, options);
        return processedPstJson(wallet, pst, complete);
      }),
  };
}

/** The hex PST of an unsigned wallet transaction with the wallet's data (pstbumpfee). */
export function unsignedWalletPst(wallet: Wallet, tx: Transaction): string {
  const pst = pstFromTransaction(unsignedCopy(tx));
  fillWalletPst(wallet, pst, {
    sign: false,
    sighash: SigHash.ALL,
    bip32derivs: true,
    finalize: true,
  });
  return encodeHexPst(pst);
}

/** A transaction with its scriptSigs and witnesses removed (what a PST carries). */
function unsignedCopy(tx: Transaction): Transaction {
  const inputs = tx.inputs.map((input) =>
    new TxIn({ prevout: input.prevout, sequence: input.sequence })
  );
  return new Transaction({ ...tx, inputs, outputs: tx.outputs });
}

/**
 * `FinishTransaction` of `send`: fills a PST for the built transaction (key origins first,
 * then signatures), and answers with the PST when asked for one (`pst: true`), when it is not
 * complete or when it is not added to the wallet; a complete transaction is committed unless
 * `add_to_wallet` is false or a PST was asked for, in which case its hex is returned.
 */
export async function finishTransaction(
  wallet: Wallet,
  tx: Transaction,
  options: { pst: boolean; addToWallet: boolean },
): Promise<JsonObject> {
  const pst = pstFromTransaction(unsignedCopy(tx));
  const base = { sighash: SigHash.ALL, finalize: true };
  fillWalletPst(wallet, pst, { ...base, sign: false, bip32derivs: true });
  fillWalletPst(wallet, pst, { ...base, sign: true, bip32derivs: false });
  const final = finalizeAndExtractPst(wallet.options.secp, structuredClonePst(pst));
  const result: JsonObject = {};
  if (options.pst || !final || !options.addToWallet) result.pst = encodeHexPst(pst);
  if (final) {
    result.txid = final.txidHex;
    if (options.addToWallet && !options.pst) await commitTransaction(wallet, final, null, null);
    else result.hex = bytesToHex(final.toBytes());
  }
  result.complete = final !== undefined;
  return result;
}

/** The inputs of walletcreatefundedpst (`ConstructTransaction`'s input part). */
function parseInputs(value: JsonValue | undefined, rbf: boolean, lockTime: number): TxIn[] {
  if (value === undefined) return [];
  return getArray(value).map((item) => {
    const o = getObject(item);
    const txid = parseHash(o.txid, "txid");
    if (o.vout === undefined) {
      throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Invalid parameter, missing vout key");
    }
    const vout = getInt(o.vout);
    if (vout < 0) {
      throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Invalid parameter, vout cannot be negative");
    }
    let sequence = rbf ? MAX_BIP125_RBF_SEQUENCE : lockTime ? 0xfffffffe : 0xffffffff;
    if (o.sequence !== undefined) {
      const n = getInt(o.sequence);
      if (n < 0 || n > 0xffffffff) {
        throw new RpcError(
          RPC_ERROR.INVALID_PARAMETER,
          "Invalid parameter, sequence number is out of range",
        );
      }
      sequence = n;
    }
    return new TxIn({ prevout: new OutPoint(txid, vout), sequence });
  });
}

const INVALID_ESTIMATE_MODE =
  'Invalid estimate_mode parameter, must be one of: "unset", "economical", "conservative"';

/** `RPCTypeCheckObj` for one option: freicoind's -3 text when the JSON type is wrong. */
function checkOptionType(options: JsonObject, key: string, expected: "string" | "number"): void {
  const value = options[key];
  if (value === undefined || value === null) return;
  const actual = Array.isArray(value)
    ? "array"
    : value === true || value === false
    ? "bool"
    : isJsonObject(value)
    ? "object"
    : typeof value === "string"
    ? "string"
    : "number";
  if (actual !== expected) {
    throw new RpcError(
      RPC_ERROR.TYPE_ERROR,
      `JSON value of type ${actual} for field ${key} is not of expected type ${expected}`,
    );
  }
}

/** `SetFeeEstimateMode` with FundTransaction's feeRate checks. */
function feeOptions(options: JsonObject, control: CoinControl): void {
  checkOptionType(options, "estimate_mode", "string");
  checkOptionType(options, "conf_target", "number");
  const { feeRate, fee_rate: satRate, conf_target: target, estimate_mode: mode } = options;
  if (feeRate !== undefined) {
    if (satRate !== undefined) {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        "Cannot specify both fee_rate (sat/vB) and feeRate (FRC/kvB)",
      );
    }
    if (target !== undefined) {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        "Cannot specify both conf_target and feeRate. Please provide either a confirmation target in blocks for automatic fee estimation, or an explicit fee rate.",
      );
    }
    if (mode !== undefined) {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        "Cannot specify both estimate_mode and feeRate",
      );
    }
    control.feeRate = amountFromJson(feeRate);
    control.overrideFeeRate = true;
    return;
  }
  if (satRate !== undefined) {
    if (target !== undefined) {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        "Cannot specify both conf_target and fee_rate. Please provide either a confirmation target in blocks for automatic fee estimation, or an explicit fee rate.",
      );
    }
    if (mode !== undefined && mode !== "unset") {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        "Cannot specify both estimate_mode and fee_rate",
      );
    }
    control.feeRate = feeRateFromSatPerVb(satRate);
    control.overrideFeeRate = true;
    return;
  }
  if (mode !== undefined) {
    const name = getStr(mode).toLowerCase();
    if (!["unset", "economical", "conservative"].includes(name)) {
      throw new RpcError(RPC_ERROR.INVALID_PARAMETER, INVALID_ESTIMATE_MODE);
    }
  }
  if (target !== undefined) {
    const blocks = getInt(target);
    if (blocks < 1 || blocks > 1008) {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        "Invalid conf_target, must be between 1 and 1008",
      );
    }
    control.confirmTarget = blocks;
  }
}

/** Coin control from walletcreatefundedpst's options (the `FundTransaction` subset we use). */
function fundOptions(wallet: Wallet, options: JsonObject, control: CoinControl): void {
  if (options.add_inputs !== undefined) control.onlySelected = !getBool(options.add_inputs);
  const change = options.changeAddress ?? options.change_address;
  if (change !== undefined) {
    const decoded = decodeDestination(getStr(change), wallet.options.prefixes);
    if (!decoded.ok) {
      throw new RpcError(
        RPC_ERROR.INVALID_ADDRESS_OR_KEY,
        "Change address must be a valid freicoin address",
      );
    }
    control.changeScript = scriptForDestination(decoded.destination);
  }
  const position = options.changePosition ?? options.change_position;
  if (position !== undefined) control.changePosition = getInt(position);
  const type = options.change_type;
  if (type !== undefined) {
    const name = getStr(type);
    if (name !== "legacy" && name !== "bech32") {
      throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, `Unknown change type '${name}'`);
    }
    control.changeType = name;
  }
  if (options.include_unsafe !== undefined) control.includeUnsafe = getBool(options.include_unsafe);
  feeOptions(options, control);
}

/** freicoind's text when only preselected coins may be used and they are not enough. */
export function fundingErrorText(message: string, control: CoinControl): string {
  if (message === "Insufficient funds" && control.onlySelected) {
    return "The preselected coins total amount does not cover the transaction target. " +
      "Please allow other inputs to be automatically selected or include more coins manually";
  }
  return message;
}

const str = "str" as const;
const num = "num" as const;
const bool = "bool" as const;

/** walletcreatefundedpst's own options (`FUND_TX_DOC` follows them). */
const FUNDED_PST_OWN_OPTIONS: RpcArg[] = [
  {
    names: "add_inputs",
    type: bool,
    defaultHint: 'false when "inputs" are specified, true otherwise',
    description: "Automatically include coins from the wallet to cover the target amount.\n",
  },
  {
    names: "include_unsafe",
    type: bool,
    default: false,
    description:
      "Include inputs that are not safe to spend (unconfirmed transactions from outside keys and unconfirmed replacement transactions).\n" +
      "Warning: the resulting transaction may become invalid if one of the unsafe inputs disappears.\n" +
      "If that happens, you will need to fund the transaction with different inputs and republish it.",
  },
  {
    names: "minconf",
    type: num,
    default: 0,
    description:
      "If add_inputs is specified, require inputs with at least this many confirmations.",
  },
  {
    names: "maxconf",
    type: num,
    optional: true,
    description: "If add_inputs is specified, require inputs with at most this many confirmations.",
  },
  {
    names: "changeAddress",
    type: str,
    defaultHint: "automatic",
    description: "The freicoin address to receive the change",
  },
  {
    names: "changePosition",
    type: num,
    defaultHint: "random",
    description: "The index of the change output",
  },
  {
    names: "change_type",
    type: str,
    defaultHint: "set by -changetype",
    description:
      'The output type to use. Only valid if changeAddress is not specified. Options are "legacy" or "bech32".',
  },
  {
    names: "includeWatching",
    type: bool,
    defaultHint: "true for watch-only wallets, otherwise false",
    description: "Also select inputs which are watch only",
  },
  {
    names: "lockUnspents",
    type: bool,
    default: false,
    description: "Lock selected unspent outputs",
  },
  {
    names: "fee_rate",
    type: "amount",
    defaultHint: "not set, fall back to wallet fee estimation",
    description: "Specify a fee rate in sat/vB.",
  },
  {
    names: "feeRate",
    type: "amount",
    defaultHint: "not set, fall back to wallet fee estimation",
    description: "Specify a fee rate in FRC/kvB.",
  },
  {
    names: "subtractFeeFromOutputs",
    type: "arr",
    default: [],
    description: "The outputs to subtract the fee from.\n" +
      "The fee will be equally deducted from the amount of each specified output.\n" +
      "Those recipients will receive less freicoins than you enter in their corresponding amount field.\n" +
      "If no outputs are specified here, the sender pays the fee.",
    inner: [{
      names: "vout_index",
      type: num,
      optional: true,
      description: "The zero-based output index, before a change output is added.",
    }],
  },
];

function walletCreateFundedPst(): Method {
  return {
    name: "walletcreatefundedpst",
    category: "wallet",
    description: "\nCreates and funds a transaction in the Partially Signed Transaction format.\n" +
      "Implements the Creator and Updater roles.\n" +
      "All existing inputs must either have their previous output transaction be in the wallet\n" +
      "or be in the UTXO set. Solving data must be provided for non-wallet inputs.\n",
    args: [
      {
        names: "inputs",
        type: "arr",
        optional: true,
        description: "Leave empty to add inputs automatically. See add_inputs option.",
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
              defaultHint:
                "depends on the value of the 'locktime' and 'options.replaceable' arguments",
              description: "The sequence number",
            },
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
        }],
      },
      {
        names: "outputs",
        type: "arr",
        description: "The outputs specified as key-value pairs.\n" +
          "Each key may only appear once, i.e. there can only be one 'data' output, and no address may be duplicated.\n" +
          "At least one output of either type must be specified.\n" +
          "For compatibility reasons, a dictionary, which holds the key-value pairs directly, is also\n" +
          "accepted as second parameter.",
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
        names: "options",
        type: "obj_named_params",
        optional: true,
        onelineDescription: "options",
        description: "",
        skipTypeCheck: true,
        inner: [...FUNDED_PST_OWN_OPTIONS, ...FUND_TX_DOC],
      },
      {
        names: "bip32derivs",
        type: "bool",
        default: true,
        description: "Include BIP 32 derivation paths for public keys if we know them",
      },
    ],
    results: [{
      type: "obj",
      inner: [
        {
          type: "str",
          key: "pst",
          description: "The resulting raw transaction (hex-encoded string)",
        },
        {
          type: "str_amount",
          key: "fee",
          description: "Fee in FRC the resulting transaction pays",
        },
        {
          type: "num",
          key: "changepos",
          description: "The position of the added change output, or -1",
        },
      ],
    }],
    examples: "\nCreate a transaction with no inputs\n" +
      helpExampleCli(
        "walletcreatefundedpst",
        '"[{\\"txid\\":\\"myid\\",\\"vout\\":0}]" "[{\\"data\\":\\"00010203\\"}]"',
      ),
    handler: (call) =>
      withWallet(call, async (wallet) => {
        const optionsArg = call.maybeArg(4);
        const options = optionsArg !== undefined && isJsonObject(optionsArg) ? optionsArg : {};
        const rbf = options.replaceable === undefined ? true : getBool(options.replaceable);
        const lockTimeArg = call.maybeArg(2);
        const lockTime = lockTimeArg === undefined ? 0 : getInt(lockTimeArg);
        if (lockTime < 0 || lockTime > 0xffffffff) {
          throw new RpcError(
            RPC_ERROR.INVALID_PARAMETER,
            "Invalid parameter, locktime out of range",
          );
        }
        const lockHeightArg = call.maybeArg(3);
        const lockHeight = lockHeightArg === undefined ? 0 : getInt(lockHeightArg);
        if (lockHeight < -1 || lockHeight > 0xffffffff) {
          throw new RpcError(
            RPC_ERROR.INVALID_PARAMETER,
            "Invalid parameter, lockheight out of range",
          );
        }
        const inputs = parseInputs(call.maybeArg(0), rbf, lockTime);
        const pairs = normalizeOutputs(call.arg(1));
        const subtract = new Set<string>();
        const sffo = options.subtractFeeFromOutputs ?? options.subtract_fee_from_outputs;
        if (sffo !== undefined) {
          for (const item of getArray(sffo)) {
            const index = getInt(item);
            if (index < 0 || index >= pairs.length) {
              throw new RpcError(
                RPC_ERROR.INVALID_PARAMETER,
                `Invalid parameter 'subtract fee from output', position too large: ${index}`,
              );
            }
            subtract.add(pairs[index][0]);
          }
        }
        const recipients = parseOutputs(wallet, pairs, subtract);
        const control: CoinControl = {
          sign: false,
          lockTime,
          lockHeight: lockHeight > 0 ? lockHeight : wallet.tipHeight + 1,
          replaceable: rbf,
          selected: inputs.map((input) => input.prevout),
          onlySelected: inputs.length > 0,
        };
        fundOptions(wallet, options, control);
        let created;
        try {
          created = await createTransaction(wallet, recipients, control);
        } catch (error) {
          if (error instanceof CreateTransactionError) {
            throw new RpcError(RPC_ERROR.WALLET_ERROR, fundingErrorText(error.message, control));
          }
          throw error;
        }
        // Keep the sequences the caller gave for its inputs.
        const sequences = new Map(inputs.map((i) => [`${i.prevout.txid}:${i.prevout.n}`, i]));
        const txInputs = created.tx.inputs.map((input) => {
          const given = sequences.get(`${input.prevout.txid}:${input.prevout.n}`);
          return new TxIn({ prevout: input.prevout, sequence: (given ?? input).sequence });
        });
        const tx = new Transaction({
          ...created.tx,
          inputs: txInputs,
          outputs: created.tx.outputs,
        });
        if (getBool(options.lockUnspents ?? options.lock_unspents ?? false)) {
          for (const input of tx.inputs) wallet.setCoinLock(input.prevout, true, false);
        }
        const pst = pstFromTransaction(tx);
        const bip32Arg = call.maybeArg(5);
        fillWalletPst(wallet, pst, {
          sign: false,
          sighash: SigHash.ALL,
          bip32derivs: bip32Arg === undefined ? true : getBool(bip32Arg),
          finalize: true,
        });
        return {
          pst: encodeHexPst(pst),
          fee: amountToJson(created.fee),
          changepos: created.changePosition,
        };
      }),
  };
}

/** The wallet's PST methods. */
export function walletPstMethods(): Method[] {
  return [walletCreateFundedPst(), walletProcessPst()];
}
