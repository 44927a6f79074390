/**
 * JSON-RPC throughput and start-up time of a real node process (issue 5):
 *
 * - `getblockcount` requests per second over one keep-alive connection and over eight,
 *   driven by `wrk` when it is installed (a small Deno load generator otherwise), against
 *   `deno run -A mod.ts freicoind -regtest -listen=0` on an empty datadir; the baseline is a
 *   minimal `Deno.serve` HTTP server answering the same request with the same JSON, loaded
 *   the same way in the same run. Reference (freicoind on these machines): ≈ 13k/s and
 *   ≈ 33k/s.
 * - start to RPC-ready (spawn until the first successful `getblockcount`) on an empty
 *   datadir; node_bench.ts measures it on the 1,000-block datadir it builds.
 *
 * When a C++ reference freicoind is on the machine (`FREICOIN_REFERENCE_BIN`, or a local build
 * at /work/ref-build/src/freicoind) it is measured the same way in the same run, and the ratios
 * are against that measurement instead of the recorded figures.
 *
 * The node helpers are exported for node_bench.ts.
 *
 * Run: `deno run -A tests/bench/rpc_bench.ts` (or import and call `main()`).
 */
import { writeStdout } from "../../cli/console.ts";
import { referenceBinary } from "./p2p_reference_node.ts";

const MOD_TS = new URL("../../mod.ts", import.meta.url).pathname;
const GETBLOCKCOUNT = '{"version":"1.1","method":"getblockcount","params":[],"id":1}';

/** A running node process and how to reach its RPC server. */
export interface NodeProcess {
  readonly child: Deno.ChildProcess;
  readonly datadir: string;
  readonly port: number;
  readonly authorization: string;
  /** Seconds from spawn to the first successful `getblockcount`. */
  readonly readySeconds: number;
  /** CPU seconds the node had used by then. */
  readonly readyCpuSeconds: number;
}

/** Prints one line. */
export function print(text: string): void {
  writeStdout(`${text}\n`);
}

/** The 1-, 5- and 15-minute load averages, for the record next to each figure. */
export function loadAverage(): string {
  try {
    return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
  } catch {
    return "n/a";
  }
}

/** Median of a non-empty list. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * CPU seconds (user + system, all threads) a process has used so far (Linux), or NaN. On a
 * shared machine this moves less with the load than wall time does.
 */
export function cpuSeconds(pid: number): number {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in USER_HZ ticks
  } catch {
    return NaN;
  }
}

/** A TCP port nobody listens on right now. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function tryReadCookie(datadir: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(`${datadir}/regtest/.cookie`);
  } catch {
    return undefined;
  }
}

/** One JSON-RPC call; throws on an error reply. */
export async function rpc(
  node: Pick<NodeProcess, "port" | "authorization">,
  method: string,
  params: unknown[] = [],
): Promise<unknown> {
  const response = await fetch(`http://127.0.0.1:${node.port}/`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: node.authorization },
    body: JSON.stringify({ version: "1.1", method, params, id: 1 }),
  });
  const text = await response.text();
  let reply: { result?: unknown; error?: { code: number; message: string } | null };
  try {
    reply = JSON.parse(text);
  } catch {
    throw new Error(`${method}: HTTP ${response.status} ${text.slice(0, 200)}`);
  }
  if (reply.error) throw new Error(`${method}: ${reply.error.code} ${reply.error.message}`);
  return reply.result;
}

async function debugLogTail(datadir: string): Promise<string> {
  try {
    const text = await Deno.readTextFile(`${datadir}/regtest/debug.log`);
    return text.split("\n").slice(-15).join("\n");
  } catch {
    return "(no debug.log)";
  }
}

/** How to start a node program: the command and the arguments before the node's own options. */
export interface NodeLauncher {
  readonly command: string;
  readonly leadingArgs: readonly string[];
}

/** Our node: `deno run -A mod.ts freicoind`. */
export const OUR_NODE: NodeLauncher = {
  command: Deno.execPath(),
  leadingArgs: ["run", "-A", MOD_TS, "freicoind"],
};

/** The C++ reference freicoind as a launcher, when one is on the machine. */
export function referenceLauncher(): NodeLauncher | undefined {
  const binary = referenceBinary();
  return binary ? { command: binary, leadingArgs: [] } : undefined;
}

/**
 * Spawns `deno run -A mod.ts freicoind -regtest -datadir=… -listen=0 -rpcport=…` (or another
 * `launcher` with the same options) and waits until `getblockcount` answers (polling every 5 ms).
 */
