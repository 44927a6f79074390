/**
 * Wallet RPCs that spend (`src/wallet/rpc/spend.cpp`): sendtoaddress, sendmany,
 * fundrawtransaction, signrawtransactionwithwallet. Wallet-created transactions have
 * version 2, lock_height = tip + 1, nLockTime = tip height (anti-fee-sniping) and
 * nSequence 0xfffffffd unless -walletrbf=0.
 *
 * @module
 */
import { decodeDestination, scriptForDestination } from "../../../kernel/address/mod.ts";
import { bytesToHex, hexToBytes, isHex } from "../../../kernel/encoding/mod.ts";
import {
  decodeTransaction,
  OutPoint,
  Transaction,
  TxIn,
  TxOut,
} from "../../../kernel/primitives/mod.ts";
import {
  SigHash,
  STANDARD_SCRIPT_VERIFY_FLAGS,
  TransactionSignatureChecker,
  verifyScript,
} from "../../../kernel/script/mod.ts";
import {
  amountFromJson,
  getArray,
  getBool,
  getInt,
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
} from "../../../rpc/mod.ts";
import {
  type CoinControl,
  createTransaction,
  CreateTransactionError,
  type Recipient,
} from "../create_transaction.ts";
import { signTransaction, type SpentCoin } from "../signer.ts";
import type { Wallet } from "../wallet.ts";
import type { WalletLoaderService } from "../wallet_loader.ts";
import { amount, ensureUnlocked, parseHash, withWallet } from "./_util.ts";
import {
  camelCaseFundingDoc,
  FUND_TX_DOC,
  INCLUDE_WATCHING_DESCRIPTION,
  INPUT_ELIGIBILITY_DOC,
} from "./fund_tx_doc.ts";
import {
  applyFundOptions,
  feeRateFromSatPerVb,
  fundTransaction,
  outpointBytes,
  setFeeEstimateMode,
  subtractFeePositions,
} from "./fund_options.ts";

type Method = RpcMethod<WalletLoaderService>;

function decodeAddressOrThrow(wallet: Wallet, text: string): Uint8Array {
  const decoded = decodeDestination(text, wallet.options.prefixes);
  if (!decoded.ok) {
    throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, `Invalid Freicoin address: ${text}`);
  }
  return scriptForDestination(decoded.destination);
}

function sendAmount(value: JsonValue | undefined): bigint {
  const kria = amountFromJson(value);
  if (kria <= 0n) throw new RpcError(RPC_ERROR.TYPE_ERROR, "Invalid amount for send");
  return kria;
}

/** Re-exported for the spend RPCs that import it from here. */
export { feeRateFromSatPerVb };

/** `SetFeeEstimateMode` as sendtoaddress and sendmany use it (no minimum-fee override). */
function setFeeEstimate(
  control: CoinControl,
  confTarget: JsonValue | undefined,
  estimateMode: JsonValue | undefined,
  feeRate: JsonValue | undefined,
): void {
  setFeeEstimateMode(control, confTarget, estimateMode, feeRate, false);
}

function ensureCanSend(wallet: Wallet): void {
  ensureUnlocked(wallet);
  if (wallet.privateKeysDisabled) {
    throw new RpcError(RPC_ERROR.WALLET_ERROR, "Error: Private keys are disabled for this wallet");
  }
}

/** Builds, signs, records and broadcasts (`SendMoney` + `CommitTransaction`). */
async function sendMoney(
  wallet: Wallet,
  recipients: Recipient[],
  control: CoinControl,
  comment: string | null,
  commentTo: string | null,
  verbose: boolean,
): Promise<JsonValue> {
  ensureCanSend(wallet);
  let created;
  try {
    created = await createTransaction(wallet, shuffled(recipients), control);
  } catch (error) {
    if (error instanceof CreateTransactionError) {
      throw new RpcError(RPC_ERROR.WALLET_INSUFFICIENT_FUNDS, error.message);
    }
    throw error;
  }
  await commitTransaction(wallet, created.tx, comment, commentTo);
  if (verbose) {
    return {
      txid: created.tx.txidHex,
      fee_reason: control.feeReason ?? "None",
    };
  }
  return created.tx.txidHex;
}

