/**
 * `echoipc` through the real node and its JSON-RPC server: in `freicoind` it echoes in-process;
 * in `freicoin-node` it goes through a spawned, sandboxed `freicoin-node -ipcfd 3` child that is
 * kept for the next call, logged with `-debug=ipc` in both processes, respawned after a crash,
 * and gone when the node stops.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { fileExists, RunningProgram, waitFor } from "../support/program.ts";

const onLinux = Deno.build.os === "linux";

/** The ids of the live (non-zombie) child processes of `pid`, from /proc. */
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

function isAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(Deno.readTextFileSync(`/proc/${pid}/stat`));
  } catch {
    return false;
  }
}

function rssKiB(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(Deno.readTextFileSync(`/proc/${pid}/status`))?.[1]);
  } catch {
    return NaN;
  }
}

function report(text: string): void {
  // deno-lint-ignore no-console
  console.log(`    ${text}`);
}

interface Reply {
  result: unknown;
  error: { code: number; message: string } | null;
}

/** A regtest node started for a test, with a JSON-RPC client (fetch, kept-alive connections). */
class TestNode implements AsyncDisposable {
  readonly dir = Deno.makeTempDirSync({ prefix: "echoipc-" });
  readonly net = path.join(this.dir, "regtest");
  readonly port = 20000 + Math.floor(Math.random() * 20000);
  readonly program: RunningProgram;
  #auth = "";

  constructor(name: string, extra: string[] = []) {
    this.program = new RunningProgram([
      name,
      "-regtest",
      `-datadir=${this.dir}`,
      `-rpcport=${this.port}`,
      "-printtoconsole=0",
      "-listen=0",
      ...extra,
    ]);
  }

  async ready(): Promise<void> {
    const cookie = path.join(this.net, ".cookie");
    await waitFor(() => fileExists(cookie), 30_000, "the RPC cookie");
    this.#auth = "Basic " + btoa(Deno.readTextFileSync(cookie).trim());
    await waitFor(async () => (await this.call("getblockcount")).error?.code !== -28, 30_000);
  }

