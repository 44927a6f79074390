/**
 * Building a payment (`src/wallet/spend.cpp CreateTransaction`): lock_height at the next
 * block, coins valued at that height (demurrage), a fee rate from the caller, -paytxfee, the
 * node's estimate or -fallbackfee, freicoind's coin selection (`coin_selection/`: branch and
 * bound, knapsack, CoinGrinder, single random draw, least waste wins), a change output when it
 * is worth keeping, anti-fee-sniping nLockTime, then signing. As freicoind, a second attempt
 * spending whole address groups (avoid-partial-spends) is kept when it costs no more fee.
 *
 * @module
 */
import {
  extractDestination,
  type OutputType,
  outputTypeOfDestination,
} from "../../kernel/address/mod.ts";
import { type DescriptorInferenceProvider, inferDescriptor } from "../../kernel/descriptor/mod.ts";
import type { SigningData } from "../../kernel/descriptor/signing_data.ts";
import { type OutPoint, Transaction, TxIn, TxOut } from "../../kernel/primitives/mod.ts";
import { isUnspendable, witnessProgram } from "../../kernel/script/mod.ts";
import type { EstimateReason } from "../../schemas/mod.ts";
import { adjustValue, availableCoins } from "./balances.ts";
import {
  type CandidateCoin,
  type CoinSelectionParams,
  cryptoRandom,
  feeAtRate,
  generateChangeTarget,
  MAX_STANDARD_TX_WEIGHT,
  selectCoins,
  type SelectionCoin,
  selectionCoin,
  SelectionFailure,
  type SelectionRandom,
  type SelectionResult,
} from "./coin_selection/mod.ts";
import {
  compactSizeLength,
  maxInputVsize,
  maxSignedTxSize,
  type SizedDescriptor,
  type SizedInput,
  virtualSize,
} from "./coin_selection/signed_size.ts";
import { signingProvider } from "./descriptor_manager.ts";
import { signTransaction, type SpentCoin } from "./signer.ts";
import { scriptKey, type Wallet } from "./wallet.ts";
import type { WalletTx } from "./wallet_tx.ts";

/** BIP125 opt-in sequence (MAX_BIP125_RBF_SEQUENCE). */
export const MAX_BIP125_RBF_SEQUENCE = 0xfffffffd;
/** The highest non-final sequence (CTxIn::MAX_SEQUENCE_NONFINAL). */
const MAX_SEQUENCE_NONFINAL = 0xfffffffe;
/** -discardfee default (DEFAULT_DISCARD_FEE): change worth less than spending it is dropped. */
const DEFAULT_DISCARD_FEE = 10_000n;
/** -consolidatefeerate default: the rate inputs are expected to cost in the long run. */
const DEFAULT_CONSOLIDATE_FEERATE = 10_000n;
/** -maxapsfee default: extra fee accepted for spending whole address groups. */
const DEFAULT_MAX_AVOIDPARTIALSPEND_FEE = 0n;
/** Size assumed for spending change the wallet cannot size (DUMMY_P2WPK_INPUT_SIZE). */
const DUMMY_P2WPK_INPUT_SIZE = 69;
/** -walletrejectlongchains default: refuse transactions the mempool's chain limits would reject. */
const DEFAULT_WALLET_REJECT_LONG_CHAINS = true;
/** The longest fee estimation horizon (`estimateMaxBlocks`). */
const ESTIMATE_MAX_BLOCKS = 1008;

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
  /** estimate_mode: "economical" or "conservative" choose the estimate; "unset" follows RBF. */
  estimateMode?: "unset" | "economical" | "conservative";
  /** BIP125 signalling; default -walletrbf. */
  replaceable?: boolean;
  changeType?: OutputType;
  /** A fixed change script. */
  changeScript?: Uint8Array;
  /** Inputs that must be used, in this order (they may be outside the wallet if `external` gives them). */
  selected?: OutPoint[];
  /** Only use the selected inputs. */
  onlySelected?: boolean;
  /** Coins of selected inputs the wallet does not know, by "txid:n". */
  external?: Map<string, SpentCoin>;
  /** Keys and scripts for sizing external inputs (solving_data). */
  externalProvider?: SigningData;
  /** Weights given for inputs, by "txid:n" (input_weights). */
  inputWeights?: Map<string, number>;
  /** Sequences given for selected inputs, by "txid:n"; any of them turns off anti-fee-sniping. */
  sequences?: Map<string, number>;
  /** Also spend watch-only coins, and size every input with 72-byte signatures. */
  allowWatchOnly?: boolean;
  /** Spend every coin of an address together (-avoidpartialspends). */
  avoidPartialSpends?: boolean;
  /** Position of the change output. */
  changePosition?: number;
  /** nLockTime to use instead of anti-fee-sniping. */
  lockTime?: number;
  /** nVersion (fundrawtransaction keeps the caller's). */
  version?: number;
  /** lock_height; default tip + 1. */
  lockHeight?: number;
  /** Minimum confirmations of selected coins. */
  minDepth?: number;
  /** Maximum confirmations of selected coins. */
  maxDepth?: number;
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
  return feeAtRate(rate, vsize);
}

