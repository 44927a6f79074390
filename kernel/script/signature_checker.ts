/**
 * What the interpreter asks of the transaction it validates
 * (`BaseSignatureChecker`) and the real implementation
 * (`GenericTransactionSignatureChecker`), which takes the secp256k1 backend
 * by injection.
 */
import type { Secp256k1 } from "../secp256k1/secp256k1.ts";
import type { Transaction } from "../primitives/transaction.ts";
import { PrecomputedTransactionData, SigHash, signatureHashInto } from "./sighash.ts";
import { LOCKTIME_THRESHOLD } from "./script.ts";
import type { SigVersion } from "./signature_encoding.ts";

const SEQUENCE_FINAL = 0xffffffff;
const SEQUENCE_LOCKTIME_DISABLE_FLAG = 0x80000000;
const SEQUENCE_LOCKTIME_TYPE_FLAG = 0x00400000;
const SEQUENCE_LOCKTIME_MASK = 0x0000ffff;

/** The interpreter's view of the spending transaction. */
export interface SignatureChecker {
  /** Checks `sig` (DER ‖ hashtype byte) by `pubkey` over the sighash of `scriptCode`. */
  checkEcdsaSignature(
    sig: Uint8Array,
    pubkey: Uint8Array,
    scriptCode: Uint8Array,
    sigVersion: SigVersion,
  ): boolean;
  /** CHECKLOCKTIMEVERIFY's comparison (argument already known to be ≥ 0). */
  checkLockTime(lockTime: number): boolean;
  /** CHECKSEQUENCEVERIFY's comparison (argument already known to be ≥ 0). */
  checkSequence(sequence: number): boolean;
}

/** A checker that fails every check (`BaseSignatureChecker`), for scripts without a transaction. */
export const NULL_SIGNATURE_CHECKER: SignatureChecker = {
  checkEcdsaSignature: () => false,
  checkLockTime: () => false,
  checkSequence: () => false,
};

/** Options of {@link TransactionSignatureChecker}. */
export interface TransactionSignatureCheckerOptions {
  /** Shared per-transaction hashes; created on demand when absent. */
  precomputed?: PrecomputedTransactionData;
  /**
   * Test-only `TxSigCheckOpt::NO_LOCK_HEIGHT`: sighashes omit lock_height and
   * refheight (vectors flagged LOCK_HEIGHT_NOT_UNDER_SIGNATURE).
   */
  noLockHeight?: boolean;
}

/** Scratch for the sighash of the check under way (filled and consumed synchronously). */
const DIGEST = new Uint8Array(32);

/** Length of a valid public key by its header byte (`CPubKey::GetLen`), 0 if none. */
function publicKeyLength(header: number): number {
  if (header === 2 || header === 3) return 33;
  if (header === 4 || header === 6 || header === 7) return 65;
  return 0;
}

/**
 * Checks signatures, lock times and sequences against input `inputIndex` of
 * `tx`, which spends a coin of reference value `amount` and refheight `refheight`.
 */
export class TransactionSignatureChecker implements SignatureChecker {
  readonly #secp: Secp256k1;
  readonly #tx: Transaction;
  readonly #inputIndex: number;
  readonly #amount: bigint;
  readonly #refheight: bigint | number;
  readonly #noLockHeight: boolean;
  #precomputed: PrecomputedTransactionData | undefined;

  /** See the class description; `secp` is the backend used to verify signatures. */
  constructor(
    secp: Secp256k1,
    tx: Transaction,
    inputIndex: number,
    amount: bigint,
    refheight: bigint | number,
    options: TransactionSignatureCheckerOptions = {},
  ) {
    if (inputIndex < 0 || inputIndex >= tx.inputs.length) throw new RangeError("input index");
    this.#secp = secp;
    this.#tx = tx;
    this.#inputIndex = inputIndex;
    this.#amount = amount;
    // Kept as given: the sighash writes a safe-integer number without making a BigInt.
    this.#refheight = typeof refheight === "number" && !Number.isSafeInteger(refheight)
      ? BigInt(refheight)
      : refheight;
    this.#noLockHeight = options.noLockHeight ?? false;
    this.#precomputed = options.precomputed;
  }

  checkEcdsaSignature(
    sig: Uint8Array,
    pubkey: Uint8Array,
    scriptCode: Uint8Array,
    sigVersion: SigVersion,
  ): boolean {
    // CPubKey(vchPubKey).IsValid(): the header byte must announce this length.
    if (pubkey.length === 0 || publicKeyLength(pubkey[0]) !== pubkey.length) return false;
    if (sig.length === 0) return false;
    let hashType = sig[sig.length - 1];
    if (this.#noLockHeight) hashType |= SigHash.NO_LOCK_HEIGHT;
    if (sigVersion === "WITNESS_V0" && this.#amount < 0n) return false;
    this.#precomputed ??= new PrecomputedTransactionData(this.#tx);
    // The digest goes straight to the backend, so one module-level buffer serves every check.
    signatureHashInto(
      DIGEST,
      scriptCode,
      this.#tx,
      this.#inputIndex,
      hashType,
      this.#amount,
      this.#refheight,
      sigVersion,
      this.#precomputed,
    );
    return this.#secp.verifyEcdsa(sig.subarray(0, sig.length - 1), DIGEST, pubkey);
  }

  checkLockTime(lockTime: number): boolean {
    const txLockTime = this.#tx.lockTime;
    // Both must be heights or both times.
    if ((txLockTime < LOCKTIME_THRESHOLD) !== (lockTime < LOCKTIME_THRESHOLD)) return false;
    if (lockTime > txLockTime) return false;
    // A final input would let the tx skip nLockTime entirely.
    return this.#tx.inputs[this.#inputIndex].sequence !== SEQUENCE_FINAL;
  }

  checkSequence(sequence: number): boolean {
    const txSequence = this.#tx.inputs[this.#inputIndex].sequence;
    if ((txSequence & SEQUENCE_LOCKTIME_DISABLE_FLAG) !== 0) return false;
    const mask = SEQUENCE_LOCKTIME_TYPE_FLAG | SEQUENCE_LOCKTIME_MASK;
    const txMasked = txSequence & mask;
    const argMasked = sequence % 2 ** 32 & mask; // the argument may use 5 bytes
    if ((txMasked < SEQUENCE_LOCKTIME_TYPE_FLAG) !== (argMasked < SEQUENCE_LOCKTIME_TYPE_FLAG)) {
      return false;
    }
    return argMasked <= txMasked;
  }
}
