/**
 * Initial block download over P2P on loopback: the 1,000-block perf chain
 * (../shared/vectors/perf-chain-1000.hex.gz) is handed to a source node by a scripted peer,
 * then a fresh node started with -connect to the source syncs it headers-first. Prints the
 * seconds, blocks/s, inputs/s and peak RSS of the syncing node, and the ratio against
 * freicoind's figures from perf-chain-1000.json measured on the same machines (target ≥ 0.5×).
 *
 * Run: `deno run -A tests/bench/p2p_bench.ts` (or import and call `main()`).
 */
import { gunzipSync } from "node:zlib";
import { writeStdout } from "../../cli/console.ts";
import { hexToBytes } from "../../kernel/encoding/hex.ts";
import { type Block, decodeBlock } from "../../kernel/primitives/block.ts";
import { waitFor } from "../support/program.ts";
import { TestNode, TestPeer } from "../integration/p2p_harness.ts";

interface PerfReference {
  blocks: number;
  inputs: number;
  bestblockhash: string;
  reference_figures_on_these_machines: {
    p2p_initial_sync_seconds_median: number;
    p2p_blocks_per_s: number;
    p2p_inputs_per_s: number;
    peak_rss_mib_during_sync: number;
  };
}

function vector(name: string): URL {
  return new URL(`../../../shared/vectors/${name}`, import.meta.url);
}

function loadPerfChain(): Block[] {
  const text = new TextDecoder().decode(
    gunzipSync(Deno.readFileSync(vector("perf-chain-1000.hex.gz"))),
  );
  return text.split("\n").filter((line) => line.length > 0).map((line) =>
    decodeBlock(hexToBytes(line.trim()))
  );
}

/** Peak resident set size of a process in MiB (Linux `VmHWM`), if readable. */
function peakRssMiB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function tipIs(node: TestNode, hash: string): Promise<boolean> {
  try {
    return (await node.rpc("getbestblockhash")) === hash;
  } catch {
    return false;
  }
}

/** Runs the benchmark and prints its figures. */
export async function main(): Promise<void> {
  const reference = JSON.parse(
    Deno.readTextFileSync(vector("perf-chain-1000.json")),
  ) as PerfReference;
  const figures = reference.reference_figures_on_these_machines;
  const blocks = loadPerfChain();
  const root = await Deno.makeTempDir({ prefix: "p2p_bench_" });
  const source = new TestNode(`${root}/source`);
  const fresh = new TestNode(`${root}/fresh`);
  Deno.mkdirSync(source.datadir);
  Deno.mkdirSync(fresh.datadir);
  try {
    await source.start(["-listen=1"], { quiet: true });
    const feedStart = performance.now();
    {
      await using feeder = await TestPeer.connect(source.port);
      await feeder.handshake();
      for (const block of blocks) feeder.blockStore.set(block.hashHex, block.toBytes());
      await feeder.send({ type: "headers", headers: blocks.map((b) => b.header) });
      await waitFor(() => tipIs(source, reference.bestblockhash), 600_000, "the source node");
    }
    const feedSeconds = (performance.now() - feedStart) / 1000;
    writeStdout(
      `scripted peer → node, 1000 blocks: ${feedSeconds.toFixed(2)} s ` +
        `(${(blocks.length / feedSeconds).toFixed(0)} blocks/s)\n`,
    );

    const syncStart = performance.now();
    await fresh.start([`-connect=127.0.0.1:${source.port}`], { quiet: true });
    await waitFor(() => tipIs(fresh, reference.bestblockhash), 600_000, "the fresh node");
    const seconds = (performance.now() - syncStart) / 1000;
    const rss = peakRssMiB(fresh.pid);
    const blocksPerSecond = blocks.length / seconds;
    const inputsPerSecond = reference.inputs / seconds;
    writeStdout(
      `node → fresh node (start to synced), 1000 blocks: ${seconds.toFixed(2)} s, ` +
        `${blocksPerSecond.toFixed(0)} blocks/s, ${
          (inputsPerSecond / 1000).toFixed(1)
        }k inputs/s, ` +
        `peak RSS ${rss === undefined ? "n/a" : rss.toFixed(0) + " MiB"}\n`,
    );
    writeStdout(
      `  freicoind: ${figures.p2p_initial_sync_seconds_median} s, ${figures.p2p_blocks_per_s} blocks/s, ` +
        `${
          (figures.p2p_inputs_per_s / 1000).toFixed(1)
        }k inputs/s, ${figures.peak_rss_mib_during_sync} MiB; ` +
        `throughput ratio ${
          (blocksPerSecond / figures.p2p_blocks_per_s).toFixed(2)
        }× (goal ≥ 0.5×)\n`,
    );
    writeStdout("  (freicoind not available here: no sync-from-freicoind run)\n");
  } finally {
    await Promise.all([source.stop(), fresh.stop()]);
    await Deno.remove(root, { recursive: true });
  }
}

if (import.meta.main) await main();
