/**
 * freicoin-gui with real processes: gui → node child → wallet child, driven through its web page
 * by headless Chromium (playwright-core), `-ipcconnect` to a node started on its own, and a
 * killed node child that leaves the gui running.
 *
 * Needs /usr/bin/chromium (Debian package `chromium`) for the browser test; skipped without it.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CHROMIUM = "/usr/bin/chromium";
const HAS_CHROMIUM = (() => {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
})();
if (!HAS_CHROMIUM) {
  Deno.stderr.writeSync(
    new TextEncoder().encode(
      `gui_test: ${CHROMIUM} is missing (apt install chromium): browser test skipped\n`,
    ),
  );
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** A running `mod.ts <args>` whose stdout is collected. */
class Program {
  readonly child: Deno.ChildProcess;
  #out = "";
  readonly #done: Promise<void>;

  constructor(args: string[]) {
    this.child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "mod.ts", ...args],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const decoder = new TextDecoder();
    const read = async (stream: ReadableStream<Uint8Array>) => {
      for await (const chunk of stream) this.#out += decoder.decode(chunk);
    };
    this.#done = Promise.all([read(this.child.stdout), read(this.child.stderr)]).then(() => {});
  }

  get output(): string {
    return this.#out;
  }

  /** Waits until the output matches `pattern`. */
  async waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const match = this.#out.match(pattern);
      if (match) return match;
      await delay(100);
    }
    throw new Error(`timed out waiting for ${pattern}; output:\n${this.#out}`);
  }

  async stop(): Promise<Deno.CommandStatus> {
    try {
      this.child.kill("SIGTERM");
    } catch { /* already gone */ }
    const status = await this.child.status;
    await this.#done;
    return status;
  }
}

/** A page expression for the text of the element with `id`. */
function text(id: string): string {
  return `(document.getElementById("${id}")?.textContent ?? "")`;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Children of `pid` with their command lines (Linux /proc). */
function childrenOf(pid: number): { pid: number; cmdline: string }[] {
  const out: { pid: number; cmdline: string }[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid !== pid) continue;
      const cmdline = Deno.readTextFileSync(`/proc/${entry.name}/cmdline`).split("\0").join(" ");
      out.push({ pid: Number(entry.name), cmdline });
    } catch { /* exited meanwhile */ }
  }
  return out;
}

