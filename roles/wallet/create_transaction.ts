/**
 * Building a payment (`src/wallet/spend.cpp CreateTransaction`): lock_height at the next
 * block, coins valued at that height (demurrage), a fee rate from -paytxfee, the node's
 * estimate or -fallbackfee, coin selection, a change output when it is worth keeping,
 * anti-fee-sniping nLockTime, then signing.
 *
 * Coin selection here is simpler than freicoind's (which runs branch-and-bound, knapsack and
 * single-random-draw and keeps the least wasteful): an exact-match search without change
 * first, then the smallest single coin that covers the target with change, then the largest
 * coins until the target is met. Confirmed coins are preferred to unconfirmed change.
 *
 * @module
 */
import {
  extractDestination,
  type OutputType,
  outputTypeOfDestination,
} from "../../kernel/address/mod.ts";
import { bytesToHex } from "../../kernel/encoding/mod.ts";
import { type OutPoint, Transaction, TxIn, TxOut } from "../../kernel/primitives/mod.ts";
import { isUnspendable, witnessProgram } from "../../kernel/script/mod.ts";
import { adjustValue, availableCoins, type WalletCoin } from "./balances.ts";
import { dummySolution, signTransaction, type SpentCoin } from "./signer.ts";
import type { Wallet } from "./wallet.ts";

/** BIP125 opt-in sequence (MAX_BIP125_RBF_SEQUENCE). */
export const MAX_BIP125_RBF_SEQUENCE = 0xfffffffd;
/** The highest non-final sequence (CTxIn::MAX_SEQUENCE_NONFINAL). */
const MAX_SEQUENCE_NONFINAL = 0xfffffffe;
/** Inputs estimated for change spends (`change_spend_size` of a P2WPK). */
const DISCARD_FEE_RATE = 10_000n;

/** A payment output (`CRecipient`). */
export interface Recipient {
  readonly script: Uint8Array;
  readonly value: bigint;
  readonly subtractFee: boolean;
}

/** Options for one transaction (`CCoinControl`). */
export interface CoinControl {
  /** Fee rate in kria per kvB; overrides estimation. */
  feeRate?: bigint;
  /** Use `feeRate` even below the minimum fee rate (`fOverrideFeeRate`). */
  overrideFeeRate?: boolean;
  confirmTarget?: number;
  /** BIP125 signalling; default -walletrbf. */
  replaceable?: boolean;
  changeType?: OutputType;
  /** A fixed change script. */
  changeScript?: Uint8Array;
  /** Inputs that must be used (they may be outside the wallet if `external` gives them). */
  selected?: OutPoint[];
  /** Only use the selected inputs. */
  onlySelected?: boolean;
  /** Coins of selected inputs the wallet does not know. */
  external?: Map<string, SpentCoin>;
  /** Position of the change output. */
  changePosition?: number;
  /** nLockTime to use instead of anti-fee-sniping. */
  lockTime?: number;
  /** lock_height; default tip + 1. */
  lockHeight?: number;
  /** Minimum confirmations of selected coins (default: 0 for own change, see below). */
  minDepth?: number;
  includeUnsafe?: boolean;
  /** Sign the transaction (default true). */
  sign?: boolean;
  /** Set by fee selection: freicoind's `fee_reason` text. */
  feeReason?: string;
}

/** A built transaction. */
export interface CreatedTransaction {
  readonly tx: Transaction;
  readonly fee: bigint;
  readonly changePosition: number;
  /** Whether every input was signed. */
  readonly complete: boolean;
}

/** Thrown for every failure to build, with freicoind's text (RPCs answer -6 or -4). */
export class CreateTransactionError extends Error {
  override name = "CreateTransactionError";
}

/** `CFeeRate::GetFee`: rate × size / 1000, rounded up. */
export function feeForSize(rate: bigint, vsize: number): bigint {
  const size = BigInt(vsize);
  const fee = (rate * size + 999n) / 1000n;
  return fee === 0n && size !== 0n && rate > 0n ? 1n : fee;
}

/** `GetDustThreshold`: the fee to spend the output at the dust relay rate. */
export function dustThreshold(output: TxOut, dustRate: bigint): bigint {
  if (isUnspendable(output.scriptPubKey)) return 0n;
  let size = 8 + compactSize(output.scriptPubKey.length) + output.scriptPubKey.length;
  size += witnessProgram(output.scriptPubKey) !== null ? 32 + 4 + 1 + 26 + 4 : 32 + 4 + 1 + 107 + 4;
  return feeForSize(dustRate, size);
}

