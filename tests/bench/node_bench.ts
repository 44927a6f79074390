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
 * When a C++ reference freicoind is on the machine (`FREICOIN_REFERENCE_BIN`, or a build at
 * /work/ref-build/src/freicoind), each round measures it the same way right after ours, and the
 * ratios are against those same-run figures as well as the recorded ones.
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
  referenceLauncher,
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
async function feed(
  launcher: NodeLauncher,
  datadir: string,
  blocks: string[],
  expectedTip: string,
) {
  const node = await startNode(datadir, [], launcher);
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
async function startUntilTip(
  launcher: NodeLauncher,
  datadir: string,
  tip: string,
  extraArgs: string[],
) {
  const started = performance.now();
  const node = await startNode(datadir, extraArgs, launcher);
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

/** One program's figures over the rounds. */
interface Figures {
  feed: number[];
  feedCpu: number[];
  peaks: number[];
  ready: number[];
  readyCpu: number[];
  reindex: number[];
  reindexCpu: number[];
}

function emptyFigures(): Figures {
  return { feed: [], feedCpu: [], peaks: [], ready: [], readyCpu: [], reindex: [], reindexCpu: [] };
}

/** One round for one program: feed a fresh datadir, restart on it, then -reindex-chainstate. */
async function round(launcher: NodeLauncher, datadir: string, blocks: string[], tip: string) {
  const fed = await feed(launcher, datadir, blocks, tip);
  const ready = await startUntilTip(launcher, datadir, tip, []);
  const reindex = await startUntilTip(launcher, datadir, tip, ["-reindex-chainstate"]);
  return { fed, ready, reindex };
}

async function addRound(
  figures: Figures,
  launcher: NodeLauncher,
  datadir: string,
  blocks: string[],
  tip: string,
): Promise<void> {
  const { fed, ready, reindex } = await round(launcher, datadir, blocks, tip);
  figures.feed.push(fed.seconds);
  figures.feedCpu.push(fed.cpu);
  figures.peaks.push(fed.peakMiB);
  figures.ready.push(ready.seconds);
  figures.readyCpu.push(ready.cpu);
  figures.reindex.push(reindex.seconds);
  figures.reindexCpu.push(reindex.cpu);
}

/** "0.45× freicoind (1.92 s recorded)" plus the same-run ratio when the reference ran. */
function versus(ours: number, recorded: number, sameRun: number[] | undefined): string {
  const text = `${(recorded / ours).toFixed(2)}× freicoind's recorded ${recorded} s`;
  if (!sameRun) return text;
  const theirs = median(sameRun);
  return `${(theirs / ours).toFixed(2)}× the reference freicoind in this run (${
    theirs.toFixed(2)
  } s; ${describe(sameRun)}), ${text}`;
}

/** Runs the benchmark and prints one line per figure (median of `runs`, default 3). */
export async function main(runs = 3): Promise<void> {
  const reference = JSON.parse(
    await Deno.readTextFile(vector("perf-chain-1000.json")),
  ) as PerfReference;
  const recorded = reference.reference_figures_on_these_machines;
  const text = new TextDecoder().decode(
    gunzipSync(await Deno.readFile(vector("perf-chain-1000.hex.gz"))),
  );
  const blocks = text.split("\n").map((line) => line.trim()).filter((line) => line.length > 0);
  const tip = reference.bestblockhash;
  const referenceNode = referenceLauncher();
  const base = await Deno.makeTempDir({ prefix: "node_bench_" });
  try {
    const ours = emptyFigures();
    const theirs = referenceNode ? emptyFigures() : undefined;
    for (let run = 0; run < runs; run++) {
      await addRound(ours, NODE, `${base}/ours${run}`, blocks, tip);
      if (referenceNode && theirs) {
        await addRound(theirs, referenceNode, `${base}/reference${run}`, blocks, tip);
      }
    }
    const seconds = median(ours.feed);
    print(
      `submitblock feed of ${blocks.length} blocks over JSON-RPC: ${seconds.toFixed(2)} s, ` +
        `${(blocks.length / seconds).toFixed(0)} blocks/s, ` +
        `${(reference.inputs / seconds).toFixed(0)} inputs/s, peak RSS ${
          median(ours.peaks).toFixed(0)
        } MiB${theirs ? ` (reference ${median(theirs.peaks).toFixed(0)} MiB)` : ""}, node CPU ${
          median(ours.feedCpu).toFixed(2)
        } s${theirs ? ` (reference ${median(theirs.feedCpu).toFixed(2)} s)` : ""}; ` +
        `${versus(seconds, recorded.submitblock_feed_seconds_median, theirs?.feed)} ` +
        `(${describe(ours.feed)}; load ${loadAverage()})`,
    );
    const ready = median(ours.ready);
    print(
      `start to RPC-ready, 1,000-block datadir: ${ready.toFixed(2)} s, node CPU ${
        median(ours.readyCpu).toFixed(2)
      } s; ${versus(ready, recorded.start_to_rpc_ready_seconds_median, theirs?.ready)} ` +
        `(${describe(ours.ready)}; load ${loadAverage()})`,
    );
    const reindex = median(ours.reindex);
    print(
      `-reindex-chainstate, spawn to tip: ${reindex.toFixed(2)} s, ` +
        `${(reference.inputs / reindex).toFixed(0)} inputs/s, node CPU ${
          median(ours.reindexCpu).toFixed(2)
        } s; ${versus(reindex, recorded.reindex_chainstate_seconds_median, theirs?.reindex)} ` +
        `(${describe(ours.reindex)}; load ${loadAverage()})`,
    );
  } finally {
    await Deno.remove(base, { recursive: true });
  }
}

if (import.meta.main) await main(Number(Deno.args[0] ?? 3) || 3);
