/**
 * `bumpfee` (`src/wallet/feebumper.cpp`): replaces an unconfirmed, BIP125-signalling wallet
 * transaction by one spending the same inputs (and more if needed) at a higher fee rate,
 * keeping its lock_height, taking the fee from its change.
 *
 * @module
 */
import { bytesToHex } from "../../../kernel/encoding/mod.ts";
import { type Transaction, TxOut } from "../../../kernel/primitives/mod.ts";
import {
  type SignatureChecker,
  STANDARD_SCRIPT_VERIFY_FLAGS,
  TransactionSignatureChecker,
  verifyScript,
} from "../../../kernel/script/mod.ts";
import {
  getBool,
  getInt,
  getObject,
  helpExampleCli,
  isJsonObject,
  type JsonObject,
  type JsonTypeName,
  jsonTypeName,
  RPC_ERROR,
  type RpcArg,
  RpcError,
  type RpcMethod,
} from "../../../rpc/mod.ts";
import { adjustValue } from "../balances.ts";
import {
  type CoinControl,
  createTransaction,
  CreateTransactionError,
  feeForSize,
  maxSignedSize,
  type Recipient,
  requiredFeeRate,
  type SpendingInput,
  walletFeeRate,
} from "../create_transaction.ts";
import { signTransaction, type SpentCoin } from "../signer.ts";
import type { Wallet } from "../wallet.ts";
import { hashHex } from "../wallet.ts";
import type { WalletLoaderService } from "../wallet_loader.ts";
import { outputKey, type WalletTx } from "../wallet_tx.ts";
import { amount, ensureUnlocked, parseHash, withWallet } from "./_util.ts";
import { commitTransaction } from "./spend_methods.ts";
import { unsignedWalletPst } from "./pst_methods.ts";
import { OUTPUTS_DOC } from "./fund_tx_doc.ts";
import { outpointBytes, setFeeEstimateMode } from "./fund_options.ts";
import { normalizeOutputs, parseOutputs } from "./send_method.ts";

type Method = RpcMethod<WalletLoaderService>;

/** The wallet's own incremental relay fee (WALLET_INCREMENTAL_RELAY_FEE), kria per kvB. */
const WALLET_INCREMENTAL_RELAY_FEE = 5_000n;

/** `PreconditionChecks`, in freicoind's order. */
async function checkBumpable(wallet: Wallet, wtx: WalletTx, requireMine: boolean): Promise<void> {
  // `HasWalletSpend`: a spender that is abandoned or conflicted does not count.
  const hasWalletSpend = wtx.tx.outputs.some((_o, n) => wallet.isSpent(outputKey(wtx.tx, n)));
  if (hasWalletSpend) {
    throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Transaction has descendants in the wallet");
  }
  await checkNoMempoolDescendants(wallet, wtx);
  if (wallet.depth(wtx) !== 0) {
    throw new RpcError(
      RPC_ERROR.WALLET_ERROR,
      "Transaction has been mined, or is conflicted with a mined transaction",
    );
  }
  if (!wtx.tx.inputs.some((input) => input.sequence < 0xfffffffe)) {
    throw new RpcError(RPC_ERROR.WALLET_ERROR, "Transaction is not BIP 125 replaceable");
  }
  if (wtx.replacedBy !== null) {
    throw new RpcError(
      RPC_ERROR.WALLET_ERROR,
      `Cannot bump transaction ${wtx.txidHex} which was already bumped by transaction ${wtx.replacedBy}`,
    );
  }
  if (!requireMine) return;
  for (const input of wtx.tx.inputs) {
    if (!ownsOutpoint(wallet, input.prevout)) {
      throw new RpcError(
        RPC_ERROR.WALLET_ERROR,
        "Transaction contains inputs that don't belong to this wallet",
      );
    }
  }
}

function ownsOutpoint(wallet: Wallet, outpoint: SpendingInput["outpoint"]): boolean {
  const prev = wallet.prevOutput(outpoint);
  return prev !== undefined && wallet.isMine(prev.wtx.tx.outputs[prev.n].scriptPubKey);
}

