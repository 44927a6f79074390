/**
 * A transaction as JSON without spent-coin data (`TxToUniv` as `gettransaction verbose=true`
 * shows it under `decoded`), from the writer in `common/tx_json/` the node uses too.
 *
 * @module
 */
import type { ChainPrefixes } from "../../../kernel/address/mod.ts";
import type { Transaction } from "../../../kernel/primitives/mod.ts";
import type { Secp256k1 } from "../../../kernel/secp256k1/mod.ts";
import type { JsonObject } from "../../../rpc/mod.ts";
import { txToJson } from "../../../common/tx_json/mod.ts";

/** The decoded form of `tx`. */
export function decodedTransaction(
  tx: Transaction,
  options: { readonly prefixes: ChainPrefixes; readonly secp: Secp256k1 },
): JsonObject {
  return txToJson(tx, options);
}
