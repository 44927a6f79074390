/**
 * Test support for the P2P integration tests: real node processes on loopback with free
 * ports and cookie-authenticated RPC, and a scripted P2P peer speaking our own codecs.
 */
import * as path from "node:path";
import { selectParams } from "../../kernel/chain/mod.ts";
import {
  decodePayload,
  encodeFrame,
  encodePayload,
  FrameReader,
  isKnownMessageType,
  type NetMessage,
  PROTOCOL_VERSION,
} from "../../roles/node/net/mod.ts";
import { RunningProgram, waitFor } from "../support/program.ts";

/** A TCP port nobody listens on right now. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** A node process with its datadir, P2P and RPC ports. */
export class TestNode implements AsyncDisposable {
  readonly datadir: string;
  readonly port: number;
  readonly rpcPort: number;
  #program: RunningProgram | undefined;

  constructor(datadir: string) {
    this.datadir = datadir;
    this.port = freePort();
    this.rpcPort = freePort();
  }

  /** The process id, while running. */
  get pid(): number | undefined {
    return this.#program?.pid;
  }

  /**
   * Starts `freicoind -regtest` with `extra` arguments (and `-debug=net` unless
   * `options.quiet`) and waits for RPC.
   */
  async start(extra: readonly string[] = [], options: { quiet?: boolean } = {}): Promise<void> {
    this.#program = new RunningProgram([
      "freicoind",
      "-regtest",
      `-datadir=${this.datadir}`,
      `-port=${this.port}`,
      `-rpcport=${this.rpcPort}`,
      "-bind=127.0.0.1",
      ...(options.quiet ? [] : ["-debug=net"]),
      ...extra,
    ]);
    await waitForRpc(this, "the node's RPC");
  }

  /** Calls an RPC method; throws with the error message on an error reply. */
  rpc(method: string, ...params: unknown[]): Promise<unknown> {
    return regtestRpc(this.datadir, this.rpcPort, method, params);
  }

  /** Asks the node to stop and waits for the process to exit. */
  async stop(): Promise<void> {
    const program = this.#program;
    if (!program) return;
    this.#program = undefined;
    try {
      await this.rpc("stop");
    } catch {
      program.kill();
    }
    const result = await Promise.race([
      program.finished(),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 30_000)),
    ]);
    if (!result) {
      program.kill("SIGKILL");
      await program.finished();
    }
  }

  /** The debug.log text. */
  debugLog(): string {
    return regtestDebugLog(this.datadir);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

/**
 * One JSON-RPC call to a regtest node (ours or the C++ reference) authenticated with the cookie
 * in `datadir`; throws with the error message on an error reply.
 */
export async function regtestRpc(
  datadir: string,
  rpcPort: number,
  method: string,
  params: unknown[],
): Promise<unknown> {
  const cookie = Deno.readTextFileSync(path.join(datadir, "regtest", ".cookie")).trim();
  const response = await fetch(`http://127.0.0.1:${rpcPort}/`, {
    method: "POST",
    headers: { authorization: `Basic ${btoa(cookie)}`, "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "1.0", id: 1, method, params }),
  });
  const body = await response.json() as { result: unknown; error: { message: string } | null };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

/** Waits (up to 60 s) until `node` answers `getblockcount`. */
export async function waitForRpc(
  node: { rpc(method: string): Promise<unknown> },
  what: string,
): Promise<void> {
  await waitFor(
    async () => {
      try {
        await node.rpc("getblockcount");
        return true;
      } catch {
        return false;
      }
    },
    60_000,
    what,
  );
}

/** A regtest datadir's debug.log text, or "" when there is none yet. */
export function regtestDebugLog(datadir: string): string {
  try {
    return Deno.readTextFileSync(path.join(datadir, "regtest", "debug.log"));
  } catch {
    return "";
  }
}

const MAGIC = selectParams("regtest").messageStart;

/** A scripted peer: raw frames in, typed messages out. */
export class TestPeer implements AsyncDisposable {
  readonly received: NetMessage[] = [];
  readonly #conn: Deno.TcpConn;
  readonly #frames = new FrameReader(MAGIC);
  #reading: Promise<void>;
  #closed = false;
  /** Answers getdata for blocks from this store (display hash → serialized block). */
  readonly blockStore = new Map<string, Uint8Array>();

  private constructor(conn: Deno.TcpConn) {
    this.#conn = conn;
    this.#reading = this.#readLoop();
  }

  /** Connects to a node's P2P port. */
  static async connect(port: number): Promise<TestPeer> {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    return new TestPeer(conn);
  }

  /** True once the node closed the connection. */
  get closed(): boolean {
    return this.#closed;
  }

  async #readLoop(): Promise<void> {
    const buffer = new Uint8Array(65536);
    try {
      while (true) {
        const n = await this.#conn.read(buffer);
        if (n === null) break;
        for (const frame of this.#frames.push(buffer.subarray(0, n))) {
          if (frame.kind !== "message" || !isKnownMessageType(frame.command)) continue;
          const message = decodePayload(frame.command, frame.payload);
          this.received.push(message);
          await this.#autoAnswer(message);
        }
      }
    } catch {
      // connection reset
    } finally {
      this.#closed = true;
    }
  }

  async #autoAnswer(message: NetMessage): Promise<void> {
    if (message.type === "ping") await this.send({ type: "pong", nonce: message.nonce });
    if (message.type === "getdata") {
      for (const inv of message.inventory) {
        const hex = Array.from(inv.hash).reverse().map((b) => b.toString(16).padStart(2, "0"))
          .join("");
        const bytes = this.blockStore.get(hex);
        if (bytes) await this.sendRaw("block", bytes);
      }
    }
  }

  /** Sends a typed message. */
  async send(message: NetMessage): Promise<void> {
    await this.sendRaw(message.type, encodePayload(message));
  }

  /** Sends a payload under any command (possibly invalid). */
  async sendRaw(command: string, payload: Uint8Array): Promise<void> {
    await this.writeBytes(encodeFrame(MAGIC, command, payload));
  }

  /** Writes raw bytes (possibly not even a frame). */
  async writeBytes(bytes: Uint8Array): Promise<void> {
    let written = 0;
    try {
      while (written < bytes.length) written += await this.#conn.write(bytes.subarray(written));
    } catch {
      this.#closed = true;
    }
  }

  /** Sends our version and waits for the node's verack. */
  async handshake(startHeight = 0): Promise<void> {
    await this.send({
      type: "version",
      version: {
        version: PROTOCOL_VERSION,
        services: 9n,
        time: BigInt(Math.floor(Date.now() / 1000)),
        addrRecv: { network: 1, ip: new Uint8Array([127, 0, 0, 1]), port: 0 },
        addrRecvServices: 0n,
        addrFrom: { network: 1, ip: new Uint8Array(4), port: 0 },
        addrFromServices: 0n,
        nonce: 12345n,
        userAgent: "/p2p-harness:0.1/",
        startHeight,
        relay: true,
      },
    });
    await this.waitFor((m) => m.type === "version");
    await this.send({ type: "wtxidrelay" });
    await this.send({ type: "sendaddrv2" });
    await this.send({ type: "verack" });
    await this.waitFor((m) => m.type === "verack");
  }

  /** Waits for a received message matching `predicate`. */
  async waitFor(predicate: (m: NetMessage) => boolean, timeoutMs = 20_000): Promise<NetMessage> {
    let found: NetMessage | undefined;
    await waitFor(
      () => {
        found = this.received.find(predicate);
        return found !== undefined || this.#closed;
      },
      timeoutMs,
      "a P2P message",
    );
    if (!found) throw new Error("connection closed while waiting for a message");
    return found;
  }

  /** Sends ping(nonce) and waits for the pong: everything sent before has been processed. */
  async syncWithPing(nonce = BigInt(Date.now())): Promise<void> {
    await this.send({ type: "ping", nonce });
    await this.waitFor((m) => m.type === "pong" && m.nonce === nonce, 60_000);
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    try {
      this.#conn.close();
    } catch {
      // already closed
    }
    await this.#reading;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
