/**
 * The wallet as its own process, with real processes on loopback:
 *
 * - `freicoin-node` spawns `freicoin-wallet -ipcfd 3` with the wallet's permission set; wallet
 *   RPCs go through the node's server (`/wallet/<name>`, -19, `help`); the child killed → -18
 *   "Wallet process is not running" while the node keeps answering, then a new child; the
 *   node's stop ends the child too.
 * - the running child's sandbox: its command line carries exactly the wallet permission set,
 *   and a probe under that set is refused the network, outside files, the environment and
 *   subprocesses. (No wallet RPC probes from inside the child yet: `backupwallet` uses SQLite's
 *   `VACUUM INTO`, which Deno's node:sqlite refuses under any restricted permission set.)
 * - money across the process boundary: mined coins, a payment between two wallets seen first
 *   from the mempool then from its block; a child killed while blocks are mined is replaced
 *   and its wallets catch up; a node killed with SIGKILL takes its wallet child with it, and
 *   the wallets open again.
 * - `freicoind`: the wallet in-process, no child; `-disablewallet`: no wallet at all.
 * - `freicoin wallet -ipcconnect=unix|tcp:... -server`: a wallet started on its own registers
 *   with a node listening on `-ipcbind` (TCP with the cookie handshake), answers on its own port with its own cookie, is reached
 *   through the node's `/wallet/<name>`, and exits by itself when the node stops.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { spawnRole } from "../../ipc/spawn.ts";
import { permissionFlags, walletPermissions } from "../../ipc/permissions.ts";
import type { ByteStream } from "../../ipc/byte_stream.ts";
import { fileExists, RunningProgram, runProgram, waitFor } from "../support/program.ts";

const onLinux = Deno.build.os === "linux";
const PROBE = new URL("./ipc_children/sandbox_probe_child.ts", import.meta.url);

interface Reply {
  result: unknown;
  error: { code: number; message: string } | null;
}

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

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** A JSON-RPC client with cookie authentication. */
class RpcClient {
  #auth = "";
  constructor(readonly port: number, readonly cookiePath: string) {}

  async ready(): Promise<void> {
    await waitFor(() => fileExists(this.cookiePath), 60_000, this.cookiePath);
    this.#auth = "Basic " + btoa(Deno.readTextFileSync(this.cookiePath).trim());
    await waitFor(async () => (await this.call("uptime")).error?.code !== -28, 60_000);
  }

  async call(method: string, params: unknown[] = [], uri = "/"): Promise<Reply> {
    const response = await fetch(`http://127.0.0.1:${this.port}${uri}`, {
      method: "POST",
      headers: { Authorization: this.#auth, "Content-Type": "application/json" },
      body: JSON.stringify({ method, params, id: 1 }),
    });
    return await response.json() as Reply;
  }

  async result(method: string, params: unknown[] = [], uri = "/"): Promise<unknown> {
    const reply = await this.call(method, params, uri);
    assert.equal(reply.error, null, `${method}: ${JSON.stringify(reply.error)}`);
    return reply.result;
  }
}

/** A regtest node for a test. */
class TestNode implements AsyncDisposable {
  readonly dir = Deno.makeTempDirSync({ prefix: "wallet-process-" });
  readonly net = path.join(this.dir, "regtest");
  readonly port = freePort();
  readonly program: RunningProgram;
  readonly rpc: RpcClient;

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
    this.rpc = new RpcClient(this.port, path.join(this.net, ".cookie"));
  }

  debugLog(): string {
    return Deno.readTextFileSync(path.join(this.net, "debug.log"));
  }

  async stop(): Promise<{ code: number; stderr: string }> {
    assert.equal(await this.rpc.result("stop"), "Freicoin stopping");
    return await this.program.finished();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.program[Symbol.asyncDispose]();
    Deno.removeSync(this.dir, { recursive: true });
  }
}

/** The wallet child of `node`, once it runs. */
async function walletChild(node: TestNode): Promise<number> {
  let child: number | undefined;
  await waitFor(
    () => {
      child = childPids(node.program.pid).find((pid) =>
        Deno.readTextFileSync(`/proc/${pid}/cmdline`).includes("\0wallet\0-ipcfd\0")
      );
      return child !== undefined;
    },
    30_000,
    "the wallet child",
  );
  return child!;
}

function readLine(stream: ByteStream): Promise<string> {
  let text = "";
  return new Promise((resolve, reject) => {
    stream.onData((chunk) => {
      text += new TextDecoder().decode(chunk);
      const end = text.indexOf("\n");
      if (end >= 0) resolve(text.slice(0, end));
    });
    stream.onClose(() => reject(new Error(`stream closed; got ${JSON.stringify(text)}`)));
  });
}

