/**
 * IPC through the real program: `echoipc` round trips through a running `freicoin-node` (its
 * JSON-RPC server, then its kept-alive `freicoin-node -ipcfd 3` child) against a direct
 * in-process echo and the node's in-process `echo` RPC over the same HTTP path; the same two
 * calls sent over IPC (`freicoin rpc -ipcconnect=unix`'s transport); and the child's and the
 * node's memory over 10,000 calls.
 *
 *   deno run -A tests/bench/ipc_roles_bench.ts [--quick]
 *
 * The node runs in its own process; this process is the client. Figures are printed, never
 * asserted.
 *
 * @module
 */
import * as path from "node:path";
import { fileExists, RunningProgram, waitFor } from "../support/program.ts";
import { EchoChild, openIpcRpcTransport } from "../../roles/node/ipc/mod.ts";
import { NULL_LOGGER } from "../../cli/logger.ts";
import { LocalEcho } from "../../roles/child/mod.ts";
import { writeStdout } from "../../cli/console.ts";

const PAYLOAD = "freicoin ipc echo benchmark text"; // 32 bytes

/** One measured configuration. */
export interface RoleBenchResult {
  name: string;
  calls: number;
  p50Us: number;
  p99Us: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function measure(
  name: string,
  calls: number,
  once: () => Promise<unknown>,
  every?: { calls: number; run: () => void },
): Promise<RoleBenchResult> {
  for (let i = 0; i < Math.min(200, calls); i++) await once();
  const times: number[] = new Array(calls);
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    await once();
    times[i] = (performance.now() - start) * 1000;
    if (every && (i + 1) % every.calls === 0) every.run();
  }
  times.sort((a, b) => a - b);
  return { name, calls, p50Us: percentile(times, 0.5), p99Us: percentile(times, 0.99) };
}

function rssKiB(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(Deno.readTextFileSync(`/proc/${pid}/status`))?.[1]);
  } catch {
    return NaN;
  }
}

function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[1]) === pid && fields[0] !== "Z") children.push(Number(entry.name));
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

/** Runs the benchmark and prints its table; returns the figures. */
export async function main(args: string[] = []): Promise<RoleBenchResult[]> {
  const quick = args.includes("--quick");
  const calls = quick ? 1000 : Number(Deno.env.get("IPC_ROLES_CALLS") ?? 10_000);
  const dir = Deno.makeTempDirSync({ prefix: "ipc-roles-bench-" });
  const net = path.join(dir, "regtest");
  const port = 20000 + Math.floor(Math.random() * 20000);
  const node = new RunningProgram([
    "node",
    "-regtest",
    `-datadir=${dir}`,
    `-rpcport=${port}`,
    "-printtoconsole=0",
    "-listen=0",
    "-ipcbind=unix",
    "-disablewallet", // the echo child is then its only child
  ]);
  const results: RoleBenchResult[] = [];
  try {
    const cookie = path.join(net, ".cookie");
    await waitFor(() => fileExists(cookie), 30_000, "the RPC cookie");
    const auth = "Basic " + btoa(Deno.readTextFileSync(cookie).trim());
    const http = async (method: string) => {
      const response = await fetch(`http://127.0.0.1:${port}/`, {
        method: "POST",
        headers: { Authorization: auth },
        body: `{"method":"${method}","params":["${PAYLOAD}"],"id":1}`,
      });
      const reply = await response.json();
      if (reply.error !== null) throw new Error(`${method}: ${JSON.stringify(reply.error)}`);
      return reply.result;
    };
    await waitFor(
      async () => {
        try {
          await http("echo");
          return true;
        } catch {
          return false;
        }
      },
      30_000,
      "the end of the warm-up",
    );

    const local = new LocalEcho();
    results.push(await measure("direct in-process Echo.echo", calls, () => local.echo(PAYLOAD)));
    const direct = new EchoChild({ logger: NULL_LOGGER, settings: [], logSink: null });
    results.push(
      await measure("EchoChild.echo (here -> own child)", calls, () => direct.echo(PAYLOAD)),
    );
    await direct.close();
    results.push(await measure("HTTP echo (in the node)", calls, () => http("echo")));

    await http("echoipc");
    const [child] = childPids(node.pid);
    const rssBefore = { node: rssKiB(node.pid), child: rssKiB(child) };
    const childRss: number[] = [rssBefore.child];
    results.push(
      await measure("HTTP echoipc (node -> child)", calls, () => http("echoipc"), {
        calls: calls / 5,
        run: () => childRss.push(rssKiB(child)),
      }),
    );
    const rssAfter = { node: rssKiB(node.pid), child: rssKiB(child) };
    const sameChild = childPids(node.pid).join(",") === String(child);

    const transport = await openIpcRpcTransport("unix", net);
    if (transport === undefined) throw new Error("the node does not listen on its unix socket");
    const overIpc = (method: string) =>
      transport.post({
        host: "",
        port: 0,
        path: "/",
        userColonPass: "",
        body: `{"method":"${method}","params":["${PAYLOAD}"],"id":1}`,
        timeoutSeconds: 0,
      });
    results.push(await measure("IPC executeRpc echo (unix)", calls, () => overIpc("echo")));
    results.push(await measure("IPC executeRpc echoipc (unix)", calls, () => overIpc("echoipc")));
    transport.close();

    writeStdout(`calls per configuration: ${calls} (after 200 warm-up calls)\n`);
    writeStdout("configuration                        p50 (us)   p99 (us)\n");
    for (const r of results) {
      writeStdout(
        `${r.name.padEnd(36)} ${r.p50Us.toFixed(1).padStart(8)}   ${
          r.p99Us.toFixed(1).padStart(8)
        }\n`,
      );
    }
    const base = results[2].p50Us;
    writeStdout(
      `echoipc over HTTP costs ${(results[3].p50Us / base).toFixed(2)}x the in-node echo ` +
        `(+${(results[3].p50Us - base).toFixed(0)} us for the crossing to the child)\n`,
    );
    writeStdout(
      `RSS over ${calls} echoipc calls: child pid ${child} ${rssBefore.child} -> ` +
        `${rssAfter.child} KiB, node ${rssBefore.node} -> ${rssAfter.node} KiB; ` +
        `${sameChild ? "one child served every call" : "the child changed!"}\n`,
    );
    writeStdout(`child RSS every ${calls / 5} calls (KiB): ${childRss.join(" ")}\n`);
    node.kill("SIGTERM");
    await node.finished();
    await waitFor(() => childPids(node.pid).length === 0, 10_000, "the child to exit");
    let leftover = false;
    try {
      Deno.statSync(`/proc/${child}`);
      leftover = !/^\d+ \(.*\) Z/.test(Deno.readTextFileSync(`/proc/${child}/stat`));
    } catch {
      leftover = false;
    }
    writeStdout(
      `after the node stopped: ${leftover ? "the child is STILL RUNNING" : "no child left"}\n`,
    );
  } finally {
    await node[Symbol.asyncDispose]();
    Deno.removeSync(dir, { recursive: true });
  }
  return results;
}

if (import.meta.main) await main(Deno.args);
