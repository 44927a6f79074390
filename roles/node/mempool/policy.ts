/**
 * Relay policy (src/policy/policy.{h,cpp}): standard transactions, standard inputs and
 * witnesses, dust, and the default limits. Reject reasons are freicoind's exact strings.
 *
 * @module
 */
import type { Coin } from "../../../kernel/consensus/mod.ts";
import type { OutPoint, Transaction, TxOut } from "../../../kernel/primitives/mod.ts";
import {
  getSigOpCount,
  isPayToScriptHash,
  isPushOnly,
  isUnspendable,
  Op,
  scriptOps,
  solveScript,
  witnessProgram,
} from "../../../kernel/script/mod.ts";
import type { FeeRate } from "./fee_rate.ts";

/** `MAX_STANDARD_TX_WEIGHT`. */
export const MAX_STANDARD_TX_WEIGHT = 400_000;
/** `MIN_STANDARD_TX_NONWITNESS_SIZE` (CVE-2017-12842). */
export const MIN_STANDARD_TX_NONWITNESS_SIZE = 65;
/** `MAX_P2SH_SIGOPS` (Freicoin: 20). */
export const MAX_P2SH_SIGOPS = 20;
/** `MAX_STANDARD_TX_SIGOPS_COST` = MAX_BLOCK_SIGOPS_COST / 5. */
export const MAX_STANDARD_TX_SIGOPS_COST = 16_000;
/** `DEFAULT_INCREMENTAL_RELAY_FEE` kria/kvB. */
export const DEFAULT_INCREMENTAL_RELAY_FEE = 1000n;
/** `DEFAULT_BYTES_PER_SIGOP`. */
export const DEFAULT_BYTES_PER_SIGOP = 20;
/** `DEFAULT_PERMIT_BAREMULTISIG`. */
export const DEFAULT_PERMIT_BAREMULTISIG = true;
/** `MAX_STANDARD_P2WSH_STACK_ITEMS`. */
export const MAX_STANDARD_P2WSH_STACK_ITEMS = 100;
/** `MAX_STANDARD_P2WSH_STACK_ITEM_SIZE`. */
export const MAX_STANDARD_P2WSH_STACK_ITEM_SIZE = 80;
/** `MAX_STANDARD_P2WSH_SCRIPT_SIZE`. */
export const MAX_STANDARD_P2WSH_SCRIPT_SIZE = 3600;
/** `MAX_STANDARD_SCRIPTSIG_SIZE`. */
export const MAX_STANDARD_SCRIPTSIG_SIZE = 1650;
/** `DUST_RELAY_TX_FEE` kria/kvB. */
export const DUST_RELAY_TX_FEE = 3000n;
/** `DEFAULT_MIN_RELAY_TX_FEE` kria/kvB. */
export const DEFAULT_MIN_RELAY_TX_FEE = 1000n;
/** `DEFAULT_ANCESTOR_LIMIT`. */
export const DEFAULT_ANCESTOR_LIMIT = 25;
/** `DEFAULT_ANCESTOR_SIZE_LIMIT_KVB`. */
export const DEFAULT_ANCESTOR_SIZE_LIMIT_KVB = 101;
/** `DEFAULT_DESCENDANT_LIMIT`. */
export const DEFAULT_DESCENDANT_LIMIT = 25;
/** `DEFAULT_DESCENDANT_SIZE_LIMIT_KVB`. */
export const DEFAULT_DESCENDANT_SIZE_LIMIT_KVB = 101;
/** `DEFAULT_ACCEPT_DATACARRIER`: Freicoin turns data carrier outputs off by default. */
export const DEFAULT_ACCEPT_DATACARRIER = false;
/** `MAX_OP_RETURN_RELAY` (Freicoin: 51 bytes). */
export const MAX_OP_RETURN_RELAY = 51;
/** `EXTRA_DESCENDANT_TX_SIZE_LIMIT` (CPFP carve-out). */
export const EXTRA_DESCENDANT_TX_SIZE_LIMIT = 10_000;
/** `TX_MAX_STANDARD_VERSION`. */
export const TX_MAX_STANDARD_VERSION = 2;
/** `MAX_REPLACEMENT_CANDIDATES` (BIP125 rule 5). */
export const MAX_REPLACEMENT_CANDIDATES = 100;
/** `WITNESS_V0_SHORTHASH_SIZE` / `WITNESS_V0_LONGHASH_SIZE`. */
const WITNESS_V0_PROGRAM_SIZES = [20, 32];

