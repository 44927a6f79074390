/**
 * The 1,000-block perf chain through a real node process (issue 5), against freicoind's own
 * figures on these machines (../shared/vectors/perf-chain-1000.json):
 *
 * - feed ../shared/vectors/perf-chain-1000.hex.gz with `submitblock` over one keep-alive
 *   JSON-RPC connection to a fresh `deno run -A --v8-flags=--max-semi-space-size=16 mod.ts
 *   freicoind -regtest` node (the launchers' command): seconds,
 *   blocks/s, inputs/s and peak RSS (reference 1.92 s, 521 blocks/s);
 * - start to RPC-ready on the resulting 1,000-block datadir (reference 0.14 s);
 * - `-reindex-chainstate` of that datadir, from spawn until the node reports the tip again
 *   (reference 1.29 s).
 *
 * chainstate_bench.ts measures the same feed in-process (ChainState.submitBlock); the
 * difference between the two is the process, HTTP and JSON-RPC layer.
 *
 * Run: `deno run -A tests/bench/node_bench.ts [runs]` (or import and call `main()`).
 */
import { gunzipSync } from "node:zlib";
import {
  cpuSeconds,
  loadAverage,
  median,
  type NodeLauncher,
  print,
  rpc,
  startNode,
  stopNode,
} from "./rpc_bench.ts";

/** The node as the installed launchers run it (tools/install.ts), V8 flags included. */
const NODE: NodeLauncher = {
  command: Deno.execPath(),
  leadingArgs: [
    "run",
    "-A",
    "--v8-flags=--max-semi-space-size=16",
    new URL("../../mod.ts", import.meta.url).pathname,
    "freicoind",
  ],
};

interface PerfReference {
  blocks: number;
  inputs: number;
  bestblockhash: string;
  reference_figures_on_these_machines: {
    submitblock_feed_seconds_median: number;
    reindex_chainstate_seconds_median: number;
    start_to_rpc_ready_seconds_median: number;
  };
}

function vector(name: string): URL {
  return new URL(`../../../shared/vectors/${name}`, import.meta.url);
}

/** Peak resident set size of a process in MiB (Linux), or NaN. */
function peakRssMiB(pid: number): number {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    const kib = status.match(/VmHWM:\s+(\d+) kB/);
    return kib ? Number(kib[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Feeds every block over JSON-RPC; returns seconds and the node's peak RSS. */
async function feed(datadir: string, blocks: string[], expectedTip: string) {
  const node = await startNode(datadir, [], NODE);
  try {
    const cpuBefore = cpuSeconds(node.child.pid);
    const started = performance.now();
    for (let i = 0; i < blocks.length; i++) {
      const result = await rpc(node, "submitblock", [blocks[i]]);
      if (result !== null) throw new Error(`block ${i + 1}: ${result}`);
    }
    const seconds = (performance.now() - started) / 1000;
    const tip = await rpc(node, "getbestblockhash");
    if (tip !== expectedTip) throw new Error(`unexpected tip ${tip}`);
    const cpu = cpuSeconds(node.child.pid) - cpuBefore;
    return { seconds, cpu, peakMiB: peakRssMiB(node.child.pid) };
  } finally {
    await stopNode(node);
  }
}

/**
 * Seconds from spawn until the node is RPC-ready and reports `tip` as its best block, and the
 * CPU seconds the node used until then.
 */
async function startUntilTip(datadir: string, tip: string, extraArgs: string[]) {
  const started = performance.now();
  const node = await startNode(datadir, extraArgs, NODE);
  try {
    while ((await rpc(node, "getbestblockhash")) !== tip) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return { seconds: (performance.now() - started) / 1000, cpu: cpuSeconds(node.child.pid) };
  } finally {
    await stopNode(node);
  }
}

function describe(times: number[]): string {
  return `median of ${times.length}: ${times.map((s) => s.toFixed(2)).join(", ")}`;
}

/** Runs the benchmark and prints one line per figure (median of `runs`, default 3). */
export async function main(runs = 3): Promise<void> {
  const reference = JSON.parse(
    await Deno.readTextFile(vector("perf-chain-1000.json")),
  ) as PerfReference;
  const figures = reference.reference_figures_on_these_machines;
  const text = new TextDecoder().decode(
    gunzipSync(await Deno.readFile(vector("perf-chain-1000.hex.gz"))),
  );
  const blocks = text.split("\n").map((line) => line.trim()).filter((line) => line.length > 0);
  const base = await Deno.makeTempDir({ prefix: "node_bench_" });
  try {
    const feeds: number[] = [];
    const peaks: number[] = [];
    const feedCpu: number[] = [];
    for (let run = 0; run < runs; run++) {
      const result = await feed(`${base}/feed${run}`, blocks, reference.bestblockhash);
      feeds.push(result.seconds);
      peaks.push(result.peakMiB);
      feedCpu.push(result.cpu);
    }
    const seconds = median(feeds);
    const refFeed = figures.submitblock_feed_seconds_median;
    print(
      `submitblock feed of ${blocks.length} blocks over JSON-RPC: ${seconds.toFixed(2)} s, ` +
        `${(blocks.length / seconds).toFixed(0)} blocks/s, ` +
        `${(reference.inputs / seconds).toFixed(0)} inputs/s, peak RSS ${
          median(peaks).toFixed(0)
        } MiB, node CPU ${median(feedCpu).toFixed(2)} s; ${(refFeed / seconds).toFixed(2)}× ` +
        `freicoind (${refFeed} s) ` +
        `(${describe(feeds)}; load ${loadAverage()})`,
    );

    const datadir = `${base}/feed0`;
    const ready: number[] = [];
    const readyCpu: number[] = [];
    for (let run = 0; run < runs; run++) {
      const result = await startUntilTip(datadir, reference.bestblockhash, []);
      ready.push(result.seconds);
      readyCpu.push(result.cpu);
    }
    const refReady = figures.start_to_rpc_ready_seconds_median;
    print(
      `start to RPC-ready, 1,000-block datadir: ${median(ready).toFixed(2)} s, node CPU ${
        median(readyCpu).toFixed(2)
      } s; ` +
        `${(refReady / median(ready)).toFixed(2)}× freicoind (${refReady} s) ` +
        `(${describe(ready)}; load ${loadAverage()})`,
    );

    const reindex: number[] = [];
    const reindexCpu: number[] = [];
    for (let run = 0; run < runs; run++) {
      const result = await startUntilTip(datadir, reference.bestblockhash, [
        "-reindex-chainstate",
      ]);
      reindex.push(result.seconds);
      reindexCpu.push(result.cpu);
    }
    const refReindex = figures.reindex_chainstate_seconds_median;
    const r = median(reindex);
    print(
      `-reindex-chainstate, spawn to tip: ${r.toFixed(2)} s, ` +
        `${(reference.inputs / r).toFixed(0)} inputs/s, node CPU ${
          median(reindexCpu).toFixed(2)
        } s; ${(refReindex / r).toFixed(2)}× ` +
        `freicoind (${refReindex} s) (${describe(reindex)}; load ${loadAverage()})`,
    );
  } finally {
    await Deno.remove(base, { recursive: true });
  }
}

if (import.meta.main) await main(Number(Deno.args[0] ?? 3) || 3);