Deno.test({
  name:
    "freicoin-node: wallet RPCs through a sandboxed wallet child; a killed child answers -18 and comes back; stop leaves no process",
  ignore: !onLinux,
  async fn() {
    await using node = new TestNode("freicoin-node");
    const rpc = node.rpc;
    await rpc.ready();
    const child = await walletChild(node);

    // Wallet methods through the node's server.
    // load_on_startup: the node keeps the list in its settings.json (the child cannot write it).
    const created = await rpc.result(
      "createwallet",
      ["w1", false, false, null, false, true, true],
    ) as { name: string };
    assert.equal(created.name, "w1");
    assert.deepEqual(
      JSON.parse(Deno.readTextFileSync(path.join(node.net, "settings.json"))).wallet,
      ["w1"],
    );
    const address = await rpc.result("getnewaddress") as string;
    assert.match(address, /^fcrt1q/);
    const info = await rpc.result("getwalletinfo") as Record<string, unknown>;
    assert.equal(info.walletname, "w1");
    assert.equal(info.descriptors, true);
    const help = await rpc.result("help") as string;
    assert.match(help, /\n== Wallet ==\n(.+\n)*getnewaddress /);
    assert.deepEqual(await rpc.result("createwallet", ["w2"]), { name: "w2" });
    assert.deepEqual(await rpc.call("getwalletinfo"), {
      result: null,
      error: {
        code: -19,
        message:
          "Wallet file not specified (must request wallet RPC through /wallet/<filename> uri-path).",
      },
      id: 1,
    });
    const w2 = await rpc.result("getwalletinfo", [], "/wallet/w2") as Record<string, unknown>;
    assert.equal(w2.walletname, "w2");
    assert.deepEqual(await rpc.result("listwallets"), ["w1", "w2"]);
    assert.equal(await rpc.result("syncwithvalidationinterfacequeue"), null);
    assert.ok(fileExists(path.join(node.net, "wallets", "w1", "wallet.dat")));
    // setmocktime reaches the wallet process's clock.
    await rpc.result("setmocktime", [1_800_000_000]);
    await rpc.result("createwallet", ["timed"]);
    const timed = await rpc.result("getwalletinfo", [], "/wallet/timed") as { birthtime: number };
    assert.equal(timed.birthtime, 1_800_000_000);
    await rpc.result("setmocktime", [0]);

    // The child runs with exactly the wallet permission set on the node's wallet directory.
    const commandLine = Deno.readTextFileSync(`/proc/${child}/cmdline`).split("\0");
    const flags = commandLine.slice(2, commandLine.findIndex((arg) => arg.endsWith("mod.ts")));
    assert.deepEqual(
      flags,
      permissionFlags(walletPermissions({ walletDir: path.join(node.net, "wallets") })),
    );
    // The child dies: wallet RPCs say so, the node keeps answering.
    Deno.kill(child, "SIGKILL");
    await waitFor(() => !isAlive(child), 10_000, "the child to die");
    await waitFor(
      () => node.debugLog().includes(`freicoin-wallet pid ${child} exited with status 9`),
      10_000,
      "the node to log the exit",
    );
    assert.deepEqual((await rpc.call("getwalletinfo", [], "/wallet/w1")).error, {
      code: -18,
      message: "Wallet process is not running",
    });
    assert.equal(await rpc.result("getblockcount"), 0);

    // A new child starts and loads the start-up wallet again from disk by itself.
    const second = await walletChild(node);
    assert.notEqual(second, child);
    await waitFor(
      async () => JSON.stringify((await rpc.call("listwallets")).result) === '["w1"]',
      30_000,
      "w1 loaded at the new child's start-up",
    );
    const again = await rpc.result("getwalletinfo", [], "/wallet/w1") as Record<string, unknown>;
    assert.equal(again.walletname, "w1");

    const { code, stderr } = await node.stop();
    assert.equal(code, 0);
    assert.equal(stderr, "");
    assert.equal(isAlive(second), false, "the wallet child exits with the node");
  },
});

