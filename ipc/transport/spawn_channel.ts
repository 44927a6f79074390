/**
 * The spawn channel for platforms where a child cannot inherit an extra fd (Windows: Deno
 * registers inherited fds beyond stdio on unix only).
 *
 * Instead of `-ipcfd 3`, the child is started with `-ipcpipe <path>`: the parent listens on a
 * fresh, private unix socket (a named pipe on Windows) at that path, writes a one-time secret
 * to the child's stdin, and accepts exactly one connection that proves knowledge of the secret
 * with the same challenge-response as TCP (authenticated_stream.ts). Then the listener is
 * closed. The result is the same {@linkcode ByteStream} as with an inherited fd.
 *
 * @module
 */
import net from "node:net";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ByteStream } from "../byte_stream.ts";
import { authenticateAsClient, authenticateAsListener } from "./authenticated_stream.ts";
import { connect } from "./connect.ts";
import { adoptInheritedStream } from "./inherited_stream.ts";
import { socketToByteStream } from "./socket_stream.ts";
import { listenOn, netAddressForPath, usesNamedPipes } from "./unix_path.ts";

/** Bytes of the one-time secret (sent as hex on the child's stdin). */
const SECRET_BYTES = 32;

/** Raised when the child side cannot reach its parent. */
export class ParentChannelError extends Error {
  override name = "ParentChannelError";
}

/** The parent's side of a pipe channel, before the child has connected. */
export interface PipeChannel {
  /** The path to pass to the child as `-ipcpipe <path>`. */
  readonly path: string;
  /** The one-time secret to write to the child's stdin (64 hex digits and a newline). */
  readonly secretLine: string;
  /**
   * Resolves with the authenticated stream of the first peer that proves the secret; peers
   * that fail are dropped. The listener is closed as soon as one succeeds.
   */
  accept(): Promise<ByteStream>;
  /** Stops listening and removes the private directory. Idempotent. */
  close(): Promise<void>;
}

/**
 * Opens a one-shot private listener for a child to connect back to.
 *
 * @example
 * ```ts ignore
 * const channel = await openPipeChannel();
 * // spawn the child with ["-ipcpipe", channel.path], write channel.secretLine to its stdin
 * const stream = await channel.accept();
 * await channel.close();
 * ```
 */
export async function openPipeChannel(): Promise<PipeChannel> {
  const secret = new Uint8Array(randomBytes(SECRET_BYTES));
  const secretLine = Array.from(secret, (b) => b.toString(16).padStart(2, "0")).join("") + "\n";
  // A fresh owner-only directory: nobody else can even reach the socket on POSIX.
  const dir = await Deno.makeTempDir({ dir: tmpdir(), prefix: "freicoin-spawn-" });
  if (!usesNamedPipes()) await Deno.chmod(dir, 0o700);
  const path = join(dir, "ipc.sock");
  const server = net.createServer({ allowHalfOpen: true });
  let resolveAccepted!: (stream: ByteStream) => void;
  const accepted = new Promise<ByteStream>((resolve) => (resolveAccepted = resolve));
  let done = false;
  server.on("connection", (socket: net.Socket) => {
    if (done) return void socket.destroy();
    authenticateAsListener(socketToByteStream(socket, `pipe ${path}`), secret).then(
      (stream) => {
        if (done) return stream.close();
        done = true;
        resolveAccepted(stream);
      },
      () => {/* a stranger: already disconnected */},
    );
  });
  try {
    await listenOn(server, netAddressForPath(path));
  } catch (error) {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw error;
  }
  let closing: Promise<void> | undefined;
  const close = () =>
    closing ??= (async () => {
      done = true;
      // Stops accepting at once; the server's own close callback would wait for the accepted
      // connection to end, which is the child's whole life.
      server.close();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    })();
  return {
    path,
    secretLine,
    accept: async () => {
      const stream = await accepted;
      await close();
      return stream;
    },
    close,
  };
}

/**
 * Child side: the stream to the parent named by the role's arguments, `-ipcfd <n>` (inherited
 * socket) or `-ipcpipe <path>` (connect back, proving the secret read from stdin).
 *
 * @throws {ParentChannelError} when the arguments name neither or the parent cannot be reached.
 * @example
 * ```ts ignore
 * const stream = await openParentChannel(["-ipcfd", "3"]);
 * ```
 */
export async function openParentChannel(args: readonly string[]): Promise<ByteStream> {
  const fdIndex = args.indexOf("-ipcfd");
  if (fdIndex >= 0) {
    const text = args[fdIndex + 1] ?? "";
    if (!/^[0-9]{1,9}$/.test(text)) {
      throw new ParentChannelError(`Invalid -ipcfd number '${text}'`);
    }
    return adoptInheritedStream(Number(text));
  }
  const pipeIndex = args.indexOf("-ipcpipe");
  if (pipeIndex < 0 || args[pipeIndex + 1] === undefined) {
    throw new ParentChannelError("expected -ipcfd <n> or -ipcpipe <path>");
  }
  const path = args[pipeIndex + 1];
  try {
    const secret = await readSecretFromStdin();
    const raw = await connect({ kind: "unix", path });
    return await authenticateAsClient(raw, secret);
  } catch (error) {
    throw new ParentChannelError(`Unable to reach the parent at ${path}: ${error}`, {
      cause: error,
    });
  }
}

/** Reads exactly one secret line from stdin (never more than its fixed size). */
async function readSecretFromStdin(): Promise<Uint8Array> {
  const want = SECRET_BYTES * 2 + 1;
  const buffer = new Uint8Array(want);
  let length = 0;
  while (length < want) {
    const n = await Deno.stdin.read(buffer.subarray(length));
    if (n === null) break;
    length += n;
  }
  const hex = new TextDecoder().decode(buffer.subarray(0, length)).trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error("no spawn secret on stdin");
  const secret = new Uint8Array(SECRET_BYTES);
  for (let i = 0; i < SECRET_BYTES; i++) secret[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return secret;
}
