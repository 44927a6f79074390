import assert from "node:assert/strict";
import { Message } from "capnp-es";
import * as R from "capnp-es/capnp/rpc";
import type { ByteStream } from "../byte_stream.ts";
import { RpcConnection, type RpcConnectionOptions } from "./connection.ts";
import { DisconnectedError, RemoteError } from "./errors.ts";
import { pipeline, release, retain } from "./interface.ts";
import { MemoryLogger, memoryPair, socketPair } from "./_test_streams.ts";
import { ECHO, type Echo, INIT, type Init } from "../../schemas/mod.ts";
import {
  type Callback,
  COUNTER,
  type Counter,
  CounterImpl,
  PEER,
  PeerImpl,
} from "../../tests/interop/peer_binding.ts";

const INIT_IMPL: Init = {
  makeEcho: () => Promise.resolve<Echo>({ echo: (text) => Promise.resolve(text) }),
  configure: () => Promise.reject(new Error("not a spawned child")),
  makeRpc: () => Promise.reject(new Error("no RPC here")),
};

const EMPTY_TABLES = { questions: 0, answers: 0, imports: 0, exports: 0, embargoes: 0 };

/** A client/server pair on one stream pair. */
function connect<B>(
  [a, b]: [ByteStream, ByteStream],
  serve: RpcConnectionOptions<B>["bootstrap"],
  options: { client?: RpcConnectionOptions; server?: RpcConnectionOptions } = {},
) {
  const server = new RpcConnection(
    b,
    { ...options.server, bootstrap: serve } as RpcConnectionOptions,
  );
  const client = new RpcConnection(a, options.client);
  return { client, server };
}

const settle = (ms = 5) => new Promise((r) => setTimeout(r, ms));

Deno.test("calls Echo through Init with pipelining, in memory", async () => {
  const { client, server } = connect(memoryPair(), { binding: INIT, impl: INIT_IMPL });
  using init = client.bootstrap(INIT);
  using echo = pipeline(ECHO, init.makeEcho());
  assert.equal(await echo.echo("hello"), "hello");
  assert.equal(await echo.echo("ünïcödé ✓"), "ünïcödé ✓");
  client.close();
  server.close();
});

for (const kind of ["unix", "tcp"] as const) {
  Deno.test(`calls Echo over a real ${kind} socket in this process`, async () => {
    const pair = await socketPair(kind);
    const { client, server } = connect([pair.client, pair.server], {
      binding: INIT,
      impl: INIT_IMPL,
    });
    using init = client.bootstrap(INIT);
    using echo = await init.makeEcho() as Echo & Disposable;
    const big = "x".repeat(200_000);
    assert.equal(await echo.echo(big), big);
    const many = await Promise.all(Array.from({ length: 500 }, (_, i) => echo.echo(`m${i}`)));
    assert.deepEqual(many, Array.from({ length: 500 }, (_, i) => `m${i}`));
    client.close();
    server.close();
    await pair.close();
  });
}

Deno.test("messages split at every byte still work (1-byte chunks)", async () => {
  const { client, server } = connect(memoryPair({ chunkSize: 1 }), {
    binding: INIT,
    impl: INIT_IMPL,
  });
  using init = client.bootstrap(INIT);
  using echo = pipeline(ECHO, init.makeEcho());
  assert.equal(await echo.echo("byte by byte"), "byte by byte");
  client.close();
  server.close();
});

Deno.test("a server exception rejects with the message intact and the connection lives on", async () => {
  const { client, server } = connect(memoryPair(), { binding: PEER, impl: new PeerImpl() });
  using peer = client.bootstrap(PEER);
  await assert.rejects(peer.fail('wallet "w1" not found'), (e: unknown) => {
    assert.ok(e instanceof RemoteError);
    assert.equal(e.message, 'wallet "w1" not found');
    return true;
  });
  // A method that throws synchronously is handled the same way.
  const { client: c2, server: s2 } = connect(memoryPair(), {
    binding: ECHO,
    impl: {
      echo(): Promise<string> {
        throw new TypeError("sync throw");
      },
    },
  });
  using echo = c2.bootstrap(ECHO);
  await assert.rejects(echo.echo("x"), /sync throw/);
  assert.equal(await peer.echo("still alive"), "still alive");
  for (const c of [client, server, c2, s2]) c.close();
});

