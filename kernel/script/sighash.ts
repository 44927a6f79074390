/**
 * Signature hashes (protocol.md §5.1–5.4): legacy with `lock_height`,
 * segwit v0 with int64 refheight and uint32 lock_height, the test-only
 * NO_LOCK_HEIGHT variant, and the dormant taproot-style (BIP341) hash.
 */
import { ByteWriter, compactSizeLength } from "../encoding/byte_writer.ts";
import { taggedHash } from "../hash/mod.ts";
import {
  sha256,
  SHA256_TS_LIMIT,
  sha256d,
  sha256dAfterBlockInto,
  sha256dInto,
  sha256FirstBlockState,
  sha256Into,
} from "./_hash.ts";
import type { Transaction } from "../primitives/transaction.ts";
import type { TxOut } from "../primitives/tx_out.ts";
import { Op } from "./opcodes.ts";
import { readOp } from "./script.ts";
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
  #hashPrevouts?: Uint8Array;
  #hashSequence?: Uint8Array;
  #hashOutputs?: Uint8Array;
  /** The six BIP143 digests above share one allocation (a fresh array costs ~0.2 µs in Deno). */
  #store?: Uint8Array;

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
    if (!this.#prevoutsSingle) {
      const inputs = this.tx.inputs;
      const size = 36 * inputs.length;
      const { bytes, view } = takeScratch(size);
      for (let i = 0, at = 0; i < inputs.length; i++, at += 36) {
        bytes.set(inputs[i].prevout.hash, at);
        view.setUint32(at + 32, inputs[i].prevout.n, true);
      }
      this.#prevoutsSingle = this.#hashToSlot(0, bytes.subarray(0, size));
    }
    return this.#prevoutsSingle;
  }

  /** SHA256 of all nSequence values. */
  get sequencesSingleHash(): Uint8Array {
    if (!this.#sequencesSingle) {
      const inputs = this.tx.inputs;
      const size = 4 * inputs.length;
      const { bytes, view } = takeScratch(size);
      for (let i = 0; i < inputs.length; i++) view.setUint32(4 * i, inputs[i].sequence, true);
      this.#sequencesSingle = this.#hashToSlot(1, bytes.subarray(0, size));
    }
    return this.#sequencesSingle;
  }

  /** SHA256 of all outputs. */
  get outputsSingleHash(): Uint8Array {
    if (!this.#outputsSingle) {
      const outputs = this.tx.outputs;
      let size = 0;
      for (const output of outputs) {
        const scriptLength = output.scriptPubKey.length;
        size += 8 + compactSizeLength(scriptLength) + scriptLength;
      }
      const { bytes, view } = takeScratch(size);
      let at = 0;
      for (const output of outputs) {
        view.setBigInt64(at, output.value, true);
        at = writeCompactSize(bytes, view, at + 8, output.scriptPubKey.length);
        bytes.set(output.scriptPubKey, at);
        at += output.scriptPubKey.length;
      }
      this.#outputsSingle = this.#hashToSlot(2, bytes.subarray(0, size));
    }
    return this.#outputsSingle;
  }

  /** BIP143 hashPrevouts: SHA256d of all prevouts. */
  get hashPrevouts(): Uint8Array {
    return this.#hashPrevouts ??= this.#hashToSlot(3, this.prevoutsSingleHash);
  }

  /** BIP143 hashSequence: SHA256d of all nSequence values. */
  get hashSequence(): Uint8Array {
    return this.#hashSequence ??= this.#hashToSlot(4, this.sequencesSingleHash);
  }

  /** BIP143 hashOutputs: SHA256d of all outputs. */
  get hashOutputs(): Uint8Array {
    return this.#hashOutputs ??= this.#hashToSlot(5, this.outputsSingleHash);
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

  /** SHA256 of `data` written to slot `index` of the shared store, returned as a view. */
  #hashToSlot(index: number, data: Uint8Array): Uint8Array {
    this.#store ??= new Uint8Array(6 * 32);
    sha256Into(data, this.#store, 32 * index);
    return this.#store.subarray(32 * index, 32 * index + 32);
  }

  #requireSpent(): readonly SpentOutput[] {
    if (this.spentOutputs === null) throw new Error("spent outputs were not provided");
    return this.spentOutputs;
  }
}

const ZERO_HASH = new Uint8Array(32);

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
    segwitV0Hash(out, scriptCode, tx, inputIndex, hashType, amount, BigInt(refheight), cache);
  } else {
    legacyHash(out, scriptCode, tx, inputIndex, hashType);
  }
}

/** SHA-256 state after the first preimage block of ALL-style segwit v0 sighashes, per transaction. */
const FIRST_BLOCK_STATES = new WeakMap<PrecomputedTransactionData, Int32Array>();

