/**
 * `bumpfee` (`src/wallet/feebumper.cpp`): replaces an unconfirmed, BIP125-signalling wallet
 * transaction by one spending the same inputs (and more if needed) at a higher fee rate,
 * keeping its lock_height, taking the fee from its change.
 *
 * @module
 */
import {
  getBool,
  getInt,
  getObject,
  helpExampleCli,
  type JsonObject,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
} from "../../../rpc/mod.ts";
import { adjustValue } from "../balances.ts";
import {
  type CoinControl,
  createTransaction,
  CreateTransactionError,
  feeForSize,
  type Recipient,
  walletFeeRate,
} from "../create_transaction.ts";
import type { Wallet } from "../wallet.ts";
import { hashHex } from "../wallet.ts";
import type { WalletLoaderService } from "../wallet_loader.ts";
import { outputKey, type WalletTx } from "../wallet_tx.ts";
import { amount, ensureUnlocked, parseHash, withWallet } from "./_util.ts";
import { commitTransaction, feeRateFromSatPerVb } from "./spend_methods.ts";
import { unsignedWalletPst } from "./pst_methods.ts";

type Method = RpcMethod<WalletLoaderService>;

/** The wallet's own incremental relay fee (WALLET_INCREMENTAL_RELAY_FEE), kria per kvB. */
const WALLET_INCREMENTAL_RELAY_FEE = 5_000n;