/** Records a new transaction and hands it to the node; a failed broadcast leaves it inactive. */
export async function commitTransaction(
  wallet: Wallet,
  tx: Transaction,
  comment: string | null,
  commentTo: string | null,
): Promise<void> {
  wallet.recordSent(tx, comment, commentTo);
  const result = await wallet.options.chain.broadcastTransaction(tx.toBytes(), 0n, true);
  if (!result.ok) {
    wallet.options.logger.info(
      `[${wallet.name}] CommitTransaction(): Transaction cannot be broadcast immediately, ${result.error}`,
    );
  }
}

function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = crypto.getRandomValues(new Uint32Array(1))[0] % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function optionalStr(value: JsonValue | undefined): string | null {
  return value === undefined || value === "" ? null : getStr(value);
}

function sendToAddress(): Method {
  return {
    name: "sendtoaddress",
    category: "wallet",
    description:
      "\nSend an amount to a given address.\nRequires wallet passphrase to be set with walletpassphrase call if wallet is encrypted.\n",
    args: [
      { names: "address", type: "str", description: "The freicoin address to send to." },
      { names: "amount", type: "amount", description: "The amount in FRC to send. eg 0.1" },
      {
        names: "comment",
        type: "str",
        optional: true,
        description:
          "A comment used to store what the transaction is for.\nThis is not part of the transaction, just kept in your wallet.",
      },
      {
        names: "comment_to",
        type: "str",
        optional: true,
        description:
          "A comment to store the name of the person or organization\nto which you're sending the transaction. This is not part of the \ntransaction, just kept in your wallet.",
      },
      {
        names: "subtractfeefromamount",
        type: "bool",
        default: false,
        description:
          "The fee will be deducted from the amount being sent.\nThe recipient will receive less freicoins than you enter in the amount field.",
      },
      {
        names: "replaceable",
        type: "bool",
        defaultHint: "wallet default",
        description: "Signal that this transaction can be replaced by a transaction (BIP 125)",
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
        names: "avoid_reuse",
        type: "bool",
        default: true,
        description:
          "(only available if avoid_reuse wallet flag is set) Avoid spending from dirty addresses; addresses are considered\ndirty if they have previously been used in a transaction. If true, this also activates avoidpartialspends, grouping outputs by their addresses.",
      },
      {
        names: "fee_rate",
        type: "amount",
        defaultHint: "not set, falls back to wallet fee estimation",
        description: "Specify a fee rate in sat/vB.",
      },
      {
        names: "verbose",
        type: "bool",
        default: false,
        description: "If true, return extra information about the transaction.",
      },
    ],
    results: [{
      type: "str_hex",
      key: "txid",
      description: "The transaction id.",
      cond: "if verbose is not set or set to false",
    }],
    examples: helpExampleCli("sendtoaddress", '"fcrt1q..." 0.1') +
      helpExampleRpc("sendtoaddress", '"fcrt1q...", 0.1'),
    handler: (call) =>
      withWallet(call, (wallet) => {
        ensureCanSend(wallet);
        const script = decodeAddressOrThrow(wallet, getStr(call.arg(0)));
        const value = sendAmount(call.arg(1));
        const control: CoinControl = {};
        const replaceable = call.maybeArg(5);
        if (replaceable !== undefined) control.replaceable = getBool(replaceable);
        setFeeEstimate(control, call.maybeArg(6), call.maybeArg(7), call.maybeArg(9));
        const recipients = [{ script, value, subtractFee: getBool(call.arg(4)) }];
        return sendMoney(
          wallet,
          recipients,
          control,
          optionalStr(call.maybeArg(2)),
          optionalStr(call.maybeArg(3)),
          getBool(call.arg(10)),
        );
      }),
  };
}

