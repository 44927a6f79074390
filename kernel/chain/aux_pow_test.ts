import assert from "node:assert/strict";
import { fastHash256 } from "../hash/fast_hash.ts";
import { sha256d } from "../hash/sha256.ts";
import { computeMerkleRoot } from "../merkle/merkle_root.ts";
import { AuxProofOfWork, type AuxProofOfWorkFields } from "../primitives/aux_pow.ts";
import { BlockHeader } from "../primitives/block_header.ts";
import {
  checkAuxiliaryProofOfWork,
  checkNextWorkRequiredAux,
  computeMerkleMapRootFromBranch,
  computeMerklePathAndMask,
  computeStableMerkleRootFromBranch,
  getAuxiliaryHash,
  getBias,
  getFilteredTimeAux,
  getNextWorkRequiredAux,
  headerFilteredTime,
} from "./aux_pow.ts";
import type { ChainEntry } from "./chain_entry.ts";
import { selectParams } from "./chain_params.ts";
import { compactToTarget, targetToCompact } from "./compact.ts";

const params = selectParams("main").consensus;
const leaf = (i: number) => sha256d(new Uint8Array([i]));

Deno.test("path and mask drop the self-paired levels of the right-most branch", () => {
  assert.deepEqual(computeMerklePathAndMask(2, 2), { path: 2, mask: 0 });
  assert.deepEqual(computeMerklePathAndMask(1, 2), { path: 1, mask: 1 });
  assert.deepEqual(computeMerklePathAndMask(0, 0), { path: 0, mask: 0 });
});

Deno.test("the stable root equals the Bitcoin Merkle root of an odd-sized tree", () => {
  for (const count of [1, 2, 3, 5, 6, 7, 9]) {
    const leaves = Array.from({ length: count }, (_, i) => leaf(i));
    const expected = computeMerkleRoot(leaves).root;
    // Branch of the last leaf without its self-paired levels.
    const branch: Uint8Array[] = [];
    let level = leaves.slice();
    let position = count - 1;
    while (level.length > 1) {
      const sibling = position ^ 1;
      if (sibling < level.length) branch.push(level[sibling]);
      const next: Uint8Array[] = [];
      for (let i = 0; i < level.length; i += 2) {
        const right = level[i + 1] ?? level[i];
        const data = new Uint8Array(64);
        data.set(level[i]);
        data.set(right, 32);
        next.push(sha256d(data));
      }
      level = next;
      position >>= 1;
    }
    const { path, mask } = computeMerklePathAndMask(branch.length, count - 1);
    const result = computeStableMerkleRootFromBranch(leaves[count - 1], branch, path, mask);
    assert.deepEqual(result.root, expected, `${count} leaves`);
    assert.equal(result.mutated, false);
  }
});

Deno.test("a Merkle map with an empty branch commits to (key, value)", () => {
  const key = leaf(1);
  const value = leaf(2);
  assert.deepEqual(computeMerkleMapRootFromBranch(value, [], key), fastHash256(key, value));
  assert.equal(
    computeMerkleMapRootFromBranch(value, [{ skip: 255, hash: leaf(3) }], key),
    undefined,
  );
});

function aux(change: Partial<AuxProofOfWorkFields> = {}): AuxProofOfWork {
  return new AuxProofOfWork({
    commitVersion: 0x20000000,
    commitHashMerkleRoot: leaf(7),
    commitTime: 0x00000102,
    commitBits: 0x207fffff,
    commitNonce: 0x03040500,
    secretLo: 1n,
    secretHi: 2n,
    commitBranch: [],
    midstateHash: leaf(8),
    midstateBuffer: new Uint8Array([1, 2, 3]),
    midstateLength: 67,
    auxLockTime: 5,
    auxBranch: [leaf(9)],
    auxNumTxns: 2,
    auxVersion: 0x20000000,
    auxHashPrevBlock: leaf(10),
    auxBits: 0x1d00ffff,
    auxNonce: 0,
    ...change,
  });
}

function header(auxPow: AuxProofOfWork | null): BlockHeader {
  return new BlockHeader({
    version: 0x20000000,
    hashPrevBlock: leaf(11),
    hashMerkleRoot: leaf(12),
    time: 1_700_000_000,
    bits: 0x1d00ffff,
    nonce: 0,
    auxPow,
  });
}

Deno.test("bias and filtered time are unpacked from commit_nonce and commit_time", () => {
  const h = header(aux({ commitNonce: 0x030405ff }));
  assert.equal(getBias(h), 0xff);
  assert.equal(headerFilteredTime(h), ((0x102n << 32n) | 0x03040500n) / 256n);
  assert.equal(getBias(header(null)), 0);
  assert.equal(headerFilteredTime(header(null)), 0n);
});