function checkBumpable(wallet: Wallet, wtx: WalletTx): void {
  const hasWalletSpend = wtx.tx.outputs.some((_o, n) =>
    (wallet.spends.get(outputKey(wtx.tx, n))?.size ?? 0) > 0
  );
  if (hasWalletSpend) {
    throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Transaction has descendants in the wallet");
  }
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
  for (const input of wtx.tx.inputs) {
    const prev = wallet.prevOutput(input.prevout);
    if (!prev || !wallet.isMine(prev.wtx.tx.outputs[prev.n].scriptPubKey)) {
      throw new RpcError(
        RPC_ERROR.WALLET_ERROR,
        "Transaction contains inputs that don't belong to this wallet",
      );
    }
  }
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
        inner: [],
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
        if (!wantPst) ensureUnlocked(wallet);
        if (wallet.privateKeysDisabled && !wantPst) {
          throw new RpcError(
            RPC_ERROR.WALLET_ERROR,
            "bumpfee is not available with wallets that have private keys disabled. Use pstbumpfee instead.",
          );
        }
        const txid = parseHash(call.arg(0), "txid");
        const options: JsonObject = call.maybeArg(1) !== undefined ? getObject(call.arg(1)) : {};
        const wtx = wallet.txs.get(hashHex(txid));
        if (!wtx) {
          throw new RpcError(
            RPC_ERROR.INVALID_ADDRESS_OR_KEY,
            "Invalid or non-wallet transaction id",
          );
        }
        checkBumpable(wallet, wtx);

        // The old fee at the transaction's lock height.
        let inputValue = 0n;
        for (const input of wtx.tx.inputs) {
          const prev = wallet.prevOutput(input.prevout)!;
          const output = prev.wtx.tx.outputs[prev.n];
          inputValue += adjustValue(
            wallet,
            output.value,
            wtx.tx.lockHeight - prev.wtx.tx.lockHeight,
          );
        }
        const outputValue = wtx.tx.outputs.reduce((sum, o) => sum + o.value, 0n);
        const oldFee = inputValue - outputValue;

        const control: CoinControl = {
          selected: wtx.tx.inputs.map((input) => input.prevout),
          lockHeight: wtx.tx.lockHeight,
          minDepth: 1,
          sign: !wantPst,
        };
        if (options.replaceable !== undefined) control.replaceable = getBool(options.replaceable);
        if (options.conf_target !== undefined) control.confirmTarget = getInt(options.conf_target);
        const recipients: Recipient[] = [];
        let changeValue = 0n;
        let changeScript: Uint8Array | undefined;
        const originalChange = options.original_change_index !== undefined
          ? getInt(options.original_change_index)
          : undefined;
        if (
          originalChange !== undefined &&
          (originalChange < 0 || originalChange >= wtx.tx.outputs.length)
        ) {
          throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Change position is out of range");
        }
        wtx.tx.outputs.forEach((output, i) => {
          const isChange = originalChange !== undefined
            ? originalChange === i
            : wallet.isMine(output.scriptPubKey) && wallet.isChange(output.scriptPubKey);
          if (isChange) {
            changeScript = output.scriptPubKey;
            changeValue += output.value;
          } else {
            recipients.push({
              script: output.scriptPubKey,
              value: output.value,
              subtractFee: false,
            });
          }
        });
        if (changeScript) control.changeScript = changeScript;
        if (recipients.length === 0) {
          if (!changeScript) {
            throw new RpcError(
              RPC_ERROR.INVALID_PARAMETER,
              "Unable to create transaction. Transaction must have at least one recipient",
            );
          }
          recipients.push({ script: changeScript, value: changeValue, subtractFee: true });
          control.changeScript = undefined;
        }

        const relay = await wallet.options.chain.relayFees();
        const incremental = relay.incremental > WALLET_INCREMENTAL_RELAY_FEE
          ? relay.incremental
          : WALLET_INCREMENTAL_RELAY_FEE;
        if (options.fee_rate !== undefined) {
          const rate = feeRateFromSatPerVb(options.fee_rate);
          control.feeRate = rate;
          const required = oldFee + feeForSize(incremental, wtx.tx.virtualSize);
          if (feeForSize(rate, wtx.tx.virtualSize) < required) {
            throw new RpcError(
              RPC_ERROR.INVALID_PARAMETER,
              `Insufficient total fee ${
                fmt(feeForSize(rate, wtx.tx.virtualSize))
              }, must be at least ${fmt(required)} (oldFee ${fmt(oldFee)} + incrementalFee ${
                fmt(feeForSize(incremental, wtx.tx.virtualSize))
              })`,
            );
          }
        } else {
          // The old rate plus one kria, plus the incremental relay fee, at least the wallet's rate.
          const oldRate = oldFee * 1000n / BigInt(wtx.tx.virtualSize) + 1n;
          let rate = oldRate + incremental;
          const walletRate = await walletFeeRate(wallet, { confirmTarget: control.confirmTarget })
            .catch(() => 0n);
          if (walletRate > rate) rate = walletRate;
          control.feeRate = rate;
        }
        if (options.estimate_mode !== undefined && options.fee_rate !== undefined) {
          throw new RpcError(
            RPC_ERROR.INVALID_PARAMETER,
            "Cannot specify both estimate_mode and fee_rate",
          );
        }

        let created;
        try {
          created = await createTransaction(wallet, recipients, control);
        } catch (error) {
          if (error instanceof CreateTransactionError) {
            throw new RpcError(
              RPC_ERROR.WALLET_ERROR,
              `Unable to create transaction. ${error.message}`,
            );
          }
          throw error;
        }
        if (wantPst) {
          return {
            pst: unsignedWalletPst(wallet, created.tx),
            origfee: amount(oldFee),
            fee: amount(created.fee),
            errors: [],
          };
        }
        wallet.db.transaction(() => {
          wtx.replacedBy = created.tx.txidHex;
          wallet.saveTx(wtx);
        });
        await commitTransaction(wallet, created.tx, wtx.comment, wtx.commentTo);
        const bumped = wallet.txs.get(created.tx.txidHex);
        if (bumped) {
          bumped.replaces = wtx.txidHex;
          wallet.saveTx(bumped);
        }
        return {
          txid: created.tx.txidHex,
          origfee: amount(oldFee),
          fee: amount(created.fee),
          errors: [],
        };
      }),
  };
}

function fmt(kria: bigint): string {
  return `${kria / 100_000_000n}.${(kria % 100_000_000n).toString().padStart(8, "0")} FRC`;
}

/** The fee bumping methods. */
export function bumpFeeMethods(): Method[] {
  return [bumpFee(), bumpFee("pstbumpfee")];
}