/** `GetDustThreshold`: the fee to spend the output at the dust relay rate. */
export function dustThreshold(output: TxOut, dustRate: bigint): bigint {
  if (isUnspendable(output.scriptPubKey)) return 0n;
  let size = outputSize(output);
  size += witnessProgram(output.scriptPubKey) !== null ? 32 + 4 + 1 + 26 + 4 : 32 + 4 + 1 + 107 + 4;
  return feeForSize(dustRate, size);
}

/** Serialized size of an output. */
function outputSize(output: TxOut): number {
  return 8 + compactSizeLength(output.scriptPubKey.length) + output.scriptPubKey.length;
}

/** freicoind's `fee_reason` text for each reason the node's estimator gives (`StringForFeeReason`). */
const ESTIMATE_REASON_TEXT: Readonly<Record<EstimateReason, string>> = {
  "none": "None",
  "half-estimate": "Half Target 60% Threshold",
  "full-estimate": "Target 85% Threshold",
  "double-estimate": "Double Target 95% Threshold",
  "conservative": "Conservative Double Target longer horizon",
};

/** `GetRequiredFeeRate`: -mintxfee, at least the node's relay minimum. */
export async function requiredFeeRate(wallet: Wallet): Promise<bigint> {
  const relay = await wallet.options.chain.relayFees();
  return wallet.options.minTxFee > relay.minRelay ? wallet.options.minTxFee : relay.minRelay;
}

/**
 * The fee rate the wallet pays (`GetMinimumFeeRate`), setting `control.feeReason`: the
 * caller's rate; else -paytxfee when no confirmation target was asked for; else the node's
 * smart estimate for the target (economical when the transaction signals RBF, unless the
 * estimate mode says otherwise) or -fallbackfee, raised to the mempool's minimum fee; in every
 * case at least the required rate (-mintxfee, the relay minimum).
 * @throws {CreateTransactionError} a caller's rate below the required rate, or no estimate and
 * no -fallbackfee
 */
export async function walletFeeRate(wallet: Wallet, control: CoinControl): Promise<bigint> {
  const floor = await requiredFeeRate(wallet);
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
  if (control.confirmTarget === undefined && wallet.payTxFee > 0n) {
    rate = wallet.payTxFee;
    control.feeReason = "PayTxFee set";
  } else {
    rate = await estimatedFeeRate(wallet, control);
  }
  if (rate < floor) {
    rate = floor;
    control.feeReason = "Minimum Required Fee";
  }
  return rate;
}

/** The smart-estimate branch of `GetMinimumFeeRate`: estimate or fallback, then the mempool minimum. */
async function estimatedFeeRate(wallet: Wallet, control: CoinControl): Promise<bigint> {
  const chain = wallet.options.chain;
  const estimate = await chain.estimateSmartFee(
    control.confirmTarget ?? wallet.options.confirmTarget,
    conservativeEstimate(wallet, control),
  );
  let rate: bigint;
  if (estimate.feeRatePerKvB !== null && estimate.feeRatePerKvB > 0n) {
    rate = estimate.feeRatePerKvB;
    control.feeReason = ESTIMATE_REASON_TEXT[estimate.reason ?? "none"] ?? "None";
  } else if (wallet.options.fallbackFee > 0n) {
    rate = wallet.options.fallbackFee;
    control.feeReason = "Fallback fee";
  } else {
    throw new CreateTransactionError(
      "Fee estimation failed. Fallbackfee is disabled. Wait a few blocks or enable -fallbackfee.",
    );
  }
  // An estimate (or the fallback) below what the mempool currently takes would not relay.
  const mempoolMinimum = await chain.mempoolMinFee();
  if (rate < mempoolMinimum) {
    rate = mempoolMinimum;
    control.feeReason = "Mempool Min Fee";
  }
  return rate;
}

/** Conservative estimates unless the transaction signals RBF (`GetMinimumFeeRate`). */
function conservativeEstimate(wallet: Wallet, control: CoinControl): boolean {
  if (control.estimateMode === "conservative") return true;
  if (control.estimateMode === "economical") return false;
  return !(control.replaceable ?? wallet.options.walletRbf);
}