Deno.test("the aux hashes depend on every committed field, and the parent time is ours", () => {
  const base = getAuxiliaryHash(header(aux()), params);
  assert.ok(base && !base.mutated);
  for (
    const change of [
      { secretLo: 3n },
      { auxLockTime: 6 },
      { auxNonce: 1 },
      { midstateBuffer: new Uint8Array([1, 2, 4]) },
      { commitBranch: [{ skip: 0, hash: leaf(1) }] },
    ] as Partial<AuxProofOfWorkFields>[]
  ) {
    const other = getAuxiliaryHash(header(aux(change)), params);
    assert.notDeepEqual(other?.hash1, base.hash1, JSON.stringify(Object.keys(change)));
  }
  // The parent header takes our header's nTime.
  const later = new BlockHeader({ ...header(aux()), time: 1_700_000_001 });
  assert.notDeepEqual(getAuxiliaryHash(later, params)?.hash1, base.hash1);
  const moved = getAuxiliaryHash(header(aux({ auxNumTxns: 3 })), params);
  assert.notDeepEqual(moved?.hash1, base.hash1);
  // Path bits left over after the branch make a stable root non-canonical.
  assert.equal(computeStableMerkleRootFromBranch(leaf(1), [], 1, 0).mutated, true);
});

Deno.test("checkAuxiliaryProofOfWork compares hash1 with commit_bits and rejects bad targets", () => {
  let accepted = 0;
  let rejected = 0;
  for (let nonce = 0; nonce < 40; nonce++) {
    const h = header(aux({ auxNonce: nonce }));
    const hashes = getAuxiliaryHash(h, params);
    assert.ok(hashes);
    const target = compactToTarget(0x207fffff).target;
    let value = 0n;
    for (let i = 31; i >= 0; i--) value = (value << 8n) | BigInt(hashes.hash1[i]);
    assert.equal(checkAuxiliaryProofOfWork(h, params), value <= target);
    if (value <= target) accepted++;
    else rejected++;
  }
  assert.ok(accepted > 0 && rejected > 0);
  assert.equal(checkAuxiliaryProofOfWork(header(aux({ commitBits: 0 })), params), false);
  assert.equal(checkAuxiliaryProofOfWork(header(aux({ commitBits: 0x04923456 })), params), false);
  assert.equal(checkAuxiliaryProofOfWork(header(null), params), true);
});

function entry(height: number, time: number, prev?: ChainEntry, commitBits?: number): ChainEntry {
  return {
    height,
    hash: leaf(height),
    version: 0x20000000,
    time,
    bits: 0x1d00ffff,
    prev,
    auxPow: commitBits === undefined ? undefined : { commitBits, filteredTime: 900n << 32n },
  };
}

Deno.test("the first merge-mined block gets twice the native target", () => {
  const last = entry(10, 1000);
  const expected = targetToCompact(compactToTarget(0x1d00ffff).target << 1n);
  assert.equal(getNextWorkRequiredAux(last, 0x1d00ffff, params), expected);
});

Deno.test("aux retarget is unchanged at the target spacing and limited for fast blocks", () => {
  let tip: ChainEntry | undefined;
  for (let h = 0; h < 5; h++) tip = entry(h, 1_000_000 + h * 900, tip, 0x1c0fffff);
  // b0 + b1 + b2 - a2 of the Bessel filter, times the steady 900 s interval.
  const gain = 0x4498517an * 2n + 0x8930a2f5n - 0x126145ean;
  assert.equal(getFilteredTimeAux(tip, params), 900n * gain);
  const steady = getNextWorkRequiredAux(tip, 0x1d00ffff, params);
  const old = compactToTarget(0x1c0fffff).target;
  const result = compactToTarget(steady).target;
  // Within 1% of the old target at the target spacing.
  assert.ok(result * 100n >= old * 99n && result * 100n <= old * 101n);
  let fast: ChainEntry | undefined;
  for (let h = 0; h < 5; h++) fast = entry(h, 1_000_000 + h, fast, 0x1c0fffff);
  if (fast?.prev) {
    (fast.prev as { auxPow?: { commitBits: number; filteredTime: bigint } }).auxPow = {
      commitBits: 0x1c0fffff,
      filteredTime: 100000n << 32n,
    };
  }
  assert.equal(
    getNextWorkRequiredAux(fast, 0x1d00ffff, params),
    targetToCompact((old * 16n) / 17n),
  );
});

Deno.test("after the size expansion aux bits may move at most 2x from the last 11 blocks", () => {
  let tip: ChainEntry | undefined;
  for (let h = 0; h < 12; h++) tip = entry(h, 1_000_000 + h * 900, tip, 0x1c0fffff);
  const target = compactToTarget(0x1c0fffff).target;
  const at = (t: bigint) => header(aux({ commitBits: targetToCompact(t) }));
  assert.ok(checkNextWorkRequiredAux(tip, at(target * 2n), params));
  assert.ok(!checkNextWorkRequiredAux(tip, at(target * 3n), params));
  assert.ok(!checkNextWorkRequiredAux(tip, at(target / 3n), params));
  assert.ok(checkNextWorkRequiredAux(tip, header(null), params));
});