function sendMany(): Method {
  return {
    name: "sendmany",
    category: "wallet",
    description:
      "Send multiple times. Amounts are double-precision floating point numbers.\nRequires wallet passphrase to be set with walletpassphrase call if wallet is encrypted.\n",
    args: [
      {
        names: "dummy",
        type: "str",
        default: '""',
        description: 'Must be set to "" for backwards compatibility.',
        onelineDescription: '""',
      },
      {
        names: "amounts",
        type: "obj_user_keys",
        description: "The addresses and amounts",
        inner: [{
          names: "address",
          type: "amount",
          description:
            "The freicoin address is the key, the numeric amount (can be string) in FRC is the value",
        }],
      },
      { names: "minconf", type: "num", optional: true, description: "Ignored dummy value" },
      { names: "comment", type: "str", optional: true, description: "A comment" },
      {
        names: "subtractfeefrom",
        type: "arr",
        optional: true,
        description:
          "The addresses.\nThe fee will be equally deducted from the amount of each selected address.",
        inner: [{
          names: "address",
          type: "str",
          optional: true,
          description: "Subtract fee from this address",
        }],
      },
      {
        names: "replaceable",
        type: "bool",
        defaultHint: "wallet default",
        description: "Signal that this transaction can be replaced by a transaction (BIP 125)",
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
        names: "verbose",
        type: "bool",
        default: false,
        description: "If true, return extra infomration about the transaction.",
      },
    ],
    results: [{
      type: "str_hex",
      key: "txid",
      description:
        "The transaction id for the send. Only 1 transaction is created regardless of\nthe number of addresses.",
      cond: "if verbose is not set or set to false",
    }],
    examples: helpExampleCli("sendmany", '"" "{\\"fcrt1q...\\":0.01}"'),
    handler: (call) =>
      withWallet(call, (wallet) => {
        ensureCanSend(wallet);
        const dummy = call.maybeArg(0);
        if (dummy !== undefined && dummy !== "") {
          throw new RpcError(RPC_ERROR.INVALID_PARAMETER, 'Dummy value must be set to ""');
        }
        const amounts = getObject(call.arg(1));
        const subtract = new Set<string>();
        const subtractArg = call.maybeArg(4);
        if (subtractArg !== undefined) {
          for (const a of getArray(subtractArg)) subtract.add(getStr(a));
        }
        const recipients: Recipient[] = [];
        const seen = new Set<string>();
        for (const [address, value] of Object.entries(amounts)) {
          const script = decodeAddressOrThrow(wallet, address);
          if (seen.has(address)) {
            throw new RpcError(
              RPC_ERROR.INVALID_PARAMETER,
              `Invalid parameter, duplicated address: ${address}`,
            );
          }
          seen.add(address);
          recipients.push({ script, value: sendAmount(value), subtractFee: subtract.has(address) });
        }
        if (recipients.length === 0) {
          throw new RpcError(
            RPC_ERROR.INVALID_PARAMETER,
            "Invalid parameter, must have at least one output",
          );
        }
        const control: CoinControl = {};
        const replaceable = call.maybeArg(5);
        if (replaceable !== undefined) control.replaceable = getBool(replaceable);
        setFeeEstimate(control, call.maybeArg(6), call.maybeArg(7), call.maybeArg(8));
        return sendMoney(
          wallet,
          recipients,
          control,
          optionalStr(call.maybeArg(3)),
          null,
          getBool(call.arg(9)),
        );
      }),
  };
}

function decodeHexTx(text: string): Transaction {
  if (!isHex(text)) throw new RpcError(RPC_ERROR.DESERIALIZATION_ERROR, "TX decode failed");
  try {
    return decodeTransaction(hexToBytes(text));
  } catch {
    throw new RpcError(RPC_ERROR.DESERIALIZATION_ERROR, "TX decode failed");
  }
}

/**
 * fundrawtransaction's own options (`FUND_TX_DOC` follows them); each may also be passed as
 * a named parameter, as freicoind's OBJ_NAMED_PARAMS.
 */
const FUNDRAW_OPTIONS: RpcArg[] = [
  {
    names: "add_inputs",
    type: "bool",
    default: true,
    description:
      "For a transaction with existing inputs, automatically include more if they are not enough.",
  },
  ...INPUT_ELIGIBILITY_DOC,
  ...camelCaseFundingDoc(INCLUDE_WATCHING_DESCRIPTION, "The integers.\n"),
  {
    names: "input_weights",
    type: "arr",
    optional: true,
    description: "Inputs and their corresponding weights",
    inner: [{
      names: "",
      type: "obj",
      optional: true,
      description: "",
      inner: [
        { names: "txid", type: "str_hex", description: "The transaction id" },
        { names: "vout", type: "num", description: "The output index" },
        {
          names: "weight",
          type: "num",
          description: "The maximum weight for this input, " +
            "including the weight of the outpoint and sequence number. " +
            "Note that serialized signature sizes are not guaranteed to be consistent, " +
            "so the maximum DER signatures size of 73 bytes should be used when considering ECDSA signatures." +
            "Remember to convert serialized sizes to weight units when necessary.",
        },
      ],
    }],
  },
];