Deno.test("a probe under the wallet child's permission set is refused network, outside files, env and processes", async () => {
  const walletDir = Deno.makeTempDirSync({ prefix: "wallet-" });
  const outsideFile = Deno.makeTempFileSync({ prefix: "outside-" });
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted = (async () => {
    for await (const connection of listener) connection.close();
  })();
  try {
    const child = await spawnRole("wallet", {
      permissions: walletPermissions({ walletDir }),
      entry: PROBE,
      args: [walletDir, outsideFile, String((listener.addr as Deno.NetAddr).port)],
    });
    const report = JSON.parse(await readLine(child.stream)) as Record<string, string>;
    child.stream.close();
    await child.exited;
    for (const action of ["tcpConnect", "tcpListen", "readOutsideFile", "readEnv", "runProcess"]) {
      assert.equal(report[action], "NotCapable", action);
    }
    assert.equal(report.sqliteInside, "ok");
  } finally {
    listener.close();
    await accepted.catch(() => {});
    Deno.removeSync(walletDir, { recursive: true });
    Deno.removeSync(outsideFile);
  }
});

Deno.test({
  name: "freicoind runs the wallet in-process; -disablewallet runs none",
  ignore: !onLinux,
  async fn() {
    {
      await using node = new TestNode("freicoind");
      await node.rpc.ready();
      assert.deepEqual(await node.rpc.result("createwallet", ["solo"]), { name: "solo" });
      assert.match(await node.rpc.result("getnewaddress") as string, /^fcrt1q/);
      assert.deepEqual(childPids(node.program.pid), []);
      assert.equal((await node.stop()).code, 0);
    }
    {
      await using node = new TestNode("freicoin-node", ["-disablewallet"]);
      await node.rpc.ready();
      assert.equal((await node.rpc.call("createwallet", ["x"])).error?.code, -32601);
      assert.doesNotMatch(await node.rpc.result("help") as string, /== Wallet ==/);
      assert.deepEqual(childPids(node.program.pid), []);
      assert.equal((await node.stop()).code, 0);
    }
  },
});

Deno.test({
  name:
    "freicoin-node: a wallet outside -walletdir gets a wallet process of its own, confined to that wallet's directory",
  ignore: !onLinux,
  async fn() {
    const elsewhere = Deno.makeTempDirSync({ prefix: "wallet-elsewhere-" });
    try {
      await outsideWallets(elsewhere);
    } finally {
      Deno.removeSync(elsewhere, { recursive: true });
    }
  },
});

