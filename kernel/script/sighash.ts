/**
 * Signature hashes (protocol.md §5.1–5.4): legacy with `lock_height`,
 * segwit v0 with int64 refheight and uint32 lock_height, the test-only
 * NO_LOCK_HEIGHT variant, and the dormant taproot-style (BIP341) hash.
 */
import { ByteWriter } from "../encoding/byte_writer.ts";
import { taggedHash } from "../hash/mod.ts";
import {
  sha256,
  SHA256_TS_LIMIT,
  sha256d,
  sha256dAfterBlockInto,
  sha256dInto,
  sha256FirstBlockState,
} from "./_hash.ts";
import type { Transaction } from "../primitives/transaction.ts";
import type { TxOut } from "../primitives/tx_out.ts";
import { Op } from "./opcodes.ts";
import { opEnd } from "./script.ts";
import { takeScratch } from "./_scratch.ts";
import type { SigVersion } from "./signature_encoding.ts";

/** Sighash type bits (`src/script/interpreter.h`). */
export const SigHash = {
  DEFAULT: 0,
  ALL: 1,
  NONE: 2,
  SINGLE: 3,
  ANYONECANPAY: 0x80,
  /** Internal only: leave lock_height (and refheight) out of the preimage. */
  NO_LOCK_HEIGHT: 0x100,
} as const;

/** The output spent by an input, with the refheight of the coin. */
export interface SpentOutput {
  output: TxOut;
  refheight: number;
}

/** The BIP143 double hashes, by their offset in a transaction's 96-byte store. */
type Bip143Part = typeof PREVOUTS_AT | typeof SEQUENCE_AT | typeof OUTPUTS_AT;
const PREVOUTS_AT = 0;
const SEQUENCE_AT = 32;
const OUTPUTS_AT = 64;

/** Module access to the per-transaction segwit v0 state (set by the class's static block). */
let segwitV0StateOf: (cache: PrecomputedTransactionData) => SegwitV0State;

/** What segwit v0 sighashes of one transaction share. */
interface SegwitV0State {
  /** hashPrevouts ‖ hashSequence ‖ hashOutputs, each written when first needed. */
  hashes: Uint8Array | null;
  /**
   * Bit set of the parts of `hashes` written so far (1 prevouts, 2 sequence, 4 outputs), and
   * 8 once a sighash has used the single-input scratch store.
   */
  ready: number;
  /** The SHA-256 state after the first block of ALL-style preimages (multi-input only). */
  firstBlockState: Int32Array | null;
}

/**
 * Per-transaction hashes shared by all inputs (`PrecomputedTransactionData`),
 * computed on first use.
 */
export class PrecomputedTransactionData {
  readonly tx: Transaction;
  readonly spentOutputs: readonly SpentOutput[] | null;
  #prevoutsSingle?: Uint8Array;
  #sequencesSingle?: Uint8Array;
  #outputsSingle?: Uint8Array;
  #amountsSingle?: Uint8Array;
  #scriptsSingle?: Uint8Array;
  readonly #segwitV0: SegwitV0State = { hashes: null, ready: 0, firstBlockState: null };

  static {
    segwitV0StateOf = (cache) => cache.#segwitV0;
  }

  /** `spentOutputs`, when given, must have one entry per input. */
  constructor(tx: Transaction, spentOutputs?: readonly SpentOutput[]) {
    if (spentOutputs !== undefined && spentOutputs.length !== tx.inputs.length) {
      throw new RangeError("spentOutputs must match the inputs");
    }
    this.tx = tx;
    this.spentOutputs = spentOutputs ?? null;
  }

  /** SHA256 of all prevouts. */
  get prevoutsSingleHash(): Uint8Array {
    return this.#prevoutsSingle ??= sha256(serializePrevouts(this.tx));
  }

  /** SHA256 of all nSequence values. */
  get sequencesSingleHash(): Uint8Array {
    return this.#sequencesSingle ??= sha256(serializeSequences(this.tx));
  }

  /** SHA256 of all outputs. */
  get outputsSingleHash(): Uint8Array {
    return this.#outputsSingle ??= sha256(serializeOutputs(this.tx));
  }

