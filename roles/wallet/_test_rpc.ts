/**
 * Test support: wallet RPC calls through a loader, and output scripts of regtest addresses.
 *
 * @module
 */
import {
  decodeDestination,
  REGTEST_PREFIXES,
  scriptForDestination,
} from "../../kernel/address/mod.ts";
import type { WalletLoaderService } from "./wallet_loader.ts";

/**
 * Runs a wallet RPC through `loader` (at `/wallet/<wallet>` when given) and returns its result;
 * throws with the error message on an error reply.
 */
export async function ok(
  loader: WalletLoaderService,
  method: string,
  params: unknown[],
  wallet?: string,
): Promise<unknown> {
  const uri = wallet === undefined ? "/" : `/wallet/${wallet}`;
  const reply = JSON.parse(
    await loader.executeRpc(JSON.stringify({ method, params, id: 1 }), uri, "test"),
  );
  if (reply.error !== null) throw new Error(`${method}: ${reply.error.message}`);
  return reply.result;
}

/** The output script of a regtest address. */
export function scriptOf(address: string): Uint8Array {
  const decoded = decodeDestination(address, REGTEST_PREFIXES);
  if (!decoded.ok) throw new Error("bad address");
  return scriptForDestination(decoded.destination);
}
