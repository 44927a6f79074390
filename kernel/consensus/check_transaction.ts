import { WITNESS_SCALE_FACTOR } from "../primitives/transaction.ts";
import { MAX_MONEY, moneyRange } from "../amount/amount.ts";
import type { Transaction } from "../primitives/transaction.ts";
import { outpointKey } from "./coins.ts";
import { MAX_BLOCK_WEIGHT, SIZE_EXPANSION_MAX_BLOCK_WEIGHT } from "./consensus_constants.ts";
import {
  RULES_NONE,
  RULES_PROTOCOL_CLEANUP,
  RULES_SIZE_EXPANSION,
  type RuleSet,
} from "./rule_set.ts";
import { txInvalid, type TxValidationResult, VALID } from "./validation_result.ts";

/**
 * Context-free transaction checks (`CheckTransaction`, src/consensus/tx_check.cpp). The mempool
 * always passes `RULES_NONE` (pre-cleanup rules).
 *
 * @example
 * ```ts
 * import { checkTransaction } from "./check_transaction.ts";
 * import { Transaction } from "../primitives/transaction.ts";
 * const empty = new Transaction({ version: 2, inputs: [], outputs: [], lockTime: 0, lockHeight: 0 });
 * const result = checkTransaction(empty);
 * console.assert(!result.ok && result.reason === "bad-txns-vin-empty");
 * ```
 */
export function checkTransaction(tx: Transaction, rules: RuleSet = RULES_NONE): TxValidationResult {
  // Rule: at least one input. Reason: bad-txns-vin-empty.
  if (tx.inputs.length === 0) return txInvalid("consensus", "bad-txns-vin-empty");
  // Rule: at least one output, until the protocol cleanup. Reason: bad-txns-vout-empty.
  if (!(rules & RULES_PROTOCOL_CLEANUP) && tx.outputs.length === 0) {
    return txInvalid("consensus", "bad-txns-vout-empty");
  }
  // Rule: stripped size × 4 within the block weight limit. Reason: bad-txns-oversize.
  const limit = rules & RULES_SIZE_EXPANSION ? SIZE_EXPANSION_MAX_BLOCK_WEIGHT : MAX_BLOCK_WEIGHT;
  if (tx.strippedSize * WITNESS_SCALE_FACTOR > limit) {
    return txInvalid("consensus", "bad-txns-oversize");
  }
  // Rule: each output value in [0, MAX_MONEY], and their running sum in range (CVE-2010-5139).
  let valueOut = 0n;
  for (const output of tx.outputs) {
    if (output.value < 0n) return txInvalid("consensus", "bad-txns-vout-negative");
    if (output.value > MAX_MONEY) return txInvalid("consensus", "bad-txns-vout-toolarge");
    valueOut += output.value;
    if (!moneyRange(valueOut)) return txInvalid("consensus", "bad-txns-txouttotal-toolarge");
  }
  // Rule: no outpoint spent twice within the transaction (CVE-2018-17144).
  const seen = new Set<string>();
  for (const input of tx.inputs) {
    const key = outpointKey(input.prevout);
    if (seen.has(key)) return txInvalid("consensus", "bad-txns-inputs-duplicate");
    seen.add(key);
  }
  if (tx.isCoinBase()) {
    // Rule: coinbase scriptSig of 2..100 bytes, until the protocol cleanup. Reason: bad-cb-length.
    const size = tx.inputs[0].scriptSig.length;
    if (!(rules & RULES_PROTOCOL_CLEANUP) && (size < 2 || size > 100)) {
      return txInvalid("consensus", "bad-cb-length");
    }
  } else {
    // Rule: only a coinbase spends the null outpoint. Reason: bad-txns-prevout-null.
    for (const input of tx.inputs) {
      if (input.prevout.isNull()) return txInvalid("consensus", "bad-txns-prevout-null");
    }
  }
  return VALID;
}
