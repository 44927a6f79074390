/**
 * Unix and TCP IPC transports end to end: real sockets, real processes for peer death.
 */
import assert from "node:assert/strict";
import net from "node:net";
import { randomBytes } from "node:crypto";
import {
  connect,
  connectAuto,
  ConnectError,
  listen,
  readCookie,
  SocketPathError,
} from "../../ipc/transport/mod.ts";
import { MAX_PENDING_HANDSHAKES } from "../../ipc/transport/listen.ts";
import type { ByteStream } from "../../ipc/byte_stream.ts";
import type { IpcEndpoint } from "../../ipc/endpoint.ts";
import type { Logger } from "../../cli/logger.ts";

const PEER = new URL("./ipc_children/connect_child.ts", import.meta.url);

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

function echo(stream: ByteStream): void {
  stream.onData((chunk) => stream.write(chunk));
}

function closed(stream: ByteStream): Promise<unknown> {
  return new Promise((resolve) => stream.onClose(resolve));
}

/** Sends `data` in chunks of varying sizes and resolves with everything echoed back. */
async function roundTrip(stream: ByteStream, data: Uint8Array): Promise<Uint8Array> {
  const out = new Uint8Array(data.length);
  let filled = 0;
  const done = new Promise<void>((resolve, reject) => {
    stream.onData((chunk) => {
      out.set(chunk, filled);
      filled += chunk.length;
      if (filled === data.length) resolve();
    });
    stream.onClose(() => reject(new Error(`closed after ${filled} bytes`)));
  });
  for (let offset = 0, i = 0; offset < data.length; i++) {
    const size = 1 + ((i * 7919) % 9000);
    stream.write(data.subarray(offset, offset + size));
    offset += size;
  }
  await done;
  return out;
}

/** Reads the first line a child prints, then drops the rest of its output. */
async function readLine(output: ReadableStream<Uint8Array>): Promise<string> {
  const reader = output.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  await reader.cancel();
  return text.slice(0, text.indexOf("\n"));
}

/** Waits up to 2 s for `condition`: the listener sees a close shortly after the client does. */
async function eventually(condition: () => boolean, message: string): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(condition(), message);
}

/** A test of socket files or file modes, which Windows does not have (see ipc/README.md). */
function posixTest(name: string, fn: () => Promise<void>): void {
  Deno.test({ name, ignore: Deno.build.os === "windows", fn });
}

function tempDir(): string {
  return Deno.makeTempDirSync({ prefix: "ipc-" });
}

const transports: { name: string; endpoint: (dir: string) => IpcEndpoint }[] = [
  { name: "unix", endpoint: (dir) => ({ kind: "unix", path: `${dir}/regtest/node.sock` }) },
  { name: "tcp", endpoint: () => ({ kind: "tcp", host: "127.0.0.1", port: 0 }) },
];

for (const transport of transports) {
  Deno.test(`${transport.name}: many chunks both ways, several peers at once`, async () => {
    const dir = tempDir();
    const cookiePath = `${dir}/.ipccookie`;
    const listener = await listen(transport.endpoint(dir), echo, { cookiePath });
    const peers = await Promise.all(
      Array.from({ length: 5 }, () => connect(listener.endpoint, { cookiePath })),
    );
    const payloads = peers.map(() => new Uint8Array(randomBytes(300_000)));
    const echoed = await Promise.all(peers.map((peer, i) => roundTrip(peer, payloads[i])));
    echoed.forEach((bytes, i) => assert.deepEqual(bytes, payloads[i], `peer ${i}`));
    assert.equal(listener.connectionCount, 5);
    const allClosed = Promise.all(peers.map(closed));
    await listener.close();
    await allClosed;
    Deno.removeSync(dir, { recursive: true });
  });

  Deno.test(`${transport.name}: a peer process that dies is seen as a closed stream`, async () => {
    const dir = tempDir();
    const cookiePath = `${dir}/.ipccookie`;
    let accept: (stream: ByteStream) => void;
    const accepted = new Promise<ByteStream>((resolve) => (accept = resolve));
    const listener = await listen(transport.endpoint(dir), (s) => accept(s), { cookiePath });
    const peer = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", PEER.pathname, "connect", JSON.stringify(listener.endpoint), cookiePath],
    }).spawn();
    const stream = await accepted;
    const ready = new Promise<Uint8Array>((resolve) => stream.onData(resolve));
    assert.equal(new TextDecoder().decode(await ready), "ready");
    const gone = closed(stream);
    peer.kill("SIGKILL");
    await peer.status;
    await gone;
    assert.equal(listener.connectionCount, 0);
    await listener.close();
    Deno.removeSync(dir, { recursive: true });
  });

  Deno.test(`${transport.name}: a listener process that dies is seen by its client`, async () => {
    const dir = tempDir();
    const cookiePath = `${dir}/.ipccookie`;
    const peer = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        PEER.pathname,
        "listen",
        JSON.stringify(transport.endpoint(dir)),
        cookiePath,
      ],
      stdout: "piped",
    }).spawn();
    const stream = await connect(JSON.parse(await readLine(peer.stdout)), { cookiePath });
    assert.deepEqual(await roundTrip(stream, new Uint8Array([1, 2, 3])), new Uint8Array([1, 2, 3]));
    const gone = closed(stream);
    peer.kill("SIGKILL");
    await peer.status;
    await gone;
    Deno.removeSync(dir, { recursive: true });
  });
}

