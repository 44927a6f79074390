/**
 * Smaller wallet RPCs: removeprunedfunds (`backup.cpp`), simulaterawtransaction
 * (`wallet.cpp`, reference values as freicoind) and walletdisplayaddress
 * (`addresses.cpp`; only external-signer wallets can display addresses, and this wallet has
 * none, so it answers as freicoind does for any other wallet).
 *
 * @module
 */
import { decodeDestination, isValidDestination } from "../../../kernel/address/mod.ts";
import {
  getArray,
  getStr,
  helpExampleCli,
  helpExampleRpc,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
} from "../../../rpc/mod.ts";
import { hexToBytes, isHex } from "../../../kernel/encoding/mod.ts";
import { decodeTransaction } from "../../../kernel/primitives/mod.ts";
import type { WalletLoaderService } from "../wallet_loader.ts";
import { outpointKey, outputKey } from "../wallet_tx.ts";
import { amount, bytesToDisplayHex, parseHash, withWallet } from "./_util.ts";

type Method = RpcMethod<WalletLoaderService>;

function removePrunedFunds(): Method {
  return {
    name: "removeprunedfunds",
    category: "wallet",
    description:
      "\nDeletes the specified transaction from the wallet. Meant for use with pruned wallets and as a companion to importprunedfunds. This will affect wallet balances.\n",
    args: [{
      names: "txid",
      type: "str_hex",
      description: "The hex-encoded id of the transaction you are deleting",
    }],
    results: [{ type: "none" }],
    examples: helpExampleCli(
      "removeprunedfunds",
      '"a8d0c0184dde994a09ec054286f1ce581bebf46446a512166eae7628734ea0a5"',
    ) +
      helpExampleRpc(
        "removeprunedfunds",
        '"a8d0c0184dde994a09ec054286f1ce581bebf46446a512166eae7628734ea0a5"',
      ),
    handler: (call) =>
      withWallet(call, (wallet) => {
        const txid = bytesToDisplayHex(parseHash(call.arg(0), "txid"));
        if (!wallet.removeTransaction(txid)) {
          throw new RpcError(
            RPC_ERROR.WALLET_ERROR,
            `Transaction ${txid} does not belong to this wallet`,
          );
        }
        return null;
      }),
  };
}

function walletDisplayAddress(): Method {
  return {
    name: "walletdisplayaddress",
    category: "wallet",
    description: "Display address on an external signer for verification.",
    args: [{ names: "address", type: "str", description: "freicoin address to display" }],
    results: [{
      type: "obj",
      inner: [{
        type: "str",
        key: "address",
        description: "The address as confirmed by the signer",
      }],
    }],
    examples: "",
    handler: (call) =>
      withWallet(call, (wallet) => {
        const decoded = decodeDestination(getStr(call.arg(0)), wallet.options.prefixes);
        if (!decoded.ok || !isValidDestination(decoded.destination)) {
          throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, "Invalid address");
        }
        throw new RpcError(RPC_ERROR.MISC_ERROR, "Failed to display address");
      }),
  };
}

function outpointBytes(hash: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(36);
  out.set(hash, 0);
  new DataView(out.buffer).setUint32(32, n, true);
  return out;
}

function simulateRawTransaction(): Method {
  return {
    name: "simulaterawtransaction",
    category: "wallet",
    description:
      "\nCalculate the balance change resulting in the signing and broadcasting of the given transaction(s).\n",
    args: [
      {
        names: "rawtxs",
        type: "arr",
        optional: true,
        description: "An array of hex strings of raw transactions.\n",
        inner: [{ names: "rawtx", type: "str_hex", optional: true, description: "" }],
      },
      {
        names: "options",
        type: "obj_named_params",
        optional: true,
        description: "",
        inner: [{
          names: "include_watchonly",
          type: "bool",
          defaultHint: "true for watch-only wallets, otherwise false",
          description: "Whether to include watch-only addresses (see RPC importaddress)",
        }],
      },
    ],
    results: [{
      type: "obj",
      inner: [{
        type: "str_amount",
        key: "balance_change",
        description: "The wallet balance change (negative means decrease).",
      }],
    }],
    examples: helpExampleCli("simulaterawtransaction", '["myhex"]') +
      helpExampleRpc("simulaterawtransaction", '["myhex"]'),
    handler: (call) =>
      withWallet(call, async (wallet) => {
        let change = 0n;
        const created = new Map<string, bigint>();
        const spent = new Set<string>();
        for (const item of getArray(call.arg(0))) {
          const text = getStr(item);
          let tx;
          try {
            if (!isHex(text)) throw new Error("not hex");
            tx = decodeTransaction(hexToBytes(text));
          } catch {
            throw new RpcError(
              RPC_ERROR.DESERIALIZATION_ERROR,
              "Transaction hex string decoding failure.",
            );
          }
          const coins = await wallet.options.chain.findCoins(
            tx.inputs.map((input) => outpointBytes(input.prevout.hash, input.prevout.n)),
          );
          tx.inputs.forEach((input, i) => {
            const key = outpointKey(input.prevout);
            if (spent.has(key)) {
              throw new RpcError(
                RPC_ERROR.INVALID_PARAMETER,
                "Transaction(s) are spending the same output more than once",
              );
            }
            const made = created.get(key);
            if (made !== undefined) {
              change -= made;
              created.delete(key);
            } else {
              if (coins[i] === null) {
                throw new RpcError(
                  RPC_ERROR.INVALID_PARAMETER,
                  "One or more transaction inputs are missing or have been spent already",
                );
              }
              const prev = wallet.prevOutput(input.prevout);
              const output = prev?.wtx.tx.outputs[prev.n];
              if (output && wallet.isMine(output.scriptPubKey)) change -= output.value;
            }
            spent.add(key);
          });
          tx.outputs.forEach((output, n) => {
            const value = wallet.isMine(output.scriptPubKey) ? output.value : 0n;
            created.set(outputKey(tx, n), value);
            change += value;
          });
        }
        return { balance_change: amount(change) };
      }),
  };
}

/** The smaller methods. */
export function miscMethods(): Method[] {
  return [removePrunedFunds(), walletDisplayAddress(), simulateRawTransaction()];
}
