/**
 * The shared-memory form of a block's script-check jobs, written once by the chainstate and
 * read by every worker without copying: a count and an offset table of u32 words, then per
 * job the transaction's serialization and, per input, the spent output's value, refheight and
 * scriptPubKey.
 *
 * ```
 * u32 count | u32 offset[count] | job*
 * job = u32 txLength | tx bytes | u32 inputs | (u64 value | u32 refheight | u32 scriptLength | script)*
 * ```
 */

import type { Coin } from "../../../kernel/consensus/coins.ts";
import type { SpentOutputInfo } from "../../../kernel/consensus/script_check.ts";
import type { Block } from "../../../kernel/primitives/block.ts";
import type { OutPoint } from "../../../kernel/primitives/outpoint.ts";
import { decodeTransaction, type Transaction } from "../../../kernel/primitives/transaction.ts";
import { TxOut } from "../../../kernel/primitives/tx_out.ts";

/** A transaction to check with the outputs its inputs spend. */
export interface ScriptCheckJob {
  readonly tx: Transaction;
  readonly spent: readonly SpentOutputInfo[];
}

/**
 * The script checks of `block` on a UTXO set read through `getCoin`: each input with the
 * output it spends (from the set, or from an earlier transaction of the block). Undefined
 * when an input is missing, in which case ConnectBlock rejects the block before any script
 * would run.
 */
export function scriptJobsFor(
  block: Block,
  getCoin: (outpoint: OutPoint) => Coin | undefined,
): ScriptCheckJob[] | undefined {
  const txs = block.transactions;
  const created = new Map<string, Transaction>();
  const jobs: ScriptCheckJob[] = [];
  for (let i = 1; i < txs.length; i++) {
    const tx = txs[i];
    const spent: SpentOutputInfo[] = [];
    for (const input of tx.inputs) {
      const prevout = input.prevout;
      const parent = created.get(hashKey(prevout.hash));
      if (parent) {
        const output = parent.outputs[prevout.n];
        if (!output) return undefined;
        spent.push({ output, refheight: parent.lockHeight });
        continue;
      }
      const coin = getCoin(prevout);
      if (!coin) return undefined;
      spent.push({ output: coin.output, refheight: coin.refheight });
    }
    jobs.push({ tx, spent });
    created.set(hashKey(tx.txid), tx);
  }
  return jobs;
}

/** A map key for a 32-byte hash: 16 UTF-16 code units made by one call (no spread, no concatenation). */
function hashKey(h: Uint8Array): string {
  return String.fromCharCode(
    h[0] | (h[1] << 8),
    h[2] | (h[3] << 8),
    h[4] | (h[5] << 8),
    h[6] | (h[7] << 8),
    h[8] | (h[9] << 8),
    h[10] | (h[11] << 8),
    h[12] | (h[13] << 8),
    h[14] | (h[15] << 8),
    h[16] | (h[17] << 8),
    h[18] | (h[19] << 8),
    h[20] | (h[21] << 8),
    h[22] | (h[23] << 8),
    h[24] | (h[25] << 8),
    h[26] | (h[27] << 8),
    h[28] | (h[29] << 8),
    h[30] | (h[31] << 8),
  );
}

/** Bytes {@link packJobs} needs for `jobs`, with each transaction's serialization. */
function packedSize(jobs: readonly ScriptCheckJob[], txBytes: Uint8Array[]): number {
  let size = 4 + 4 * jobs.length;
  for (let i = 0; i < jobs.length; i++) {
    size += 8 + txBytes[i].length;
    for (const spent of jobs[i].spent) size += 16 + spent.output.scriptPubKey.length;
  }
  return size;
}

function writePacked(
  jobs: readonly ScriptCheckJob[],
  txBytes: Uint8Array[],
  buffer: SharedArrayBuffer,
): void {
  const bytes = new Uint8Array(buffer);
  const view = new DataView(buffer);
  view.setUint32(0, jobs.length, true);
  let at = 4 + 4 * jobs.length;
  for (let i = 0; i < jobs.length; i++) {
    view.setUint32(4 + 4 * i, at, true);
    view.setUint32(at, txBytes[i].length, true);
    bytes.set(txBytes[i], at + 4);
    at += 4 + txBytes[i].length;
    view.setUint32(at, jobs[i].spent.length, true);
    at += 4;
    for (const { output, refheight } of jobs[i].spent) {
      view.setBigUint64(at, BigInt.asUintN(64, output.value), true);
      view.setUint32(at + 8, refheight >>> 0, true);
      view.setUint32(at + 12, output.scriptPubKey.length, true);
      bytes.set(output.scriptPubKey, at + 16);
      at += 16 + output.scriptPubKey.length;
    }
  }
}

/** Packs `jobs` into one new SharedArrayBuffer of exactly the size they need. */
export function packJobs(jobs: readonly ScriptCheckJob[]): SharedArrayBuffer {
  const txBytes = jobs.map((job) => job.tx.toBytes());
  const buffer = new SharedArrayBuffer(packedSize(jobs, txBytes));
  writePacked(jobs, txBytes, buffer);
  return buffer;
}

/**
 * Packs `jobs` at the start of a growable `buffer`, growing it when they do not fit. False
 * (nothing written) when they need more than its maximum size.
 */
export function packJobsInto(
  jobs: readonly ScriptCheckJob[],
  buffer: SharedArrayBuffer,
): boolean {
  const txBytes = jobs.map((job) => job.tx.toBytes());
  const size = packedSize(jobs, txBytes);
  if (size > buffer.byteLength) {
    if (!buffer.growable || size > buffer.maxByteLength) return false;
    buffer.grow(Math.min(buffer.maxByteLength, Math.max(size, 2 * buffer.byteLength)));
  }
  writePacked(jobs, txBytes, buffer);
  return true;
}

/** Number of jobs in a packed buffer. */
export function packedJobCount(buffer: SharedArrayBuffer): number {
  return new DataView(buffer).getUint32(0, true);
}

/** Reads job `index` back (copies out of shared memory; the buffer is never changed). */
export function unpackJob(buffer: SharedArrayBuffer, index: number): ScriptCheckJob {
  const view = new DataView(buffer);
  const bytes = new Uint8Array(buffer);
  let at = view.getUint32(4 + 4 * index, true);
  const txLength = view.getUint32(at, true);
  const tx = decodeTransaction(bytes.slice(at + 4, at + 4 + txLength));
  at += 4 + txLength;
  const inputs = view.getUint32(at, true);
  at += 4;
  const spent: SpentOutputInfo[] = [];
  for (let i = 0; i < inputs; i++) {
    const value = BigInt.asIntN(64, view.getBigUint64(at, true));
    const refheight = view.getUint32(at + 8, true);
    const scriptLength = view.getUint32(at + 12, true);
    const script = bytes.slice(at + 16, at + 16 + scriptLength);
    spent.push({ output: new TxOut(value, script), refheight });
    at += 16 + scriptLength;
  }
  return { tx, spent };
}
