import assert from "node:assert/strict";
import type { ChainEntry } from "./chain_entry.ts";
import { selectParams } from "./chain_params.ts";
import type { ConsensusParams } from "./consensus_params.ts";
import {
  computeBlockVersion,
  deploymentState,
  deploymentStateSinceHeight,
  deploymentStatistics,
} from "./versionbits.ts";

const regtest = selectParams("regtest").consensus;

function buildChain(count: number, version: (height: number) => number): ChainEntry[] {
  const entries: ChainEntry[] = [];
  let prev: ChainEntry | undefined;
  for (let height = 0; height < count; height++) {
    const hash = new Uint8Array(32);
    hash[0] = height & 0xff;
    hash[1] = height >> 8;
    const entry: ChainEntry = {
      height,
      hash,
      version: version(height),
      time: 1000 + height,
      bits: 0x207fffff,
      prev,
    };
    entries.push(entry);
    prev = entry;
  }
  return entries;
}

Deno.test("regtest testdummy goes started, locked_in, active with 108 of 144 signals", () => {
  const signal = 0x20000000 | (1 << 28);
  const chain = buildChain(144 * 3, (h) => (h >= 144 ? signal : 0x20000000));
  const cache = new Map();
  assert.equal(deploymentState(undefined, regtest, "testdummy", cache), "defined");
  assert.equal(deploymentState(chain[142], regtest, "testdummy", cache), "defined");
  assert.equal(deploymentState(chain[143], regtest, "testdummy", cache), "started");
  assert.equal(deploymentState(chain[287], regtest, "testdummy", cache), "locked_in");
  assert.equal(deploymentState(chain[431], regtest, "testdummy", cache), "active");
  assert.equal(deploymentStateSinceHeight(chain[431], regtest, "testdummy"), 432);
  assert.equal(deploymentStateSinceHeight(chain[200], regtest, "testdummy"), 144);
});

Deno.test("too few signals keep the deployment started; timeout fails it", () => {
  const signal = 0x20000000 | (1 << 28);
  const chain = buildChain(144 * 3, (h) => (h % 144 < 107 ? signal : 0x20000000));
  assert.equal(deploymentState(chain[431], regtest, "testdummy"), "started");
  const timed: ConsensusParams = {
    ...regtest,
    deployments: {
      ...regtest.deployments,
      testdummy: { bit: 28, startTime: 0n, timeout: 1200n, minActivationHeight: 0 },
    },
  };
  assert.equal(deploymentState(chain[431], timed, "testdummy"), "failed");
});

Deno.test("finaltx is active and auxpow failed from genesis on regtest", () => {
  assert.equal(deploymentState(undefined, regtest, "finaltx"), "active");
  assert.equal(deploymentState(undefined, regtest, "auxpow"), "failed");
});

Deno.test("computeBlockVersion signals testdummy while it is started", () => {
  const chain = buildChain(200, () => 0x20000000);
  assert.equal(computeBlockVersion(chain[199], regtest), 0x30000000);
  assert.equal(computeBlockVersion(chain[100], regtest), 0x20000000);
});

Deno.test("statistics count signalling blocks in the current period", () => {
  const signal = 0x20000000 | (1 << 28);
  const chain = buildChain(150, (h) => (h % 2 === 0 ? signal : 0x20000000));
  const { stats, signalling } = deploymentStatistics(chain[149], regtest, "testdummy");
  assert.equal(stats.elapsed, 6);
  assert.equal(stats.count, 3);
  assert.deepEqual(signalling, [true, false, true, false, true, false]);
  assert.equal(stats.possible, true);
});
