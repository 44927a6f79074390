import { WITNESS_SCALE_FACTOR } from "../primitives/transaction.ts";
import { MAX_MONEY, moneyRange } from "../amount/amount.ts";
import { bytesEqual } from "../encoding/bytes.ts";
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
  // Index loops throughout: this runs for every transaction of every block.
  const { inputs, outputs } = tx;
  // Rule: each output value in [0, MAX_MONEY], and their running sum in range (CVE-2010-5139).
  let valueOut = 0n;
  for (let i = 0; i < outputs.length; i++) {
    const value = outputs[i].value;
    if (value < 0n) return txInvalid("consensus", "bad-txns-vout-negative");
    if (value > MAX_MONEY) return txInvalid("consensus", "bad-txns-vout-toolarge");
    valueOut += value;
    if (!moneyRange(valueOut)) return txInvalid("consensus", "bad-txns-txouttotal-toolarge");
  }
  // Rule: no outpoint spent twice within the transaction (CVE-2018-17144).
  if (hasDuplicateInput(tx)) return txInvalid("consensus", "bad-txns-inputs-duplicate");
  if (tx.isCoinBase()) {
    // Rule: coinbase scriptSig of 2..100 bytes, until the protocol cleanup. Reason: bad-cb-length.
    const size = inputs[0].scriptSig.length;
    if (!(rules & RULES_PROTOCOL_CLEANUP) && (size < 2 || size > 100)) {
      return txInvalid("consensus", "bad-cb-length");
    }
  } else {
    // Rule: only a coinbase spends the null outpoint. Reason: bad-txns-prevout-null.
    for (let i = 0; i < inputs.length; i++) {
      if (inputs[i].prevout.isNull()) return txInvalid("consensus", "bad-txns-prevout-null");
    }
  }
  return VALID;
}

/** Up to this many inputs, comparing every pair is cheaper than building a set of keys. */
const PAIRWISE_INPUT_LIMIT = 8;

/** Whether two inputs of `tx` spend the same outpoint. */
function hasDuplicateInput(tx: Transaction): boolean {
  const inputs = tx.inputs;
  if (inputs.length <= PAIRWISE_INPUT_LIMIT) {
    for (let i = 1; i < inputs.length; i++) {
      const a = inputs[i].prevout;
      for (let j = 0; j < i; j++) {
        const b = inputs[j].prevout;
        if (a.n === b.n && bytesEqual(a.hash, b.hash)) return true;
      }
    }
    return false;
  }
  const seen = new Set<string>();
  for (let i = 0; i < inputs.length; i++) {
    const key = outpointKey(inputs[i].prevout);
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}