function segwitV0Hash(
  out: Uint8Array,
  scriptCode: Uint8Array,
  tx: Transaction,
  inputIndex: number,
  hashType: number,
  amount: bigint,
  refheight: bigint,
  cache: PrecomputedTransactionData,
): void {
  const base = hashType & 0x1f;
  const anyoneCanPay = (hashType & SigHash.ANYONECANPAY) !== 0;
  const noLockHeight = (hashType & SigHash.NO_LOCK_HEIGHT) !== 0;
  const hashPrevouts = anyoneCanPay ? ZERO_HASH : cache.hashPrevouts;
  const hashSequence = anyoneCanPay || base === SigHash.SINGLE || base === SigHash.NONE
    ? ZERO_HASH
    : cache.hashSequence;
  let hashOutputs: Uint8Array = ZERO_HASH;
  if (base !== SigHash.SINGLE && base !== SigHash.NONE) {
    hashOutputs = cache.hashOutputs;
  } else if (base === SigHash.SINGLE && inputIndex < tx.outputs.length) {
    const w = new ByteWriter();
    tx.outputs[inputIndex].write(w);
    hashOutputs = sha256d(w.toBytes());
  }
  // The preimage has a fixed layout, so it is written straight into one buffer (hot path).
  const input = tx.inputs[inputIndex];
  const lengthPrefix = compactSizeLength(scriptCode.length);
  const size = 4 + 32 + 32 + 36 + lengthPrefix + scriptCode.length + 8 + (noLockHeight ? 0 : 8) +
    4 + 32 + 4 + (noLockHeight ? 0 : 4) + 4;
  // The per-transaction hashes above are computed before the scratch buffer is taken.
  const { bytes: buf, view } = takeScratch(size);
  let at = 0;
  view.setInt32(at, tx.version, true);
  buf.set(hashPrevouts, at += 4);
  buf.set(hashSequence, at += 32);
  buf.set(input.prevout.hash, at += 32);
  view.setUint32(at += 32, input.prevout.n, true);
  at += 4;
  at = writeCompactSize(buf, view, at, scriptCode.length);
  buf.set(scriptCode, at);
  view.setBigInt64(at += scriptCode.length, amount, true);
  at += 8;
  if (!noLockHeight) {
    view.setBigInt64(at, BigInt.asIntN(64, refheight), true);
    at += 8;
  }
  view.setUint32(at, input.sequence, true);
  buf.set(hashOutputs, at += 4);
  view.setUint32(at += 32, tx.lockTime, true);
  at += 4;
  if (!noLockHeight) {
    view.setUint32(at, tx.lockHeight, true);
    at += 4;
  }
  view.setInt32(at, (hashType & ~SigHash.NO_LOCK_HEIGHT) | 0, true);
  if (
    tx.inputs.length === 1 || hashPrevouts === ZERO_HASH || hashSequence === ZERO_HASH ||
    size > SHA256_TS_LIMIT
  ) {
    sha256dInto(buf.subarray(0, size), out, 0);
    return;
  }
  // ALL-style types share the first block (version ‖ hashPrevouts ‖ hashSequence[0..28)) across
  // the transaction's inputs: its state is computed once (not worth keeping for a single input).
  let state = FIRST_BLOCK_STATES.get(cache);
  if (state === undefined) {
    state = sha256FirstBlockState(buf, 0);
    FIRST_BLOCK_STATES.set(cache, state);
  }
  sha256dAfterBlockInto(state, buf.subarray(64, size), out, 0);
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

/** Where `GetScriptOp` leaves its cursor after failing at `pos` (needed to mirror the serializer). */
function failedOpEnd(script: Uint8Array, pos: number): number {
  if (pos >= script.length) return pos;
  const opcode = script[pos++];
  const widths: Record<number, number> = {
    [Op.OP_PUSHDATA1]: 1,
    [Op.OP_PUSHDATA2]: 2,
    [Op.OP_PUSHDATA4]: 4,
  };
  const width = widths[opcode] ?? 0;
  return script.length - pos < width ? pos : pos + width;
}

/** scriptCode with OP_CODESEPARATORs removed, length-prefixed (`SerializeScriptCode`). */
function writeScriptCodeWithoutSeparators(w: ByteWriter, scriptCode: Uint8Array): void {
  let separators = 0;
  const chunks: Uint8Array[] = [];
  let chunkStart = 0;
  let pos = 0;
  while (true) {
    const op = readOp(scriptCode, pos);
    if (op === null) {
      pos = failedOpEnd(scriptCode, pos);
      break;
    }
    pos = op.end;
    if (op.opcode === Op.OP_CODESEPARATOR) {
      separators++;
      chunks.push(scriptCode.subarray(chunkStart, pos - 1));
      chunkStart = pos;
    }
  }
  // The length counts the whole script, like the reference, even if a malformed push cut it short.
  w.writeCompactSize(scriptCode.length - separators);
  for (const chunk of chunks) w.writeBytes(chunk);
  if (chunkStart !== scriptCode.length) w.writeBytes(scriptCode.subarray(chunkStart, pos));
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

  const w = new ByteWriter(256 + scriptCode.length);
  w.writeI32LE(tx.version);
  const inputCount = anyoneCanPay ? 1 : tx.inputs.length;
  w.writeCompactSize(inputCount);
  for (let i = 0; i < inputCount; i++) {
    const index = anyoneCanPay ? inputIndex : i;
    const input = tx.inputs[index];
    input.prevout.write(w);
    if (index !== inputIndex) w.writeCompactSize(0);
    else writeScriptCodeWithoutSeparators(w, scriptCode);
    w.writeU32LE(index !== inputIndex && (single || none) ? 0 : input.sequence);
  }
  const outputCount = none ? 0 : single ? inputIndex + 1 : tx.outputs.length;
  w.writeCompactSize(outputCount);
  for (let i = 0; i < outputCount; i++) {
    if (single && i !== inputIndex) {
      w.writeI64LE(-1n).writeCompactSize(0); // CTxOut(): null value, empty script
    } else {
      tx.outputs[i].write(w);
    }
  }
  w.writeU32LE(tx.lockTime);
  if ((hashType & SigHash.NO_LOCK_HEIGHT) === 0 && tx.hasSerializedLockHeight()) {
    w.writeU32LE(tx.lockHeight);
  }
  w.writeI32LE((hashType & ~SigHash.NO_LOCK_HEIGHT) | 0);
  sha256dInto(w.toBytes(), out, 0);
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
