import { moneyRange } from "../amount/amount.ts";
import { formatAmount } from "../amount/format_amount.ts";
import type { ConsensusParams } from "../chain/consensus_params.ts";
import type { Transaction } from "../primitives/transaction.ts";
import { type Coin, coinPresentValue, type CoinsView } from "./coins.ts";
import { COINBASE_MATURITY } from "./consensus_constants.ts";
import { RULES_PROTOCOL_CLEANUP, RULES_SIZE_EXPANSION, type RuleSet } from "./rule_set.ts";
import { txInvalid, type TxValidationFailure } from "./validation_result.ts";

/** Options of {@link checkTxInputs}. */
export interface CheckTxInputsOptions {
  /** Height of the block the transaction would be in (`nSpendHeight`). */
  readonly spendHeight: number;
  /** Flag-day rules in force. Default: none. */
  readonly rules?: RuleSet;
  /**
   * Kria added to each input's present value: 0 except on historical mainnet blocks
   * (`!truncate_inputs + !use_alu`). Default 0.
   */
  readonly perInputAdjustment?: number;
}

/** A passed input check with the transaction's fee at its own lock_height. */
export interface CheckTxInputsSuccess {
  readonly ok: true;
  /** Σ present input values at tx.lock_height − Σ output values. */
  readonly fee: bigint;
  /** Σ present input values at tx.lock_height (with any per-input adjustment). */
  readonly valueIn: bigint;
  /** The spent coins, in input order. */
  readonly coins: readonly Coin[];
}

/**
 * `Consensus::CheckTxInputs`: every input exists; coinbase outputs are mature; lock_height is
 * not below any spent coin's refheight (monotonic lock-height rule — not for 0-value coins
 * after the cleanup, and never in bitcoin mode); input values, adjusted per input to
 * tx.lock_height and then summed, are in range and cover the outputs.
 *
 * @example
 * ```ts
 * import { checkTxInputs } from "./check_tx_inputs.ts";
 * import { MemoryCoinsView } from "./coins.ts";
 * import { selectParams } from "../chain/chain_params.ts";
 * import { OutPoint, Transaction, TxIn, TxOut } from "../primitives/mod.ts";
 * const view = new MemoryCoinsView();
 * const prevout = new OutPoint(new Uint8Array(32).fill(7), 0);
 * view.addCoin(prevout, { output: new TxOut(100n, new Uint8Array([0x51])), height: 5, isCoinBase: false, refheight: 5 }, false);
 * const tx = new Transaction({ version: 2, inputs: [new TxIn({ prevout })], outputs: [new TxOut(90n, new Uint8Array([0x51]))], lockTime: 0, lockHeight: 4 });
 * const result = checkTxInputs(tx, view, selectParams("regtest").consensus, { spendHeight: 6 });
 * console.assert(!result.ok && result.reason === "bad-txns-non-monotonic-lock-height");
 * ```
 */
export function checkTxInputs(
  tx: Transaction,
  view: CoinsView,
  params: ConsensusParams,
  options: CheckTxInputsOptions,
): CheckTxInputsSuccess | TxValidationFailure {
  const rules = options.rules ?? 0;
  const adjustment = BigInt(options.perInputAdjustment ?? 0);
  const coins: Coin[] = [];
  for (const input of tx.inputs) {
    const coin = view.getCoin(input.prevout);
    // Rule: all inputs are unspent coins. Reason: bad-txns-inputs-missingorspent.
    if (!coin) {
      return txInvalid(
        "missing-inputs",
        "bad-txns-inputs-missingorspent",
        "CheckTxInputs: inputs missing/spent",
      );
    }
    coins.push(coin);
  }
  let valueIn = 0n;
  for (const coin of coins) {
    // Rule: coinbase outputs mature after 100 blocks (1 after the size expansion).
    const maturity = rules & RULES_SIZE_EXPANSION ? 1 : COINBASE_MATURITY;
    if (coin.isCoinBase && options.spendHeight - coin.height < maturity) {
      return txInvalid(
        "premature-spend",
        "bad-txns-premature-spend-of-coinbase",
        `tried to spend coinbase at depth ${options.spendHeight - coin.height}`,
      );
    }
    // Rule: monotonic lock height, tx.lock_height >= coin.refheight.
    // Reason: bad-txns-non-monotonic-lock-height.
    const enforceMonotonic = coin.output.value !== 0n || !(rules & RULES_PROTOCOL_CLEANUP);
    if (enforceMonotonic && !params.bitcoinMode && tx.lockHeight < coin.refheight) {
      return txInvalid(
        "premature-spend",
        "bad-txns-non-monotonic-lock-height",
        `tx.lock_height < coin.refheight (${tx.lockHeight} < ${coin.refheight})`,
      );
    }
    // Rule: per-input present values and their running sum in range.
    // Reason: bad-txns-inputvalues-outofrange.
    const input = coinPresentValue(coin, tx.lockHeight, { bitcoinMode: params.bitcoinMode }) +
      adjustment;
    valueIn += input;
    if (!moneyRange(coin.output.value) || !moneyRange(input) || !moneyRange(valueIn)) {
      return txInvalid("consensus", "bad-txns-inputvalues-outofrange");
    }
  }
  let valueOut = 0n;
  for (const output of tx.outputs) valueOut += output.value;
  // Rule: inputs cover outputs. Reason: bad-txns-in-belowout.
  if (valueIn < valueOut) {
    return txInvalid(
      "consensus",
      "bad-txns-in-belowout",
      `value in (${formatMoney(valueIn)}) < value out (${formatMoney(valueOut)})`,
    );
  }
  const fee = valueIn - valueOut;
  // Rule: fee in range. Reason: bad-txns-fee-outofrange.
  if (!moneyRange(fee)) return txInvalid("consensus", "bad-txns-fee-outofrange");
  return { ok: true, fee, valueIn, coins };
}

/** `FormatMoney`: like the RPC amount form but trailing zeros trimmed to two decimals. */
function formatMoney(value: bigint): string {
  const text = formatAmount(value);
  return text.replace(/(\.\d\d\d*?)0+$/, "$1");
}