/** A rate in kria per kvB as `CFeeRate::ToString(SAT_VB)` writes it ("1.000 sat/vB"). */
export function satPerVb(rate: bigint): string {
  return `${rate / 1000n}.${(rate % 1000n).toString().padStart(3, "0")} sat/vB`;
}

/** `GetDiscardRate`: -discardfee, lowered to the longest estimate, at least the dust fee. */
async function discardFeeRate(wallet: Wallet, dustRate: bigint): Promise<bigint> {
  const estimate = await wallet.options.chain.estimateSmartFee(ESTIMATE_MAX_BLOCKS, false);
  let rate = DEFAULT_DISCARD_FEE;
  if (estimate.feeRatePerKvB !== null && estimate.feeRatePerKvB > 0n) {
    rate = estimate.feeRatePerKvB < rate ? estimate.feeRatePerKvB : rate;
  }
  return rate > dustRate ? rate : dustRate;
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

/** `COutPoint::ToString`: the first ten hex digits of the txid and the index. */
export function outpointText(outpoint: OutPoint): string {
  return `COutPoint(${outpoint.txid.slice(0, 10)}, ${outpoint.n})`;
}

function keyOf(outpoint: OutPoint): string {
  return `${outpoint.txid}:${outpoint.n}`;
}

// ---------------------------------------------------------------------------------------
// Input sizes.

/** The wallet's signing data for one of its scripts, as descriptor inference asks for it. */
function walletProvider(wallet: Wallet, script: Uint8Array): DescriptorInferenceProvider | null {
  const manager = wallet.ownerOf(script);
  const position = manager?.scripts.get(scriptKey(script));
  if (!manager || position === undefined) return null;
  const data = manager.signingData(position);
  return data === null ? null : signingProvider(data);
}

/** Looks things up in each provider in turn (`MultiSigningProvider`). */
function combinedProvider(
  providers: readonly DescriptorInferenceProvider[],
): DescriptorInferenceProvider {
  const first = <T>(pick: (p: DescriptorInferenceProvider) => T | undefined): T | undefined => {
    for (const provider of providers) {
      const found = pick(provider);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return {
    getPubKey: (id) => first((p) => p.getPubKey?.(id)),
    getScript: (id) => first((p) => p.getScript?.(id)),
    getWitnessV0Script: (hash) => first((p) => p.getWitnessV0Script?.(hash)),
    getKeyOrigin: (id) => first((p) => p.getKeyOrigin?.(id)),
  };
}

/** The descriptor solving `script` from the wallet's and the caller's data (`GetDescriptor`). */
function solvingDescriptor(
  wallet: Wallet,
  script: Uint8Array,
  external: SigningData | undefined,
  withWallet = true,
): SizedDescriptor | null {
  const providers: DescriptorInferenceProvider[] = [];
  const own = withWallet ? walletProvider(wallet, script) : null;
  if (own) providers.push(own);
  if (external) providers.push(signingProvider(external));
  if (providers.length === 0) return null;
  const descriptor = inferDescriptor(script, combinedProvider(providers), {
    prefixes: wallet.options.prefixes,
    secp: wallet.options.secp,
  });
  return descriptor.maxSatisfactionWeight(true) === null ? null : descriptor;
}

/**
 * Input sizes of the wallet's own scripts (they never change), per wallet: by script hex, with
 * 71-byte signatures at [0] and 72-byte ones at [1].
 */
const inputSizeCache = new WeakMap<Wallet, [Map<string, number>, Map<string, number>]>();

/**
 * Virtual size of one input spending the wallet's `script` once signed (71-byte signatures,
 * or 72 with `useMaxSig`); null if the wallet cannot solve it.
 */
export function inputVsize(wallet: Wallet, script: Uint8Array, useMaxSig = false): number | null {
  const key = scriptKey(script);
  let sizes = inputSizeCache.get(wallet);
  if (!sizes) inputSizeCache.set(wallet, sizes = [new Map(), new Map()]);
  const bySignature = sizes[useMaxSig ? 1 : 0];
  const cached = bySignature.get(key);
  if (cached !== undefined) return cached;
  const size = maxInputVsize(solvingDescriptor(wallet, script, undefined), useMaxSig);
  if (size < 0) return null;
  // Only solvable scripts are remembered: an import may make another one solvable later.
  bySignature.set(key, size);
  return size;
}

/** One input of a transaction being sized: its outpoint and the coin it spends. */
export interface SpendingInput {
  readonly outpoint: OutPoint;
  readonly coin: SpentCoin;
}

/**
 * Weight and virtual size of a transaction spending `inputs` to `outputs` once signed
 * (`CalculateMaximumSignedTxSize`); null when an input cannot be sized.
 */
export function maxSignedSize(
  wallet: Wallet,
  inputs: readonly SpendingInput[],
  outputs: readonly TxOut[],
  control: CoinControl = {},
): { weight: number; vsize: number } | null {
  const sized: SizedInput[] = inputs.map(({ outpoint, coin }) => {
    const key = keyOf(outpoint);
    const external = control.external?.has(key) ?? false;
    return {
      descriptor: solvingDescriptor(wallet, coin.output.scriptPubKey, control.externalProvider),
      weight: control.inputWeights?.get(key),
      useMaxSig: (control.allowWatchOnly ?? false) || external,
    };
  });
  return maxSignedTxSize(sized, outputs.map(outputSize));
}

/** Virtual size of the signed transaction, for callers that only know wallet coins. */
export function dummySignedVsize(
  wallet: Wallet,
  inputs: readonly SpendingInput[],
  outputs: readonly TxOut[],
): number {
  return maxSignedSize(wallet, inputs, outputs)?.vsize ?? -1;
}

// ---------------------------------------------------------------------------------------
// Anti-fee-sniping.

/** Tips older than this do not get anti-fee-sniping (MAX_ANTI_FEE_SNIPING_TIP_AGE). */
const MAX_ANTI_FEE_SNIPING_TIP_AGE = 8 * 60 * 60;

/**
 * nLockTime against fee sniping (`DiscourageFeeSniping`): the tip height, sometimes up to 99
 * blocks less; 0 while the chain is in initial download or its tip is older than 8 hours.
 */
export async function antiFeeSnipingLockTime(
  wallet: Wallet,
  random: SelectionRandom = cryptoRandom,
): Promise<number> {
  const chain = wallet.options.chain;
  if (await chain.isInitialBlockDownload()) return 0;
  const tip = await chain.getTip();
  if (tip.time < wallet.options.now() - MAX_ANTI_FEE_SNIPING_TIP_AGE) return 0;
  let lockTime = wallet.tipHeight;
  if (random.randomInt(10) === 0) lockTime = Math.max(0, lockTime - random.randomInt(100));
  return lockTime;
}

/** A uniform random integer in [0, below). */
export function randomInt(below: number): number {
  return cryptoRandom.randomInt(below);
}

// ---------------------------------------------------------------------------------------
// Building.

/** A selected input with everything needed to put it in the transaction. */
interface ChosenInput {
  readonly outpoint: OutPoint;
  readonly coin: SpentCoin;
}

/** What one build attempt produced, before signing. */
interface Draft {
  readonly tx: Transaction;
  readonly inputs: ChosenInput[];
  readonly fee: bigint;
  readonly changePosition: number;
  readonly changeScript: Uint8Array | null;
  readonly changeType: OutputType;
  /** Whether the change script was the next unused one of the active change descriptor. */
  readonly reservedChange: boolean;
  readonly selection: SelectionResult;
  readonly weight: number;
  /** Whether some address holds more than one candidate coin (grouping could differ). */
  readonly sharedAddresses: boolean;
}

/**
 * Builds (and by default signs) a transaction paying `recipients`. Throws
 * {@linkcode CreateTransactionError} with freicoind's message.
 */
export async function createTransaction(
  wallet: Wallet,
  recipients: readonly Recipient[],
  control: CoinControl = {},
  random: SelectionRandom = cryptoRandom,
): Promise<CreatedTransaction> {
  if (recipients.length === 0) {
    throw new CreateTransactionError("Transaction must have at least one recipient");
  }
  for (const r of recipients) {
    if (r.value < 0n) throw new CreateTransactionError("Transaction amounts must not be negative");
  }
  const lockHeight = control.lockHeight ?? wallet.tipHeight + 1;
  let draft = await buildDraft(wallet, recipients, lockHeight, control, random);
  // Try again spending whole address groups; keep it if it costs no more (-maxapsfee).
  // With every address holding one coin, grouping by address changes nothing: no second try.
  if (draft.fee > 0n && !control.avoidPartialSpends && draft.sharedAddresses) {
    const grouped: CoinControl = { ...control, avoidPartialSpends: true };
    // Reuse the first attempt's change address so that no key index is skipped.
    if (draft.changeScript && draft.changePosition >= 0) grouped.changeScript = draft.changeScript;
    try {
      const second = await buildDraft(wallet, recipients, lockHeight, grouped, random);
      const useGrouped = second.fee <= draft.fee + DEFAULT_MAX_AVOIDPARTIALSPEND_FEE;
      wallet.options.logger.info(
        `[${wallet.name}] Fee non-grouped = ${draft.fee}, grouped = ${second.fee}, using ${
          useGrouped ? "grouped" : "non-grouped"
        }`,
      );
      if (useGrouped) {
        draft = { ...second, reservedChange: draft.reservedChange, changeType: draft.changeType };
      }
    } catch (error) {
      if (!(error instanceof CreateTransactionError)) throw error;
    }
  }
  return await finishDraft(wallet, draft, control);
}

/** Signs the draft (unless told not to), checks its final size and keeps the change key. */
async function finishDraft(
  wallet: Wallet,
  draft: Draft,
  control: CoinControl,
): Promise<CreatedTransaction> {
  let tx = draft.tx;
  let complete = false;
  if (control.sign !== false) {
    const signed = signTransaction(tx, draft.inputs.map((i) => i.coin), (s) => wallet.ownerOf(s), {
      secp: wallet.options.secp,
    });
    complete = signed.results.every((r) => r.complete);
    if (!complete) throw new CreateTransactionError("Signing transaction failed");
    tx = signed.tx;
    if (tx.weight > MAX_STANDARD_TX_WEIGHT) {
      throw new CreateTransactionError("Transaction too large");
    }
  } else if (draft.weight > MAX_STANDARD_TX_WEIGHT) {
    throw new CreateTransactionError("Transaction too large");
  }
  if (draft.fee > wallet.options.maxTxFee) {
    throw new CreateTransactionError(
      "Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)",
    );
  }
  if (wallet.options.rejectLongChains ?? DEFAULT_WALLET_REJECT_LONG_CHAINS) {
    // Lastly, the mempool's ancestor and descendant limits.
    const limits = await wallet.options.chain.checkChainLimits(tx.toBytes());
    if (!limits.ok) throw new CreateTransactionError(limits.error);
  }
  // The change key is used now: never hand it out again.
  if (draft.changePosition >= 0 && draft.reservedChange) {
    wallet.getNewScript(draft.changeType, true);
  }
  const selection = draft.selection;
  wallet.options.logger.info(
    `[${wallet.name}] Coin Selection: Algorithm:${selection.algorithm}, Waste Metric Score:${selection.waste}`,
  );
  return { tx, fee: draft.fee, changePosition: draft.changePosition, complete };
}

/** The change script: the caller's, or the next unused one of the active change descriptor. */
function changeDestination(
  wallet: Wallet,
  type: OutputType,
  control: CoinControl,
): { script: Uint8Array | null; reserved: boolean; error: string } {
  if (control.changeScript) return { script: control.changeScript, reserved: false, error: "" };
  const prefix = "Transaction needs a change address, but we can't generate it. ";
  const manager = wallet.activeManager(type, true);
  if (!manager) {
    return {
      script: null,
      reserved: false,
      error: `${prefix}Error: No ${type} addresses available.`,
    };
  }
  const script = wallet.peekNextScript(manager);
  if (!script) {
    return {
      script: null,
      reserved: false,
      error: `${prefix}Error: Keypool ran out, please call keypoolrefill first`,
    };
  }
  return { script, reserved: true, error: "" };
}

/** One build attempt (`CreateTransactionInternal` without signing). */
async function buildDraft(
  wallet: Wallet,
  recipients: readonly Recipient[],
  lockHeight: number,
  control: CoinControl,
  random: SelectionRandom,
): Promise<Draft> {
  const relay = await wallet.options.chain.relayFees();
  const allowWatchOnly = control.allowWatchOnly ?? wallet.privateKeysDisabled;
  const sizing: CoinControl = { ...control, allowWatchOnly };
  const subtractCount = recipients.filter((r) => r.subtractFee).length;
  const subtractFeeOutputs = subtractCount > 0;
  const recipientsSum = recipients.reduce((sum, r) => sum + r.value, 0n);

  const type = changeType(wallet, recipients, control);
  const change = changeDestination(wallet, type, control);
  const changePrototype = new TxOut(0n, change.script ?? new Uint8Array(0));
  const changeOutputSize = outputSize(changePrototype);
  const changeSpend = change.script
    ? maxInputVsize(solvingDescriptor(wallet, change.script, undefined), allowWatchOnly)
    : -1;
  const changeSpendSize = changeSpend < 0 ? DUMMY_P2WPK_INPUT_SIZE : changeSpend;
  const discardRate = await discardFeeRate(wallet, relay.dust);
  const rate = await walletFeeRate(wallet, control);

  const changeFee = feeAtRate(rate, changeOutputSize);
  const changeSpendFee = feeAtRate(discardRate, changeSpendSize);
  const dust = dustThreshold(changePrototype, discardRate);
  // Static overhead: version, nLockTime, lock_height, input count, segwit marker/flag/count.
  let txNoInputsSize = 14 + compactSizeLength(recipients.length);
  const outputs: TxOut[] = [];
  for (const recipient of recipients) {
    const output = new TxOut(recipient.value, recipient.script);
    txNoInputsSize += outputSize(output);
    if (output.value < dustThreshold(output, relay.dust)) {
      throw new CreateTransactionError("Transaction amount too small");
    }
    outputs.push(output);
  }
  const params: CoinSelectionParams = {
    random,
    changeOutputSize,
    changeSpendSize,
    minChangeTarget: generateChangeTarget(
      recipientsSum / BigInt(recipients.length),
      changeFee,
      random,
    ),
    minViableChange: changeSpendFee + 1n > dust ? changeSpendFee + 1n : dust,
    changeFee,
    costOfChange: changeSpendFee + changeFee,
    effectiveFeeRate: rate,
    longTermFeeRate: DEFAULT_CONSOLIDATE_FEERATE,
    discardFeeRate: discardRate,
    txNoInputsSize,
    subtractFeeOutputs,
    avoidPartialSpends: control.avoidPartialSpends ?? false,
    includeUnsafeInputs: control.includeUnsafe ?? false,
  };
  const notInputFees = feeAtRate(rate, subtractFeeOutputs ? 0 : txNoInputsSize);
  const selectionTarget = recipientsSum + notInputFees;
  const selected = control.selected ?? [];
  if (selectionTarget === 0n && selected.length === 0) {
    throw new CreateTransactionError(
      "Transaction requires one destination of non-0 value, a non-0 feerate, or a pre-selected input",
    );
  }

  const spent = new Map<string, ChosenInput>();
  const preselected = fetchSelectedInputs(wallet, lockHeight, sizing, params, spent);
  const available = control.onlySelected
    ? []
    : await candidateCoins(wallet, lockHeight, sizing, params, spent);
  const limits = await wallet.options.chain.getPackageLimits();
  const outcome = selectCoins(
    available,
    preselected,
    selectionTarget,
    !control.onlySelected,
    params,
    {
      spendZeroConfChange: wallet.options.spendZeroConfChange,
      rejectLongChains: wallet.options.rejectLongChains ?? DEFAULT_WALLET_REJECT_LONG_CHAINS,
      maxAncestors: limits.ancestorCount,
      maxDescendants: limits.descendantCount,
    },
  );
  if (outcome instanceof SelectionFailure) {
    throw new CreateTransactionError(outcome.message || "Insufficient funds");
  }
  const selection = outcome;

  const finalOutputs = [...outputs];
  const changeAmount = selection.change(params.minViableChange, changeFee);
  let changePosition = -1;
  if (changeAmount > 0n) {
    changePosition = control.changePosition ?? random.randomInt(finalOutputs.length + 1);
    if (changePosition > finalOutputs.length) {
      throw new CreateTransactionError("Transaction change output index out of range");
    }
    finalOutputs.splice(changePosition, 0, new TxOut(changeAmount, changePrototype.scriptPubKey));
  }

  const inputs = orderInputs(selection.shuffledCoins(random), selected).map((c) =>
    spent.get(c.key)!
  );
  let useAntiFeeSniping = true;
  const defaultSequence = (control.replaceable ?? wallet.options.walletRbf)
    ? MAX_BIP125_RBF_SEQUENCE
    : MAX_SEQUENCE_NONFINAL;
  const txInputs = inputs.map(({ outpoint }) => {
    const sequence = control.sequences?.get(keyOf(outpoint));
    if (sequence !== undefined) useAntiFeeSniping = false;
    return new TxIn({ prevout: outpoint, sequence: sequence ?? defaultSequence });
  });
  let lockTime = 0;
  if (control.lockTime !== undefined) {
    lockTime = control.lockTime;
    useAntiFeeSniping = false;
  }
  if (useAntiFeeSniping) lockTime = await antiFeeSnipingLockTime(wallet, random);

  const size = maxSignedSize(wallet, inputs, finalOutputs, sizing);
  if (size === null) {
    throw new CreateTransactionError("Missing solving data for estimating transaction size");
  }
  const feeNeeded = feeAtRate(rate, size.vsize);
  const selectedValue = selection.selectedValue;
  const outputValue = (list: readonly TxOut[]) => list.reduce((sum, o) => sum + o.value, 0n);
  let currentFee = selectedValue - outputValue(finalOutputs);
  if (currentFee < 0n) throw new CreateTransactionError("Internal bug detected: Fee paid < 0");

  // Overpaying with a change output: the change gets the difference.
  if (changePosition >= 0 && feeNeeded < currentFee) {
    const old = finalOutputs[changePosition];
    finalOutputs[changePosition] = new TxOut(old.value + currentFee - feeNeeded, old.scriptPubKey);
    currentFee = feeNeeded;
  }
  if (subtractFeeOutputs) {
    subtractFeeFromOutputs(
      finalOutputs,
      recipients,
      changePosition,
      feeNeeded - currentFee,
      relay.dust,
    );
    currentFee = selectedValue - outputValue(finalOutputs);
  }
  if (feeNeeded > currentFee) {
    throw new CreateTransactionError("Internal bug detected: Fee needed > fee paid");
  }
  if (changePosition >= 0 && !change.script) throw new CreateTransactionError(change.error);

  const tx = new Transaction({
    version: control.version ?? 2,
    inputs: txInputs,
    outputs: finalOutputs,
    lockTime,
    lockHeight,
  });
  return {
    tx,
    inputs,
    fee: currentFee,
    changePosition,
    changeScript: change.script,
    changeType: type,
    reservedChange: change.reserved,
    selection,
    weight: size.weight,
    sharedAddresses: new Set(available.map((c) => c.script)).size < available.length,
  };
}

/** Takes the fee equally from the recipients that asked, the first paying the remainder. */
function subtractFeeFromOutputs(
  outputs: TxOut[],
  recipients: readonly Recipient[],
  changePosition: number,
  toReduce: bigint,
  dustRate: bigint,
): void {
  const count = BigInt(recipients.filter((r) => r.subtractFee).length);
  let first = true;
  let i = 0;
  for (const recipient of recipients) {
    if (i === changePosition) i++;
    if (recipient.subtractFee) {
      let value = outputs[i].value - toReduce / count;
      if (first) {
        value -= toReduce % count;
        first = false;
      }
      const reduced = new TxOut(value, outputs[i].scriptPubKey);
      if (value < dustThreshold(reduced, dustRate)) {
        throw new CreateTransactionError(
          value < 0n
            ? "The transaction amount is too small to pay the fee"
            : "The transaction amount is too small to send after the fee has been deducted",
        );
      }
      outputs[i] = reduced;
    }
    i++;
  }
}

/** Preselected inputs first, in the order the caller gave them; the rest stays shuffled. */
function orderInputs(coins: SelectionCoin[], selected: readonly OutPoint[]): SelectionCoin[] {
  if (selected.length === 0) return coins;
  const order = new Map(selected.map((o, i) => [keyOf(o), i]));
  return [...coins].sort((a, b) => {
    const x = order.get(a.key), y = order.get(b.key);
    if (x !== undefined && y !== undefined) return x - y;
    return x !== undefined ? -1 : y !== undefined ? 1 : 0;
  });
}

/** The caller's inputs as selection coins (`FetchSelectedInputs`). */
function fetchSelectedInputs(
  wallet: Wallet,
  lockHeight: number,
  control: CoinControl,
  params: CoinSelectionParams,
  spent: Map<string, ChosenInput>,
): SelectionCoin[] {
  const coins: SelectionCoin[] = [];
  for (const outpoint of control.selected ?? []) {
    const key = keyOf(outpoint);
    const weight = control.inputWeights?.get(key);
    let inputBytes = weight !== undefined ? virtualSize(weight) : -1;
    let coin: SpentCoin;
    const known = wallet.txs.get(outpoint.txid);
    if (known) {
      if (outpoint.n >= known.tx.outputs.length) {
        throw new CreateTransactionError(`Invalid pre-selected input ${outpointText(outpoint)}`);
      }
      coin = { output: known.tx.outputs[outpoint.n], refheight: known.tx.lockHeight };
      if (inputBytes < 0) {
        inputBytes = inputVsize(wallet, coin.output.scriptPubKey, control.allowWatchOnly) ?? -1;
      }
    } else {
      const external = control.external?.get(key);
      if (!external) {
        throw new CreateTransactionError(`Not found pre-selected input ${outpointText(outpoint)}`);
      }
      coin = external;
    }
    if (inputBytes < 0) {
      inputBytes = maxInputVsize(
        solvingDescriptor(wallet, coin.output.scriptPubKey, control.externalProvider, false),
        control.allowWatchOnly ?? false,
      );
    }
    if (inputBytes < 0) {
      throw new CreateTransactionError(`Not solvable pre-selected input ${outpointText(outpoint)}`);
    }
    spent.set(key, { outpoint, coin });
    coins.push(selectionCoin({
      key,
      atHeight: lockHeight,
      value: adjustValue(wallet, coin.output.value, lockHeight - coin.refheight),
      inputBytes,
      depth: 0,
      fromMe: false,
    }, { feeRate: params.effectiveFeeRate, longTermFeeRate: params.longTermFeeRate }));
  }
  return coins;
}

/** Each wallet transaction's outpoint keys (display txid:n), built once per transaction. */
const coinKeys = new WeakMap<WalletTx, string[]>();

/** {@linkcode keyOf} the wallet's output `n` of `wtx`, without rebuilding the string each time. */
function coinKey(wtx: WalletTx, n: number): string {
  let keys = coinKeys.get(wtx);
  if (keys === undefined) {
    keys = wtx.tx.outputs.map((_, index) => `${wtx.txidHex}:${index}`);
    coinKeys.set(wtx, keys);
  }
  return keys[n] ?? `${wtx.txidHex}:${n}`;
}

/** Output types of scripts, worked out once per script object. */
const outputTypes = new WeakMap<Uint8Array, string>();

/** The output type of a script for coin grouping, "unknown" when it has none. */
function outputTypeOf(script: Uint8Array): string {
  let type = outputTypes.get(script);
  if (type === undefined) {
    type = outputTypeOfDestination(extractDestination(script)) ?? "unknown";
    outputTypes.set(script, type);
  }
  return type;
}

/** The wallet's spendable coins other than the preselected ones (`AvailableCoins`). */
async function candidateCoins(
  wallet: Wallet,
  lockHeight: number,
  control: CoinControl,
  params: CoinSelectionParams,
  spent: Map<string, ChosenInput>,
): Promise<CandidateCoin[]> {
  const coins = availableCoins(wallet, {
    atHeight: lockHeight,
    minDepth: control.minDepth ?? 0,
    maxDepth: control.maxDepth,
    includeUnsafe: control.includeUnsafe ?? false,
  });
  const fromMe = new Map<string, boolean>();
  const unconfirmed = new Map<string, Uint8Array>();
  const candidates: (CandidateCoin & { txid: string })[] = [];
  for (const coin of coins) {
    const key = coinKey(coin.wtx, coin.outpoint.n);
    if (spent.has(key)) continue;
    const script = coin.output.scriptPubKey;
    const inputBytes = inputVsize(wallet, script, control.allowWatchOnly ?? false);
    if (inputBytes === null) continue; // not solvable: cannot be sized or signed
    let mine = fromMe.get(coin.wtx.txidHex);
    if (mine === undefined) fromMe.set(coin.wtx.txidHex, mine = wallet.debit(coin.wtx.tx) > 0n);
    spent.set(key, {
      outpoint: coin.outpoint,
      coin: { output: coin.output, refheight: coin.refheight },
    });
    if (coin.depth === 0) unconfirmed.set(coin.wtx.txidHex, coin.wtx.tx.txid);
    candidates.push({
      txid: coin.wtx.txidHex,
      coin: selectionCoin({
        key,
        atHeight: lockHeight,
        value: coin.amount,
        inputBytes,
        depth: coin.depth,
        fromMe: mine,
      }, { feeRate: params.effectiveFeeRate, longTermFeeRate: params.longTermFeeRate }),
      outputType: outputTypeOf(script),
      script: scriptKey(script),
      ancestors: 0,
      descendants: 0,
    });
  }
  return await withMempoolAncestry(wallet, candidates, unconfirmed);
}

/**
 * Fills in the mempool ancestry of unconfirmed coins (`getTransactionAncestry`) with one call;
 * `unconfirmed` maps each unconfirmed txid (display hex) to its hash.
 */
async function withMempoolAncestry(
  wallet: Wallet,
  candidates: (CandidateCoin & { txid: string })[],
  unconfirmed: Map<string, Uint8Array>,
): Promise<CandidateCoin[]> {
  if (unconfirmed.size === 0) return candidates;
  const txids = [...unconfirmed.keys()];
  const ancestry = await wallet.options.chain.getTransactionAncestry(
    txids.map((txid) => unconfirmed.get(txid)!),
  );
  const byTxid = new Map(txids.map((txid, i) => [txid, ancestry[i]]));
  return candidates.map((candidate) => {
    const family = candidate.coin.depth === 0 ? byTxid.get(candidate.txid) : undefined;
    return family
      ? { ...candidate, ancestors: family.ancestors, descendants: family.descendants }
      : candidate;
  });
}