posixTest("unix: socket file and its new directory are owner-only", async () => {
  const dir = tempDir();
  const path = `${dir}/new/sub/node.sock`;
  const listener = await listen({ kind: "unix", path }, echo);
  assert.equal(Deno.statSync(path).mode! & 0o777, 0o600);
  assert.equal(Deno.statSync(`${dir}/new/sub`).mode! & 0o777, 0o700);
  await listener.close();
  assert.throws(() => Deno.statSync(path), Deno.errors.NotFound, "socket file left behind");
  Deno.removeSync(dir, { recursive: true });
});

posixTest("unix: a stale socket file is removed at bind", async () => {
  const dir = tempDir();
  const path = `${dir}/node.sock`;
  // A listener process killed with SIGKILL leaves its socket file behind, as a crashed node would.
  const crashed = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", PEER.pathname, "listen", JSON.stringify({ kind: "unix", path })],
    stdout: "piped",
  }).spawn();
  await readLine(crashed.stdout);
  crashed.kill("SIGKILL");
  await crashed.status;
  assert.ok(Deno.lstatSync(path).isSocket, "no stale socket file to test with");
  const lines: string[] = [];
  const listener = await listen({ kind: "unix", path }, echo, { logger: recordingLogger(lines) });
  assert.ok(lines.includes(`Removed stale IPC socket file ${path}`), lines.join("\n"));
  const stream = await connect({ kind: "unix", path });
  assert.deepEqual(await roundTrip(stream, new Uint8Array([9])), new Uint8Array([9]));
  await listener.close();
  Deno.removeSync(dir, { recursive: true });
});

posixTest("unix: binding where a listener is alive is refused and leaves it working", async () => {
  const dir = tempDir();
  const path = `${dir}/node.sock`;
  const first = await listen({ kind: "unix", path }, echo);
  await assert.rejects(
    listen({ kind: "unix", path }, echo),
    (error: Error) =>
      error.message.startsWith(`Unable to bind to IPC address 'unix:${path}'.`) &&
      error.cause instanceof SocketPathError && /already listening/.test(error.message),
  );
  const stream = await connect({ kind: "unix", path });
  assert.deepEqual(await roundTrip(stream, new Uint8Array([4])), new Uint8Array([4]));
  await first.close();
  Deno.removeSync(dir, { recursive: true });
});

