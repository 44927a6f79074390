/**
 * IPC benchmark: echo round trips and pipelined calls through our Cap'n Proto RPC runtime,
 * compared with a direct in-process call and a raw socket ping-pong of the same payload.
 *
 *   deno run -A tests/bench/ipc_bench.ts [--quick]
 *
 * Both ends run in this process (one thread), so every figure includes both sides' CPU time.
 * Targets: sequential p50 <= 2x the raw ping-pong; >= 30,000 pipelined calls/s over unix.
 *
 * @module
 */
import net from "node:net";
import process from "node:process";
import { RpcConnection } from "../../ipc/rpc/connection.ts";
import { memoryPair, socketStream } from "../../ipc/rpc/_test_streams.ts";
import { ECHO, type Echo } from "../../schemas/mod.ts";

/** One measured configuration. */
export interface BenchResult {
  name: string;
  p50Us: number;
  p99Us: number;
  /** Calls per second with many calls in flight (NaN where not measured). */
  pipelinedPerSecond: number;
  /** CPU time (this process, both ends) per pipelined call in µs: load-independent. */
  pipelinedCpuUs: number;
}

const PAYLOAD = "freicoin ipc echo benchmark text"; // 32 bytes

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function sequential(calls: number, once: () => Promise<unknown>): Promise<[number, number]> {
  const times: number[] = new Array(calls);
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    await once();
    times[i] = (performance.now() - start) * 1000;
  }
  times.sort((a, b) => a - b);
  return [percentile(times, 0.5), percentile(times, 0.99)];
}

async function pipelined(
  total: number,
  window: number,
  once: () => Promise<unknown>,
): Promise<[number, number]> {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let issued = 0;
  async function lane(): Promise<void> {
    while (issued < total) {
      issued++;
      await once();
    }
  }
  await Promise.all(Array.from({ length: window }, lane));
  const cpu = process.cpuUsage(cpuStart);
  return [total / ((performance.now() - start) / 1000), (cpu.user + cpu.system) / total];
}

/** A connected socket pair in this process. */
async function sockets(kind: "unix" | "tcp") {
  const dir = kind === "unix" ? Deno.makeTempDirSync({ prefix: "ipc-bench-" }) : "";
  const server = net.createServer();
  const accepted = new Promise<net.Socket>((resolve) => server.once("connection", resolve));
  await new Promise<void>((resolve) => {
    if (kind === "unix") server.listen(`${dir}/b.sock`, resolve);
    else server.listen(0, "127.0.0.1", resolve);
  });
  const client = kind === "unix"
    ? net.connect(`${dir}/b.sock`)
    : net.connect((server.address() as net.AddressInfo).port, "127.0.0.1");
  await new Promise<void>((resolve) => client.once("connect", () => resolve()));
  const served = await accepted;
  client.setNoDelay(true);
  served.setNoDelay(true);
  return {
    client,
    served,
    async close() {
      client.destroy();
      served.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (dir) Deno.removeSync(dir, { recursive: true });
    },
  };
}

async function rawPingPong(kind: "unix" | "tcp", calls: number): Promise<BenchResult> {
  const s = await sockets(kind);
  const payload = new TextEncoder().encode(PAYLOAD);
  s.served.on("data", (chunk: Uint8Array) => s.served.write(chunk));
  let want = 0;
  let wake: (() => void) | null = null;
  s.client.on("data", (chunk: Uint8Array) => {
    want -= chunk.length;
    if (want <= 0 && wake) {
      const w = wake;
      wake = null;
      w();
    }
  });
  const once = () =>
    new Promise<void>((resolve) => {
      want += payload.length;
      wake = resolve;
      s.client.write(payload);
    });
  for (let i = 0; i < 200; i++) await once();
  const [p50, p99] = await sequential(calls, once);
  await s.close();
  return {
    name: `raw ${kind} ping-pong`,
    p50Us: p50,
    p99Us: p99,
    pipelinedPerSecond: NaN,
    pipelinedCpuUs: NaN,
  };
}