  /** BIP143 hashPrevouts: SHA256d of all prevouts. */
  get hashPrevouts(): Uint8Array {
    return bip143Hashes(this, PREVOUTS_AT).slice(0, 32);
  }

  /** BIP143 hashSequence: SHA256d of all nSequence values. */
  get hashSequence(): Uint8Array {
    return bip143Hashes(this, SEQUENCE_AT).slice(32, 64);
  }

  /** BIP143 hashOutputs: SHA256d of all outputs. */
  get hashOutputs(): Uint8Array {
    return bip143Hashes(this, OUTPUTS_AT).slice(64, 96);
  }

  /** SHA256 of (int64 reference value ‖ uint32 refheight) of every spent output. */
  get spentAmountsSingleHash(): Uint8Array {
    if (!this.#amountsSingle) {
      const w = new ByteWriter();
      for (const spent of this.#requireSpent()) {
        w.writeI64LE(spent.output.value).writeU32LE(spent.refheight);
      }
      this.#amountsSingle = sha256(w.toBytes());
    }
    return this.#amountsSingle;
  }

  /** SHA256 of the scriptPubKeys (with length prefixes) of every spent output. */
  get spentScriptsSingleHash(): Uint8Array {
    if (!this.#scriptsSingle) {
      const w = new ByteWriter();
      for (const spent of this.#requireSpent()) w.writeVarBytes(spent.output.scriptPubKey);
      this.#scriptsSingle = sha256(w.toBytes());
    }
    return this.#scriptsSingle;
  }

  #requireSpent(): readonly SpentOutput[] {
    if (this.spentOutputs === null) throw new Error("spent outputs were not provided");
    return this.spentOutputs;
  }
}

/**
 * A BIP143 store holding `part` of `cache`'s transaction, read by offset (in
 * Deno a fresh array or view costs more than copying 32 bytes out of it): one
 * 96-byte array per transaction, kept; for the first sighash of a
 * single-input transaction, a shared scratch array valid until the next call.
 */
function bip143Hashes(cache: PrecomputedTransactionData, part: Bip143Part): Uint8Array {
  const tx = cache.tx;
  const state = segwitV0StateOf(cache);
  if (tx.inputs.length === 1 && state.hashes === null && (state.ready & SCRATCH_USED) === 0) {
    // One input: usually one signature, for which a kept array (≈ 0.3 µs to allocate in Deno)
    // costs more than it saves. The first signature's hashes go to a scratch array; a second
    // signature (multisig) gets the kept store.
    sha256dInto(serializeBip143Part(tx, part), SINGLE_INPUT_HASHES, part);
    return SINGLE_INPUT_HASHES;
  }
  const hashes = state.hashes ??= new Uint8Array(96);
  const bit = part === PREVOUTS_AT ? 1 : part === SEQUENCE_AT ? 2 : 4;
  if ((state.ready & bit) === 0) {
    sha256dInto(serializeBip143Part(tx, part), hashes, part);
    state.ready |= bit;
  }
  return hashes;
}

/** Scratch store of {@link bip143Hashes} for single-input transactions, read at once. */
const SINGLE_INPUT_HASHES = new Uint8Array(96);

/** Bit of {@link SegwitV0State.ready}: a sighash of this transaction used the scratch store. */
const SCRATCH_USED = 8;

function serializeBip143Part(tx: Transaction, part: Bip143Part): Uint8Array {
  return part === PREVOUTS_AT
    ? serializePrevouts(tx)
    : part === SEQUENCE_AT
    ? serializeSequences(tx)
    : serializeOutputs(tx);
}

/** All prevouts, serialized in the scratch buffer. */
function serializePrevouts(tx: Transaction): Uint8Array {
  const inputs = tx.inputs;
  const size = 36 * inputs.length;
  const { bytes, view } = takeScratch(size);
  for (let i = 0, at = 0; i < inputs.length; i++, at += 36) {
    bytes.set(inputs[i].prevout.hash, at);
    view.setUint32(at + 32, inputs[i].prevout.n, true);
  }
  return bytes.subarray(0, size);
}

/** All nSequence values, serialized in the scratch buffer. */
function serializeSequences(tx: Transaction): Uint8Array {
  const inputs = tx.inputs;
  const size = 4 * inputs.length;
  const { bytes, view } = takeScratch(size);
  for (let i = 0; i < inputs.length; i++) view.setUint32(4 * i, inputs[i].sequence, true);
  return bytes.subarray(0, size);
}