posixTest("unix: a regular file at the socket path is never removed", async () => {
  const dir = tempDir();
  const path = `${dir}/node.sock`;
  Deno.writeTextFileSync(path, "important");
  await assert.rejects(listen({ kind: "unix", path }, echo), /is not a socket/);
  assert.equal(Deno.readTextFileSync(path), "important");
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("unix: connecting where nothing listens says so", async () => {
  const dir = tempDir();
  await assert.rejects(
    connect({ kind: "unix", path: `${dir}/none.sock` }),
    (error: Error) => error instanceof ConnectError && error.nobodyListening,
  );
  Deno.removeSync(dir);
});

posixTest(
  "tcp: the cookie is owner-only, changes per listener and is removed at close",
  async () => {
    const dir = tempDir();
    const cookiePath = `${dir}/.ipccookie`;
    const a = await listen({ kind: "tcp", host: "127.0.0.1", port: 0 }, echo, { cookiePath });
    assert.equal(Deno.statSync(cookiePath).mode! & 0o777, 0o600);
    assert.match(Deno.readTextFileSync(cookiePath), /^[0-9a-f]{64}\n$/);
    const first = await readCookie(cookiePath);
    await a.close();
    assert.throws(() => Deno.statSync(cookiePath), Deno.errors.NotFound);
    const b = await listen({ kind: "tcp", host: "127.0.0.1", port: 0 }, echo, { cookiePath });
    assert.notDeepEqual(await readCookie(cookiePath), first);
    await b.close();
    Deno.removeSync(dir, { recursive: true });
  },
);

Deno.test("tcp: a peer with the wrong secret is disconnected, nothing is delivered", async () => {
  const dir = tempDir();
  const cookiePath = `${dir}/.ipccookie`;
  const wrongCookie = `${dir}/wrong`;
  Deno.writeTextFileSync(wrongCookie, "ab".repeat(32));
  const lines: string[] = [];
  let delivered = 0;
  const listener = await listen(
    { kind: "tcp", host: "127.0.0.1", port: 0 },
    (stream) => {
      delivered++;
      echo(stream);
    },
    { cookiePath, logger: recordingLogger(lines) },
  );
  await assert.rejects(
    connect(listener.endpoint, { cookiePath: wrongCookie }),
    /listener refused the IPC cookie secret/,
  );
  // The listener logs why; wait for its side of the close to be processed.
  for (let i = 0; i < 100 && !lines.some((l) => l.includes("authentication failed")); i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.ok(
    lines.some((l) => /IPC authentication failed .*does not know the IPC cookie secret/.test(l)),
    lines.join("\n"),
  );
  assert.equal(delivered, 0);
  await eventually(() => listener.connectionCount === 0, "the refused connection is still open");
  // The right secret still works afterwards.
  const good = await connect(listener.endpoint, { cookiePath });
  assert.deepEqual(await roundTrip(good, new Uint8Array([1])), new Uint8Array([1]));
  assert.equal(delivered, 1);
  await listener.close();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("tcp: a raw client sending Cap'n Proto-like bytes gets only the HELLO", async () => {
  const dir = tempDir();
  const cookiePath = `${dir}/.ipccookie`;
  let delivered = 0;
  const listener = await listen(
    { kind: "tcp", host: "127.0.0.1", port: 0 },
    () => delivered++,
    { cookiePath },
  );
  const port = (listener.endpoint as { port: number }).port;
  const socket = net.connect({ host: "127.0.0.1", port });
  let received = 0;
  socket.on("data", (d: Uint8Array) => (received += d.length));
  const ended = new Promise((resolve) => socket.on("close", resolve));
  socket.on("error", () => {});
  socket.write(new Uint8Array(200).fill(0)); // e.g. a capnp segment table, no handshake
  await ended;
  assert.equal(received, 40, "more than the HELLO was sent to an unauthenticated peer");
  assert.equal(delivered, 0);
  await listener.close();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("auto: no listener means undefined, a listener means a stream", async () => {
  const dir = tempDir();
  const path = `${dir}/node.sock`;
  assert.equal(await connectAuto({ kind: "auto", path }), undefined);
  const listener = await listen({ kind: "unix", path }, echo);
  const stream = await connectAuto({ kind: "auto", path });
  assert.ok(stream);
  assert.deepEqual(await roundTrip(stream, new Uint8Array([3])), new Uint8Array([3]));
  await listener.close();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("tcp: connections that never authenticate are capped and time out", async () => {
  const dir = tempDir();
  const cookiePath = `${dir}/.ipccookie`;
  const lines: string[] = [];
  const listener = await listen({ kind: "tcp", host: "127.0.0.1", port: 0 }, echo, {
    cookiePath,
    handshakeTimeoutMs: 300,
    logger: recordingLogger(lines),
  });
  const port = (listener.endpoint as { port: number }).port;
  const silent = Array.from({ length: MAX_PENDING_HANDSHAKES + 5 }, () => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.on("error", () => {});
    socket.on("data", () => {});
    return new Promise((resolve) => socket.on("close", resolve));
  });
  // Every silent socket is closed by the listener: the excess at once, the rest on timeout.
  await Promise.all(silent);
  await eventually(() => listener.connectionCount === 0, "silent connections still open");
  assert.ok(lines.some((l) => l.startsWith("Too many IPC handshakes in progress")));
  assert.ok(lines.some((l) => /authentication failed .*timed out/.test(l)));
  const good = await connect(listener.endpoint, { cookiePath });
  assert.deepEqual(await roundTrip(good, new Uint8Array([8])), new Uint8Array([8]));
  await listener.close();
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("tcp: a client without the cookie file fails before connecting", async () => {
  const dir = tempDir();
  await assert.rejects(
    connect({ kind: "tcp", host: "127.0.0.1", port: 1 }, { cookiePath: `${dir}/missing` }),
    /Unable to read IPC cookie file/,
  );
  Deno.removeSync(dir);
});
