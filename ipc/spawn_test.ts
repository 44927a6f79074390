import assert from "node:assert/strict";
import { childCommandLine, spawnRole } from "./spawn.ts";
import { walletPermissions } from "./permissions.ts";
import type { ByteStream } from "./byte_stream.ts";
import type { Logger } from "../cli/logger.ts";

const ECHO_CHILD = new URL("../tests/integration/ipc_children/echo_child.ts", import.meta.url);

function recordingLogger(lines: string[]): Logger {
  const text = (m: string | (() => string)) => typeof m === "function" ? m() : m;
  return {
    info: (m) => lines.push(text(m)),
    warning: (m) => lines.push(text(m)),
    error: (m) => lines.push(text(m)),
    debug: (_c, m) => lines.push(text(m)),
    trace: () => {},
    willLog: () => true,
  };
}

/** Reads from `stream` until `length` bytes have arrived. */
function readBytes(stream: ByteStream, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let filled = 0;
  return new Promise((resolve, reject) => {
    stream.onData((chunk) => {
      out.set(chunk.subarray(0, length - filled), filled);
      filled += chunk.length;
      if (filled >= length) resolve(out);
    });
    stream.onClose(() => reject(new Error(`closed after ${filled} of ${length} bytes`)));
  });
}

function sandbox() {
  const walletDir = Deno.makeTempDirSync();
  return { walletDir, permissions: walletPermissions({ walletDir }) };
}

Deno.test("the command line is deno run, permission flags, entry, role, -ipcfd 3", () => {
  const { command, args } = childCommandLine("wallet", {
    permissions: walletPermissions({ walletDir: "/w" }),
    entry: "/p/mod.ts",
    mode: "deno-run",
    execPath: "/usr/bin/deno",
  });
  assert.equal(command, "/usr/bin/deno");
  assert.equal(args[0], "run");
  assert.equal(args[1], "--no-prompt");
  assert.ok(args.includes("--allow-read=/w"));
  assert.deepEqual(args.slice(-4), ["/p/mod.ts", "wallet", "-ipcfd", "3"]);
});

Deno.test("a compiled binary is run as <binary> <role> -ipcfd 3", () => {
  const { command, args } = childCommandLine("wallet", {
    permissions: walletPermissions({ walletDir: "/w" }),
    execPath: "/opt/freicoin",
  });
  assert.equal(command, "/opt/freicoin");
  assert.deepEqual(args, ["wallet", "-ipcfd", "3"]);
});

for (const channel of ["fd", "pipe"] as const) {
  Deno.test(`${channel}: a spawned child echoes many chunks and exits 0 on close`, async () => {
    const lines: string[] = [];
    const { permissions, walletDir } = sandbox();
    const child = await spawnRole("wallet", {
      permissions,
      entry: ECHO_CHILD,
      channel,
      logger: recordingLogger(lines),
    });
    const total = 1 << 20;
    const sent = new Uint8Array(total).map((_, i) => (i * 7) & 0xff);
    const received = readBytes(child.stream, total);
    for (let offset = 0; offset < total; offset += 4096) {
      child.stream.write(sent.subarray(offset, offset + 4096));
    }
    assert.deepEqual(await received, sent);
    child.stream.close();
    const status = await child.exited;
    assert.deepEqual(status, { code: 0, signal: null, status: 0 });
    assert.ok(
      lines.includes(`Process freicoin-wallet pid ${child.pid} launched`),
      lines.join("\n"),
    );
    // The exit line is logged from the same `exit` event: let its handler run.
    await new Promise((r) => setTimeout(r, 0));
    assert.ok(lines.includes(`Process freicoin-wallet pid ${child.pid} exited with status 0`));
    Deno.removeSync(walletDir, { recursive: true });
  });

  Deno.test(`${channel}: a parent sees its child's crash as a closed stream and keeps running`, async () => {
    const { permissions, walletDir } = sandbox();
    const child = await spawnRole("wallet", {
      permissions,
      entry: ECHO_CHILD,
      channel,
      args: ["crash-after-first-chunk"],
    });
    const closed = new Promise((resolve) => child.stream.onClose(resolve));
    child.stream.onData(() => {});
    child.stream.write(new Uint8Array([1]));
    await closed;
    assert.equal((await child.exited).code, 3);
    // Still alive and able to spawn another one.
    const again = await spawnRole("wallet", { permissions, entry: ECHO_CHILD, channel });
    const echoed = readBytes(again.stream, 2);
    again.stream.write(new Uint8Array([5, 6]));
    assert.deepEqual(await echoed, new Uint8Array([5, 6]));
    await again[Symbol.asyncDispose]();
    Deno.removeSync(walletDir, { recursive: true });
  });

  Deno.test({
    name: `${channel}: a killed child is reported with its signal`,
    ignore: Deno.build.os === "windows",
  }, async () => {
    const { permissions, walletDir } = sandbox();
    const child = await spawnRole("wallet", { permissions, entry: ECHO_CHILD, channel });
    const closed = new Promise((resolve) => child.stream.onClose(resolve));
    child.kill("SIGKILL");
    const status = await child.exited;
    await closed;
    assert.equal(status.code, null);
    assert.equal(status.signal, "SIGKILL");
    assert.equal(status.status, 9);
    Deno.removeSync(walletDir, { recursive: true });
  });
}