/** All outputs, serialized in the scratch buffer. */
function serializeOutputs(tx: Transaction): Uint8Array {
  const outputs = tx.outputs;
  let size = 0;
  for (const output of outputs) {
    const scriptLength = output.scriptPubKey.length;
    size += 8 + compactSizeBytes(scriptLength) + scriptLength;
  }
  const { bytes, view } = takeScratch(size);
  let at = 0;
  for (const output of outputs) {
    view.setBigInt64(at, output.value, true);
    at = writeCompactSize(bytes, view, at + 8, output.scriptPubKey.length);
    bytes.set(output.scriptPubKey, at);
    at += output.scriptPubKey.length;
  }
  return bytes.subarray(0, size);
}

/** Read in place of a transaction's BIP143 store where the hash type leaves parts out. */
const ZERO_HASHES = new Uint8Array(96);

/** uint256(1) in internal byte order: the SIGHASH_SINGLE-without-output bug result. */
const ONE_HASH = (() => {
  const h = new Uint8Array(32);
  h[0] = 1;
  return h;
})();

/**
 * `SignatureHash`: the 32-byte digest an ECDSA signature commits to, in
 * internal byte order. `hashType` is the full int32 (bit 0x100 selects
 * NO_LOCK_HEIGHT and is not serialized).
 *
 * @example
 * ```ts
 * import { signatureHash } from "./sighash.ts";
 * import { OutPoint, Transaction, TxIn, TxOut } from "../primitives/mod.ts";
 * const tx = new Transaction({
 *   version: 2,
 *   inputs: [new TxIn({ prevout: new OutPoint(new Uint8Array(32), 0) })],
 *   outputs: [new TxOut(1n, new Uint8Array(0))],
 *   lockTime: 0,
 *   lockHeight: 1,
 * });
 * console.assert(signatureHash(Uint8Array.of(0x51), tx, 0, 1, 0n, 0, "BASE").length === 32);
 * ```
 */
export function signatureHash(
  scriptCode: Uint8Array,
  tx: Transaction,
  inputIndex: number,
  hashType: number,
  amount: bigint,
  refheight: bigint | number,
  sigVersion: SigVersion,
  precomputed?: PrecomputedTransactionData,
): Uint8Array {
  const out = new Uint8Array(32);
  signatureHashInto(
    out,
    scriptCode,
    tx,
    inputIndex,
    hashType,
    amount,
    refheight,
    sigVersion,
    precomputed,
  );
  return out;
}

/**
 * {@link signatureHash} written to `out[0..32)` instead of a new array: the
 * signature checker's path, which hands the digest straight to the backend.
 */
export function signatureHashInto(
  out: Uint8Array,
  scriptCode: Uint8Array,
  tx: Transaction,
  inputIndex: number,
  hashType: number,
  amount: bigint,
  refheight: bigint | number,
  sigVersion: SigVersion,
  precomputed?: PrecomputedTransactionData,
): void {
  if (inputIndex < 0 || inputIndex >= tx.inputs.length) throw new RangeError("input index");
  if (sigVersion === "WITNESS_V0") {
    const cache = precomputed ?? new PrecomputedTransactionData(tx);
    segwitV0Hash(out, scriptCode, tx, inputIndex, hashType, amount, refheight, cache);
  } else {
    legacyHash(out, scriptCode, tx, inputIndex, hashType);
  }
}

/** Copies the 32 bytes at `source[from..)` to `target[at..)` (cheaper than a view and `set`). */
function copyHash(target: Uint8Array, at: number, source: Uint8Array, from: number): void {
  for (let i = 0; i < 32; i++) target[at + i] = source[from + i];
}

/** Writes an int64 given as a number (a safe integer) or a bigint, little-endian. */
function writeInt64(view: DataView, at: number, value: bigint | number): void {
  if (typeof value === "number" && Number.isSafeInteger(value)) {
    const high = Math.floor(value / 0x100000000);
    view.setUint32(at, value - high * 0x100000000, true);
    view.setInt32(at + 4, high, true);
  } else {
    view.setBigInt64(at, BigInt.asIntN(64, BigInt(value)), true);
  }
}

