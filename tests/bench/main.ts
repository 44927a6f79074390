/**
 * `deno task bench`: runs every benchmark in this folder, one after another, each printing its
 * figures as ratios against a baseline measured in the same run.
 *
 * @module
 */
import { writeStdout } from "../../cli/console.ts";

/** Benchmark modules, each exporting `main(): Promise<void>`. */
const BENCHMARKS = [
  "./ipc_bench.ts",
  "./ipc_roles_bench.ts",
  "./kernel_bench.ts",
  "./script_bench.ts",
  "./chainstate_bench.ts",
  "./node_bench.ts",
  "./rpc_bench.ts",
  "./p2p_bench.ts",
  "./p2p_reference_bench.ts",
  "./wallet_bench.ts",
];

/** The 1-, 5- and 15-minute load averages, printed with each benchmark's heading. */
function loadAverage(): string {
  try {
    return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
  } catch {
    return "n/a";
  }
}

const only = Deno.args.length > 0 ? new Set(Deno.args) : undefined;
for (const path of BENCHMARKS) {
  const name = path.slice(2, -3);
  if (only && !only.has(name)) continue;
  let module: { main?: () => Promise<void> };
  try {
    module = await import(path);
  } catch (error) {
    writeStdout(
      `\n== ${name}: not available (${error instanceof Error ? error.message : error})\n`,
    );
    continue;
  }
  if (typeof module.main !== "function") continue;
  writeStdout(`\n== ${name} (${new Date().toISOString()}, load ${loadAverage()})\n`);
  await module.main();
}
