/**
 * A transaction as JSON without spent-coin data (`TxToUniv` as `gettransaction verbose=true`
 * shows it under `decoded`): Freicoin's `lockheight` after `locktime`.
 *
 * Note: roles/node has the same writer (with undo data); a shared copy below the roles would
 * remove the duplication.
 *
 * @module
 */
import {
  type ChainPrefixes,
  encodeDestination,
  extractDestination,
} from "../../../kernel/address/mod.ts";
import { inferDescriptor } from "../../../kernel/descriptor/mod.ts";
import { bytesToHex, hashToHex } from "../../../kernel/encoding/mod.ts";
import type { Transaction } from "../../../kernel/primitives/mod.ts";
import { disassemble, solveScript } from "../../../kernel/script/mod.ts";
import type { Secp256k1 } from "../../../kernel/secp256k1/mod.ts";
import { amountToJson, type JsonObject } from "../../../rpc/mod.ts";

/** The decoded form of `tx`. */
export function decodedTransaction(
  tx: Transaction,
  options: { readonly prefixes: ChainPrefixes; readonly secp: Secp256k1 },
): JsonObject {
  return {
    txid: tx.txidHex,
    hash: tx.wtxidHex,
    version: tx.version >>> 0,
    size: tx.totalSize,
    vsize: tx.virtualSize,
    weight: tx.weight,
    locktime: tx.lockTime,
    lockheight: tx.lockHeight,
    vin: tx.inputs.map((input) => {
      const item: JsonObject = {};
      if (tx.isCoinBase()) {
        item.coinbase = bytesToHex(input.scriptSig);
      } else {
        item.txid = hashToHex(input.prevout.hash);
        item.vout = input.prevout.n;
        item.scriptSig = {
          asm: disassemble(input.scriptSig, true),
          hex: bytesToHex(input.scriptSig),
        };
      }
      if (input.witness.length > 0) item.txinwitness = input.witness.map((w) => bytesToHex(w));
      item.sequence = input.sequence;
      return item;
    }),
    vout: tx.outputs.map((output, n) => {
      const script = output.scriptPubKey;
      const type = solveScript(script).type;
      const scriptPubKey: JsonObject = {
        asm: disassemble(script),
        desc: inferDescriptor(script, {}, options).toString(),
        hex: bytesToHex(script),
      };
      if (type !== "pubkey") {
        const address = encodeDestination(extractDestination(script), options.prefixes);
        if (address !== "") scriptPubKey.address = address;
      }
      scriptPubKey.type = type;
      return { value: amountToJson(output.value), n, scriptPubKey };
    }),
  };
}
