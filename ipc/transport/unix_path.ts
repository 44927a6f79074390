/**
 * Unix socket paths: stale-file handling at bind time, owner-only permissions, and the mapping
 * of a socket path to a Windows named pipe.
 *
 * @module
 */
import net from "node:net";
import { createHash } from "node:crypto";
import { dirname } from "node:path";

/** Raised when a unix socket path cannot be used for listening. */
export class SocketPathError extends Error {
  override name = "SocketPathError";
}

/** What {@linkcode clearStaleSocket} found at the path. */
export type StaleSocketOutcome = "absent" | "removed-stale";

/**
 * Whether unix endpoints use named pipes (Windows) rather than socket files.
 *
 * Deno has no AF_UNIX support on Windows; `node:net` maps a `\\.\pipe\` path to a named pipe.
 */
export function usesNamedPipes(): boolean {
  return Deno.build.os === "windows";
}

/**
 * The address `node:net` should use for a unix endpoint path: the path itself on POSIX, a
 * named pipe derived from it on Windows (the same path always gives the same pipe, so a
 * listener and a client that agree on the path meet).
 *
 * @example
 * ```ts
 * import { pipeNameForPath } from "./unix_path.ts";
 * console.assert(pipeNameForPath("C:\\data\\node.sock").startsWith("\\\\.\\pipe\\freicoin-"));
 * ```
 */
export function pipeNameForPath(path: string): string {
  const digest = createHash("sha256").update(path.toLowerCase()).digest("hex").slice(0, 32);
  return `\\\\.\\pipe\\freicoin-${digest}`;
}

/** The `node:net` address for a unix endpoint on this platform. */
export function netAddressForPath(path: string): string {
  return usesNamedPipes() ? pipeNameForPath(path) : path;
}

/**
 * Makes `path` free for binding: creates missing parent directories (owner-only), removes a
 * socket file nothing listens on, and refuses when a live listener or a non-socket file is
 * there.
 *
 * @throws {SocketPathError} when something listens on the path or it is not a socket.
 */
export async function clearStaleSocket(path: string): Promise<StaleSocketOutcome> {
  await Deno.mkdir(dirname(path), { recursive: true, mode: 0o700 });
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "absent";
    throw error;
  }
  if (!info.isSocket) {
    throw new SocketPathError(`${path} exists and is not a socket; not removing it`);
  }
  if (await somethingListensOn(path)) {
    throw new SocketPathError(`another process is already listening on ${path}`);
  }
  try {
    await Deno.remove(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return "removed-stale";
}

/**
 * Binds `server` on `path` and restricts the socket file to its owner (0600).
 *
 * The file briefly has the process umask's permissions between bind and chmod: the caller
 * must drop connections accepted before this resolves, so nobody gets in through the window. (Binding elsewhere and renaming would avoid the window,
 * but Deno's `--allow-net=unix:<path>` grant is for one exact path.)
 */
export async function listenOwnerOnly(
  server: net.Server,
  path: string,
): Promise<void> {
  await listenOn(server, path);
  try {
    await Deno.chmod(path, 0o600);
  } catch (error) {
    await new Promise((resolve) => server.close(resolve));
    throw error;
  }
}

/**
 * Throws a clear error when this process lacks a Deno permission, instead of letting
 * `node:net` raise an uncatchable `NotCapable` from inside its own callbacks.
 */
export function requirePermission(descriptor: Deno.PermissionDescriptor, flag: string): void {
  if (Deno.permissions.querySync(descriptor).state !== "granted") {
    throw new Error(`this process lacks the permission ${flag}`);
  }
}

/** Checks the permissions a unix socket listen or connect needs on `path`. */
export function requireUnixSocketPermissions(path: string): void {
  if (usesNamedPipes()) return;
  requirePermission({ name: "net", host: `unix:${path}` }, `--allow-net=unix:${path}`);
  requirePermission({ name: "read", path }, `--allow-read=${path}`);
  requirePermission({ name: "write", path }, `--allow-write=${path}`);
}

/** Checks the permission a TCP listen or connect needs. */
export function requireTcpPermission(host: string, port: number): void {
  const target = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
  requirePermission({ name: "net", host: target }, `--allow-net=${target}`);
}

/** Calls `server.listen(address)` and waits for the outcome. */
export function listenOn(
  server: net.Server,
  address: string | { host: string; port: number },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off("listening", onListening);
      reject(error);
    };
    const onListening = () => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    if (typeof address === "string") server.listen(address);
    else server.listen({ host: address.host, port: address.port });
  });
}

function somethingListensOn(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect(path);
    probe.once("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", () => {
      probe.destroy();
      resolve(false);
    });
  });
}