async function rpc(kind: "unix" | "tcp", calls: number, total: number): Promise<BenchResult> {
  const s = await sockets(kind);
  const impl: Echo = { echo: (text) => Promise.resolve(text) };
  const server = new RpcConnection(socketStream(s.served, `${kind}:server`), {
    bootstrap: { binding: ECHO, impl },
  });
  const client = new RpcConnection(socketStream(s.client, `${kind}:client`));
  using echo = client.bootstrap(ECHO);
  const once = () => echo.echo(PAYLOAD);
  for (let i = 0; i < 500; i++) await once();
  const [p50, p99] = await sequential(calls, once);
  const [perSecond, cpuUs] = await pipelined(total, 256, once);
  client.close();
  server.close();
  await s.close();
  return {
    name: `rpc over ${kind}`,
    p50Us: p50,
    p99Us: p99,
    pipelinedPerSecond: perSecond,
    pipelinedCpuUs: cpuUs,
  };
}

/** Both ends over an in-memory stream: the runtime's own cost, without system calls. */
async function rpcInMemory(calls: number, total: number): Promise<BenchResult> {
  const [a, b] = memoryPair();
  const impl: Echo = { echo: (text) => Promise.resolve(text) };
  const server = new RpcConnection(b, { bootstrap: { binding: ECHO, impl } });
  const client = new RpcConnection(a);
  using echo = client.bootstrap(ECHO);
  const once = () => echo.echo(PAYLOAD);
  for (let i = 0; i < 500; i++) await once();
  const [p50, p99] = await sequential(calls, once);
  const [perSecond, cpuUs] = await pipelined(total, 256, once);
  client.close();
  server.close();
  return {
    name: "rpc in memory",
    p50Us: p50,
    p99Us: p99,
    pipelinedPerSecond: perSecond,
    pipelinedCpuUs: cpuUs,
  };
}

async function direct(calls: number, total: number): Promise<BenchResult> {
  const impl: Echo = { echo: (text) => Promise.resolve(text) };
  const once = () => impl.echo(PAYLOAD);
  const [p50, p99] = await sequential(calls, once);
  const [perSecond, cpuUs] = await pipelined(total, 256, once);
  return {
    name: "direct in-process call",
    p50Us: p50,
    p99Us: p99,
    pipelinedPerSecond: perSecond,
    pipelinedCpuUs: cpuUs,
  };
}

/** Runs every configuration and prints a table with ratios; returns the figures. */
export async function main(args: string[] = []): Promise<BenchResult[]> {
  const quick = args.includes("--quick");
  const calls = quick ? 2_000 : 20_000;
  const total = quick ? 20_000 : 200_000;
  const results = [
    await direct(calls, total),
    await rpcInMemory(calls, total),
    await rawPingPong("unix", calls),
    await rpc("unix", calls, total),
    await rawPingPong("tcp", calls),
    await rpc("tcp", calls, total),
  ];
  const byName = new Map(results.map((r) => [r.name, r]));
  const lines = [
    "name                      p50 µs   p99 µs   pipelined calls/s   cpu µs/call",
    ...results.map((r) =>
      `${r.name.padEnd(24)} ${r.p50Us.toFixed(1).padStart(7)} ${r.p99Us.toFixed(1).padStart(8)} ${
        Number.isNaN(r.pipelinedPerSecond)
          ? ""
          : `${Math.round(r.pipelinedPerSecond).toString().padStart(17)} ${
            r.pipelinedCpuUs.toFixed(2).padStart(13)
          }`
      }`
    ),
  ];
  for (const kind of ["unix", "tcp"]) {
    const raw = byName.get(`raw ${kind} ping-pong`)!;
    const ours = byName.get(`rpc over ${kind}`)!;
    lines.push(
      `${kind}: rpc p50 / raw ping-pong p50 = ${
        (ours.p50Us / raw.p50Us).toFixed(2)
      }x (target <= 2x)`,
    );
  }
  const unix = byName.get("rpc over unix")!;
  lines.push(
    `unix: ${Math.round(unix.pipelinedPerSecond)} pipelined calls/s (target >= 30,000); ${
      Math.round(1e6 / unix.pipelinedCpuUs)
    } calls/s per fully used core (the machine's load lowers the first figure)`,
  );
  // deno-lint-ignore no-console
  console.log(lines.join("\n"));
  return results;
}

if (import.meta.main) await main(Deno.args);