function compactSize(n: number): number {
  return n < 253 ? 1 : n <= 0xffff ? 3 : 5;
}

/** The fee rate the wallet pays (`GetMinimumFeeRate`), or an error text. */
export async function walletFeeRate(wallet: Wallet, control: CoinControl): Promise<bigint> {
  const relay = await wallet.options.chain.relayFees();
  const floor = wallet.options.minTxFee > relay.minRelay ? wallet.options.minTxFee : relay.minRelay;
  if (control.feeRate !== undefined) {
    // A rate the user gave is never raised silently.
    if (control.feeRate < floor && !control.overrideFeeRate) {
      throw new CreateTransactionError(
        `Fee rate (${satPerVb(control.feeRate)}) is lower than the minimum fee rate setting (${
          satPerVb(floor)
        })`,
      );
    }
    control.feeReason = "PayTxFee set";
    return control.feeRate;
  }
  let rate: bigint;
  if (wallet.payTxFee > 0n) {
    rate = wallet.payTxFee;
    control.feeReason = "PayTxFee set";
  } else {
    const estimate = await wallet.options.chain.estimateSmartFee(
      control.confirmTarget ?? wallet.options.confirmTarget,
      true,
    );
    if (estimate.feeRatePerKvB !== null) {
      rate = estimate.feeRatePerKvB;
      // The node's estimate does not say which horizon answered; conservative mode's usual one.
      control.feeReason = "Conservative Double Target longer horizon";
    } else if (wallet.options.fallbackFee > 0n) {
      rate = wallet.options.fallbackFee;
      control.feeReason = "Fallback fee";
    } else {
      throw new CreateTransactionError(
        "Fee estimation failed. Fallbackfee is disabled. Wait a few blocks or enable -fallbackfee.",
      );
    }
  }
  if (rate < floor) {
    rate = floor;
    control.feeReason = "Minimum Required Fee";
  }
  return rate;
}

/** A rate in kria per kvB as `CFeeRate::ToString(SAT_VB)` writes it ("1.000 sat/vB"). */
export function satPerVb(rate: bigint): string {
  return `${rate / 1000n}.${(rate % 1000n).toString().padStart(3, "0")} sat/vB`;
}

/** The change type for these recipients (`TransactionChangeType`). */
function changeType(
  wallet: Wallet,
  recipients: readonly Recipient[],
  control: CoinControl,
): OutputType {
  if (control.changeType) return control.changeType;
  if (wallet.options.changeType) return wallet.options.changeType;
  for (const recipient of recipients) {
    const type = outputTypeOfDestination(extractDestination(recipient.script));
    if (type === "bech32") return "bech32";
  }
  return wallet.options.addressType;
}

interface Candidate {
  readonly coin: SpentCoin;
  readonly outpoint: OutPoint;
  /** Present value at the transaction's lock height. */
  readonly value: bigint;
  readonly inputVsize: number;
  readonly depth: number;
}

/** Virtual size of one input spending `script` with a dummy signature; null if not solvable. */
export function inputVsize(wallet: Wallet, script: Uint8Array): number | null {
  const key = bytesToHex(script);
  const cached = inputSizeCache.get(wallet)?.get(key);
  if (cached !== undefined) return cached;
  const size = measureInputVsize(wallet, script);
  // Only solvable scripts are remembered: an import may make another one solvable later.
  if (size !== null) {
    let sizes = inputSizeCache.get(wallet);
    if (!sizes) inputSizeCache.set(wallet, sizes = new Map());
    sizes.set(key, size);
  }
  return size;
}

/** Input sizes by scriptPubKey hex (a solvable script's size never changes), per wallet. */
const inputSizeCache = new WeakMap<Wallet, Map<string, number>>();

function measureInputVsize(wallet: Wallet, script: Uint8Array): number | null {
  const manager = wallet.ownerOf(script);
  if (!manager) return null;
  const solution = dummySolution(script, manager);
  if (!solution) return null;
  const base = 32 + 4 + compactSize(solution.scriptSig.length) + solution.scriptSig.length + 4;
  let witness = 0;
  if (solution.witness.length > 0) {
    witness = compactSize(solution.witness.length);
    for (const item of solution.witness) witness += compactSize(item.length) + item.length;
  }
  return (base * 4 + witness) / 4;
}

/** Tips older than this do not get anti-fee-sniping (MAX_ANTI_FEE_SNIPING_TIP_AGE). */
const MAX_ANTI_FEE_SNIPING_TIP_AGE = 8 * 60 * 60;

