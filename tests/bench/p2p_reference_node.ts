/**
 * The C++ reference `freicoind` (v27.1.1) as a regtest process on loopback, for the interop test
 * and the sync benchmark: same surface as the integration harness's `TestNode` (start, RPC by
 * cookie, stop, debug.log). The binary is taken from `FREICOIN_REFERENCE_BIN`, else from
 * `/work/ref-build/src/freicoind`; without one, {@linkcode referenceBinary} is undefined.
 *
 * @module
 */
import { freePort, regtestDebugLog, regtestRpc, waitForRpc } from "../integration/p2p_harness.ts";
import { fileExists } from "../support/program.ts";

/** Where a locally built reference is looked for when the variable is not set. */
const DEFAULT_REFERENCE_BIN = "/work/ref-build/src/freicoind";

/** The reference freicoind to run, or undefined when none is available. */
export function referenceBinary(): string | undefined {
  let fromEnv: string | undefined;
  try {
    fromEnv = Deno.env.get("FREICOIN_REFERENCE_BIN");
  } catch {
    fromEnv = undefined;
  }
  if (fromEnv) return fileExists(fromEnv) ? fromEnv : undefined;
  return fileExists(DEFAULT_REFERENCE_BIN) ? DEFAULT_REFERENCE_BIN : undefined;
}

/** A reference freicoind process with its datadir, P2P and RPC ports. */
export class ReferenceNode implements AsyncDisposable {
  readonly binary: string;
  readonly datadir: string;
  readonly port: number;
  readonly rpcPort: number;
  #child: Deno.ChildProcess | undefined;

  /** A node to be run from `binary` in `datadir` (created if missing). */
  constructor(binary: string, datadir: string) {
    this.binary = binary;
    this.datadir = datadir;
    this.port = freePort();
    this.rpcPort = freePort();
    Deno.mkdirSync(datadir, { recursive: true });
  }

  /** Starts `freicoind -regtest` with `extra` arguments and waits for its RPC. */
  async start(extra: readonly string[] = []): Promise<void> {
    this.#child = new Deno.Command(this.binary, {
      args: [
        "-regtest",
        `-datadir=${this.datadir}`,
        `-port=${this.port}`,
        `-rpcport=${this.rpcPort}`,
        "-bind=127.0.0.1",
        "-listenonion=0",
        "-dnsseed=0",
        "-fixedseeds=0",
        "-printtoconsole=0",
        ...extra,
      ],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    await waitForRpc(this, "the reference node's RPC");
  }

  /** Calls an RPC method; throws with the error message on an error reply. */
  rpc(method: string, ...params: unknown[]): Promise<unknown> {
    return regtestRpc(this.datadir, this.rpcPort, method, params);
  }

  /** Asks the node to stop and waits for it to exit (killed after 30 s). */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    this.#child = undefined;
    try {
      await this.rpc("stop");
    } catch {
      try {
        child.kill("SIGTERM");
      } catch {
        // already gone
      }
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const exited = await Promise.race([
      child.status.then(() => true),
      new Promise<false>((resolve) => timer = setTimeout(() => resolve(false), 30_000)),
    ]);
    clearTimeout(timer);
    if (!exited) {
      child.kill("SIGKILL");
      await child.status;
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
