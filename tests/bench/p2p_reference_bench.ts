/**
 * Initial sync against the C++ reference freicoind: a reference node is loaded with the 1,000-block
 * perf chain (../shared/vectors/perf-chain-1000.hex.gz, through submitblock), then in one run
 * and on the same machine
 *   1. a fresh reference node syncs it from the reference (the baseline),
 *   2. a fresh node of ours syncs it from the reference,
 *   3. a fresh reference node syncs it from our node (the one synced in 2),
 *   4. a fresh node of ours syncs it from our node (issue 6's benchmark, ours ← ours, here with
 *      the reference ← reference baseline of the same run instead of the recorded figure).
 * Each is timed from `addnode … onetry` to the tip; ratios are baseline seconds / our seconds.
 * Needs a reference binary (`FREICOIN_REFERENCE_BIN`, or /work/ref-build/src/freicoind).
 *
 * Run: `deno run -A tests/bench/p2p_reference_bench.ts [rounds]`.
 */
import { gunzipSync } from "node:zlib";
import { writeStdout } from "../../cli/console.ts";
import { waitFor } from "../support/program.ts";
import { TestNode } from "../integration/p2p_harness.ts";
import { referenceBinary, ReferenceNode } from "./p2p_reference_node.ts";

interface Rpc {
  rpc(method: string, ...params: unknown[]): Promise<unknown>;
  readonly port: number;
}

function vector(name: string): URL {
  return new URL(`../../../shared/vectors/${name}`, import.meta.url);
}

function perfChainHex(): string[] {
  const text = new TextDecoder().decode(
    gunzipSync(Deno.readFileSync(vector("perf-chain-1000.hex.gz"))),
  );
  return text.split("\n").map((line) => line.trim()).filter((line) => line.length > 0);
}

/** Seconds from asking `node` to connect to `source` until it has `tipHash`. */
async function timeSync(node: Rpc, source: Rpc, tipHash: string): Promise<number> {
  const start = performance.now();
  await node.rpc("addnode", `127.0.0.1:${source.port}`, "onetry");
  await waitFor(
    async () => (await node.rpc("getbestblockhash")) === tipHash,
    600_000,
    "the sync to finish",
  );
  return (performance.now() - start) / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Runs the benchmark `rounds` times and prints the figures and ratios. */
export async function main(rounds = 1): Promise<void> {
  const binary = referenceBinary();
  if (!binary) {
    writeStdout("p2p_reference_bench: no reference freicoind (set FREICOIN_REFERENCE_BIN)\n");
    return;
  }
  const blocks = perfChainHex();
  const root = await Deno.makeTempDir({ prefix: "p2p_reference_bench_" });
  const source = new ReferenceNode(binary, `${root}/source`);
  const results = {
    refFromRef: [] as number[],
    oursFromRef: [] as number[],
    refFromOurs: [] as number[],
    oursFromOurs: [] as number[],
  };
  try {
    await source.start();
    for (const hex of blocks) {
      const result = await source.rpc("submitblock", hex);
      if (result !== null) throw new Error(`submitblock: ${result}`);
    }
    const tipHash = await source.rpc("getbestblockhash") as string;
    for (let round = 0; round < rounds; round++) {
      const baseline = new ReferenceNode(binary, `${root}/r${round}-ref`);
      await baseline.start();
      results.refFromRef.push(await timeSync(baseline, source, tipHash));
      await baseline.stop();

      const ours = new TestNode(`${root}/r${round}-ours`);
      Deno.mkdirSync(ours.datadir);
      await ours.start([], { quiet: true });
      results.oursFromRef.push(await timeSync(ours, source, tipHash));
      await ours.rpc("disconnectnode", `127.0.0.1:${source.port}`);

      const fromOurs = new ReferenceNode(binary, `${root}/r${round}-ref-from-ours`);
      await fromOurs.start();
      results.refFromOurs.push(await timeSync(fromOurs, ours, tipHash));
      await fromOurs.stop();

      const second = new TestNode(`${root}/r${round}-ours-from-ours`);
      Deno.mkdirSync(second.datadir);
      await second.start([], { quiet: true });
      results.oursFromOurs.push(await timeSync(second, ours, tipHash));
      await second.stop();
      await ours.stop();
    }
  } finally {
    await source.stop();
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
  const base = median(results.refFromRef);
  const line = (label: string, values: number[]): string => {
    const seconds = median(values);
    return `${label}: ${seconds.toFixed(2)} s (${(blocks.length / seconds).toFixed(0)} blocks/s) ` +
      `[${values.map((v) => v.toFixed(2)).join(", ")}], ratio ${(base / seconds).toFixed(3)}×\n`;
  };
  writeStdout(`initial sync of ${blocks.length} blocks, median of ${rounds} round(s)\n`);
  writeStdout(line("reference <- reference", results.refFromRef));
  writeStdout(line("ours      <- reference", results.oursFromRef));
  writeStdout(line("reference <- ours     ", results.refFromOurs));
  writeStdout(line("ours      <- ours     ", results.oursFromOurs));
}

if (import.meta.main) await main(Number(Deno.args[0] ?? 1));