Deno.test("capabilities in params and results both ways, and callbacks into the caller", async () => {
  const { client, server } = connect(memoryPair(), { binding: PEER, impl: new PeerImpl() });
  using peer = client.bootstrap(PEER);
  // Result capability, then a call on it.
  using counter = await peer.makeCounter(5) as Counter & Disposable;
  assert.equal(await counter.next(), 6);
  // Param capability: the server calls back into our object while our call is pending.
  const seen: string[] = [];
  const callback: Callback = {
    call(text) {
      seen.push(text);
      return Promise.resolve(`cb(${text})`);
    },
  };
  assert.equal(await peer.callBack(callback, "hi"), "ts got: cb(hi)");
  assert.deepEqual(seen, ["hi"]);
  // Our object goes out and comes back: it is our own object again, not a proxy chain.
  const mine = new CounterImpl(100);
  using back = await peer.identity(mine) as Counter & Disposable;
  assert.equal(await back.next(), 101);
  assert.equal(await mine.next(), 102);
  // Their object goes back to them and returns (receiverHosted both ways).
  using again = await peer.identity(counter) as Counter & Disposable;
  assert.equal(await again.next(), 7);
  // A call pipelined on a result that resolves to our own object waits for the Disembargo.
  const early = pipeline(COUNTER, peer.identity(mine));
  const order = await Promise.all([early.next(), early.next()]);
  assert.deepEqual(order, [103, 104]);
  release(early);
  client.close();
  server.close();
});

Deno.test("server callbacks also work over a unix socket", async () => {
  const pair = await socketPair("unix");
  const { client, server } = connect([pair.client, pair.server], {
    binding: PEER,
    impl: new PeerImpl(),
  });
  using peer = client.bootstrap(PEER);
  assert.equal(
    await peer.callBack({ call: (t) => Promise.resolve(t.toUpperCase()) }, "abc"),
    "ts got: ABC",
  );
  client.close();
  server.close();
  await pair.close();
});

