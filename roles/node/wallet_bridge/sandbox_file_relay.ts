/**
 * File arguments of wallet RPCs for a sandboxed wallet process, which may read and write its
 * wallet directory only: the node (which may reach the paths a user names) stages the file in
 * the wallet directory and moves it. `backupwallet <dest>` backs up to a staging file that the
 * node then moves to `<dest>`; `restorewallet <name> <file>` restores from a staged copy.
 *
 * @module
 */
import * as path from "node:path";
import { RPC_ERROR, RpcError } from "../../../rpc/mod.ts";
import type { JsonValue } from "../../../rpc/mod.ts";

/** The methods whose file argument is relayed. */
export const RELAYED_FILE_METHODS: ReadonlySet<string> = new Set(["backupwallet", "restorewallet"]);

/** Sends one call with (possibly rewritten) positional parameters to the wallet. */
export type SendWithParams = (params: JsonValue[]) => Promise<JsonValue>;

/** A fresh staging path inside `walletDir`. */
function stagingPath(walletDir: string): string {
  return path.join(walletDir, `.relay-${crypto.randomUUID()}.tmp`);
}

function removeQuietly(file: string): void {
  try {
    Deno.removeSync(file);
  } catch {
    // already gone
  }
}

/** Moves `from` to `to`, copying when they are on different file systems. */
function moveFile(from: string, to: string): void {
  try {
    Deno.renameSync(from, to);
  } catch {
    Deno.copyFileSync(from, to);
    removeQuietly(from);
  }
}

/**
 * `backupwallet` for a sandboxed wallet: the wallet writes a staging file in its directory,
 * then the node moves it to the destination (a directory or the wallet's own file is refused,
 * as freicoind's SQLite backup does).
 */
export async function relayBackup(
  params: readonly JsonValue[],
  walletDir: string,
  walletName: string,
  send: SendWithParams,
): Promise<JsonValue> {
  const destination = params[0];
  if (typeof destination !== "string") return await send([...params]);
  const staging = stagingPath(walletDir);
  try {
    const result = await send([staging, ...params.slice(1)]);
    const target = path.resolve(destination);
    const own = path.join(walletDir, walletName, "wallet.dat");
    try {
      // As freicoind's SQLite backup: a directory cannot be the copy, nor the wallet's own file.
      if (
        Deno.statSync(target).isDirectory || Deno.realPathSync(target) === Deno.realPathSync(own)
      ) {
        throw new RpcError(RPC_ERROR.WALLET_ERROR, "Error: Wallet backup failed!");
      }
    } catch (error) {
      if (error instanceof RpcError) throw error;
      // a new file
    }
    try {
      moveFile(staging, target);
    } catch {
      throw new RpcError(RPC_ERROR.WALLET_ERROR, "Error: Wallet backup failed!");
    }
    return result;
  } finally {
    removeQuietly(staging);
  }
}

/**
 * `restorewallet` for a sandboxed wallet: the backup file is copied into the wallet directory
 * for the wallet to read. A file the node cannot read either is passed as given (the wallet
 * then answers freicoind's error for it).
 */
export async function relayRestore(
  params: readonly JsonValue[],
  walletDir: string,
  send: SendWithParams,
): Promise<JsonValue> {
  const file = params[1];
  if (typeof file !== "string") return await send([...params]);
  const staging = stagingPath(walletDir);
  try {
    Deno.copyFileSync(path.resolve(file), staging);
  } catch {
    return await send([...params]);
  }
  try {
    return await send([params[0], staging, ...params.slice(2)]);
  } finally {
    removeQuietly(staging);
  }
}