/** bumpfee's options (freicoind's list). */
const BUMPFEE_OPTIONS: RpcArg[] = [
  {
    names: "conf_target",
    type: "num",
    defaultHint: "wallet -txconfirmtarget",
    description: "Confirmation target in blocks\n",
  },
  {
    names: "fee_rate",
    type: "amount",
    defaultHint: "not set, fall back to wallet fee estimation",
    description:
      "\nSpecify a fee rate in sat/vB instead of relying on the built-in fee estimator.\n" +
      "Must be at least 1.000 sat/vB higher than the current transaction fee rate.\n" +
      "WARNING: before version 0.21, fee_rate was in FRC/kvB. As of 0.21, fee_rate is in sat/vB.\n",
  },
  {
    names: "replaceable",
    type: "bool",
    default: true,
    description: "Whether the new transaction should still be\n" +
      "marked bip-125 replaceable. If true, the sequence numbers in the transaction will\n" +
      "be left unchanged from the original. If false, any input sequence numbers in the\n" +
      "original transaction that were less than 0xfffffffe will be increased to 0xfffffffe\n" +
      "so the new transaction will not be explicitly bip-125 replaceable (though it may\n" +
      "still be replaceable in practice, for example if it has unconfirmed ancestors which\n" +
      "are replaceable).\n",
  },
  {
    names: "estimate_mode",
    type: "str",
    default: "unset",
    description:
      'The fee estimate mode, must be one of (case insensitive):\n"unset"\n"economical"\n"conservative"',
  },
  {
    names: "outputs",
    type: "arr",
    default: [],
    description: "The outputs specified as key-value pairs.\n" +
      "Each key may only appear once, i.e. there can only be one 'data' output, and no address may be duplicated.\n" +
      "At least one output of either type must be specified.\n" +
      "Cannot be provided if 'original_change_index' is specified.",
    skipTypeCheck: true,
    inner: OUTPUTS_DOC,
  },
  {
    names: "original_change_index",
    type: "num",
    defaultHint: "not set, detect change automatically",
    description: "The 0-based index of the change output on the original transaction. " +
      "The indicated output will be recycled into the new change output on the bumped transaction. " +
      "The remainder after paying the recipients and fees will be sent to the output script of the " +
      "original change output. The change output’s amount can increase if bumping the transaction " +
      "adds new inputs, otherwise it will decrease. Cannot be used in combination with the 'outputs' option.",
  },
];

/** bumpfee's strict option types (`RPCTypeCheckObj`); null: any. */
const BUMPFEE_OPTION_TYPES: Record<string, JsonTypeName | null> = {
  confTarget: "number",
  conf_target: "number",
  fee_rate: null,
  replaceable: "bool",
  estimate_mode: "string",
  outputs: null,
  original_change_index: "number",
};

function checkBumpOptionTypes(options: JsonObject): void {
  for (const [key, expected] of Object.entries(BUMPFEE_OPTION_TYPES)) {
    const actual = jsonTypeName(options[key]);
    if (expected !== null && actual !== "null" && actual !== expected) {
      throw new RpcError(
        RPC_ERROR.TYPE_ERROR,
        `JSON value of type ${actual} for field ${key} is not of expected type ${expected}`,
      );
    }
  }
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(BUMPFEE_OPTION_TYPES, key)) {
      throw new RpcError(RPC_ERROR.TYPE_ERROR, `Unexpected key ${key}`);
    }
  }
}

/** What the options say about the replacement. */
interface BumpRequest {
  readonly control: CoinControl;
  /** New outputs instead of the original ones (the `outputs` option). */
  readonly outputs: Recipient[] | null;
  readonly originalChangeIndex: number | undefined;
}

