/**
 * Interop with the C++ Cap'n Proto library (Debian libcapnp-dev): our client against a C++
 * server and a C++ client against our server, over a unix socket. The C++ peer
 * (tests/interop/peer.cpp) is compiled here with g++ into a temporary folder.
 */
import assert from "node:assert/strict";
import net from "node:net";
import { RpcConnection } from "../../ipc/rpc/connection.ts";
import { DisconnectedError, RemoteError } from "../../ipc/rpc/errors.ts";
import { pipeline } from "../../ipc/rpc/interface.ts";
import { socketStream } from "../../ipc/rpc/_test_streams.ts";
import {
  type Callback,
  COUNTER,
  type Counter,
  CounterImpl,
  PEER,
  PeerImpl,
} from "./peer_binding.ts";

const HERE = new URL(".", import.meta.url).pathname;

/** Builds the C++ peer; returns its path, or why it cannot be built. */
async function buildPeer(): Promise<{ path: string } | { skip: string }> {
  const which = async (cmd: string) => {
    try {
      return (await new Deno.Command(cmd, { args: ["--version"], stdout: "null", stderr: "null" })
        .output()).success;
    } catch {
      return false;
    }
  };
  if (!(await which("g++"))) return { skip: "g++ is not installed" };
  if (!(await which("capnp"))) return { skip: "capnp is not installed (Debian capnproto)" };
  try {
    Deno.statSync("/usr/include/capnp/ez-rpc.h");
  } catch {
    return { skip: "Cap'n Proto headers are missing (Debian libcapnp-dev)" };
  }
  const dir = Deno.makeTempDirSync({ prefix: "capnp-interop-" });
  globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
  const gen = await new Deno.Command("capnp", {
    args: ["compile", `-oc++:${dir}`, `--src-prefix=${HERE}`, `${HERE}interop.capnp`],
    stderr: "piped",
  }).output();
  if (!gen.success) throw new Error(new TextDecoder().decode(gen.stderr));
  const exe = `${dir}/peer`;
  const build = await new Deno.Command("g++", {
    args: [
      "-std=c++17",
      "-O1",
      `-I${dir}`,
      `${HERE}peer.cpp`,
      `${dir}/interop.capnp.c++`,
      "-o",
      exe,
      "-lcapnp-rpc",
      "-lcapnp",
      "-lkj-async",
      "-lkj",
      "-pthread",
    ],
    stderr: "piped",
  }).output();
  if (!build.success) throw new Error(new TextDecoder().decode(build.stderr));
  return { path: exe };
}

const peer = await buildPeer();
const skip = "skip" in peer ? peer.skip : null;
if (skip) {
  // deno-lint-ignore no-console
  console.warn(`interop tests skipped: ${skip}`);
}

/** Reads a child's stdout until `marker` appears; returns all text read so far. */
async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  marker: string,
  sofar = "",
): Promise<string> {
  const decoder = new TextDecoder();
  let text = sofar;
  while (!text.includes(marker)) {
    const { value, done } = await reader.read();
    if (done) return text;
    text += decoder.decode(value);
  }
  return text;
}

function connectUnix(path: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(path);
    socket.once("connect", () => resolve(socket));
    socket.once("error", reject);
  });
}