Deno.test("after 100,000 calls returning a capability the tables are back to their start", async () => {
  const { client, server } = connect(memoryPair(), { binding: PEER, impl: new PeerImpl() });
  using peer = client.bootstrap(PEER);
  assert.equal(await peer.echo("warm up"), "warm up");
  await settle();
  const clientStart = client.tableSizes();
  const serverStart = server.tableSizes();
  const TOTAL = 100_000;
  const IN_FLIGHT = 200;
  let done = 0;
  async function worker(): Promise<void> {
    while (done < TOTAL) {
      done++;
      const counter = await peer.makeCounter(1) as Counter & Disposable;
      counter[Symbol.dispose]();
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  // Also a pipelined variant and a param capability, a few times.
  for (let i = 0; i < 100; i++) {
    using c = pipeline(COUNTER, peer.makeCounter(i));
    assert.equal(await c.next(), i + 1);
    assert.equal(await peer.callBack({ call: (t) => Promise.resolve(t) }, "x"), "ts got: x");
  }
  await settle(20);
  assert.deepEqual(client.tableSizes(), clientStart);
  assert.deepEqual(server.tableSizes(), serverStart);
  assert.deepEqual(clientStart, { ...EMPTY_TABLES, imports: 1 });
  assert.deepEqual(serverStart, { ...EMPTY_TABLES, exports: 1 });
  client.close();
  server.close();
});

Deno.test("a retained parameter capability outlives the call until released", async () => {
  let kept: Callback | null = null;
  const impl = new PeerImpl();
  impl.callBack = (callback, text) => {
    kept = retain(callback);
    return Promise.resolve(text);
  };
  const { client, server } = connect(memoryPair(), { binding: PEER, impl });
  using peer = client.bootstrap(PEER);
  await peer.callBack({ call: (t) => Promise.resolve(`late ${t}`) }, "a");
  assert.equal(await kept!.call("b"), "late b");
  assert.equal(server.tableSizes().imports, 1);
  release(kept);
  await settle();
  assert.equal(server.tableSizes().imports, 0);
  assert.equal(client.tableSizes().exports, 0);
  client.close();
  server.close();
});

Deno.test("aborting a call sends Finish: the server's signal fires and the caller rejects", async () => {
  const impl = new PeerImpl();
  const { client, server } = connect(memoryPair(), { binding: PEER, impl });
  using peer = client.bootstrap(PEER);
  const controller = new AbortController();
  const waiting = peer.wait({ signal: controller.signal });
  await peer.echo("let wait arrive");
  controller.abort();
  await assert.rejects(waiting, (e: unknown) => (e as Error).name === "AbortError");
  assert.equal(await peer.canceledCount(), 1);
  assert.equal(impl.canceled, 1);
  // An already-aborted signal never sends the call.
  await assert.rejects(peer.echo("x", { signal: AbortSignal.abort() }));
  await settle();
  assert.deepEqual(server.tableSizes(), { ...EMPTY_TABLES, exports: 1 });
  client.close();
  server.close();
});

Deno.test("pending calls fail at once when the peer goes away, later calls too", async () => {
  for (const transport of ["memory", "unix"] as const) {
    const pair = transport === "unix" ? await socketPair("unix") : null;
    const streams: [ByteStream, ByteStream] = pair ? [pair.client, pair.server] : memoryPair();
    const { client, server } = connect(streams, { binding: PEER, impl: new PeerImpl() });
    using peer = client.bootstrap(PEER);
    const counter = await peer.makeCounter(0) as Counter & Disposable;
    const pending = [peer.wait(), peer.wait()];
    await peer.echo("sync");
    const started = performance.now();
    server.close(); // the peer goes away (its end of the stream closes)
    for (const p of pending) {
      await assert.rejects(p, (e: unknown) => {
        assert.ok(e instanceof DisconnectedError, `${transport}: ${e}`);
        assert.match((e as Error).message, /disconnected/);
        return true;
      });
    }
    assert.ok(performance.now() - started < 1000);
    await assert.rejects(peer.echo("later"), DisconnectedError);
    await assert.rejects(counter.next(), DisconnectedError);
    assert.ok(client.closed);
    assert.deepEqual(client.tableSizes(), EMPTY_TABLES);
    counter[Symbol.dispose]();
    client.close();
    await pair?.close();
  }
});

Deno.test("-debug=ipc logs each request and response with number and params", async () => {
  const clientLog = new MemoryLogger(true);
  const serverLog = new MemoryLogger(true);
  const { client, server } = connect(memoryPair(), { binding: INIT, impl: INIT_IMPL }, {
    client: { logger: clientLog },
    server: { logger: serverLog },
  });
  using init = client.bootstrap(INIT);
  using echo = pipeline(ECHO, init.makeEcho());
  await echo.echo("hello");
  await echo.echo("y".repeat(500));
  const cl = clientLog.lines.join("\n");
  const sl = serverLog.lines.join("\n");
  assert.match(cl, /^IPC client send request #\d+ Init\.makeEcho\$Params \(\)$/m);
  assert.match(cl, /^IPC client send request #\d+ Echo\.echo\$Params \(echo = "hello"\)$/m);
  assert.match(cl, /^IPC client recv response #\d+ Echo\.echo\$Results \(result = "hello"\)$/m);
  assert.match(sl, /^IPC server recv request #\d+ Echo\.echo\$Params \(echo = "hello"\)$/m);
  assert.match(sl, /^IPC server send response #\d+ Echo\.echo\$Results \(result = "hello"\)$/m);
  assert.match(
    sl,
    /^IPC server send response #\d+ Init\.makeEcho\$Results \(result = <capability>\)$/m,
  );
  // Long parameters are cut at 200 characters.
  const long = clientLog.lines.find((l) => l.includes("yyyy"))!;
  assert.ok(long.endsWith("..."));
  assert.ok(long.length < 300);
  client.close();
  server.close();
});

Deno.test("with -debug=ipc off nothing is formatted", async () => {
  let formatted = 0;
  const count = () => {
    formatted++;
    return "";
  };
  const off = new MemoryLogger(false);
  const options = { logger: off, formatParams: count, formatResult: count };
  const { client, server } = connect(memoryPair(), { binding: INIT, impl: INIT_IMPL }, {
    client: options,
    server: options,
  });
  using init = client.bootstrap(INIT);
  using echo = pipeline(ECHO, init.makeEcho());
  assert.equal(await echo.echo("quiet"), "quiet");
  assert.equal(formatted, 0);
  assert.deepEqual(off.lines, []);
  // The same formatter runs when the category is on.
  off.enabled = true;
  await echo.echo("loud");
  assert.ok(formatted >= 2);
  client.close();
  server.close();
});

Deno.test("a message larger than the limit ends the connection with a logged reason", async () => {
  const log = new MemoryLogger(false);
  const { client, server } = connect(memoryPair(), { binding: INIT, impl: INIT_IMPL }, {
    server: { logger: log, limits: { maxMessageBytes: 4096 } },
  });
  using init = client.bootstrap(INIT);
  using echo = pipeline(ECHO, init.makeEcho());
  assert.equal(await echo.echo("small"), "small");
  await assert.rejects(echo.echo("z".repeat(10_000)), DisconnectedError);
  assert.ok(server.closed);
  assert.match(log.lines.join("\n"), /ended: malformed message: frame exceeds size limit/);
  client.close();
});

Deno.test("parameters nested deeper than the limit end the connection", async () => {
  const log = new MemoryLogger(false);
  const { client, server } = connect(memoryPair(), { binding: INIT, impl: INIT_IMPL }, {
    server: { logger: log, limits: { nestingLimit: 1 } },
  });
  using init = client.bootstrap(INIT);
  using echo = pipeline(ECHO, init.makeEcho());
  await assert.rejects(echo.echo("deep"), DisconnectedError);
  assert.ok(server.closed);
  assert.match(log.lines.join("\n"), /IPC connection .* ended/);
  client.close();
});

Deno.test("capabilities never disposed are released once garbage collected", async () => {
  const script = new URL("./_gc_check.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--v8-flags=--expose-gc", script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const { before, after } = JSON.parse(new TextDecoder().decode(out.stdout));
  assert.deepEqual(before, [1001, 1001]);
  assert.deepEqual(after, [1, 1]); // only the bootstrap capability is left
});

Deno.test("answers a message type it does not know with Unimplemented and carries on", async () => {
  const [raw, served] = memoryPair();
  const server = new RpcConnection(served, { bootstrap: { binding: INIT, impl: INIT_IMPL } });
  const replies: Uint8Array[] = [];
  raw.onData((chunk) => replies.push(chunk.slice()));
  // Message { provide = (questionId = 5) }: level 3, not for two parties.
  const m = new Message();
  m.initRoot(R.Message)._initProvide().questionId = 5;
  raw.write(new Uint8Array(m.toArrayBuffer()));
  await settle();
  assert.equal(replies.length, 1);
  const reply = new Message(replies[0], false).getRoot(R.Message);
  assert.equal(reply.which(), R.Message.UNIMPLEMENTED);
  assert.equal(reply.unimplemented.which(), R.Message.PROVIDE);
  assert.equal(reply.unimplemented.provide.questionId, 5);
  assert.ok(!server.closed);
  // The same stream still serves calls.
  const client = new RpcConnection(raw);
  using init = client.bootstrap(INIT);
  using echo = pipeline(ECHO, init.makeEcho());
  assert.equal(await echo.echo("still here"), "still here");
  client.close();
  server.close();
});

Deno.test("a failing log formatter never breaks a call", async () => {
  const log = new MemoryLogger(true);
  const boom = (): string => {
    throw new Error("formatter bug");
  };
  const options = { logger: log, formatParams: boom, formatResult: boom };
  const { client, server } = connect(memoryPair(), { binding: INIT, impl: INIT_IMPL }, {
    client: options,
    server: options,
  });
  using init = client.bootstrap(INIT);
  using echo = pipeline(ECHO, init.makeEcho());
  assert.equal(await echo.echo("still works"), "still works");
  assert.match(log.lines.join("\n"), /\[error\] IPC log line failed: formatter bug/);
  client.close();
  server.close();
});

Deno.test("both ends calling each other at random (12-byte chunks): every call right, tables back to start", async () => {
  const [a, b] = memoryPair({ chunkSize: 12 });
  const left = new RpcConnection(a, { bootstrap: { binding: PEER, impl: new PeerImpl() } });
  const right = new RpcConnection(b, { bootstrap: { binding: PEER, impl: new PeerImpl() } });
  const toRight = left.bootstrap(PEER);
  const toLeft = right.bootstrap(PEER);
  await toRight.echo("x");
  await toLeft.echo("y");
  await settle(10);
  const startLeft = left.tableSizes();
  const startRight = right.tableSizes();
  let seed = 7;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed % n;
  };
  async function worker(peer: typeof toRight, other: typeof toLeft): Promise<void> {
    for (let i = 0; i < 800; i++) {
      switch (rand(7)) {
        case 0:
          assert.equal(await peer.echo(`e${i}`), `e${i}`);
          break;
        case 1: {
          using c = pipeline(COUNTER, peer.makeCounter(i));
          assert.equal(await c.next(), i + 1);
          break;
        }
        case 2: // a callback that itself calls across
          assert.equal(
            await peer.callBack({ call: (t) => other.echo(t) }, `cb${i}`),
            `ts got: cb${i}`,
          );
          break;
        case 3: { // our object through the peer and back, with calls pipelined meanwhile
          using c = pipeline(COUNTER, peer.identity(new CounterImpl(i)));
          assert.deepEqual(await Promise.all([c.next(), c.next()]), [i + 1, i + 2]);
          break;
        }
        case 4: { // canceled, before or after it reached the server
          const controller = new AbortController();
          const waiting = peer.wait({ signal: controller.signal });
          if (rand(2)) await peer.echo("s");
          controller.abort();
          await waiting.catch(() => {});
          break;
        }
        case 5: { // their object back to them
          using c = await peer.makeCounter(i) as Counter & Disposable;
          using d = await peer.identity(c) as Counter & Disposable;
          assert.equal(await d.next(), i + 1);
          break;
        }
        case 6:
          await assert.rejects(peer.fail(`f${i}`), new RegExp(`f${i}`));
          break;
      }
    }
  }
  await Promise.all([
    worker(toRight, toLeft),
    worker(toLeft, toRight),
    worker(toRight, toLeft),
    worker(toLeft, toRight),
  ]);
  await settle(20);
  assert.deepEqual(left.tableSizes(), startLeft);
  assert.deepEqual(right.tableSizes(), startRight);
  release(toRight);
  release(toLeft);
  await settle();
  assert.deepEqual(left.tableSizes(), EMPTY_TABLES);
  assert.deepEqual(right.tableSizes(), EMPTY_TABLES);
  left.close();
  right.close();
});

Deno.test("calls beyond the in-progress limit fail at once as overloaded", async () => {
  const impl = new PeerImpl();
  const { client, server } = connect(memoryPair(), { binding: PEER, impl }, {
    server: { limits: { maxCallsInProgress: 10 } },
  });
  using peer = client.bootstrap(PEER);
  await peer.echo("warm up");
  const controller = new AbortController();
  const waits = Array.from({ length: 15 }, () => peer.wait({ signal: controller.signal }));
  const overloaded = await Promise.allSettled(waits.slice(10));
  for (const r of overloaded) {
    assert.equal(r.status, "rejected");
    const e = (r as PromiseRejectedResult).reason;
    assert.ok(e instanceof RemoteError && e.type === "overloaded", String(e));
  }
  controller.abort();
  await Promise.allSettled(waits);
  assert.equal(await peer.echo("fine again"), "fine again");
  client.close();
  server.close();
});

Deno.test("a pipelined capability passed on while its embargo holds goes as what it became", async () => {
  const { client, server } = connect(memoryPair(), { binding: PEER, impl: new PeerImpl() });
  using peer = client.bootstrap(PEER);
  const mine = new CounterImpl(0);
  const returned = peer.identity(mine);
  using looped = pipeline(COUNTER, returned);
  const first = looped.next(); // goes to the peer, so a Disembargo follows the Return
  await returned; // the embargo is now in place until the Disembargo comes back
  using again = await peer.identity(looped) as Counter & Disposable;
  assert.deepEqual(await Promise.all([first, looped.next(), again.next()]), [1, 2, 3]);
  assert.ok(!client.closed && !server.closed);
  client.close();
  server.close();
});
