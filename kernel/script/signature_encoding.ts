/**
 * Signature and public-key encoding rules applied by CHECKSIG/CHECKMULTISIG
 * before any cryptography (`CheckSignatureEncoding`, `CheckPubKeyEncoding`).
 */
import { isLowS, isValidSignatureEncoding } from "../secp256k1/der.ts";
import { VerifyFlags } from "./flags.ts";
import type { ScriptError } from "./script_error.ts";

/** The script version a signature is checked under. */
export type SigVersion = "BASE" | "WITNESS_V0";

/** `IsDefinedHashtypeSignature`: the last byte, ignoring ANYONECANPAY, is ALL/NONE/SINGLE. */
function isDefinedHashtype(sig: Uint8Array): boolean {
  if (sig.length === 0) return false;
  const hashType = sig[sig.length - 1] & ~0x80;
  return hashType >= 1 && hashType <= 3;
}

/**
 * `CheckSignatureEncoding`: null when acceptable under `flags`, else the error.
 * The empty signature is always acceptable (a compact "no signature").
 */
export function checkSignatureEncoding(sig: Uint8Array, flags: number): ScriptError | null {
  if (sig.length === 0) return null;
  const strictDer = VerifyFlags.DERSIG | VerifyFlags.LOW_S | VerifyFlags.STRICTENC;
  if ((flags & strictDer) !== 0 && !isValidSignatureEncoding(sig)) return "SIG_DER";
  if ((flags & VerifyFlags.LOW_S) !== 0 && !isLowS(sig.subarray(0, sig.length - 1))) {
    return "SIG_HIGH_S";
  }
  if ((flags & VerifyFlags.STRICTENC) !== 0 && !isDefinedHashtype(sig)) return "SIG_HASHTYPE";
  return null;
}

/** Whether a push would pass `CheckSignatureEncoding(sig, STRICTENC)` (asm sighash decoding). */
export function hasValidSignatureEncoding(sig: Uint8Array): boolean {
  return checkSignatureEncoding(sig, VerifyFlags.STRICTENC) === null;
}

function isCompressedOrUncompressed(pubkey: Uint8Array): boolean {
  if (pubkey.length < 33) return false;
  if (pubkey[0] === 0x04) return pubkey.length === 65;
  if (pubkey[0] === 0x02 || pubkey[0] === 0x03) return pubkey.length === 33;
  return false;
}

function isCompressed(pubkey: Uint8Array): boolean {
  return pubkey.length === 33 && (pubkey[0] === 0x02 || pubkey[0] === 0x03);
}

/** `CheckPubKeyEncoding`: null when acceptable, else PUBKEYTYPE / WITNESS_PUBKEYTYPE. */
export function checkPubKeyEncoding(
  pubkey: Uint8Array,
  flags: number,
  sigVersion: SigVersion,
): ScriptError | null {
  if ((flags & VerifyFlags.STRICTENC) !== 0 && !isCompressedOrUncompressed(pubkey)) {
    return "PUBKEYTYPE";
  }
  if (
    (flags & VerifyFlags.WITNESS_PUBKEYTYPE) !== 0 && sigVersion === "WITNESS_V0" &&
    !isCompressed(pubkey)
  ) {
    return "WITNESS_PUBKEYTYPE";
  }
  return null;
}
