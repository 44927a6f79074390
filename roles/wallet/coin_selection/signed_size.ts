/**
 * Sizes of inputs and transactions once signed (`MaxInputWeight`,
 * `CalculateMaximumSignedInputSize`, `CalculateMaximumSignedTxSize` in
 * `src/wallet/spend.cpp`), computed from the descriptor that solves each spent script. Coin
 * selection charges each coin for its input, and the final fee is for this size.
 *
 * @module
 */
import { WITNESS_SCALE_FACTOR } from "./output_group.ts";

/** What size estimation needs from a descriptor (see `kernel/descriptor`). */
export interface SizedDescriptor {
  maxSatisfactionWeight(useMaxSig: boolean): number | null;
  readonly maxSatisfactionElems: number | null;
  readonly outputType: string | null;
}

/** CompactSize length of `n`. */
export function compactSizeLength(n: number): number {
  return n < 253 ? 1 : n <= 0xffff ? 3 : n <= 0xffff_ffff ? 5 : 9;
}

/** Whether the descriptor pays to a witness program (`IsSegwit`). */
export function isSegwitDescriptor(descriptor: SizedDescriptor): boolean {
  const type = descriptor.outputType;
  return type !== null && type !== "legacy";
}

/**
 * Weight of an input spending the descriptor's script once signed, or null when it cannot
 * be estimated. `useMaxSig` assumes 72-byte signatures (signers that cannot grind R, external
 * and watch-only inputs); `txIsSegwit` adds the empty witness a legacy input then carries.
 */
export function maxInputWeight(
  descriptor: SizedDescriptor,
  useMaxSig: boolean,
  txIsSegwit: boolean,
): number | null {
  const satisfaction = descriptor.maxSatisfactionWeight(useMaxSig);
  const elements = descriptor.maxSatisfactionElems;
  if (satisfaction === null || elements === null) return null;
  const segwit = isSegwitDescriptor(descriptor);
  const scriptSigLength = segwit
    ? 1
    : compactSizeLength(Math.floor(satisfaction / WITNESS_SCALE_FACTOR));
  const witnessStackLength = segwit ? compactSizeLength(elements) : txIsSegwit ? 1 : 0;
  // outpoint + sequence + scriptSig length, then the witness count and the satisfaction.
  return (32 + 4 + 4 + scriptSigLength) * WITNESS_SCALE_FACTOR + witnessStackLength + satisfaction;
}

/** Virtual size of a weight (`GetVirtualTransactionSize` without sigops): rounded up. */
export function virtualSize(weight: number): number {
  return Math.ceil(weight / WITNESS_SCALE_FACTOR);
}

/** Virtual size of a signed input as coin selection counts it, or -1 when unknown. */
export function maxInputVsize(descriptor: SizedDescriptor | null, useMaxSig: boolean): number {
  if (!descriptor) return -1;
  const weight = maxInputWeight(descriptor, useMaxSig, true);
  return weight === null ? -1 : virtualSize(weight);
}

/** One input of a transaction being sized. */
export interface SizedInput {
  /** The descriptor solving the spent script, if any. */
  readonly descriptor: SizedDescriptor | null;
  /** A weight the caller gave for this input (input_weights), used as is. */
  readonly weight?: number;
  /** Assume 72-byte signatures for this input. */
  readonly useMaxSig: boolean;
}

/**
 * Weight and virtual size of a transaction once signed, or null when an input cannot be
 * sized. `outputSizes` are the serialized sizes of its outputs.
 */
export function maxSignedTxSize(
  inputs: readonly SizedInput[],
  outputSizes: readonly number[],
): { weight: number; vsize: number } | null {
  // version, nLockTime, lock_height, input and output counts.
  let weight =
    (4 + 4 + 4 + compactSizeLength(inputs.length) + compactSizeLength(outputSizes.length)) *
    WITNESS_SCALE_FACTOR;
  const segwit = inputs.some((input) =>
    input.descriptor !== null && isSegwitDescriptor(input.descriptor)
  );
  if (segwit) weight += 2; // marker and flag
  for (const size of outputSizes) weight += size * WITNESS_SCALE_FACTOR;
  for (const input of inputs) {
    const inputWeight = input.weight ??
      (input.descriptor ? maxInputWeight(input.descriptor, input.useMaxSig, segwit) : null);
    if (inputWeight === null) return null;
    weight += inputWeight;
  }
  return { weight, vsize: virtualSize(weight) };
}
