/**
 * The wallet's JSON-RPC methods, declared with freicoind's argument names, types and
 * defaults and run against a {@linkcode WalletLoaderService}.
 *
 * @module
 */
import type { RpcMethod } from "../../../rpc/mod.ts";
import type { WalletLoaderService } from "../wallet_loader.ts";
import { addressMethods } from "./address_methods.ts";
import { walletManagementMethods } from "./wallet_methods.ts";
import { importMethods } from "./import_methods.ts";
import { coinMethods } from "./coin_methods.ts";
import { transactionMethods } from "./transaction_methods.ts";
import { spendMethods } from "./spend_methods.ts";
import { encryptionMethods } from "./encrypt_methods.ts";
import { sendMethods } from "./send_method.ts";
import { legacyMethods } from "./legacy_methods.ts";
import { bumpFeeMethods } from "./bumpfee_method.ts";
import { signMessageMethods } from "./signmessage_method.ts";
import { miscMethods } from "./misc_methods.ts";
import { walletPstMethods } from "./pst_methods.ts";

/** Every wallet RPC method. */
export function walletRpcMethods(): RpcMethod<WalletLoaderService>[] {
  return [
    ...walletManagementMethods(),
    ...importMethods(),
    ...addressMethods(),
    ...coinMethods(),
    ...transactionMethods(),
    ...spendMethods(),
    ...encryptionMethods(),
    ...sendMethods(),
    ...legacyMethods(),
    ...bumpFeeMethods(),
    ...signMessageMethods(),
    ...miscMethods(),
    ...walletPstMethods(),
  ];
}