/** The options IsStandardTx reads. */
export interface StandardnessOptions {
  /** `-datacarriersize` when `-datacarrier` is on, null when data outputs are refused. */
  readonly maxDatacarrierBytes: number | null;
  /** `-permitbaremultisig`. */
  readonly permitBareMultisig: boolean;
  /** `-dustrelayfee`. */
  readonly dustRelayFeeRate: FeeRate;
}

function serializedOutputSize(output: TxOut): number {
  const len = output.scriptPubKey.length;
  const prefix = len < 253 ? 1 : len <= 0xffff ? 3 : 5;
  return 8 + prefix + len;
}

/**
 * `GetDustThreshold`: what spending `output` would cost at `dustRelayFeeRate`.
 *
 * @example
 * ```ts
 * import { dustThreshold } from "./policy.ts";
 * import { FeeRate } from "./fee_rate.ts";
 * import { TxOut } from "../../../kernel/primitives/mod.ts";
 * const p2wpk = new Uint8Array([0x00, 0x14, ...new Uint8Array(20)]);
 * console.assert(dustThreshold(new TxOut(0n, p2wpk), new FeeRate(3000n)) === 294n);
 * ```
 */
export function dustThreshold(output: TxOut, dustRelayFeeRate: FeeRate): bigint {
  if (isUnspendable(output.scriptPubKey)) return 0n;
  let size = serializedOutputSize(output);
  if (witnessProgram(output.scriptPubKey)) {
    size += 32 + 4 + 1 + Math.floor(107 / 4) + 4;
  } else {
    size += 32 + 4 + 1 + 107 + 4;
  }
  return dustRelayFeeRate.getFee(size);
}

/** `IsDust`: the output's reference value is below its dust threshold. */
export function isDust(output: TxOut, dustRelayFeeRate: FeeRate): boolean {
  return output.value < dustThreshold(output, dustRelayFeeRate);
}

/** `IsStandard(scriptPubKey)`: its type, or null when the script is not standard. */
function standardOutputType(
  scriptPubKey: Uint8Array,
  maxDatacarrierBytes: number | null,
): string | null {
  const { type, solutions } = solveScript(scriptPubKey);
  if (type === "nonstandard") return null;
  if (type === "multisig") {
    const m = solutions[0][0];
    const n = solutions[solutions.length - 1][0];
    // Support up to x-of-3 multisig as standard.
    if (n < 1 || n > 3) return null;
    if (m < 1 || m > n) return null;
  } else if (type === "nulldata") {
    if (maxDatacarrierBytes === null || scriptPubKey.length > maxDatacarrierBytes) return null;
  }
  return type;
}

/**
 * `IsStandardTx`: null when `tx` is standard, else the reject reason ("version", "tx-size",
 * "scriptsig-size", "scriptsig-not-pushonly", "scriptpubkey", "bare-multisig", "dust",
 * "multi-op-return").
 */