export async function startNode(
  datadir: string,
  extraArgs: string[] = [],
  launcher: NodeLauncher = OUR_NODE,
): Promise<NodeProcess> {
  await Deno.mkdir(datadir, { recursive: true });
  await Deno.remove(`${datadir}/regtest/.cookie`).catch(() => {});
  const port = freePort();
  const started = performance.now();
  const child = new Deno.Command(launcher.command, {
    args: [
      ...launcher.leadingArgs,
      "-regtest",
      `-datadir=${datadir}`,
      "-listen=0",
      `-rpcport=${port}`,
      "-server",
      ...extraArgs,
    ],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  let exited = false;
  child.status.then(() => exited = true);
  const deadline = started + 300_000;
  while (performance.now() < deadline) {
    if (exited) throw new Error(`node exited during start-up:\n${await debugLogTail(datadir)}`);
    const cookie = await tryReadCookie(datadir);
    if (cookie) {
      const authorization = `Basic ${btoa(cookie)}`;
      try {
        await rpc({ port, authorization }, "getblockcount");
        const readySeconds = (performance.now() - started) / 1000;
        const readyCpuSeconds = cpuSeconds(child.pid);
        return { child, datadir, port, authorization, readySeconds, readyCpuSeconds };
      } catch {
        // Not bound yet, or in warm-up (-28): keep polling.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  child.kill();
  throw new Error("node did not become RPC-ready in 300 s");
}

/** `stop` over RPC, then waits for the process to exit (kills it after 60 s). */
export async function stopNode(node: NodeProcess): Promise<void> {
  try {
    await rpc(node, "stop");
  } catch {
    // Already going down.
  }
  const timer = setTimeout(() => node.child.kill("SIGKILL"), 60_000);
  await node.child.status;
  clearTimeout(timer);
}

// ---------------------------------------------------------------------------------------------
// Load generation

function hasWrk(): boolean {
  try {
    return new Deno.Command("wrk", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().code !== 127;
  } catch {
    return false;
  }
}

/** Requests/s measured by `wrk` over `connections` keep-alive connections for `seconds`. */
async function wrkRate(
  port: number,
  authorization: string,
  connections: number,
  seconds: number,
): Promise<number> {
  const script = await Deno.makeTempFile({ suffix: ".lua" });
  await Deno.writeTextFile(
    script,
    [
      'wrk.method = "POST"',
      `wrk.body = '${GETBLOCKCOUNT}'`,
      'wrk.headers["Content-Type"] = "application/json"',
      `wrk.headers["Authorization"] = "${authorization}"`,
    ].join("\n"),
  );
  const output = await new Deno.Command("wrk", {
    args: [
      `-t${Math.min(2, connections)}`,
      `-c${connections}`,
      `-d${seconds}s`,
      "-s",
      script,
      `http://127.0.0.1:${port}/`,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  await Deno.remove(script);
  const text = new TextDecoder().decode(output.stdout);
  const rate = text.match(/Requests\/sec:\s+([\d.]+)/);
  const errors = text.match(/Non-2xx or 3xx responses: (\d+)/);
  if (!rate) throw new Error(`wrk: ${text}${new TextDecoder().decode(output.stderr)}`);
  if (errors) throw new Error(`wrk: ${errors[1]} failed requests`);
  return Number(rate[1]);
}

/** The fallback generator: `connections` sequential fetch loops for `seconds`. */
async function fetchRate(
  port: number,
  authorization: string,
  connections: number,
  seconds: number,
): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let count = 0;
  const loop = async () => {
    const client = Deno.createHttpClient({ poolMaxIdlePerHost: 1 });
    while (performance.now() < end) {
      const response = await fetch(`http://127.0.0.1:${port}/`, {
        method: "POST",
        client,
        headers: { "Content-Type": "application/json", Authorization: authorization },
        body: GETBLOCKCOUNT,
      });
      await response.text();
      if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
      count++;
    }
    client.close();
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, loop));
  return count / ((performance.now() - started) / 1000);
}

/** The baseline: a minimal HTTP server answering every POST like `getblockcount` at height 0. */
function startRawServer(): { port: number; close: () => Promise<void> } {
  const port = freePort();
  const server = Deno.serve({ hostname: "127.0.0.1", port, onListen: () => {} }, async (req) => {
    await req.text();
    return new Response('{"result":0,"error":null,"id":1}\n', {
      headers: { "Content-Type": "application/json" },
    });
  });
  return { port, close: () => server.shutdown() };
}

/** Medians of start-to-RPC-ready wall and CPU seconds; the first start (uncounted) fills caches. */
async function startupTimes(
  base: string,
  launcher: NodeLauncher,
  runs: number,
): Promise<{ wall: number[]; cpu: number[] }> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run <= runs; run++) {
    const node = await startNode(`${base}/empty${run}`, [], launcher);
    if (run > 0) {
      wall.push(node.readySeconds);
      cpu.push(node.readyCpuSeconds);
    }
    await stopNode(node);
  }
  return { wall, cpu };
}

type RateFunction = typeof wrkRate;

/** Requests/s (median of `runs`) and the node's CPU µs per request, after a warm-up. */
async function measureRate(
  rate: RateFunction,
  node: NodeProcess,
  connections: number,
  runs: number,
): Promise<{ perSecond: number; cpuMicros: number }> {
  const seconds = 4;
  await rate(node.port, node.authorization, connections, 1); // warm-up
  const perSecond: number[] = [];
  const cpuMicros: number[] = [];
  for (let run = 0; run < runs; run++) {
    const cpuBefore = cpuSeconds(node.child.pid);
    const measured = await rate(node.port, node.authorization, connections, seconds);
    perSecond.push(measured);
    cpuMicros.push((cpuSeconds(node.child.pid) - cpuBefore) / (measured * seconds) * 1e6);
  }
  return { perSecond: median(perSecond), cpuMicros: median(cpuMicros) };
}

/** Runs the benchmark and prints one line per figure (median of `runs`). */
export async function main(runs = 3): Promise<void> {
  const useWrk = hasWrk();
  const rate = useWrk ? wrkRate : fetchRate;
  const generator = useWrk ? "wrk" : "Deno fetch loops (wrk not installed)";
  const reference = referenceLauncher();
  const base = await Deno.makeTempDir({ prefix: "rpc_bench_" });
  const raw = startRawServer();
  try {
    const ours = await startupTimes(`${base}/ours`, OUR_NODE, runs);
    const theirs = reference ? await startupTimes(`${base}/reference`, reference, runs) : undefined;
    const against = theirs
      ? `reference freicoind in this run ${median(theirs.wall).toFixed(3)} s (CPU ${
        median(theirs.cpu).toFixed(3)
      } s), ratio ${(median(theirs.wall) / median(ours.wall)).toFixed(2)}×`
      : "reference 0.14 s recorded on a 1,000-block datadir";
    print(
      `start to RPC-ready, empty datadir: ${median(ours.wall).toFixed(2)} s, node CPU ${
        median(ours.cpu).toFixed(2)
      } s (median of ${runs}: ${ours.wall.map((s) => s.toFixed(2)).join(", ")}); ` +
        `${against} (load ${loadAverage()})`,
    );

    const node = await startNode(`${base}/load`);
    const referenceNode = reference
      ? await startNode(`${base}/reference-load`, [], reference)
      : undefined;
    try {
      for (const connections of [1, 8]) {
        await rate(raw.port, node.authorization, connections, 1); // warm-up
        const baseline: number[] = [];
        for (let run = 0; run < runs; run++) {
          baseline.push(await rate(raw.port, node.authorization, connections, 4));
        }
        const a = await measureRate(rate, node, connections, runs);
        const b = median(baseline);
        let versus: string;
        if (referenceNode) {
          const r = await measureRate(rate, referenceNode, connections, runs);
          versus = `reference freicoind in this run ${r.perSecond.toFixed(0)}/s (its CPU ${
            r.cpuMicros.toFixed(0)
          } µs/request): ${(a.perSecond / r.perSecond).toFixed(2)}× the reference`;
        } else {
          const recorded = connections === 1 ? 13_000 : 33_000;
          versus = `${(a.perSecond / recorded).toFixed(2)}× freicoind's recorded ≈${
            recorded / 1000
          }k/s`;
        }
        print(
          `getblockcount over ${connections} keep-alive connection${connections > 1 ? "s" : ""} ` +
            `(${generator}): node ${a.perSecond.toFixed(0)}/s (node CPU ${
              a.cpuMicros.toFixed(0)
            } µs/request), raw Deno.serve ${b.toFixed(0)}/s, ratio ${
              (a.perSecond / b).toFixed(2)
            }; ${versus} (median of ${runs}; load ${loadAverage()})`,
        );
      }
    } finally {
      await stopNode(node);
      if (referenceNode) await stopNode(referenceNode);
    }
  } finally {
    await raw.close();
    await Deno.remove(base, { recursive: true });
  }
}

if (import.meta.main) await main(Number(Deno.args[0] ?? 3) || 3);