/**
 * nLockTime against fee sniping (`DiscourageFeeSniping`): the tip height, sometimes up to 99
 * blocks less; 0 while the chain is in initial download or its tip is older than 8 hours.
 */
export async function antiFeeSnipingLockTime(wallet: Wallet): Promise<number> {
  const chain = wallet.options.chain;
  if (await chain.isInitialBlockDownload()) return 0;
  const tip = await chain.getTip();
  if (tip.time < wallet.options.now() - MAX_ANTI_FEE_SNIPING_TIP_AGE) return 0;
  let lockTime = wallet.tipHeight;
  if (randomInt(10) === 0) lockTime = Math.max(0, lockTime - randomInt(100));
  return lockTime;
}

/** A uniform random integer in [0, below). */
export function randomInt(below: number): number {
  if (below <= 1) return 0;
  return crypto.getRandomValues(new Uint32Array(1))[0] % below;
}

/** Exact-match search (a small branch and bound): a set of coins within `[target, target + tolerance]`. */
function searchExact(
  coins: Candidate[],
  target: bigint,
  tolerance: bigint,
  rate: bigint,
): Candidate[] | null {
  const sorted = [...coins].sort((a, b) => (effective(b, rate) > effective(a, rate) ? 1 : -1));
  const values = sorted.map((c) => effective(c, rate));
  const remainingAfter: bigint[] = new Array(values.length + 1).fill(0n);
  for (let i = values.length - 1; i >= 0; i--) {
    remainingAfter[i] = remainingAfter[i + 1] + values[i];
  }
  let tries = 0;
  const chosen: number[] = [];
  const walk = (index: number, sum: bigint): boolean => {
    if (++tries > 100_000) return false;
    if (sum >= target) return sum <= target + tolerance;
    if (index >= values.length || sum + remainingAfter[index] < target) return false;
    chosen.push(index);
    if (walk(index + 1, sum + values[index])) return true;
    chosen.pop();
    return walk(index + 1, sum);
  };
  return walk(0, 0n) ? chosen.map((i) => sorted[i]) : null;
}

function effective(candidate: Candidate, rate: bigint): bigint {
  return candidate.value - feeForSize(rate, Math.ceil(candidate.inputVsize));
}

/**
 * Builds (and by default signs) a transaction paying `recipients`. Throws
 * {@linkcode CreateTransactionError} with freicoind's message.
 */