function segwitV0Hash(
  out: Uint8Array,
  scriptCode: Uint8Array,
  tx: Transaction,
  inputIndex: number,
  hashType: number,
  amount: bigint,
  refheight: bigint | number,
  cache: PrecomputedTransactionData,
): void {
  const base = hashType & 0x1f;
  const anyoneCanPay = (hashType & SigHash.ANYONECANPAY) !== 0;
  const noLockHeight = (hashType & SigHash.NO_LOCK_HEIGHT) !== 0;
  const withPrevouts = !anyoneCanPay;
  const withSequence = !anyoneCanPay && base !== SigHash.SINGLE && base !== SigHash.NONE;
  const withOutputs = base !== SigHash.SINGLE && base !== SigHash.NONE;
  // The per-transaction hashes are computed before the scratch buffer is taken for the preimage.
  let hashes: Uint8Array = ZERO_HASHES;
  if (withPrevouts) hashes = bip143Hashes(cache, PREVOUTS_AT);
  if (withSequence) hashes = bip143Hashes(cache, SEQUENCE_AT);
  if (withOutputs) hashes = bip143Hashes(cache, OUTPUTS_AT);
  // A later sighash of a single-input transaction keeps its hashes (see bip143Hashes).
  segwitV0StateOf(cache).ready |= SCRATCH_USED;
  let outputsHash = withOutputs ? hashes : ZERO_HASHES;
  let outputsAt: number = OUTPUTS_AT;
  if (base === SigHash.SINGLE && inputIndex < tx.outputs.length) {
    // SIGHASH_SINGLE commits to the output of the same index only.
    const w = new ByteWriter();
    tx.outputs[inputIndex].write(w);
    outputsHash = sha256d(w.toBytes());
    outputsAt = 0;
  }
  // The preimage has a fixed layout, so it is written straight into one buffer (hot path).
  const input = tx.inputs[inputIndex];
  const size = 4 + 32 + 32 + 36 + compactSizeBytes(scriptCode.length) + scriptCode.length + 8 +
    (noLockHeight ? 0 : 8) + 4 + 32 + 4 + (noLockHeight ? 0 : 4) + 4;
  const { bytes: buf, view } = takeScratch(size);
  view.setInt32(0, tx.version, true);
  copyHash(buf, 4, withPrevouts ? hashes : ZERO_HASHES, PREVOUTS_AT);
  copyHash(buf, 36, withSequence ? hashes : ZERO_HASHES, SEQUENCE_AT);
  buf.set(input.prevout.hash, 68);
  view.setUint32(100, input.prevout.n, true);
  let at = writeCompactSize(buf, view, 104, scriptCode.length);
  buf.set(scriptCode, at);
  view.setBigInt64(at += scriptCode.length, amount, true);
  at += 8;
  if (!noLockHeight) {
    writeInt64(view, at, refheight);
    at += 8;
  }
  view.setUint32(at, input.sequence, true);
  at += 4;
  copyHash(buf, at, outputsHash, outputsAt);
  view.setUint32(at += 32, tx.lockTime, true);
  at += 4;
  if (!noLockHeight) {
    view.setUint32(at, tx.lockHeight, true);
    at += 4;
  }
  view.setInt32(at, (hashType & ~SigHash.NO_LOCK_HEIGHT) | 0, true);
  if (tx.inputs.length === 1 || !withSequence || size > SHA256_TS_LIMIT) {
    sha256dInto(buf.subarray(0, size), out, 0);
    return;
  }
  // ALL-style types share the first block (version ‖ hashPrevouts ‖ hashSequence[0..28)) across
  // the transaction's inputs: its state is computed once (not worth keeping for a single input).
  const state = segwitV0StateOf(cache);
  state.firstBlockState ??= sha256FirstBlockState(buf, 0);
  sha256dAfterBlockInto(state.firstBlockState, buf.subarray(64, size), out, 0);
}

function writeCompactSize(buf: Uint8Array, view: DataView, at: number, value: number): number {
  if (value < 253) {
    buf[at] = value;
    return at + 1;
  }
  if (value <= 0xffff) {
    buf[at] = 253;
    view.setUint16(at + 1, value, true);
    return at + 3;
  }
  buf[at] = 254;
  view.setUint32(at + 1, value, true);
  return at + 5;
}