function parseBumpOptions(wallet: Wallet, value: JsonObject | undefined): BumpRequest {
  const control: CoinControl = { replaceable: true, allowWatchOnly: wallet.privateKeysDisabled };
  let outputs: Recipient[] | null = null;
  let originalChangeIndex: number | undefined;
  if (value === undefined) return { control, outputs, originalChangeIndex };
  const options = value;
  checkBumpOptionTypes(options);
  if (options.confTarget !== undefined && options.conf_target !== undefined) {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      "confTarget and conf_target options should not both be set. Use conf_target (confTarget is deprecated).",
    );
  }
  const confTarget = options.confTarget !== undefined ? options.confTarget : options.conf_target;
  if (options.replaceable !== undefined) control.replaceable = getBool(options.replaceable);
  setFeeEstimateMode(control, confTarget, options.estimate_mode, options.fee_rate, false);
  const given = options.outputs;
  if (given !== undefined && given !== null) {
    if (Array.isArray(given) && given.length === 0) {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        "Invalid parameter, output argument cannot be an empty array",
      );
    }
    outputs = parseOutputs(wallet, normalizeOutputs(given), new Set());
  }
  if (options.original_change_index !== undefined) {
    originalChangeIndex = getInt(options.original_change_index);
    if (originalChangeIndex < 0) {
      // UniValue's getInt<uint32_t> failure surfaces as a plain -1.
      throw new RpcError(RPC_ERROR.MISC_ERROR, "JSON integer out of range");
    }
  }
  return { control, outputs, originalChangeIndex };
}

/** `FormatMoney`: at least two decimals, trailing zeros trimmed. */
function formatMoney(kria: bigint): string {
  const sign = kria < 0n ? "-" : "";
  const abs = kria < 0n ? -kria : kria;
  let text = `${abs / 100_000_000n}.${(abs % 100_000_000n).toString().padStart(8, "0")}`;
  while (text.endsWith("0") && text[text.length - 3] !== ".") text = text.slice(0, -1);
  return sign + text;
}

/**
 * `CheckFeeRate`: the new rate must reach the mempool's minimum, the new fee must beat the old
 * fee plus the incremental relay fee and the wallet's required fee, and stay under -maxtxfee.
 */
async function checkFeeRate(
  wallet: Wallet,
  rate: bigint,
  maxTxSize: number,
  oldFee: bigint,
): Promise<void> {
  // No point in a replacement the mempool would not take at its current minimum.
  const mempoolMinimum = await wallet.options.chain.mempoolMinFee();
  if (rate < mempoolMinimum) {
    throw new RpcError(
      RPC_ERROR.WALLET_ERROR,
      `New fee rate (${formatMoney(rate)}) is lower than the minimum fee rate (${
        formatMoney(mempoolMinimum)
      }) to get into the mempool -- `,
    );
  }
  const relay = await wallet.options.chain.relayFees();
  const newTotalFee = feeForSize(rate, maxTxSize);
  const incremental = relay.incremental > WALLET_INCREMENTAL_RELAY_FEE
    ? relay.incremental
    : WALLET_INCREMENTAL_RELAY_FEE;
  const incrementalFee = feeForSize(incremental, maxTxSize);
  const minTotalFee = oldFee + incrementalFee;
  if (newTotalFee < minTotalFee) {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      `Insufficient total fee ${formatMoney(newTotalFee)}, must be at least ${
        formatMoney(minTotalFee)
      } (oldFee ${formatMoney(oldFee)} + incrementalFee ${formatMoney(incrementalFee)})`,
    );
  }
  const requiredFee = feeForSize(await requiredFeeRate(wallet), maxTxSize);
  if (newTotalFee < requiredFee) {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      `Insufficient total fee (cannot be less than required fee ${formatMoney(requiredFee)})`,
    );
  }
  if (newTotalFee > wallet.options.maxTxFee) {
    throw new RpcError(
      RPC_ERROR.WALLET_ERROR,
      `Specified or calculated fee ${
        formatMoney(newTotalFee)
      } is too high (cannot be higher than -maxtxfee ${formatMoney(wallet.options.maxTxFee)})`,
    );
  }
}

/** `EstimateFeeRate`: the old rate plus a kria and the incremental fee, at least the wallet's. */
async function estimateBumpRate(
  wallet: Wallet,
  wtx: WalletTx,
  oldFee: bigint,
  control: CoinControl,
): Promise<bigint> {
  const relay = await wallet.options.chain.relayFees();
  let rate = oldFee * 1000n / BigInt(wtx.tx.virtualSize) + 1n;
  rate += relay.incremental > WALLET_INCREMENTAL_RELAY_FEE
    ? relay.incremental
    : WALLET_INCREMENTAL_RELAY_FEE;
  const minimum = await walletFeeRate(wallet, { ...control, feeRate: undefined }).catch(() => 0n);
  return minimum > rate ? minimum : rate;
}

