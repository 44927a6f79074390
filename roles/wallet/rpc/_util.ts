/**
 * Helpers shared by the wallet RPC methods: finding the wallet a call is for, running under
 * its lock, and reading common argument kinds.
 *
 * @module
 */
import { decodeDestination, type Destination } from "../../../kernel/address/mod.ts";
import { isHex } from "../../../kernel/encoding/mod.ts";
import {
  amountToJson,
  getStr,
  type JsonObject,
  type JsonValue,
  RPC_ERROR,
  type RpcCall,
  RpcError,
} from "../../../rpc/mod.ts";
import type { Wallet } from "../wallet.ts";
import { hashFromDisplayHex } from "../wallet.ts";
import type { WalletLoaderService } from "../wallet_loader.ts";

/** A wallet RPC call. */
export type WalletCall = RpcCall<WalletLoaderService>;

/**
 * Runs `body` with the call's wallet under the wallet's lock, after the chain's queued
 * notifications have reached it (`BlockUntilSyncedToCurrentChain`).
 */
export async function withWallet<T>(
  call: WalletCall,
  body: (wallet: Wallet) => T | Promise<T>,
): Promise<T> {
  const wallet = call.context.walletForUri(call.uri);
  await wallet.options.chain.waitForNotifications();
  return wallet.lock.run(() => body(wallet));
}

/** An amount in kria as a JSON number with 8 decimals. */
export function amount(kria: bigint): JsonValue {
  return amountToJson(kria);
}

/** A 64-hex-digit txid or block hash argument (`ParseHashV`), internal byte order. */
export function parseHash(value: JsonValue | undefined, name: string): Uint8Array {
  const text = getStr(value);
  if (text.length !== 64) {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      `${name} must be of length 64 (not ${text.length}, for '${text}')`,
    );
  }
  if (!isHex(text)) {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      `${name} must be hexadecimal string (not '${text}')`,
    );
  }
  return hashFromDisplayHex(text);
}

/** Decodes an address for this wallet's network, or throws -5 with `message`. */
export function parseAddress(
  wallet: Wallet,
  text: string,
  message = "Invalid Freicoin address",
): Destination {
  const decoded = decodeDestination(text, wallet.options.prefixes);
  if (!decoded.ok) {
    throw new RpcError(
      RPC_ERROR.INVALID_ADDRESS_OR_KEY,
      decoded.error ? `${message}: ${decoded.error}` : message,
    );
  }
  return decoded.destination;
}

/** `lastprocessedblock` of wallet results. */
export function lastProcessedBlock(wallet: Wallet): JsonObject {
  return {
    hash: bytesToDisplayHex(wallet.lastBlockHash),
    height: wallet.lastBlockHeight,
  };
}

/** Display-order hex of an internal-order hash. */
export function bytesToDisplayHex(hash: Uint8Array): string {
  let out = "";
  for (let i = hash.length - 1; i >= 0; i--) out += hash[i].toString(16).padStart(2, "0");
  return out;
}

/** Throws -4 unless the wallet may hold private keys. */
export function ensurePrivateKeysEnabled(wallet: Wallet, message: string): void {
  if (wallet.privateKeysDisabled) throw new RpcError(RPC_ERROR.WALLET_ERROR, message);
}

/** A label argument; "*" is reserved (`LabelFromValue`). */
export function parseLabel(value: JsonValue | undefined): string {
  const label = typeof value === "string" ? value : "";
  if (label === "*") throw new RpcError(RPC_ERROR.WALLET_INVALID_LABEL_NAME, "Invalid label name");
  return label;
}

/** Throws -13 while the wallet is encrypted and locked (`EnsureWalletIsUnlocked`). */
export function ensureUnlocked(wallet: Wallet): void {
  if (wallet.isLocked()) {
    throw new RpcError(
      RPC_ERROR.WALLET_UNLOCK_NEEDED,
      "Error: Please enter the wallet passphrase with walletpassphrase first.",
    );
  }
}