Deno.test({
  name: "our client against the C++ server: calls, errors, caps both ways, pipelining, cancel",
  ignore: skip !== null,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = Deno.makeTempDirSync({ prefix: "capnp-interop-sock-" });
    const path = `${dir}/peer.sock`;
    const child = new Deno.Command((peer as { path: string }).path, {
      args: ["server", path],
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const out = child.stdout.getReader();
    try {
      assert.match(await readUntil(out, "listening"), /listening/);
      const socket = await connectUnix(path);
      const conn = new RpcConnection(socketStream(socket, `unix:${path}`));
      using remote = conn.bootstrap(PEER);

      assert.equal(await remote.echo("hello c++"), "hello c++");

      // A server-side exception arrives as a rejection with the message intact.
      await assert.rejects(remote.fail("no such wallet: w1"), (e: unknown) => {
        assert.ok(e instanceof RemoteError);
        assert.equal(e.message, "no such wallet: w1");
        return true;
      });

      // Pipelining: both calls go out before makeCounter returns.
      const counterPromise = remote.makeCounter(41);
      using counter = pipeline(COUNTER, counterPromise);
      const [a, b] = await Promise.all([counter.next(), counter.next()]);
      assert.deepEqual([a, b], [42, 43]);
      assert.equal(await counterPromise, counter);

      // A capability in params: the C++ server calls back into us.
      const callback: Callback = { call: (text) => Promise.resolve(`ts callback: ${text}`) };
      assert.equal(await remote.callBack(callback, "ping"), "c++ got: ts callback: ping");

      // Our capability goes out and comes back (receiverHosted): calls land on our object, and
      // a call pipelined on the result is embargoed until the Disembargo loops back.
      const mine = new CounterImpl(10);
      const returned = remote.identity(mine);
      using early = pipeline(COUNTER, returned);
      const earlyValue = early.next();
      await returned;
      assert.equal(await earlyValue, 11);
      assert.equal(await early.next(), 12);

      // A result that is still a promise on their side (senderPromise, then Resolve).
      const promised = remote.promiseCounter(7);
      using later = pipeline(COUNTER, promised);
      assert.equal(await later.next(), 8);
      await promised;
      assert.equal(await later.next(), 9);

      // A promise that resolves to our own object: calls made before the Resolve bounce
      // through the C++ side; calls after it wait (embargo) so that order is kept.
      const ours = new CounterImpl(50);
      const viaPromise = remote.promiseIdentity(ours);
      using looped = pipeline(COUNTER, viaPromise);
      const first = looped.next();
      await viaPromise;
      const rest = [looped.next(), looped.next()];
      assert.deepEqual(await Promise.all([first, ...rest]), [51, 52, 53]);
      await new Promise((r) => setTimeout(r, 60)); // past the Resolve
      assert.equal(await looped.next(), 54);
      assert.equal(await ours.next(), 55);

      // Cancellation reaches the C++ server (it counts canceled waits).
      const controller = new AbortController();
      const waiting = remote.wait({ signal: controller.signal });
      await remote.echo("let wait arrive");
      controller.abort();
      await assert.rejects(waiting);
      assert.equal(await remote.canceledCount(), 1);

      // The peer dies: a pending call fails within a second, later calls fail at once.
      const pending = remote.wait();
      await remote.echo("sync");
      const started = performance.now();
      child.kill("SIGKILL");
      await assert.rejects(pending, (e: unknown) => {
        assert.ok(e instanceof DisconnectedError, String(e));
        assert.match((e as Error).message, /disconnected/);
        return true;
      });
      assert.ok(performance.now() - started < 1000);
      await assert.rejects(remote.echo("after"), DisconnectedError);
      const c2: Counter = counter;
      await assert.rejects(c2.next(), DisconnectedError);
      conn.close();
    } finally {
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
      await child.status;
      out.releaseLock();
      await child.stdout.cancel();
      Deno.removeSync(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "the C++ client against our server: calls, errors, callbacks, pipelining, cancel",
  ignore: skip !== null,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = Deno.makeTempDirSync({ prefix: "capnp-interop-sock-" });
    const path = `${dir}/ts.sock`;
    const impl = new PeerImpl();
    const conns: RpcConnection[] = [];
    const server = net.createServer((socket) => {
      conns.push(
        new RpcConnection(socketStream(socket, "unix:c++ client"), {
          bootstrap: { binding: PEER, impl },
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      const result = await new Deno.Command((peer as { path: string }).path, {
        args: ["client", path],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stdout = new TextDecoder().decode(result.stdout);
      const stderr = new TextDecoder().decode(result.stderr);
      assert.ok(result.success, `C++ client failed:\n${stdout}\n${stderr}`);
      for (
        const step of [
          "echo",
          "error",
          "pipelining",
          "callback",
          "capability round trip",
          "cancellation",
        ]
      ) {
        assert.ok(stdout.includes(`ok ${step}\n`), `missing step ${step}:\n${stdout}`);
      }
      assert.match(stdout, /ALL OK/);
      assert.equal(impl.canceled, 1);
      // The client is gone: our side noticed and emptied its tables.
      await new Promise((r) => setTimeout(r, 50));
      for (const c of conns) {
        assert.ok(c.closed);
        assert.deepEqual(c.tableSizes(), {
          questions: 0,
          answers: 0,
          imports: 0,
          exports: 0,
          embargoes: 0,
        });
      }
    } finally {
      for (const c of conns) c.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      Deno.removeSync(dir, { recursive: true });
    }
  },
});