/** The test of wallets outside -walletdir, with `elsewhere` outside every datadir. */
async function outsideWallets(elsewhere: string): Promise<void> {
  const outside = path.join(elsewhere, "w6");
  {
    await using node = new TestNode("freicoin-node");
    await node.rpc.ready();
    const main = await walletChild(node);
    assert.deepEqual(await node.rpc.result("createwallet", ["inside"]), { name: "inside" });
    assert.deepEqual(await node.rpc.result("createwallet", [outside]), { name: outside });
    assert.ok(Deno.statSync(path.join(outside, "wallet.dat")).isFile);
    const children = childPids(node.program.pid).filter((pid) =>
      Deno.readTextFileSync(`/proc/${pid}/cmdline`).includes("\0wallet\0-ipcfd\0")
    );
    assert.equal(children.length, 2, "the node's wallet child and one for the outside wallet");
    const extra = children.find((pid) => pid !== main)!;
    const permissions = Deno.readTextFileSync(`/proc/${extra}/cmdline`).split("\0");
    assert.ok(permissions.includes(`--allow-read=${outside}`), permissions.join(" "));
    assert.ok(permissions.includes(`--allow-write=${outside}`), permissions.join(" "));
    assert.deepEqual(
      (await node.rpc.result("listwallets") as string[]).sort(),
      [outside, "inside"].sort(),
    );
    const uri = `/wallet/${encodeURIComponent(outside)}`;
    assert.match(await node.rpc.result("getnewaddress", [], uri) as string, /^fcrt1q/);
    assert.equal(
      (await node.rpc.result("getwalletinfo", [], uri) as { walletname: string }).walletname,
      outside,
    );
    // The datadir itself would give a wallet process the node's own files: refused.
    const refused = await node.rpc.call("createwallet", [node.dir]);
    assert.equal(refused.error?.code, -4);
    assert.match(refused.error?.message ?? "", /sandboxed to its wallet directory/);
    assert.deepEqual(await node.rpc.result("unloadwallet", [outside]), {});
    assert.deepEqual(await node.rpc.result("loadwallet", [outside]), { name: outside });
    assert.equal((await node.stop()).code, 0);
    assert.deepEqual(childPids(node.program.pid), []);
  }
  // Named at start-up: loaded by a wallet process of its own; a missing one is skipped.
  const missing = path.join(elsewhere, "missing");
  await using node = new TestNode("freicoin-node", [`-wallet=${outside}`, `-wallet=${missing}`]);
  await node.rpc.ready();
  await waitFor(
    async () => ((await node.rpc.call("listwallets")).result as string[]).includes(outside),
    30_000,
    "the outside wallet loaded at start-up",
  );
  assert.deepEqual(await node.rpc.result("listwallets"), [outside]);
  assert.match(node.debugLog(), /Skipping -wallet path that doesn't exist\. .*missing/);
  assert.equal((await node.stop()).code, 0);
}

for (const transport of ["unix", "tcp"] as const) {
  Deno.test({
    name:
      `freicoin wallet -ipcconnect=${transport} -server: registers with a running node, serves its own port, exits when the node stops`,
    ignore: !onLinux,
    async fn() {
      const ipcPort = freePort();
      const endpoint = transport === "unix" ? "unix" : `tcp:127.0.0.1:${ipcPort}`;
      await using node = new TestNode("freicoind", [`-ipcbind=${endpoint}`]);
      await node.rpc.ready();
      // Both keep a start-up list: the node in its settings.json, the standalone wallet in its
      // own directory (it must not try to load the node's wallets from there).
      await node.rpc.result("createwallet", ["inproc", false, false, null, false, true, true]);
      const walletDir = Deno.makeTempDirSync({ prefix: "standalone-wallets-" });
      const walletPort = freePort();
      await using wallet = new RunningProgram([
        "wallet",
        "-regtest",
        `-datadir=${node.dir}`,
        `-walletdir=${walletDir}`,
        `-ipcconnect=${endpoint}`,
        "-server",
        `-rpcport=${walletPort}`,
        "-printtoconsole=0",
      ]);
      try {
        const own = new RpcClient(walletPort, path.join(walletDir, ".cookie"));
        await own.ready();
        const created = await own.result(
          "createwallet",
          ["sw", false, false, null, false, true, true],
        ) as { name: string };
        assert.equal(created.name, "sw");
        const listed = (file: string) => JSON.parse(Deno.readTextFileSync(file)).wallet;
        assert.deepEqual(listed(path.join(walletDir, "settings.json")), ["sw"]);
        assert.deepEqual(listed(path.join(node.net, "settings.json")), ["inproc"]);
        assert.match(await own.result("getnewaddress") as string, /^fcrt1q/);
        assert.ok(fileExists(path.join(walletDir, "sw", "wallet.dat")));
        // The node routes to whichever process holds the wallet.
        assert.deepEqual(await node.rpc.result("listwallets"), ["inproc", "sw"]);
        const sw = await node.rpc.result("getwalletinfo", [], "/wallet/sw") as Record<
          string,
          unknown
        >;
        assert.equal(sw.walletname, "sw");
        const inproc = await node.rpc.result("getwalletinfo", [], "/wallet/inproc") as Record<
          string,
          unknown
        >;
        assert.equal(inproc.walletname, "inproc");
        assert.equal((await node.rpc.call("getwalletinfo")).error?.code, -19);
        // The node stops: the wallet closes its wallets and exits by itself.
        assert.equal((await node.stop()).code, 0);
        const finished = await wallet.finished();
        assert.equal(finished.code, 0, finished.stderr);
        assert.match(Deno.readTextFileSync(path.join(walletDir, "debug.log")), /node disconnected/);
        assert.ok(!fileExists(path.join(walletDir, ".cookie")), "the cookie is removed at exit");
      } finally {
        Deno.removeSync(walletDir, { recursive: true });
      }
    },
  });
}

/**
 * Mines to wallet `a`, pays 10 FRC to wallet `b`, and checks `b` sees it first from the mempool
 * and then from its block; returns `a`'s address and balances after mining.
 */
async function payBetweenWallets(rpc: RpcClient) {
  await rpc.result("createwallet", ["a"]);
  await rpc.result("createwallet", ["b"]);
  const a = await rpc.result("getnewaddress", [], "/wallet/a") as string;
  const b = await rpc.result("getnewaddress", [], "/wallet/b") as string;
  await rpc.result("generatetoaddress", [101, a]);
  await rpc.result("syncwithvalidationinterfacequeue");
  const mined = await rpc.result("getbalances", [], "/wallet/a") as {
    mine: { trusted: number; immature: number };
  };
  assert.ok(mined.mine.trusted > 49 && mined.mine.trusted <= 50, JSON.stringify(mined));

  const txid = await rpc.result("sendtoaddress", [b, 10], "/wallet/a") as string;
  assert.deepEqual(await rpc.result("getrawmempool"), [txid]);
  await rpc.result("syncwithvalidationinterfacequeue");
  const pending = await rpc.result("getbalances", [], "/wallet/b") as {
    mine: { trusted: number; untrusted_pending: number };
  };
  assert.deepEqual([pending.mine.trusted, pending.mine.untrusted_pending], [0, 10]);
  await rpc.result("generatetoaddress", [1, a]);
  await rpc.result("syncwithvalidationinterfacequeue");
  const confirmed = await rpc.result("getbalances", [], "/wallet/b") as {
    mine: { trusted: number; untrusted_pending: number };
  };
  assert.equal(confirmed.mine.untrusted_pending, 0);
  assert.ok(confirmed.mine.trusted > 9.999 && confirmed.mine.trusted < 10);

  return { a, mined };
}

Deno.test({
  name: "freicoind: the same payment between two in-process wallets",
  ignore: !onLinux,
  async fn() {
    await using node = new TestNode("freicoind", ["-fallbackfee=0.0002"]);
    await node.rpc.ready();
    await payBetweenWallets(node.rpc);
    assert.equal((await node.stop()).code, 0);
  },
});

Deno.test({
  name:
    "freicoin-node: a payment between two wallets crosses the process boundary; a replaced child catches up; SIGKILL of the node ends the child",
  ignore: !onLinux,
  async fn() {
    await using node = new TestNode("freicoin-node", ["-fallbackfee=0.0002"]);
    const rpc = node.rpc;
    await rpc.ready();
    const { a, mined } = await payBetweenWallets(rpc);

    // The child dies; blocks are mined meanwhile; the next child's wallets catch up.
    const child = await walletChild(node);
    Deno.kill(child, "SIGKILL");
    await waitFor(() => !isAlive(child), 10_000, "the child to die");
    await rpc.result("generatetoaddress", [5, a]);
    const second = await walletChild(node);
    assert.notEqual(second, child);
    await waitFor(async () => (await rpc.call("listwallets")).error === null, 30_000);
    await rpc.result("loadwallet", ["a"]);
    await rpc.result("syncwithvalidationinterfacequeue");
    const caughtUp = await rpc.result("getwalletinfo", [], "/wallet/a") as {
      lastprocessedblock: { height: number };
    };
    assert.equal(caughtUp.lastprocessedblock.height, 107);
    const after = await rpc.result("getbalances", [], "/wallet/a") as {
      mine: { trusted: number };
    };
    assert.ok(after.mine.trusted > mined.mine.trusted, JSON.stringify(after));

    // SIGKILL of the node: the child sees its channel close, closes its wallets and exits.
    node.program.kill("SIGKILL");
    await node.program.finished();
    await waitFor(() => !isAlive(second), 15_000, "the wallet child to exit after the node");
    // Its wallets open again, at the tip it had processed.
    const port = freePort();
    Deno.removeSync(path.join(node.net, ".cookie")); // left behind by the killed node
    await using again = new RunningProgram([
      "freicoind",
      "-regtest",
      `-datadir=${node.dir}`,
      `-rpcport=${port}`,
      "-printtoconsole=0",
      "-listen=0",
    ]);
    const reopened = new RpcClient(port, path.join(node.net, ".cookie"));
    await reopened.ready();
    await reopened.result("loadwallet", ["a"]);
    const info = await reopened.result("getwalletinfo", [], "/wallet/a") as {
      lastprocessedblock: { height: number };
    };
    assert.equal(info.lastprocessedblock.height, 107);
    assert.equal(await reopened.result("stop"), "Freicoin stopping");
    assert.equal((await again.finished()).code, 0);
  },
});

Deno.test("freicoin-wallet -h prints its usage; without a listening node it says so and exits 1", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "wallet-help-" });
  try {
    const help = await runProgram(["freicoin-wallet", "-h", `-datadir=${dir}`]);
    assert.equal(help.code, 0);
    assert.match(
      help.stdout,
      /^Freicoin version .*\n\nUsage: {2}freicoin-wallet -ipcconnect=<address>/,
    );
    assert.match(help.stdout, /\n {2}-walletdir=<dir>\n/);
    const alone = await runProgram([
      "wallet",
      "-regtest",
      `-datadir=${dir}`,
      "-ipcconnect=unix",
      "-printtoconsole=0",
    ]);
    assert.equal(alone.code, 1);
    assert.match(alone.stderr, /^Error: .+\n$/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