/** Bytes of a CompactSize for `value` (< 2^32: script and list lengths). */
function compactSizeBytes(value: number): number {
  return value < 253 ? 1 : value <= 0xffff ? 3 : 5;
}

/** Where `GetScriptOp` leaves its cursor after failing at `pos` (needed to mirror the serializer). */
function failedOpEnd(script: Uint8Array, pos: number): number {
  if (pos >= script.length) return pos;
  const opcode = script[pos++];
  const width = opcode === Op.OP_PUSHDATA1
    ? 1
    : opcode === Op.OP_PUSHDATA2
    ? 2
    : opcode === Op.OP_PUSHDATA4
    ? 4
    : 0;
  return script.length - pos < width ? pos : pos + width;
}

/**
 * How the reference serializes a scriptCode in a legacy sighash
 * (`SerializeScriptCode`): the length prefix counts the whole script less its
 * OP_CODESEPARATORs, and the bytes written are the operations up to `end`
 * (where the op reader stopped: the script's end, or just past the opcode and
 * size of a push that runs past it) less the separators.
 */
interface ScriptCodeLayout {
  separators: number;
  end: number;
}

function scriptCodeLayout(scriptCode: Uint8Array): ScriptCodeLayout {
  let separators = 0;
  let pos = 0;
  while (pos < scriptCode.length) {
    const next = opEnd(scriptCode, pos);
    if (next < 0) return { separators, end: failedOpEnd(scriptCode, pos) };
    if (scriptCode[pos] === Op.OP_CODESEPARATOR) separators++;
    pos = next;
  }
  return { separators, end: pos };
}

/** Writes scriptCode as {@link scriptCodeLayout} describes it, at `at`; returns the new offset. */
function writeScriptCode(
  buf: Uint8Array,
  view: DataView,
  at: number,
  scriptCode: Uint8Array,
  layout: ScriptCodeLayout,
): number {
  at = writeCompactSize(buf, view, at, scriptCode.length - layout.separators);
  if (layout.separators === 0) {
    buf.set(layout.end === scriptCode.length ? scriptCode : scriptCode.subarray(0, layout.end), at);
    return at + layout.end;
  }
  // Copy operation by operation, skipping the separators.
  let pos = 0;
  while (pos < layout.end) {
    const next = opEnd(scriptCode, pos);
    const stop = next < 0 ? layout.end : next;
    if (scriptCode[pos] !== Op.OP_CODESEPARATOR) {
      for (let i = pos; i < stop; i++) buf[at++] = scriptCode[i];
    }
    pos = stop;
  }
  return at;
}

