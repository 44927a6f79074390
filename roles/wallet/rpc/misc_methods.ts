/**
 * Smaller wallet RPCs: removeprunedfunds (`backup.cpp`) and walletdisplayaddress
 * (`addresses.cpp`; only external-signer wallets can display addresses, and this wallet has
 * none, so it answers as freicoind does for any other wallet).
 *
 * @module
 */
import { decodeDestination, isValidDestination } from "../../../kernel/address/mod.ts";
import {
  getStr,
  helpExampleCli,
  helpExampleRpc,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
} from "../../../rpc/mod.ts";
import type { WalletLoaderService } from "../wallet_loader.ts";
import { bytesToDisplayHex, parseHash, withWallet } from "./_util.ts";

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

/** The smaller methods. */
export function miscMethods(): Method[] {
  return [removePrunedFunds(), walletDisplayAddress()];
}