export async function createTransaction(
  wallet: Wallet,
  recipients: readonly Recipient[],
  control: CoinControl = {},
): Promise<CreatedTransaction> {
  if (recipients.length === 0) {
    throw new CreateTransactionError("Transaction must have at least one recipient");
  }
  for (const r of recipients) {
    if (r.value < 0n) throw new CreateTransactionError("Transaction amounts must not be negative");
  }
  const relay = await wallet.options.chain.relayFees();
  const rate = await walletFeeRate(wallet, control);
  const lockHeight = control.lockHeight ?? wallet.tipHeight + 1;
  const outputs = recipients.map((r) => new TxOut(r.value, r.script));
  for (const output of outputs) {
    if (output.value < dustThreshold(output, relay.dust)) {
      throw new CreateTransactionError("Transaction amount too small");
    }
  }
  const subtractCount = recipients.filter((r) => r.subtractFee).length;
  const recipientsSum = recipients.reduce((sum, r) => sum + r.value, 0n);

  // Change script and its cost.
  let changeScript = control.changeScript;
  const type = changeType(wallet, recipients, control);
  if (!changeScript) {
    const script = wallet.activeManager(type, true)?.scriptAt(
      wallet.activeManager(type, true)!.row.nextIndex,
    );
    changeScript = script ?? undefined;
  }
  const changeOutputSize = changeScript ? 8 + 1 + changeScript.length : 0;
  const changeSpendSize = changeScript ? inputVsize(wallet, changeScript) ?? 68 : 68;
  const changeFee = feeForSize(rate, changeOutputSize);
  const costOfChange = feeForSize(DISCARD_FEE_RATE, Math.ceil(changeSpendSize)) + changeFee;
  const minViableChange = (() => {
    const dust = changeScript ? dustThreshold(new TxOut(0n, changeScript), relay.dust) : 0n;
    const spend = feeForSize(DISCARD_FEE_RATE, Math.ceil(changeSpendSize)) + 1n;
    return dust > spend ? dust : spend;
  })();

  // Transaction overhead: version, locktime, lock_height, counts, segwit marker.
  let noInputsSize = 4 + 4 + 4 + 1 + 1 + compactSize(outputs.length);
  for (const output of outputs) {
    noInputsSize += 8 + compactSize(output.scriptPubKey.length) + output.scriptPubKey.length;
  }
  const notInputFees = subtractCount > 0 ? 0n : feeForSize(rate, noInputsSize);
  const target = subtractCount > 0 ? recipientsSum : recipientsSum + notInputFees;

  // Candidates: preselected inputs and the wallet's coins valued at lock_height.
  const preselected: Candidate[] = [];
  for (const outpoint of control.selected ?? []) {
    const known = wallet.prevOutput(outpoint);
    const external = control.external?.get(`${outpoint.txid}:${outpoint.n}`);
    const coin: SpentCoin | undefined = known
      ? { output: known.wtx.tx.outputs[known.n], refheight: known.wtx.tx.lockHeight }
      : external;
    if (!coin) {
      throw new CreateTransactionError("Not found pre-selected input " + outpoint.toString());
    }
    const size = inputVsize(wallet, coin.output.scriptPubKey);
    if (size === null) {
      throw new CreateTransactionError("Not solvable pre-selected input " + outpoint.toString());
    }
    preselected.push({
      coin,
      outpoint,
      value: adjustValue(wallet, coin.output.value, lockHeight - coin.refheight),
      inputVsize: size,
      depth: known ? wallet.depth(known.wtx) : 1,
    });
  }
  const selectedKeys = new Set(preselected.map((c) => `${c.outpoint.txid}:${c.outpoint.n}`));
  const available: Candidate[] = [];
  if (!control.onlySelected) {
    const coins = availableCoins(wallet, {
      atHeight: lockHeight,
      minDepth: control.minDepth ?? 0,
      includeUnsafe: control.includeUnsafe ?? false,
    });
    for (const coin of coins) {
      if (selectedKeys.has(`${coin.outpoint.txid}:${coin.outpoint.n}`)) continue;
      const size = inputVsize(wallet, coin.output.scriptPubKey);
      if (size === null) continue;
      available.push(candidateOf(coin, size));
    }
  }

  // With the fee taken from the outputs, coins count at their full value
  // (`GetSelectionAmount` with m_subtract_fee_outputs): the inputs' fees come off the amounts.
  const selectionRate = subtractCount > 0 ? 0n : rate;
  const preValue = preselected.reduce((sum, c) => sum + effective(c, selectionRate), 0n);
  let chosen = select(
    available,
    target - preValue,
    costOfChange,
    minViableChange + changeFee,
    selectionRate,
  );
  if (chosen === null && preValue >= target) chosen = [];
  if (chosen === null) throw new CreateTransactionError("Insufficient funds");
  const inputs = [...preselected, ...shuffle(chosen)];

  const selectedValue = inputs.reduce((sum, c) => sum + c.value, 0n);
  // The fee is for the exact size of the transaction signed with dummy signatures.
  const txVsizeNoChange = dummySignedVsize(wallet, inputs, outputs);
  // Change = what is left over after the fee of the transaction with a change output.
  const feeWithChange = changeScript
    ? feeForSize(rate, dummySignedVsize(wallet, inputs, [...outputs, new TxOut(0n, changeScript)]))
    : 0n;
  const feeWithoutChange = feeForSize(rate, txVsizeNoChange);
  let change = subtractCount > 0
    ? selectedValue - recipientsSum
    : selectedValue - recipientsSum - feeWithChange;
  let changePosition = -1;
  const finalOutputs = [...outputs];
  if (changeScript && change >= minViableChange && (subtractCount > 0 || change > 0n)) {
    changePosition = control.changePosition ?? randomInt(finalOutputs.length + 1);
    if (changePosition > finalOutputs.length) {
      throw new CreateTransactionError("Transaction change output index out of range");
    }
    finalOutputs.splice(changePosition, 0, new TxOut(change, changeScript));
  } else {
    change = 0n;
    if (subtractCount === 0 && selectedValue - recipientsSum < feeWithoutChange) {
      throw new CreateTransactionError("Insufficient funds");
    }
  }

  // Subtract the fee from the chosen outputs.
  const feeNeeded = changePosition >= 0 ? feeWithChange : feeWithoutChange;
  if (subtractCount > 0) {
    const currentFee = selectedValue - finalOutputs.reduce((s, o) => s + o.value, 0n);
    const toReduce = feeNeeded - currentFee;
    let first = true;
    let recipientIndex = 0;
    for (let i = 0; i < finalOutputs.length; i++) {
      if (i === changePosition) continue;
      const recipient = recipients[recipientIndex++];
      if (!recipient.subtractFee) continue;
      let value = finalOutputs[i].value - toReduce / BigInt(subtractCount);
      if (first) {
        value -= toReduce % BigInt(subtractCount);
        first = false;
      }
      const reduced = new TxOut(value, finalOutputs[i].scriptPubKey);
      if (value < dustThreshold(reduced, relay.dust)) {
        throw new CreateTransactionError(
          value < 0n
            ? "The transaction amount is too small to pay the fee"
            : "The transaction amount is too small to send after the fee has been deducted",
        );
      }
      finalOutputs[i] = reduced;
    }
  }
  const fee = selectedValue - finalOutputs.reduce((s, o) => s + o.value, 0n);
  if (fee > wallet.options.maxTxFee) {
    throw new CreateTransactionError(
      "Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)",
    );
  }

  const replaceable = control.replaceable ?? wallet.options.walletRbf;
  const sequence = replaceable ? MAX_BIP125_RBF_SEQUENCE : MAX_SEQUENCE_NONFINAL;
  const lockTime = control.lockTime ?? await antiFeeSnipingLockTime(wallet);
  const unsigned = new Transaction({
    version: 2,
    inputs: inputs.map((c) => new TxIn({ prevout: c.outpoint, sequence })),
    outputs: finalOutputs,
    lockTime,
    lockHeight,
  });
  if (control.sign === false) {
    return { tx: unsigned, fee, changePosition, complete: false };
  }
  const signed = signTransaction(unsigned, inputs.map((c) => c.coin), (s) => wallet.ownerOf(s), {
    secp: wallet.options.secp,
  });
  const complete = signed.results.every((r) => r.complete);
  if (!complete) throw new CreateTransactionError("Signing transaction failed");
  if (changePosition >= 0) wallet.getNewScript(type, true);
  return { tx: signed.tx, fee, changePosition, complete };
}