/** The coins the original spends (`findCoins`), and their value at its lock height. */
async function spentCoins(
  wallet: Wallet,
  wtx: WalletTx,
): Promise<{ inputs: SpendingInput[]; value: bigint; external: Map<string, SpentCoin> }> {
  const inputs: SpendingInput[] = [];
  const external = new Map<string, SpentCoin>();
  let value = 0n;
  const coins = await wallet.options.chain.findCoins(
    wtx.tx.inputs.map((input) => outpointBytes(input.prevout)),
  );
  wtx.tx.inputs.forEach((input, i) => {
    // The node's view (UTXO set and mempool): a coin spent in a block is gone.
    const found = coins[i];
    const coin: SpentCoin | undefined = found
      ? { output: new TxOut(found.value, found.scriptPubKey), refheight: found.refheight }
      : undefined;
    if (!coin) {
      throw new RpcError(
        RPC_ERROR.MISC_ERROR,
        `${bytesToHex(input.prevout.hash.slice().reverse())}:${input.prevout.n} is already spent`,
      );
    }
    if (!ownsOutpoint(wallet, input.prevout)) external.set(input.prevout.toString(), coin);
    inputs.push({ outpoint: input.prevout, coin });
    value += adjustValue(wallet, coin.output.value, wtx.tx.lockHeight - coin.refheight);
  });
  return { inputs, value, external };
}

/**
 * Weight of an external input as signed in the original, with each signature counted at the
 * largest size (72 bytes) a re-signing could give it (`SignatureWeightChecker`).
 */
function externalInputWeight(
  wallet: Wallet,
  tx: Transaction,
  index: number,
  coin: SpentCoin,
): number {
  const input = tx.inputs[index];
  const compact = (n: number) => (n < 253 ? 1 : n <= 0xffff ? 3 : 5);
  let witness = compact(input.witness.length);
  for (const item of input.witness) witness += compact(item.length) + item.length;
  const base = 36 + 4 + compact(input.scriptSig.length) + input.scriptSig.length;
  let weight = base * 4 + witness;
  const inner = new TransactionSignatureChecker(
    wallet.options.secp,
    tx,
    index,
    coin.output.value,
    coin.refheight,
  );
  let count = 0;
  let sigWeight = 0;
  const checker: SignatureChecker = {
    checkEcdsaSignature(sig, pubkey, scriptCode, sigVersion) {
      if (!inner.checkEcdsaSignature(sig, pubkey, scriptCode, sigVersion)) return false;
      const scale = sigVersion === "BASE" ? 4 : 1;
      count += scale;
      sigWeight += sig.length * scale;
      return true;
    },
    checkLockTime: (lockTime) => inner.checkLockTime(lockTime),
    checkSequence: (sequence) => inner.checkSequence(sequence),
  };
  verifyScript(
    input.scriptSig,
    coin.output.scriptPubKey,
    input.witness,
    STANDARD_SCRIPT_VERIFY_FLAGS,
    checker,
  );
  weight += 72 * count - sigWeight;
  return weight;
}

/**
 * `hasDescendantsInMempool`. The node reports, for a transaction without unconfirmed parents,
 * its own count with descendants; with parents it reports their family's largest, which says
 * nothing about this one, so then the check is skipped.
 */
async function checkNoMempoolDescendants(wallet: Wallet, wtx: WalletTx): Promise<void> {
  const [family] = await wallet.options.chain.getTransactionAncestry([wtx.tx.txid]);
  if (family && family.ancestors === 1 && family.descendants > 1) {
    throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Transaction has descendants in the mempool");
  }
}