export function isStandardTx(tx: Transaction, options: StandardnessOptions): string | null {
  if (tx.version > TX_MAX_STANDARD_VERSION || tx.version < 1) return "version";
  if (tx.weight > MAX_STANDARD_TX_WEIGHT) return "tx-size";
  for (const input of tx.inputs) {
    if (input.scriptSig.length > MAX_STANDARD_SCRIPTSIG_SIZE) return "scriptsig-size";
    if (!isPushOnly(input.scriptSig)) return "scriptsig-not-pushonly";
  }
  let dataOutputs = 0;
  for (const output of tx.outputs) {
    const type = standardOutputType(output.scriptPubKey, options.maxDatacarrierBytes);
    if (type === null) return "scriptpubkey";
    // A bare OP_RETURN ("unspendable") counts toward the one-data-output limit.
    if (type === "nulldata" || type === "unspendable") {
      dataOutputs++;
    } else if (type === "multisig" && !options.permitBareMultisig) {
      return "bare-multisig";
    } else if (isDust(output, options.dustRelayFeeRate)) {
      return "dust";
    }
  }
  if (dataOutputs > 1) return "multi-op-return";
  return null;
}

/** The stack a push-only scriptSig leaves (null when it is not push-only or is malformed). */
function pushOnlyStack(scriptSig: Uint8Array): Uint8Array[] | null {
  const stack: Uint8Array[] = [];
  for (const op of scriptOps(scriptSig)) {
    if (op === null) return null;
    if (op.data !== null) stack.push(op.data);
    else if (op.opcode === Op.OP_1NEGATE) stack.push(new Uint8Array([0x81]));
    else if (op.opcode >= Op.OP_1 && op.opcode <= Op.OP_16) {
      stack.push(new Uint8Array([op.opcode - Op.OP_1 + 1]));
    } else return null;
  }
  return stack;
}

/** Looks up the coin each input spends (the caller has checked they exist). */
export type CoinLookup = (outpoint: OutPoint) => Coin | undefined;

/**
 * `AreInputsStandard`: no input spends a non-standard or unknown-witness output, and P2SH
 * redeem scripts stay within MAX_P2SH_SIGOPS.
 */
export function areInputsStandard(tx: Transaction, coins: CoinLookup): boolean {
  if (tx.isCoinBase()) return true;
  for (const input of tx.inputs) {
    const coin = coins(input.prevout);
    if (!coin) return false;
    const { type } = solveScript(coin.output.scriptPubKey);
    if (type === "nonstandard" || type === "witness_unknown") return false;
    if (type === "scripthash") {
      const stack = pushOnlyStack(input.scriptSig);
      if (stack === null || stack.length === 0) return false;
      if (getSigOpCount(stack[stack.length - 1], true) > MAX_P2SH_SIGOPS) return false;
    }
  }
  return true;
}

/**
 * `IsWitnessStandard`: witnesses only on witness programs (never P2SH-wrapped), and v0
 * witness scripts and stacks within the P2WSH limits (script at stack[-2], proof last).
 */
export function isWitnessStandard(tx: Transaction, coins: CoinLookup): boolean {
  if (tx.isCoinBase()) return true;
  for (const input of tx.inputs) {
    if (input.witness.length === 0) continue;
    const coin = coins(input.prevout);
    if (!coin) return false;
    const script = coin.output.scriptPubKey;
    if (isPayToScriptHash(script)) return false;
    const program = witnessProgram(script);
    if (!program) return false;
    if (program.version === 0 && WITNESS_V0_PROGRAM_SIZES.includes(program.program.length)) {
      const stack = input.witness;
      // The reference indexes stack[-2] unguarded; a shorter stack cannot be a valid spend.
      if (stack.length < 2) return false;
      if (stack[stack.length - 2].length > MAX_STANDARD_P2WSH_SCRIPT_SIZE) return false;
      const items = stack.length - 2;
      if (items > MAX_STANDARD_P2WSH_STACK_ITEMS) return false;
      for (let j = 0; j < items; j++) {
        if (stack[j].length > MAX_STANDARD_P2WSH_STACK_ITEM_SIZE) return false;
      }
    }
  }
  return true;
}

/** BIP125: some input has nSequence below 0xfffffffe (`SignalsOptInRBF`). */
export function signalsOptInRbf(tx: Transaction): boolean {
  return tx.inputs.some((input) => input.sequence <= 0xfffffffd);
}