  async call(method: string, ...params: unknown[]): Promise<Reply> {
    const response = await fetch(`http://127.0.0.1:${this.port}/`, {
      method: "POST",
      headers: { Authorization: this.#auth, "Content-Type": "application/json" },
      body: JSON.stringify({ method, params, id: 1 }),
    });
    return await response.json() as Reply;
  }

  debugLog(): string {
    return Deno.readTextFileSync(path.join(this.net, "debug.log"));
  }

  async stop(): Promise<{ code: number; stderr: string }> {
    const reply = await this.call("stop");
    assert.equal(reply.result, "Freicoin stopping");
    return await this.program.finished();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.program[Symbol.asyncDispose]();
    Deno.removeSync(this.dir, { recursive: true });
  }
}

Deno.test("freicoind answers echoipc in-process, without spawning anything", async () => {
  await using node = new TestNode("freicoind");
  await node.ready();
  for (let i = 0; i < 20; i++) {
    assert.deepEqual(await node.call("echoipc", `hello ${i}`), {
      result: `hello ${i}`,
      error: null,
      id: 1,
    });
  }
  const missing = await node.call("echoipc");
  assert.equal(missing.error?.code, -1);
  assert.match(missing.error!.message, /^echoipc "arg"\n/);
  if (onLinux) assert.deepEqual(childPids(node.program.pid), []);
  const { code, stderr } = await node.stop();
  assert.equal(code, 0);
  assert.equal(stderr, "");
});

Deno.test({
  name:
    "freicoin-node echoes 1,000 calls through one kept child, logs both sides with -debug=ipc, survives the child's SIGKILL and leaves no process",
  ignore: !onLinux,
  async fn() {
    await using node = new TestNode("freicoin-node", [
      "-debug=ipc",
      "-logthreadnames",
      "-disablewallet", // its only child is then the echo child
    ]);
    await node.ready();
    const parentPid = node.program.pid;
    assert.deepEqual(await node.call("echoipc", "hello"), { result: "hello", error: null, id: 1 });
    const [child] = childPids(parentPid);
    assert.ok(child !== undefined, "a child process runs after the first call");
    const rssBefore = rssKiB(child);
    const started = performance.now();
    for (let i = 0; i < 1000; i++) {
      const reply = await node.call("echoipc", `call ${i}`);
      if (reply.result !== `call ${i}`) assert.fail(`call ${i}: ${JSON.stringify(reply)}`);
    }
    const ms = performance.now() - started;
    report(
      `1,000 echoipc calls over HTTP: ${ms.toFixed(0)} ms (${(ms / 1000).toFixed(2)} ms/call); ` +
        `child RSS ${rssBefore} -> ${rssKiB(child)} KiB`,
    );
    const concurrent = await Promise.all(
      Array.from({ length: 16 }, (_, i) => node.call("echoipc", `parallel ${i}`)), // within -rpcworkqueue
    );
    concurrent.forEach((reply, i) => assert.equal(reply.result, `parallel ${i}`));
    assert.deepEqual(childPids(parentPid), [child], "the same child served every call");

    // Both processes logged the crossing, each with its name and pid.
    await waitFor(() => node.debugLog().includes(`(echo = "call 999")`), 10_000, "child lines");
    const log = node.debugLog();
    const parent = `[freicoin-node-${parentPid}] [ipc]`;
    const kid = `[freicoin-node-${child}] [ipc]`;
    assert.ok(log.includes(`${parent} Process freicoin-node pid ${child} launched`));
    assert.match(log, new RegExp(`${esc(parent)} IPC client send request #\\d+ Init\\.configure`));
    assert.match(
      log,
      new RegExp(
        `${esc(parent)} IPC client send request #\\d+ Echo\\.echo\\$Params \\(echo = "call 7"\\)`,
      ),
    );
    assert.match(
      log,
      new RegExp(
        `${
          esc(parent)
        } IPC client recv response #\\d+ Echo\\.echo\\$Results \\(result = "call 7"\\)`,
      ),
    );
    assert.match(
      log,
      new RegExp(
        `${esc(kid)} IPC server recv request #\\d+ Echo\\.echo\\$Params \\(echo = "call 7"\\)`,
      ),
    );
    assert.match(
      log,
      new RegExp(
        `${esc(kid)} IPC server send response #\\d+ Echo\\.echo\\$Results \\(result = "call 7"\\)`,
      ),
    );
    assert.ok(!log.includes("LogSink"), "log forwarding is not itself logged");

    // A child killed with a call in flight: the call fails clearly, the node logs the exit,
    // and the next call starts a new child.
    Deno.kill(child, "SIGSTOP");
    const pending = node.call("echoipc", "in flight");
    await new Promise((resolve) => setTimeout(resolve, 200));
    Deno.kill(child, "SIGKILL");
    const failed = await pending;
    assert.equal(failed.result, null);
    assert.equal(failed.error?.code, -1);
    assert.match(
      failed.error!.message,
      new RegExp(`^freicoin-node child process pid ${child} went away during the call`),
    );
    await waitFor(() => node.debugLog().includes(`pid ${child} exited with status 9`), 10_000);
    assert.deepEqual(await node.call("echoipc", "again"), { result: "again", error: null, id: 1 });
    const [second] = childPids(parentPid);
    assert.ok(second !== undefined && second !== child, "a new child was spawned");

    const { code, stderr } = await node.stop();
    assert.equal(code, 0);
    assert.equal(stderr, "");
    assert.ok(node.debugLog().includes(`Process freicoin-node pid ${second} exited with status 0`));
    assert.equal(isAlive(second), false, "no child outlives the node");
    assert.equal(isAlive(child), false);
  },
});

Deno.test({
  name: "without -debug=ipc neither process writes IPC lines",
  ignore: !onLinux,
  async fn() {
    await using node = new TestNode("freicoin-node", ["-logthreadnames", "-disablewallet"]);
    await node.ready();
    for (let i = 0; i < 5; i++) assert.equal((await node.call("echoipc", "quiet")).result, "quiet");
    const { code, stderr } = await node.stop();
    assert.equal(code, 0);
    assert.equal(stderr, "");
    const log = node.debugLog();
    assert.ok(!log.includes("[ipc]"), log);
    assert.ok(!log.includes("IPC client"));
  },
});

function esc(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