/** `CreateRateBumpTransaction`: the replacement, unsigned, and the old fee. */
async function createRateBumpTransaction(
  wallet: Wallet,
  wtx: WalletTx,
  request: BumpRequest,
  requireMine: boolean,
): Promise<{ created: Awaited<ReturnType<typeof createTransaction>>; oldFee: bigint }> {
  const { outputs, originalChangeIndex } = request;
  if (outputs !== null && originalChangeIndex !== undefined) {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      "The options 'outputs' and 'original_change_index' are incompatible. You can only either specify a new set of outputs, or designate a change output to be recycled.",
    );
  }
  if (originalChangeIndex !== undefined && originalChangeIndex >= wtx.tx.outputs.length) {
    throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Change position is out of range");
  }
  const control: CoinControl = { ...request.control };
  const spent = await spentCoins(wallet, wtx);
  control.external = spent.external;
  control.inputWeights = new Map();
  wtx.tx.inputs.forEach((input, i) => {
    const key = input.prevout.toString();
    const coin = spent.external.get(key);
    if (coin) control.inputWeights!.set(key, externalInputWeight(wallet, wtx.tx, i, coin));
  });
  await checkBumpable(wallet, wtx, requireMine);
  const oldFee = spent.value - wtx.tx.outputs.reduce((sum, o) => sum + o.value, 0n);

  // The recipients, keeping one change output as change.
  const txouts = outputs !== null
    ? outputs.map((r) => new TxOut(r.value, r.script))
    : [...wtx.tx.outputs];
  const recipients: Recipient[] = [];
  let newOutputsValue = 0n;
  let changeScript: Uint8Array | undefined;
  txouts.forEach((output, i) => {
    const isChange = originalChangeIndex !== undefined
      ? originalChangeIndex === i
      : wallet.isMine(output.scriptPubKey) && wallet.isChange(output.scriptPubKey);
    if (isChange) changeScript = output.scriptPubKey;
    else recipients.push({ script: output.scriptPubKey, value: output.value, subtractFee: false });
    newOutputsValue += output.value;
  });
  if (recipients.length === 0) {
    if (!changeScript) {
      throw new RpcError(
        RPC_ERROR.INVALID_PARAMETER,
        "Unable to create transaction. Transaction must have at least one recipient",
      );
    }
    // Everything goes back to the change script, the fee taken from it.
    recipients.push({ script: changeScript, value: newOutputsValue, subtractFee: true });
    changeScript = undefined;
  }
  if (changeScript) control.changeScript = changeScript;

  if (control.feeRate !== undefined) {
    const size = maxSignedSize(wallet, spent.inputs, txouts, control);
    await checkFeeRate(wallet, control.feeRate, size?.vsize ?? 0, oldFee);
  } else {
    control.feeRate = await estimateBumpRate(wallet, wtx, oldFee, control);
  }
  // Every input of the original is spent again; new ones must be confirmed (BIP125 rule 2).
  control.selected = wtx.tx.inputs.map((input) => input.prevout);
  control.onlySelected = false;
  control.minDepth = 1;
  control.lockHeight = wtx.tx.lockHeight;
  control.sign = false;
  try {
    return { created: await createTransaction(wallet, recipients, control), oldFee };
  } catch (error) {
    if (error instanceof CreateTransactionError) {
      throw new RpcError(RPC_ERROR.WALLET_ERROR, `Unable to create transaction. ${error.message}`);
    }
    throw error;
  }
}

/** Signs the replacement with the wallet's keys (`feebumper::SignTransaction`). */
function signReplacement(wallet: Wallet, tx: Transaction, _control: CoinControl): Transaction {
  const coins = tx.inputs.map((input): SpentCoin | undefined => {
    const prev = wallet.prevOutput(input.prevout);
    return prev
      ? { output: prev.wtx.tx.outputs[prev.n], refheight: prev.wtx.tx.lockHeight }
      : undefined;
  });
  const signed = signTransaction(tx, coins, (script) => wallet.ownerOf(script), {
    secp: wallet.options.secp,
  });
  if (!signed.results.every((r) => r.complete)) {
    throw new RpcError(RPC_ERROR.WALLET_ERROR, "Can't sign transaction.");
  }
  return signed.tx;
}

