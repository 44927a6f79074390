/**
 * Transaction sigop totals for the block sigop limits (src/consensus/tx_verify.cpp). The
 * counting itself is kernel/script's (`CScript::GetSigOpCount`, script/sigops.ts); this file
 * only sums it over a transaction's scripts and spent coins. Freicoin counts no witness
 * sigops at all.
 */

import { WITNESS_SCALE_FACTOR } from "../primitives/transaction.ts";
import type { Transaction } from "../primitives/transaction.ts";
import { VerifyFlags } from "../script/flags.ts";
import { isPayToScriptHash } from "../script/script.ts";
import { getP2shSigOpCount, getSigOpCount } from "../script/sigops.ts";
import type { CoinsView } from "./coins.ts";

/** `GetLegacySigOpCount`: inaccurate counts over every scriptSig and scriptPubKey. */
export function legacySigOpCount(tx: Transaction): number {
  // Index loops: called for every transaction of every block, no iterator objects wanted.
  const { inputs, outputs } = tx;
  let count = 0;
  for (let i = 0; i < inputs.length; i++) count += getSigOpCount(inputs[i].scriptSig, false);
  for (let i = 0; i < outputs.length; i++) count += getSigOpCount(outputs[i].scriptPubKey, false);
  return count;
}

/** `GetP2SHSigOpCount`: redeem-script sigops of the P2SH coins `tx` spends (0 for coinbase). */
export function p2shSigOpCountOfTx(tx: Transaction, view: CoinsView): number {
  if (tx.isCoinBase()) return 0;
  const inputs = tx.inputs;
  let count = 0;
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i];
    const coin = view.getCoin(input.prevout);
    if (!coin) throw new Error("p2sh sigops: input coin missing");
    if (isPayToScriptHash(coin.output.scriptPubKey)) {
      count += getP2shSigOpCount(coin.output.scriptPubKey, input.scriptSig);
    }
  }
  return count;
}

/**
 * `GetTransactionSigOpCost`: legacy sigops × 4, plus P2SH sigops × 4 when P2SH is enforced.
 * The spent coins must still be in `view`.
 */
export function transactionSigOpCost(tx: Transaction, view: CoinsView, flags: number): number {
  let cost = legacySigOpCount(tx) * WITNESS_SCALE_FACTOR;
  if (tx.isCoinBase()) return cost;
  if (flags & VerifyFlags.P2SH) cost += p2shSigOpCountOfTx(tx, view) * WITNESS_SCALE_FACTOR;
  return cost;
}
