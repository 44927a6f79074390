import assert from "node:assert/strict";
import { DebugLog } from "../../cli/debug_log.ts";
import type { Logger } from "../../cli/logger.ts";
import { createMemoryStreamPair } from "../../ipc/transport/memory_stream.ts";
import { RpcConnection } from "../../ipc/rpc/connection.ts";
import { pipeline, release } from "../../ipc/rpc/interface.ts";
import { ECHO, INIT, type LogSink } from "../../schemas/mod.ts";
import { ChildConfigError, ChildInit } from "./child_init.ts";
import { isSpawnedChild, spawnedRoleOf } from "./child_main.ts";
import { ForwardingLogOutput, MAX_PENDING_LOG_BYTES } from "./forwarding_log_output.ts";
import { withoutLogSinkTraffic } from "./ipc_log_filter.ts";

const SILENT = { writeFile() {}, writeConsole() {} };

class CollectingSink implements LogSink {
  batches: string[] = [];
  write(lines: string): Promise<void> {
    this.batches.push(lines);
    return Promise.resolve();
  }
  get text(): string {
    return this.batches.join("");
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

Deno.test("a child is only the exact '-ipcfd N' or '-ipcpipe path' argument pair", () => {
  assert.equal(isSpawnedChild(["-ipcfd", "3"]), true);
  assert.equal(isSpawnedChild(["-ipcpipe", "/tmp/p.sock"]), true);
  assert.equal(isSpawnedChild(["-ipcfd=3"]), false);
  assert.equal(isSpawnedChild(["-ipcfd", "3", "-regtest"]), false);
  assert.equal(isSpawnedChild(["-regtest", "-ipcfd"]), false);
  assert.equal(isSpawnedChild([]), false);
  assert.equal(spawnedRoleOf("freicoin-node"), "node");
  assert.equal(spawnedRoleOf("freicoind"), "node");
  assert.equal(spawnedRoleOf("freicoin-wallet"), "wallet");
  assert.equal(spawnedRoleOf("freicoin-gui"), "gui");
  assert.equal(spawnedRoleOf("freicoin-cli"), undefined);
});

Deno.test("configure applies the parent's logging options and forwards buffered and new lines", async () => {
  const log = new DebugLog({ timestamps: true }, SILENT);
  log.info("logged before configure");
  log.debug("ipc", "not logged: the category is still off");
  const init = new ChildInit(log, "freicoin-node-42");
  const sink = new CollectingSink();
  await init.configure(["-chain=regtest", "-debug=ipc", "-logthreadnames=1"], sink);
  log.debug("ipc", "an ipc line");
  log.debug("net", "a net line");
  await init.close();
  // A line logged before configure was formatted then, without the thread name.
  assert.match(sink.text, /^\S+Z logged before configure\n/);
  assert.match(sink.text, /\[freicoin-node-42\] \[ipc\] an ipc line\n$/);
  assert.ok(!sink.text.includes("still off"));
  assert.ok(!sink.text.includes("net line"));
  assert.ok(!sink.text.startsWith("\n") && !sink.text.includes("\n\n"), "no blank lines");
  assert.equal(init.settings?.network, "regtest");
});

Deno.test("configure is refused a second time and for arguments the child does not know", async () => {
  const log = new DebugLog({}, SILENT);
  const init = new ChildInit(log, "x-1");
  await assert.rejects(init.configure(["-nosuchoption"], null), ChildConfigError);
  await assert.rejects(init.configure(["-debug=nosuchcategory"], null), /Unsupported logging/);
  await init.configure([], null);
  await assert.rejects(init.configure([], null), /already configured/);
});

Deno.test("over a connection: configure with a LogSink, echo, and the child's ipc lines reach the parent", async () => {
  const [parentEnd, childEnd] = createMemoryStreamPair();
  const childLog = new DebugLog({ timestamps: false }, SILENT);
  const child = new RpcConnection(childEnd, {
    bootstrap: { binding: INIT, impl: new ChildInit(childLog, "freicoin-node-7") },
    logger: withoutLogSinkTraffic(childLog),
  });
  const parent = new RpcConnection(parentEnd);
  const init = parent.bootstrap(INIT);
  const sink = new CollectingSink();
  await init.configure(["-debug=ipc", "-logthreadnames"], sink);
  const echo = pipeline(ECHO, init.makeEcho());
  assert.equal(await echo.echo("hello"), "hello");
  await settle();
  assert.match(
    sink.text,
    /\[freicoin-node-7\] \[ipc\] IPC server recv request #\d+ Echo\.echo\$Params \(echo = "hello"\)/,
  );
  assert.match(sink.text, /IPC server send response #\d+ Echo\.echo\$Results \(result = "hello"\)/);
  assert.ok(!sink.text.includes("LogSink"), "the forwarding calls themselves are not logged");
  release(echo);
  release(init);
  parent.close();
  await settle();
  assert.equal(child.closed, true);
});

Deno.test("the log filter drops only LogSink lines and formats nothing when the category is off", () => {
  const seen: string[] = [];
  let enabled = false;
  const inner: Logger = {
    info: (m) => seen.push(String(m)),
    warning: () => {},
    error: () => {},
    debug: (_c, m) => seen.push(typeof m === "string" ? m : m()),
    trace: () => {},
    willLog: () => enabled,
  };
  const filtered = withoutLogSinkTraffic(inner);
  let formatted = 0;
  filtered.debug("ipc", () => {
    formatted++;
    return "IPC client send request #1 Echo.echo$Params ()";
  });
  assert.equal(formatted, 0);
  enabled = true;
  filtered.debug("ipc", 'IPC client send request #2 LogSink.write$Params (lines = "x")');
  filtered.debug("ipc", "IPC client send request #3 Echo.echo$Params ()");
  filtered.debug("net", "LogSink. in another category is kept");
  assert.deepEqual(seen, [
    "IPC client send request #3 Echo.echo$Params ()",
    "LogSink. in another category is kept",
  ]);
});

Deno.test("forwarding batches lines, drops the oldest beyond its limit, and stops when the parent is gone", async () => {
  const encoder = new TextEncoder();
  let release_: () => void = () => {};
  const batches: string[] = [];
  const slow: LogSink = {
    write(lines) {
      batches.push(lines);
      return new Promise((resolve) => release_ = resolve);
    },
  };
  const output = new ForwardingLogOutput(slow);
  output.writeFile(encoder.encode("first\n"));
  await settle();
  assert.deepEqual(batches, ["first\n"]);
  output.writeFile(encoder.encode("second\n"));
  output.writeFile(encoder.encode("third\n"));
  release_();
  await settle();
  assert.deepEqual(batches, ["first\n", "second\nthird\n"], "queued lines leave as one batch");
  const big = "x".repeat(MAX_PENDING_LOG_BYTES / 2) + "\n";
  for (let i = 0; i < 4; i++) output.writeFile(encoder.encode(big));
  release_();
  await settle();
  assert.match(batches[2], /^\[\d+ log lines dropped: the parent did not keep up\]\n/);
  assert.ok(batches[2].length <= MAX_PENDING_LOG_BYTES + 100);
  release_();

  const failing = new ForwardingLogOutput({ write: () => Promise.reject(new Error("gone")) });
  failing.writeFile(encoder.encode("lost\n"));
  await failing.flushed();
  failing.writeFile(encoder.encode("ignored\n"));
  await failing.flushed();
});
