import assert from "node:assert/strict";
import { hashFromHex } from "../encoding/hex.ts";
import type { ChainEntry } from "./chain_entry.ts";
import { selectParams } from "./chain_params.ts";
import { compactToTarget, targetToCompact } from "./compact.ts";
import type { ConsensusParams } from "./consensus_params.ts";
import {
  calculateNextWorkRequired,
  checkProofOfWork,
  getBlockProof,
  getBlockProofEquivalentTime,
  getFilteredTime,
  getNextWorkRequired,
  permittedDifficultyTransition,
} from "./pow.ts";

const main = selectParams("main").consensus;
// Bitcoin's pow_tests vectors exercise the original retarget; switch the filter off for them.
const unfiltered: ConsensusParams = { ...main, diffAdjustThreshold: Number.POSITIVE_INFINITY };

function entry(height: number, time: number, bits: number, first?: ChainEntry): ChainEntry {
  return {
    height,
    hash: new Uint8Array(32).fill(height & 0xff),
    version: 4,
    time,
    bits,
    prev: undefined,
    ancestor: (h: number) => (first && h === first.height ? first : undefined),
  };
}

/** A linear chain with the given inter-block spacings (oldest first). */
function chain(bits: number, spacings: number[], startTime = 1_600_000_000): ChainEntry {
  let tip: ChainEntry = {
    height: 0,
    hash: new Uint8Array(32),
    version: 4,
    time: startTime,
    bits,
    prev: undefined,
  };
  for (const spacing of spacings) {
    const hash = new Uint8Array(32);
    hash[0] = (tip.height + 1) & 0xff;
    hash[1] = ((tip.height + 1) >> 8) & 0xff;
    hash[31] = 0x55;
    tip = { height: tip.height + 1, hash, version: 4, time: tip.time + spacing, bits, prev: tip };
  }
  return tip;
}

Deno.test("original retarget reproduces Bitcoin's get_next_work vectors", () => {
  const cases: [number, number, number, number, number][] = [
    // [retarget time, last height, last time, last bits, expected]
    [1261130161, 32255, 1262152739, 0x1d00ffff, 0x1d00d86a],
    [1231006505, 2015, 1233061996, 0x1d00ffff, 0x1d00ffff],
    [1279008237, 68543, 1279297671, 0x1c05a3f4, 0x1c0168fd],
    [1263163443, 46367, 1269211443, 0x1c387f6f, 0x1d00e1fd],
  ];
  for (const [firstTime, height, time, bits, expected] of cases) {
    const goBack = height + 1 === 2016 ? 2015 : 2016;
    const first = entry(height - goBack, firstTime, bits);
    const last = entry(height, time, bits, first);
    assert.equal(calculateNextWorkRequired(last, unfiltered), expected);
    assert.ok(permittedDifficultyTransition(unfiltered, height + 1, bits, expected));
  }
});

Deno.test("permittedDifficultyTransition rejects a step past the 4x clamps", () => {
  assert.ok(!permittedDifficultyTransition(unfiltered, 68544, 0x1c05a3f4, 0x1c0168fd - 1));
  assert.ok(!permittedDifficultyTransition(unfiltered, 46368, 0x1c387f6f, 0x1d00e1fd + 1));
  assert.ok(!permittedDifficultyTransition(unfiltered, 100, 0x1c387f6f, 0x1c387f70));
  assert.ok(permittedDifficultyTransition(main, 30000, 0x1c387f6f, 0x1d00ffff));
});

Deno.test("regtest never retargets", () => {
  const regtest = selectParams("regtest").consensus;
  const tip = chain(0x207fffff, new Array(2015).fill(1));
  assert.equal(tip.height, 2015);
  assert.equal(getNextWorkRequired(tip, regtest), 0x207fffff);
});

Deno.test("filtered retarget keeps the target at exactly the target spacing", () => {
  // Reuse mainnet parameters but move the filter threshold to this short chain.
  const params: ConsensusParams = { ...main, diffAdjustThreshold: 1 };
  const aligned = chain(0x1c0fffff, new Array(152).fill(600));
  assert.equal((aligned.height + 1) % 9, 0);
  assert.equal(getFilteredTime(aligned, params), 600n << 31n);
  assert.equal(getNextWorkRequired(aligned, params), 0x1c0fffff);
});

Deno.test("filtered retarget is limited to 211/200 for very fast blocks", () => {
  const params: ConsensusParams = { ...main, diffAdjustThreshold: 1 };
  const tip = chain(0x1c0fffff, new Array(152).fill(1));
  const old = compactToTarget(0x1c0fffff).target;
  assert.equal(getNextWorkRequired(tip, params), targetToCompact((old * 200n) / 211n));
  // Not a retarget height: bits are copied.
  const off = chain(0x1c0fffff, new Array(150).fill(1));
  assert.equal(getNextWorkRequired(off, params), 0x1c0fffff);
});

Deno.test("the 2013 hash-crash parent forces 1b01c13a", () => {
  const last: ChainEntry = {
    height: 29000,
    hash: hashFromHex("0000000000003bd73ea13954fbbf1cf50b5384f961d142a75a3dfe106f793a20"),
    version: 2,
    time: 0,
    bits: 0x1b00ffff,
    prev: undefined,
  };
  assert.equal(getNextWorkRequired(last, main), 0x1b01c13a);
});

Deno.test("checkProofOfWork rejects negative, overflowing, too easy and too high targets", () => {
  const one = new Uint8Array(32);
  one[0] = 1;
  assert.ok(!checkProofOfWork(one, targetToCompact(main.powLimit, true) | 0x00800000, main));
  assert.ok(!checkProofOfWork(one, ~0x00800000 >>> 0, main));
  assert.ok(!checkProofOfWork(one, targetToCompact(main.powLimit * 2n), main));
  assert.ok(!checkProofOfWork(one, 0, main));
  const high = new Uint8Array(32).fill(0xff);
  assert.ok(!checkProofOfWork(high, 0x1d00ffff, main));
  assert.ok(checkProofOfWork(one, 0x1d00ffff, main));
});

Deno.test("block proof is 2^256/(target+1) and adds aux work", () => {
  assert.equal(getBlockProof(0x207fffff), 2n);
  assert.equal(getBlockProof(0x1d00ffff), 0x100010001n);
  assert.equal(getBlockProof(0x207fffff, 0x207fffff), 4n);
  assert.equal(getBlockProof(0x04923456), 0n);
});

Deno.test("proof-equivalent time of N blocks of work at the tip's target is N spacings", () => {
  const tip: ChainEntry = {
    height: 100,
    hash: new Uint8Array(32),
    version: 4,
    time: 0,
    bits: 0x1d00ffff,
    prev: undefined,
  };
  const work = getBlockProof(0x1d00ffff);
  assert.equal(getBlockProofEquivalentTime(work * 110n, work * 100n, tip, main), 6000n);
  assert.equal(getBlockProofEquivalentTime(work * 100n, work * 110n, tip, main), -6000n);
  const auxTip: ChainEntry = { ...tip, auxPow: { commitBits: 0x1d00ffff, filteredTime: 0n } };
  // Aux tips use the 900 s spacing and count both proofs per block.
  assert.equal(getBlockProofEquivalentTime(work * 20n, 0n, auxTip, main), 9000n);
});