/** The gui's API, as the page uses it. */
async function api(url: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const token = new URL(url).hash.replace("#token=", "");
  const response = await fetch(new URL(path, url), {
    method: body === undefined ? "GET" : "POST",
    headers: { "x-gui-token": token },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return await response.json();
}

function guiArgs(datadir: string): string[] {
  return [
    "gui",
    "-regtest",
    `-datadir=${datadir}`,
    `-guiport=${freePort()}`,
    `-rpcport=${freePort()}`,
    `-port=${freePort()}`,
    "-listen=0",
  ];
}

Deno.test({
  name: "freicoin-gui spawns node and wallet; the page creates a wallet and mines via the console",
  ignore: !HAS_CHROMIUM,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const datadir = await Deno.makeTempDir({ prefix: "frc-gui-" });
    const gui = new Program(guiArgs(datadir));
    // deno-lint-ignore no-explicit-any
    let browser: any;
    try {
      const url = (await gui.waitFor(/open (http:\/\/127\.0\.0\.1:\d+\/#token=\w+)/))[1];
      assert.match(gui.output, /node up \(pid \d+\)/);
      // The process tree: gui (deno run -A mod.ts gui) → node → wallet.
      const nodes = childrenOf(gui.child.pid).filter((p) => / node -ipcfd 3/.test(p.cmdline));
      assert.equal(nodes.length, 1, "one node child");
      let wallets: { cmdline: string }[] = [];
      for (let i = 0; i < 100 && wallets.length === 0; i++) {
        wallets = childrenOf(nodes[0].pid).filter((p) => / wallet -ipcfd 3/.test(p.cmdline));
        if (wallets.length === 0) await delay(100);
      }
      assert.equal(wallets.length, 1, "the node has one wallet child");

      // Loaded only when the browser test runs, so the other tests need no npm download.
      // deno-lint-ignore no-import-prefix
      const { chromium } = await import("npm:playwright-core@1.49.1");
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--no-first-run",
          "--disable-sync",
        ],
      });
      const page = await browser.newPage();
      await page.goto(url);
      await page.waitForFunction(`${text("st-chain")} === "regtest"`);
      await page.fill("#wallet-name", "w1");
      await page.click("#wallet-create button[type=submit]");
      await page.waitForFunction(`${text("wallet-message")} === "createwallet: w1"`);
      await page.click("#new-address");
      await page.waitForFunction(`${text("address")}.length > 20`);
      const address = await page.textContent("#address");
      await page.fill("#console-input", `generatetoaddress 101 ${address}`);
      await page.click("#console-form button[type=submit]");
      await page.waitForFunction(`${text("st-height")} === "101"`, undefined, {
        timeout: 40_000,
      });
      await page.waitForFunction(`/^[1-9]/.test(${text("bal-trusted")})`);
      const trusted = await page.textContent("#bal-trusted");
      const reported = await api(url, "/api/rpc", {
        method: "getbalances",
        params: [],
        wallet: "w1",
      }) as { result: { mine: { trusted: number } } };
      assert.equal(trusted, `${reported.result.mine.trusted} FRC`);
      assert.match(await page.textContent("#console-output") ?? "", /> generatetoaddress 101/);
      await page.screenshot({ path: "/tmp/freicoin-gui.png", fullPage: true });
    } finally {
      await browser?.close();
      const nodePids = childrenOf(gui.child.pid).map((p) => p.pid);
      const walletPids = nodePids.flatMap((pid) => childrenOf(pid).map((p) => p.pid));
      const status = await gui.stop();
      assert.equal(status.code, 0, gui.output);
      // The gui waited for its node, and the node for its wallet: nothing is left running.
      for (const pid of [...nodePids, ...walletPids]) assert.ok(!isRunning(pid), `pid ${pid}`);
      await Deno.remove(datadir, { recursive: true });
    }
  },
});

Deno.test({
  name: "freicoin-gui -ipcconnect=unix drives a node started on its own, and survives its death",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const datadir = await Deno.makeTempDir({ prefix: "frc-gui-ipc-" });
    const node = new Program([
      "node",
      "-regtest",
      `-datadir=${datadir}`,
      "-ipcbind=unix",
      `-rpcport=${freePort()}`,
      `-port=${freePort()}`,
      "-listen=0",
    ]);
    let gui: Program | undefined;
    try {
      const socket = `${datadir}/regtest/node.sock`;
      for (let i = 0; i < 300; i++) {
        if (await exists(socket) && /started; waiting/.test(readLog(datadir))) break;
        await delay(100);
      }
      gui = new Program([
        "gui",
        "-regtest",
        `-datadir=${datadir}`,
        "-ipcconnect=unix",
        `-guiport=${freePort()}`,
      ]);
      const url = (await gui.waitFor(/open (http:\/\/127\.0\.0\.1:\d+\/#token=\w+)/))[1];
      assert.deepEqual(await api(url, "/api/node"), { state: "up", mode: "connected" });
      assert.equal(childrenOf(gui.child.pid).length, 0, "no node child with -ipcconnect");
      const reply = await api(url, "/api/rpc", { method: "getblockcount" });
      assert.deepEqual(reply, { result: 0, error: null, id: "gui" });
      // -ipcconnect=auto finds the node listening at the default socket and connects too.
      const auto = new Program([
        "gui",
        "-regtest",
        `-datadir=${datadir}`,
        "-ipcconnect=auto",
        `-guiport=${freePort()}`,
      ]);
      try {
        const autoUrl = (await auto.waitFor(/open (http:\/\/127\.0\.0\.1:\d+\/#token=\w+)/))[1];
        assert.deepEqual(await api(autoUrl, "/api/node"), { state: "up", mode: "connected" });
      } finally {
        assert.equal((await auto.stop()).code, 0, auto.output);
      }
      // The node goes away: the gui keeps running and reports it.
      node.child.kill("SIGKILL");
      await node.child.status;
      let state: Record<string, unknown> = {};
      for (let i = 0; i < 100; i++) {
        state = await api(url, "/api/node");
        if (state.state === "down") break;
        await delay(100);
      }
      assert.equal(state.state, "down");
      const down = await api(url, "/api/rpc", { method: "getblockcount" });
      assert.match(String(down.error), /the node is down/);
    } finally {
      if (gui) {
        const status = await gui.stop();
        assert.equal(status.code, 0, gui.output);
      }
      await node.stop();
      await Deno.remove(datadir, { recursive: true });
    }
  },
});

Deno.test({
  name: "killing freicoin-gui's node child leaves the gui running, showing the node down",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const datadir = await Deno.makeTempDir({ prefix: "frc-gui-kill-" });
    const gui = new Program(guiArgs(datadir));
    try {
      const url = (await gui.waitFor(/open (http:\/\/127\.0\.0\.1:\d+\/#token=\w+)/))[1];
      const up = await api(url, "/api/node");
      assert.equal(up.state, "up");
      Deno.kill(up.pid as number, "SIGKILL");
      let state: Record<string, unknown> = {};
      for (let i = 0; i < 100; i++) {
        state = await api(url, "/api/node");
        if (state.state === "down") break;
        await delay(100);
      }
      assert.equal(state.state, "down");
      assert.match(String(state.reason), /disconnected|exited/);
      // The page's "Restart node" button: a new node child on the same datadir.
      const restarted = await api(url, "/api/node/restart", {});
      assert.equal(restarted.state, "up");
      assert.notEqual(restarted.pid, up.pid);
      const reply = await api(url, "/api/rpc", { method: "getblockcount" });
      assert.deepEqual(reply, { result: 0, error: null, id: "gui" });
    } finally {
      const status = await gui.stop();
      assert.equal(status.code, 0, gui.output);
      await Deno.remove(datadir, { recursive: true });
    }
  },
});

function isRunning(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

Deno.test("freicoin-gui refuses a malformed -ipcconnect value", async () => {
  const datadir = await Deno.makeTempDir({ prefix: "frc-gui-bad-" });
  try {
    const gui = new Program(["gui", "-regtest", `-datadir=${datadir}`, "-ipcconnect=pipe:x"]);
    const status = await gui.child.status;
    await gui.stop();
    assert.equal(status.code, 1);
    assert.match(gui.output, /^Error: .*pipe:x/m);
  } finally {
    await Deno.remove(datadir, { recursive: true });
  }
});

async function exists(file: string): Promise<boolean> {
  try {
    await Deno.stat(file);
    return true;
  } catch {
    return false;
  }
}

function readLog(datadir: string): string {
  try {
    return Deno.readTextFileSync(`${datadir}/regtest/debug.log`);
  } catch {
    return "";
  }
}