function legacyHash(
  out: Uint8Array,
  scriptCode: Uint8Array,
  tx: Transaction,
  inputIndex: number,
  hashType: number,
): void {
  const base = hashType & 0x1f;
  const anyoneCanPay = (hashType & SigHash.ANYONECANPAY) !== 0;
  const single = base === SigHash.SINGLE;
  const none = base === SigHash.NONE;
  if (single && inputIndex >= tx.outputs.length) {
    out.set(ONE_HASH);
    return;
  }
  const inputs = tx.inputs;
  const outputs = tx.outputs;
  const inputCount = anyoneCanPay ? 1 : inputs.length;
  const outputCount = none ? 0 : single ? inputIndex + 1 : outputs.length;
  const withLockHeight = (hashType & SigHash.NO_LOCK_HEIGHT) === 0 &&
    tx.hasSerializedLockHeight();
  const layout = scriptCodeLayout(scriptCode);

  // The preimage is written straight into the scratch buffer, so its size comes first.
  let size = 4 + compactSizeBytes(inputCount) + 40 * inputCount + (inputCount - 1) +
    compactSizeBytes(scriptCode.length - layout.separators) + layout.end - layout.separators +
    compactSizeBytes(outputCount) + 4 + (withLockHeight ? 4 : 0) + 4;
  for (let i = 0; i < outputCount; i++) {
    if (single && i !== inputIndex) {
      size += 9;
    } else {
      const scriptLength = outputs[i].scriptPubKey.length;
      size += 8 + compactSizeBytes(scriptLength) + scriptLength;
    }
  }

  const { bytes: buf, view } = takeScratch(size);
  view.setInt32(0, tx.version, true);
  let at = writeCompactSize(buf, view, 4, inputCount);
  for (let i = 0; i < inputCount; i++) {
    const index = anyoneCanPay ? inputIndex : i;
    const input = inputs[index];
    buf.set(input.prevout.hash, at);
    view.setUint32(at + 32, input.prevout.n, true);
    at += 36;
    if (index === inputIndex) {
      at = writeScriptCode(buf, view, at, scriptCode, layout);
    } else {
      buf[at++] = 0; // empty script
    }
    view.setUint32(at, index !== inputIndex && (single || none) ? 0 : input.sequence, true);
    at += 4;
  }
  at = writeCompactSize(buf, view, at, outputCount);
  for (let i = 0; i < outputCount; i++) {
    if (single && i !== inputIndex) {
      view.setBigInt64(at, -1n, true); // CTxOut(): null value, empty script
      buf[at + 8] = 0;
      at += 9;
    } else {
      const output = outputs[i];
      view.setBigInt64(at, output.value, true);
      at = writeCompactSize(buf, view, at + 8, output.scriptPubKey.length);
      buf.set(output.scriptPubKey, at);
      at += output.scriptPubKey.length;
    }
  }
  view.setUint32(at, tx.lockTime, true);
  at += 4;
  if (withLockHeight) {
    view.setUint32(at, tx.lockHeight, true);
    at += 4;
  }
  view.setInt32(at, (hashType & ~SigHash.NO_LOCK_HEIGHT) | 0, true);
  sha256dInto(buf.subarray(0, size), out, 0);
}

/**
 * The dormant taproot-style key-path sighash (`SignatureHashSchnorr` with
 * SigVersion::TAPROOT, no annex). Needs spent outputs in `precomputed`.
 * Returns null for an undefined hash type or SINGLE without a matching output.
 */
export function signatureHashTaproot(
  tx: Transaction,
  inputIndex: number,
  hashType: number,
  precomputed: PrecomputedTransactionData,
): Uint8Array | null {
  const message = taprootSigMsg(tx, inputIndex, hashType, precomputed);
  return message === null ? null : taggedHash("TapSighash", message);
}

/** The BIP341-style message (before tagged hashing) for the key-path sighash. */
export function taprootSigMsg(
  tx: Transaction,
  inputIndex: number,
  hashType: number,
  precomputed: PrecomputedTransactionData,
): Uint8Array | null {
  if (!(hashType <= 0x03 || (hashType >= 0x81 && hashType <= 0x83))) return null;
  const spent = precomputed.spentOutputs;
  if (spent === null) return null;
  const outputType = hashType === SigHash.DEFAULT ? SigHash.ALL : hashType & 3;
  const anyoneCanPay = (hashType & SigHash.ANYONECANPAY) !== 0;
  const w = new ByteWriter();
  w.writeU8(0); // epoch
  w.writeU8(hashType);
  w.writeI32LE(tx.version);
  w.writeU32LE(tx.lockTime);
  w.writeU32LE(tx.lockHeight);
  if (!anyoneCanPay) {
    w.writeBytes(precomputed.prevoutsSingleHash);
    w.writeBytes(precomputed.spentAmountsSingleHash);
    w.writeBytes(precomputed.spentScriptsSingleHash);
    w.writeBytes(precomputed.sequencesSingleHash);
  }
  if (outputType === SigHash.ALL) w.writeBytes(precomputed.outputsSingleHash);
  w.writeU8(0); // spend type: key path, no annex
  if (anyoneCanPay) {
    tx.inputs[inputIndex].prevout.write(w);
    spent[inputIndex].output.write(w);
    w.writeU32LE(spent[inputIndex].refheight);
    w.writeU32LE(tx.inputs[inputIndex].sequence);
  } else {
    w.writeU32LE(inputIndex);
  }
  if (outputType === SigHash.SINGLE) {
    if (inputIndex >= tx.outputs.length) return null;
    const out = new ByteWriter();
    tx.outputs[inputIndex].write(out);
    w.writeBytes(sha256(out.toBytes()));
  }
  return w.toBytes();
}
