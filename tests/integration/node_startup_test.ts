import assert from "node:assert/strict";
import * as path from "node:path";
import { fileExists, RunningProgram, runProgram, waitFor } from "../support/program.ts";

Deno.test("-version prints the version on stdout and exits 0", async () => {
  const result = await runProgram(["freicoind", "-version", `-datadir=${Deno.makeTempDirSync()}`]);
  assert.equal(result.code, 0);
  assert.match(result.stdout, /^Freicoin version v27\.1\.1/);
  assert.equal(result.stderr, "");
});

Deno.test("-h prints usage with Options: on stdout and exits 0", async () => {
  const result = await runProgram(["freicoin-node", "-h", `-datadir=${Deno.makeTempDirSync()}`]);
  assert.equal(result.code, 0);
  assert.ok(result.stdout.includes("Usage:  freicoin-node [options]"));
  assert.ok(result.stdout.includes("\nOptions:\n"));
  assert.equal(result.stderr, "");
});

Deno.test("an unknown option fails with freicoind's error on stderr and exit 1", async () => {
  const result = await runProgram(["freicoind", "-fakearg"]);
  assert.equal(result.code, 1);
  assert.equal(result.stdout, "");
  assert.equal(
    result.stderr,
    "Error: Error parsing command line arguments: Invalid parameter -fakearg\n",
  );
});

Deno.test("a missing datadir and a bad config line are reported as freicoind does", async () => {
  const missing = await runProgram(["freicoind", "-datadir=/nonexistent/frc"]);
  assert.equal(missing.code, 1);
  assert.equal(
    missing.stderr,
    'Error: Specified data directory "/nonexistent/frc" does not exist.\n',
  );
  const dir = Deno.makeTempDirSync();
  Deno.writeTextFileSync(path.join(dir, "freicoin.conf"), "regtest=1\nnono\n");
  const bad = await runProgram(["freicoind", `-datadir=${dir}`]);
  assert.equal(bad.code, 1);
  assert.equal(
    bad.stderr,
    "Error: Error reading configuration file: parse error on line 2: nono, if you intended to specify a negated option, use nono=1 instead\n",
  );
});

Deno.test("an unknown subcommand is a clear error", async () => {
  const result = await runProgram(["frobnicate"]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /unknown command 'frobnicate'/);
});

Deno.test("freicoin node creates the layout, logs, holds the lock and stops cleanly on SIGTERM", async () => {
  const dir = Deno.makeTempDirSync();
  const net = path.join(dir, "regtest");
  await using node = new RunningProgram(["node", "-regtest", `-datadir=${dir}`, "-debug=ipc"]);
  await waitFor(() => fileExists(path.join(net, "freicoind.pid")), 20_000, "the pid file");
  assert.equal(Deno.readTextFileSync(path.join(net, "freicoind.pid")), `${node.pid}\n`);
  assert.ok(Deno.statSync(path.join(net, "wallets")).isDirectory);
  assert.deepEqual([...Deno.readDirSync(path.join(net, "wallets"))], []);

  // A second instance on the same datadir fails and leaves the first one's pid file alone.
  const second = await runProgram(["freicoind", "-regtest", `-datadir=${dir}`]);
  assert.equal(second.code, 1);
  assert.equal(
    second.stderr,
    `Error: Cannot obtain a lock on data directory ${net}. Freicoin is probably already running.\n`,
  );
  assert.ok(fileExists(path.join(net, "freicoind.pid")));

  node.kill("SIGTERM");
  const result = await node.finished();
  assert.equal(result.code, 0);
  assert.equal(result.stderr, "");
  assert.ok(!fileExists(path.join(net, "freicoind.pid")));
  const log = Deno.readTextFileSync(path.join(net, "debug.log"));
  assert.match(log, /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ Using data directory /);
  assert.ok(log.includes("Shutdown: done"));
});

Deno.test("-printtoconsole=0 keeps stdout empty and -nodebuglogfile writes no log", async () => {
  const dir = Deno.makeTempDirSync();
  const net = path.join(dir, "regtest");
  await using node = new RunningProgram([
    "freicoind",
    "-regtest",
    `-datadir=${dir}`,
    "-printtoconsole=0",
    "-nodebuglogfile",
  ]);
  await waitFor(() => fileExists(path.join(net, "freicoind.pid")), 20_000, "the pid file");
  node.kill("SIGINT");
  const result = await node.finished();
  assert.equal(result.code, 0);
  assert.equal(result.stdout, "");
  assert.equal(result.stderr, "");
  assert.ok(!fileExists(path.join(net, "debug.log")));
});

Deno.test("unrecognised config sections give freicoind's warning on stderr", async () => {
  const dir = Deno.makeTempDirSync();
  const conf = path.join(dir, "freicoin.conf");
  Deno.writeTextFileSync(conf, "[testnot]\nregtest=1\n");
  await using node = new RunningProgram([
    "freicoind",
    "-regtest",
    `-datadir=${dir}`,
    "-printtoconsole=0",
  ]);
  await waitFor(
    () => fileExists(path.join(dir, "regtest", "freicoind.pid")),
    20_000,
    "the pid file",
  );
  node.kill("SIGTERM");
  const result = await node.finished();
  assert.equal(result.code, 0);
  assert.equal(result.stderr, `Warning: ${conf}:1 Section [testnot] is not recognized.\n`);
});

Deno.test("the RPC server writes the cookie once bound, answers freicoin-cli, and stop removes it", async () => {
  const dir = Deno.makeTempDirSync();
  const net = path.join(dir, "regtest");
  const port = 20000 + Math.floor(Math.random() * 20000);
  await using node = new RunningProgram([
    "freicoind",
    "-regtest",
    `-datadir=${dir}`,
    `-rpcport=${port}`,
    "-printtoconsole=0",
  ]);
  await waitFor(() => fileExists(path.join(net, ".cookie")), 20_000, "the cookie");
  assert.match(Deno.readTextFileSync(path.join(net, ".cookie")), /^__cookie__:[0-9a-f]{64}$/);
  const cli = ["freicoin-cli", "-regtest", `-datadir=${dir}`, `-rpcport=${port}`];
  const uptime = await runProgram([...cli, "uptime"]);
  assert.equal(uptime.code, 0);
  assert.match(uptime.stdout, /^\d+\n$/);
  const unknown = await runProgram([...cli, "nosuchmethod"]);
  assert.equal(unknown.code, 32601 % 256); // freicoin-cli exits with abs(code), truncated by the OS
  assert.equal(unknown.stderr, "error code: -32601\nerror message:\nMethod not found\n");
  const stop = await runProgram([...cli, "stop"]);
  assert.equal(stop.stdout, "Freicoin stopping\n");
  const result = await node.finished();
  assert.equal(result.code, 0);
  assert.equal(result.stderr, "");
  assert.ok(!fileExists(path.join(net, ".cookie")));
  assert.ok(!fileExists(path.join(net, "freicoind.pid")));
});