function bumpFee(name: "bumpfee" | "pstbumpfee" = "bumpfee"): Method {
  const wantPst = name === "pstbumpfee";
  return {
    name,
    category: "wallet",
    description:
      "\nBumps the fee of an opt-in-RBF transaction T, replacing it with a new transaction B.\n" +
      (wantPst ? "Returns a PST instead of creating and signing a new transaction.\n" : "") +
      "An opt-in RBF transaction with the given txid must be in the wallet.\nThe command will pay the additional fee by reducing change outputs or adding inputs when necessary.\nIt may add a new change output if one does not already exist.\nAll inputs in the original transaction will be included in the replacement transaction.\nThe command will fail if the wallet or mempool contains a transaction that spends one of T's outputs.\nBy default, the new fee will be calculated automatically using the estimatesmartfee RPC.\nThe user can specify a confirmation target for estimatesmartfee.\nAlternatively, the user can specify a fee rate in sat/vB for the new transaction.\nAt a minimum, the new fee rate must be high enough to pay an additional new relay fee (incrementalfee\nreturned by getnetworkinfo) to enter the node's mempool.\n* WARNING: before version 0.21, fee_rate was in FRC/kvB. As of 0.21, fee_rate is in sat/vB. *\n",
    args: [
      { names: "txid", type: "str_hex", description: "The txid to be bumped" },
      {
        names: "options",
        type: "obj_named_params",
        optional: true,
        description: "",
        onelineDescription: "options",
        inner: BUMPFEE_OPTIONS,
      },
    ],
    results: [
      {
        type: "obj",
        inner: [
          wantPst
            ? {
              type: "str",
              key: "pst",
              description: "The hex-encoded unsigned PST of the new transaction.",
            }
            : { type: "str_hex", key: "txid", description: "The id of the new transaction." },
          {
            type: "str_amount",
            key: "origfee",
            description: "The fee of the replaced transaction.",
          },
          { type: "str_amount", key: "fee", description: "The fee of the new transaction." },
          {
            type: "arr",
            key: "errors",
            description: "Errors encountered during processing (may be empty).",
            inner: [{ type: "str" }],
          },
        ],
      },
    ],
    examples: helpExampleCli(name, "<txid>"),
    handler: (call) =>
      withWallet(call, async (wallet) => {
        if (wallet.privateKeysDisabled && !wantPst) {
          throw new RpcError(
            RPC_ERROR.WALLET_ERROR,
            "bumpfee is not available with wallets that have private keys disabled. Use pstbumpfee instead.",
          );
        }
        const txid = parseHash(call.arg(0), "txid");
        const given = call.maybeArg(1);
        const request = parseBumpOptions(
          wallet,
          given !== undefined && isJsonObject(given) ? given : undefined,
        );
        if (given !== undefined && !isJsonObject(given)) getObject(given);
        ensureUnlocked(wallet);
        const wtx = wallet.txs.get(hashHex(txid));
        if (!wtx) {
          throw new RpcError(
            RPC_ERROR.INVALID_ADDRESS_OR_KEY,
            "Invalid or non-wallet transaction id",
          );
        }
        const { created, oldFee } = await createRateBumpTransaction(
          wallet,
          wtx,
          request,
          !wantPst,
        );
        if (wantPst) {
          return {
            pst: unsignedWalletPst(wallet, created.tx),
            origfee: amount(oldFee),
            fee: amount(created.fee),
            errors: [],
          };
        }
        const signed = signReplacement(wallet, created.tx, request.control);
        wallet.db.transaction(() => {
          wtx.replacedBy = signed.txidHex;
          wallet.saveTx(wtx);
        });
        await commitTransaction(wallet, signed, wtx.comment, wtx.commentTo);
        const bumped = wallet.txs.get(signed.txidHex);
        if (bumped) {
          bumped.replaces = wtx.txidHex;
          wallet.saveTx(bumped);
        }
        return {
          txid: signed.txidHex,
          origfee: amount(oldFee),
          fee: amount(created.fee),
          errors: [],
        };
      }),
  };
}

/** The fee bumping methods. */
export function bumpFeeMethods(): Method[] {
  return [bumpFee(), bumpFee("pstbumpfee")];
}