function fundRawTransaction(): Method {
  return {
    name: "fundrawtransaction",
    category: "rawtransactions",
    description:
      '\nIf the transaction has no inputs, they will be automatically selected to meet its out value.\nIt will add at most one change output to the outputs.\nNo existing outputs will be modified unless "subtractFeeFromOutputs" is specified.\nNote that inputs which were signed may need to be resigned after completion since in/outputs have been added.\nThe inputs added will not be signed, use signrawtransactionwithkey\nor signrawtransactionwithwallet for that.\n',
    args: [
      { names: "hexstring", type: "str_hex", description: "The hex string of the raw transaction" },
      {
        names: "options",
        type: "obj_named_params",
        optional: true,
        onelineDescription: "options",
        description:
          'For backward compatibility: passing in a true instead of an object will result in {"includeWatching":true}',
        skipTypeCheck: true,
        inner: [...FUNDRAW_OPTIONS, ...FUND_TX_DOC],
      },
      {
        names: "iswitness",
        type: "bool",
        defaultHint: "depends on heuristic tests",
        description: "Whether the transaction hex is a serialized witness transaction.",
      },
    ],
    results: [
      {
        type: "obj",
        inner: [
          {
            type: "str_hex",
            key: "hex",
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
      },
    ],
    examples: helpExampleCli("fundrawtransaction", '"rawtransactionhex"'),
    handler: (call) =>
      withWallet(call, async (wallet) => {
        const tx = decodeHexTx(getStr(call.arg(0)));
        const options = call.maybeArg(1);
        const sffo = isJsonObject(options) ? options.subtractFeeFromOutputs : undefined;
        const subtract = subtractFeePositions(sffo, tx.outputs.map(() => "dummy"));
        const control: CoinControl = {};
        const { lockUnspents } = applyFundOptions(
          wallet,
          options,
          tx.outputs.length,
          control,
          true,
        );
        const recipients: Recipient[] = tx.outputs.map((output, i) => ({
          script: output.scriptPubKey,
          value: output.value,
          subtractFee: subtract.has(i),
        }));
        const bare = new Transaction({ ...tx, outputs: [] });
        const created = await fundTransaction(wallet, bare, recipients, control, lockUnspents);
        // The caller's inputs keep their scriptSigs and witnesses.
        const inputs = created.tx.inputs.map((input, i) =>
          i < tx.inputs.length ? new TxIn({ ...tx.inputs[i] }) : input
        );
        const funded = new Transaction({ ...created.tx, inputs });
        return {
          hex: bytesToHex(funded.toBytes()),
          fee: amount(created.fee),
          changepos: created.changePosition,
        };
      }),
  };
}

const SIGHASH_NAMES: Record<string, number> = {
  ALL: SigHash.ALL,
  "ALL|ANYONECANPAY": SigHash.ALL | SigHash.ANYONECANPAY,
  NONE: SigHash.NONE,
  "NONE|ANYONECANPAY": SigHash.NONE | SigHash.ANYONECANPAY,
  SINGLE: SigHash.SINGLE,
  "SINGLE|ANYONECANPAY": SigHash.SINGLE | SigHash.ANYONECANPAY,
};

function signRawTransactionWithWallet(): Method {
  return {
    name: "signrawtransactionwithwallet",
    category: "wallet",
    description:
      "\nSign inputs for raw transaction (serialized, hex-encoded).\nThe second optional argument (may be null) is an array of previous transaction outputs that\nthis transaction depends on but may not yet be in the block chain.\nRequires wallet passphrase to be set with walletpassphrase call if wallet is encrypted.\n",
    args: [
      { names: "hexstring", type: "str", description: "The transaction hex string" },
      {
        names: "prevtxs",
        type: "arr",
        optional: true,
        description: "The previous dependent transaction outputs",
        inner: [
          {
            names: "",
            type: "obj",
            optional: true,
            description: "",
            inner: [
              { names: "txid", type: "str_hex", description: "The transaction id" },
              { names: "vout", type: "num", description: "The output number" },
              { names: "scriptPubKey", type: "str_hex", description: "The output script" },
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
                description: "(required for Segwit inputs) the amount spent",
              },
              {
                names: "refheight",
                type: "num",
                description: "The lockheight of the transaction output being spent",
              },
            ],
          },
        ],
      },
      {
        names: "sighashtype",
        type: "str",
        default: "ALL",
        description:
          'The signature hash type. Must be one of\n       "ALL"\n       "NONE"\n       "SINGLE"\n       "ALL|ANYONECANPAY"\n       "NONE|ANYONECANPAY"\n       "SINGLE|ANYONECANPAY"',
      },
    ],
    results: [{ type: "obj", inner: [{ type: "elision", description: "" }] }],
    examples: helpExampleCli("signrawtransactionwithwallet", '"myhex"') +
      helpExampleRpc("signrawtransactionwithwallet", '"myhex"'),
    handler: (call) =>
      withWallet(call, async (wallet) => {
        const tx = decodeHexTx(getStr(call.arg(0)));
        ensureUnlocked(wallet);
        const hashName = getStr(call.arg(2));
        const hashType = SIGHASH_NAMES[hashName];
        if (hashType === undefined) {
          throw new RpcError(
            RPC_ERROR.INVALID_PARAMETER,
            `'${hashName}' is not a valid sighash parameter.`,
          );
        }
        const coins: (SpentCoin | undefined)[] = tx.inputs.map((input) => {
          const prev = wallet.prevOutput(input.prevout);
          return prev
            ? { output: prev.wtx.tx.outputs[prev.n], refheight: prev.wtx.tx.lockHeight }
            : undefined;
        });
        const missing = tx.inputs.map((input, i) => ({ input, i })).filter(({ i }) => !coins[i]);
        if (missing.length > 0) {
          const found = await wallet.options.chain.findCoins(
            missing.map(({ input }) => outpointBytes(input.prevout)),
          );
          missing.forEach(({ i }, k) => {
            const coin = found[k];
            if (coin) {
              coins[i] = {
                output: new TxOut(coin.value, coin.scriptPubKey),
                refheight: coin.refheight,
              };
            }
          });
        }
        const prevtxs = call.maybeArg(1);
        if (prevtxs !== undefined) {
          for (const item of getArray(prevtxs)) {
            const o = getObject(item);
            const txid = parseHash(o.txid, "txid");
            const vout = getInt(o.vout);
            if (vout < 0) {
              throw new RpcError(RPC_ERROR.DESERIALIZATION_ERROR, "vout cannot be negative");
            }
            if (o.refheight === undefined) {
              throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Missing refheight");
            }
            const script = hexToBytes(getStr(o.scriptPubKey));
            const value = o.value !== undefined
              ? amountFromJson(o.value)
              : o.amount !== undefined
              ? amountFromJson(o.amount)
              : 0n;
            const outpoint = new OutPoint(txid, vout);
            tx.inputs.forEach((input, i) => {
              if (input.prevout.equals(outpoint) && !coins[i]) {
                coins[i] = { output: new TxOut(value, script), refheight: getInt(o.refheight) };
              }
            });
          }
        }
        const signed = signTransaction(tx, coins, (script) => wallet.ownerOf(script), {
          hashType,
          secp: wallet.options.secp,
        });
        // The signer leaves inputs it cannot sign as they were, and merges partial signatures.
        const result = signed.tx;
        const errors: JsonObject[] = [];
        result.inputs.forEach((input, i) => {
          const coin = coins[i];
          let error: string | null = null;
          if (!coin) {
            error = "Input not found or already spent";
          } else {
            const checker = new TransactionSignatureChecker(
              wallet.options.secp,
              result,
              i,
              coin.output.value,
              coin.refheight,
            );
            const verdict = verifyScript(
              input.scriptSig,
              coin.output.scriptPubKey,
              input.witness,
              STANDARD_SCRIPT_VERIFY_FLAGS,
              checker,
            );
            if (!verdict.ok) error = signed.results[i].error ?? scriptErrorText(verdict.error);
          }
          if (error !== null) {
            errors.push({
              txid: input.prevout.txid,
              vout: input.prevout.n,
              witness: input.witness.map((w) => bytesToHex(w)),
              scriptSig: bytesToHex(input.scriptSig),
              sequence: input.sequence,
              error,
            });
          }
        });
        const out: JsonObject = {
          hex: bytesToHex(result.toBytes()),
          complete: errors.length === 0,
        };
        if (errors.length > 0) out.errors = errors;
        return out;
      }),
  };
}

function scriptErrorText(error: string): string {
  return `Script failed: ${error}`;
}

/** The spending methods. */
export function spendMethods(): Method[] {
  return [sendToAddress(), sendMany(), fundRawTransaction(), signRawTransactionWithWallet()];
}
