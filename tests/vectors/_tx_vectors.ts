/**
 * The tx_valid/tx_invalid harness of src/test/transaction_tests.cpp:
 * prevout maps, flag trimming/filling, and CheckTxScripts.
 */
import assert from "node:assert/strict";
import { bytesToHex, hashFromHex } from "../../kernel/encoding/hex.ts";
import type { Transaction } from "../../kernel/primitives/transaction.ts";
import type { Secp256k1 } from "../../kernel/secp256k1/mod.ts";
import {
  FLAG_NAMES,
  parseAsm,
  type PrecomputedTransactionData,
  type ScriptError,
  TransactionSignatureChecker,
  VerifyFlags as F,
  verifyScript,
} from "../../kernel/script/mod.ts";

/** Scripts and (amount, refheight) of the outputs a test transaction spends. */
export interface Prevouts {
  scripts: Map<string, Uint8Array>;
  values: Map<string, { amount: bigint; refheight: number }>;
}

function key(hash: Uint8Array, n: number): string {
  return `${bytesToHex(hash)}:${n >>> 0}`;
}

/** Reads the prevout list `[[txid, n, scriptPubKey_asm, amount?], ...]`; null for a malformed entry. */
export function readPrevouts(inputs: unknown[]): Prevouts | null {
  const prevouts: Prevouts = { scripts: new Map(), values: new Map() };
  for (const input of inputs) {
    if (!Array.isArray(input) || input.length < 3 || input.length > 4) return null;
    const k = key(hashFromHex(input[0] as string), input[1] as number);
    prevouts.scripts.set(k, parseAsm(input[2] as string));
    if (input.length >= 4) {
      prevouts.values.set(k, { amount: BigInt(input[3] as number), refheight: 0 });
    }
  }
  return prevouts;
}

/** `TrimFlags`: drop the flag-day bits and enforce WITNESS ⇒ P2SH, CLEANSTACK ⇒ WITNESS by clearing. */
export function trimFlags(flags: number): number {
  flags &= ~F.PROTOCOL_CLEANUP;
  flags &= ~F.SIZE_EXPANSION;
  if (!(flags & F.P2SH)) flags &= ~F.WITNESS;
  if (!(flags & F.WITNESS)) flags &= ~F.CLEANSTACK;
  return flags >>> 0;
}

/** `FillFlags`: CLEANSTACK ⇒ WITNESS ⇒ P2SH by setting. */
export function fillFlags(flags: number): number {
  if (flags & F.CLEANSTACK) flags |= F.WITNESS;
  if (flags & F.WITNESS) flags |= F.P2SH;
  return flags >>> 0;
}

/** `ExcludeIndividualFlags`: every distinct TrimFlags(flags minus one named flag) ≠ flags. */
export function excludeIndividualFlags(flags: number): Set<number> {
  const combos = new Set<number>();
  for (const bit of FLAG_NAMES.values()) {
    const without = trimFlags(flags & ~bit);
    if (flags >>> 0 !== without) combos.add(without);
  }
  return combos;
}

/** What CheckTxScripts needs besides the flags. */
export interface TxCase {
  tx: Transaction;
  prevouts: Prevouts;
  precomputed: PrecomputedTransactionData;
  noLockHeight: boolean;
  secp: Secp256k1;
}

/**
 * `CheckTxScripts`: verifies inputs in order until one fails. Asserts the
 * same things the reference asserts and returns whether validity matched.
 */
export function checkTxScripts(
  c: TxCase,
  flags: number,
  expectValid: boolean,
  expectedError?: ScriptError,
): boolean {
  let valid = true;
  let error: ScriptError = expectValid ? "UNKNOWN_ERROR" : "OK";
  for (let i = 0; i < c.tx.inputs.length && valid; i++) {
    const input = c.tx.inputs[i];
    const k = key(input.prevout.hash, input.prevout.n);
    const scriptPubKey = c.prevouts.scripts.get(k);
    assert.ok(scriptPubKey !== undefined, `bad test: no prevout for input ${i}`);
    const value = c.prevouts.values.get(k) ?? { amount: 0n, refheight: 0 };
    const checker = new TransactionSignatureChecker(
      c.secp,
      c.tx,
      i,
      value.amount,
      value.refheight,
      {
        precomputed: c.precomputed,
        noLockHeight: c.noLockHeight,
      },
    );
    const result = verifyScript(input.scriptSig, scriptPubKey, input.witness, flags >>> 0, checker);
    valid = result.ok;
    error = result.error;
    if (expectValid) {
      assert.ok(valid, `input ${i} failed with ${error} (flags ${(flags >>> 0).toString(16)})`);
    }
  }
  if (!expectValid) {
    assert.ok(!valid, `unexpectedly passed with flags ${(flags >>> 0).toString(16)}`);
    if (expectedError !== undefined) assert.equal(error, expectedError);
    else assert.notEqual(error, "OK");
  }
  return valid === expectValid;
}