/**
 * Virtual size of a transaction spending `inputs` to `outputs`, signed with dummy signatures
 * of the size real ones have (`CalculateMaximumSignedTxSize`).
 */
export function dummySignedVsize(
  wallet: Wallet,
  inputs: readonly { outpoint: OutPoint; coin: SpentCoin }[],
  outputs: readonly TxOut[],
): number {
  const txInputs = inputs.map(({ outpoint, coin }) => {
    const manager = wallet.ownerOf(coin.output.scriptPubKey);
    const solution = manager ? dummySolution(coin.output.scriptPubKey, manager) : null;
    return new TxIn({
      prevout: outpoint,
      sequence: 0,
      scriptSig: solution?.scriptSig,
      witness: solution?.witness,
    });
  });
  const tx = new Transaction({ version: 2, inputs: txInputs, outputs, lockTime: 0, lockHeight: 0 });
  return tx.virtualSize;
}

function candidateOf(coin: WalletCoin, size: number): Candidate {
  return {
    coin: { output: coin.output, refheight: coin.refheight },
    outpoint: coin.outpoint,
    value: coin.amount,
    inputVsize: size,
    depth: coin.depth,
  };
}

function shuffle<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * Chooses coins whose effective values cover `target`: an exact match without change, else
 * the smallest coin covering target plus change, else the largest coins first. Confirmed
 * coins are tried before unconfirmed ones.
 */
function select(
  coins: Candidate[],
  target: bigint,
  costOfChange: bigint,
  changeTarget: bigint,
  rate: bigint,
): Candidate[] | null {
  if (target <= 0n) return [];
  const tiers = [coins.filter((c) => c.depth >= 1), coins];
  for (const tier of tiers) {
    const usable = tier.filter((c) => effective(c, rate) > 0n);
    const exact = searchExact(usable, target, costOfChange, rate);
    if (exact) return exact;
    const withChange = target + changeTarget;
    const single = usable
      .filter((c) => effective(c, rate) >= withChange)
      .sort((a, b) => (effective(a, rate) < effective(b, rate) ? -1 : 1))[0];
    if (single) return [single];
    const largest = [...usable].sort((a, b) => (effective(b, rate) > effective(a, rate) ? 1 : -1));
    const chosen: Candidate[] = [];
    let sum = 0n;
    for (const coin of largest) {
      chosen.push(coin);
      sum += effective(coin, rate);
      if (sum >= withChange) return chosen;
    }
    if (sum >= target) return chosen;
  }
  return null;
}