Deno.test("pipe: a child that never connects back is a SpawnError and is killed", async () => {
  const { permissions, walletDir } = sandbox();
  const started = spawnRole("wallet", {
    permissions,
    entry: new URL("../tests/integration/ipc_children/silent_child.ts", import.meta.url),
    channel: "pipe",
    connectTimeoutMs: 300,
  });
  await assert.rejects(started, /did not connect: timed out/);
  Deno.removeSync(walletDir, { recursive: true });
});

Deno.test("pipe: a stranger without the secret cannot take the child's place", async () => {
  const { openPipeChannel } = await import("./transport/spawn_channel.ts");
  const { connect } = await import("./transport/connect.ts");
  const channel = await openPipeChannel();
  const accepted = channel.accept();
  const stranger = await connect({ kind: "unix", path: channel.path });
  const strangerClosed = new Promise((resolve) => stranger.onClose(resolve));
  stranger.onData(() => {});
  stranger.write(new Uint8Array(72)); // a wrong PROOF
  await strangerClosed;
  let settled = false;
  accepted.then(() => (settled = true), () => (settled = true));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(settled, false, "the stranger was accepted");
  await channel.close();
});

Deno.test({
  name: "the child runs exactly the command line we built: node:child_process adds no -A",
  ignore: Deno.build.os !== "linux",
}, async () => {
  const { permissions, walletDir } = sandbox();
  const options = { permissions, entry: ECHO_CHILD };
  const child = await spawnRole("wallet", options);
  const actual = Deno.readTextFileSync(`/proc/${child.pid}/cmdline`).split("\0").slice(1, -1);
  assert.deepEqual(actual, childCommandLine("wallet", options).args);
  assert.ok(!actual.includes("-A") && !actual.includes("--allow-all"));
  await child[Symbol.asyncDispose]();
  Deno.removeSync(walletDir, { recursive: true });
});

Deno.test("a missing executable is a SpawnError, not a crash", async () => {
  await assert.rejects(
    spawnRole("wallet", {
      permissions: walletPermissions({ walletDir: "/nonexistent" }),
      execPath: "/nonexistent/freicoin",
    }),
    /Unable to start freicoin-wallet/,
  );
});

Deno.test({
  name: "a child whose parent is killed sees its stream close and exits",
  // Liveness is read from /proc.
  ignore: Deno.build.os !== "linux",
}, async () => {
  const walletDir = Deno.makeTempDirSync();
  const parent = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      new URL("../tests/integration/ipc_children/spawning_parent.ts", import.meta.url).pathname,
      walletDir,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = parent.stdout.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  const childPid = Number(text.trim());
  assert.ok(childPid > 0, `parent printed ${JSON.stringify(text)}`);
  assert.ok(isAlive(childPid));
  parent.kill("SIGKILL");
  await parent.status;
  await parent.stdout.cancel();
  let waited = 0;
  while (isAlive(childPid) && waited < 10_000) {
    await new Promise((r) => setTimeout(r, 20));
    waited += 20;
  }
  assert.equal(isAlive(childPid), false, "the orphaned child is still running");
  Deno.removeSync(walletDir, { recursive: true });
});

/** Whether a process exists (and is not a zombie). */
function isAlive(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}
