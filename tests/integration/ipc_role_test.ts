/**
 * The program's IPC roles with real processes: `mod.ts node -ipcfd 3` as a spawned child
 * (configured over IPC, exits 0 and silent when its parent goes), and `freicoin node -ipcbind`
 * answering `freicoin rpc -ipcconnect` over a unix socket and authenticated TCP.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { spawn } from "node:child_process";
import type { Socket } from "node:net";
import { childCommandLine, spawnRole } from "../../ipc/spawn.ts";
import { walletPermissions } from "../../ipc/permissions.ts";
import { RpcConnection } from "../../ipc/rpc/connection.ts";
import { pipeline, release } from "../../ipc/rpc/interface.ts";
import { socketToByteStream } from "../../ipc/transport/socket_stream.ts";
import { ECHO, INIT, type LogSink } from "../../schemas/mod.ts";
import { fileExists, RunningProgram, runProgram, waitFor } from "../support/program.ts";

const onLinux = Deno.build.os === "linux";
const NO_PERMISSIONS = { read: [], write: [], net: [], run: [], env: [], ffi: [], sys: [] };

class CollectingSink implements LogSink {
  text = "";
  write(lines: string): Promise<void> {
    this.text += lines;
    return Promise.resolve();
  }
}

function isAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(Deno.readTextFileSync(`/proc/${pid}/stat`));
  } catch {
    return false;
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

Deno.test({
  name:
    "'mod.ts node -ipcfd 3' serves Init to its parent, takes its settings over IPC, and exits 0 in silence when the channel closes",
  ignore: !onLinux,
  async fn() {
    const { command, args } = childCommandLine("node", { permissions: NO_PERMISSIONS });
    assert.deepEqual(args.slice(-3), ["node", "-ipcfd", "3"], "nothing but the channel option");
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk) => stdout += chunk);
    child.stderr!.on("data", (chunk) => stderr += chunk);
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    const stream = socketToByteStream(child.stdio[3] as Socket, "test child");
    const connection = new RpcConnection(stream);
    const init = connection.bootstrap(INIT);
    const sink = new CollectingSink();
    await init.configure(["-chain=regtest", "-debug=ipc", "-logthreadnames=1"], sink);
    const echo = pipeline(ECHO, init.makeEcho());
    assert.equal(await echo.echo("hello"), "hello");
    await assert.rejects(init.makeRpc(), /no JSON-RPC server/);
    await assert.rejects(init.configure([], null), /already configured/);
    await waitFor(() => sink.text.includes('(result = "hello")'), 10_000, "forwarded lines");
    const tag = `[freicoin-node-${child.pid}] [ipc]`;
    assert.ok(sink.text.includes(`${tag} IPC server recv request`), sink.text);
    assert.ok(sink.text.includes("Sandbox: deno-run mode"), sink.text);
    release(echo);
    release(init);
    connection.close();
    assert.equal(await exited, 0);
    assert.equal(stderr, "");
    assert.equal(stdout, "");
  },
});

Deno.test("a bad -ipcfd is refused with the reference's message", async () => {
  const result = await runProgram(["node", "-ipcfd", "x"]);
  assert.equal(result.code, 1);
  assert.equal(result.stderr, "Error: Invalid -ipcfd number 'x'\n");
});

Deno.test({
  name: "the -ipcpipe channel (the Windows default) serves the same Init",
  ignore: !onLinux,
  async fn() {
    const child = await spawnRole("node", { permissions: NO_PERMISSIONS, channel: "pipe" });
    const connection = new RpcConnection(child.stream);
    const init = connection.bootstrap(INIT);
    await init.configure([], null);
    const echo = pipeline(ECHO, init.makeEcho());
    assert.equal(await echo.echo("through a pipe"), "through a pipe");
    release(echo);
    release(init);
    connection.close();
    assert.equal((await child.exited).code, 0);
  },
});

Deno.test({
  name: "'mod.ts wallet -ipcfd 3' under the wallet's sandbox serves the same Init",
  ignore: !onLinux,
  async fn() {
    const walletDir = Deno.makeTempDirSync({ prefix: "wallet-role-" });
    const child = await spawnRole("wallet", { permissions: walletPermissions({ walletDir }) });
    const connection = new RpcConnection(child.stream);
    const init = connection.bootstrap(INIT);
    const sink = new CollectingSink();
    await init.configure(["-logthreadnames=1"], sink);
    const echo = pipeline(ECHO, init.makeEcho());
    assert.equal(await echo.echo("from the wallet"), "from the wallet");
    await waitFor(() => sink.text.includes("Sandbox:"), 10_000, "the sandbox line");
    assert.match(
      sink.text,
      /Sandbox: deno-run mode, permissions set by the parent's flags \(denied: net, run, env, ffi, sys\)/,
    );
    release(echo);
    release(init);
    connection.close();
    assert.equal((await child.exited).code, 0);
    Deno.removeSync(walletDir, { recursive: true });
  },
});

Deno.test({
  name:
    "-ipcbind serves freicoin rpc -ipcconnect over unix and TCP, refuses a wrong TCP secret, and auto falls back to HTTP",
  ignore: !onLinux,
  async fn() {
    const dir = Deno.makeTempDirSync({ prefix: "ipcbind-" });
    const other = Deno.makeTempDirSync({ prefix: "ipcclient-" });
    const net = path.join(dir, "regtest");
    const port = 20000 + Math.floor(Math.random() * 20000);
    await using node = new RunningProgram([
      "node",
      "-regtest",
      `-datadir=${dir}`,
      `-rpcport=${port}`,
      "-printtoconsole=0",
      "-listen=0",
      "-ipcbind=unix",
      "-ipcbind=tcp:127.0.0.1:0",
      "-debug=ipc",
    ]);
    const log = () =>
      fileExists(path.join(net, "debug.log"))
        ? Deno.readTextFileSync(path.join(net, "debug.log"))
        : "";
    await waitFor(() => /Listening for IPC requests on address tcp:/.test(log()), 30_000);
    const tcpPort = /address tcp:127\.0\.0\.1:(\d+)/.exec(log())![1];
    const rpc = (...args: string[]) =>
      runProgram(["rpc", "-regtest", `-datadir=${dir}`, `-rpcport=${port}`, ...args]);
    await waitFor(async () => (await rpc("-ipcconnect=unix", "getblockcount")).code === 0);

    const count = await rpc("-ipcconnect=unix", "getblockcount");
    assert.deepEqual(count, { code: 0, stdout: "0\n", stderr: "" });
    const echo = await rpc("-ipcconnect=unix", "echo", "hello");
    assert.deepEqual(echo, { code: 0, stdout: '[\n  "hello"\n]\n', stderr: "" });
    const viaTcp = await rpc(`-ipcconnect=tcp:127.0.0.1:${tcpPort}`, "echoipc", "over tcp");
    assert.deepEqual(viaTcp, { code: 0, stdout: "over tcp\n", stderr: "" });
    const unknown = await rpc("-ipcconnect=unix", "nosuchmethod");
    assert.equal(unknown.code, 32601 % 256);
    assert.equal(unknown.stderr, "error code: -32601\nerror message:\nMethod not found\n");
    assert.match(log(), /\[ipc\] IPC peer \d+ connected to unix:.*node\.sock/);
    assert.match(log(), /\[ipc\] IPC peer \d+ disconnected from unix:/);
    assert.match(log(), /\[ipc\] IPC server recv request #\d+ Rpc\.executeRpc\$Params/);

    // Garbage on the socket ends that connection, with a logged reason; the node keeps serving.
    const garbage = await Deno.connect({ transport: "unix", path: path.join(net, "node.sock") });
    await garbage.write(new Uint8Array(64).fill(0xff));
    await waitFor(
      () => /IPC connection unix:.* ended: /.test(log()),
      10_000,
      "the garbage log line",
    );
    garbage.close();
    assert.deepEqual(await rpc("-ipcconnect=unix", "getblockcount"), {
      code: 0,
      stdout: "0\n",
      stderr: "",
    });

    // A client with the wrong secret gets nothing.
    Deno.mkdirSync(path.join(other, "regtest"));
    Deno.writeTextFileSync(path.join(other, "regtest", ".ipccookie"), "ab".repeat(32));
    const wrong = await runProgram([
      "rpc",
      "-regtest",
      `-datadir=${other}`,
      `-ipcconnect=tcp:127.0.0.1:${tcpPort}`,
      "getblockcount",
    ]);
    assert.equal(wrong.code, 1);
    assert.equal(wrong.stdout, "");
    assert.match(wrong.stderr, /^error: Unable to connect to IPC address 'tcp:127\.0\.0\.1:\d+'\./);
    await waitFor(() => log().includes("IPC authentication failed for connection from tcp:"));

    // auto: no socket in this datadir, so HTTP (with the node's cookie) answers.
    const cookie = path.join(net, ".cookie");
    const httpArgs = [
      "-regtest",
      `-datadir=${other}`,
      `-rpcport=${port}`,
      `-rpccookiefile=${cookie}`,
    ];
    const auto = await runProgram(["rpc", ...httpArgs, "-ipcconnect=auto", "getblockcount"]);
    assert.deepEqual(auto, { code: 0, stdout: "0\n", stderr: "" });
    const none = await runProgram(["rpc", ...httpArgs, "-ipcconnect=unix", "getblockcount"]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /^error: Unable to connect to IPC address 'unix:.*node\.sock'\./);

    const stop = await rpc("-ipcconnect=unix", "stop");
    assert.deepEqual(stop, { code: 0, stdout: "Freicoin stopping\n", stderr: "" });
    const result = await node.finished();
    assert.equal(result.code, 0);
    assert.equal(result.stderr, "");
    assert.ok(!fileExists(path.join(net, "node.sock")), "the socket file is removed");
    assert.ok(!fileExists(path.join(net, ".ipccookie")), "the TCP cookie is removed");
    Deno.removeSync(dir, { recursive: true });
    Deno.removeSync(other, { recursive: true });
  },
});

Deno.test({
  name: "a spawned child whose parent is killed exits on its own, printing nothing",
  ignore: !onLinux,
  async fn() {
    const dir = Deno.makeTempDirSync({ prefix: "orphan-" });
    const port = 20000 + Math.floor(Math.random() * 20000);
    const node = new RunningProgram([
      "node",
      "-regtest",
      `-datadir=${dir}`,
      `-rpcport=${port}`,
      "-printtoconsole=0",
      "-listen=0",
    ]);
    const rpc = (...args: string[]) =>
      runProgram(["rpc", "-regtest", `-datadir=${dir}`, `-rpcport=${port}`, ...args]);
    await waitFor(async () => (await rpc("echoipc", "hi")).stdout === "hi\n", 30_000);
    const [child] = childPids(node.pid);
    assert.ok(child !== undefined);
    node.kill("SIGKILL");
    const result = await node.finished();
    await waitFor(() => !isAlive(child), 10_000, "the orphaned child to exit");
    // The child shared the node's stderr: it wrote nothing there.
    assert.equal(result.stderr, "");
    Deno.removeSync(dir, { recursive: true });
  },
});
