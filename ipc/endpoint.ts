/**
 * Parsing of `-ipcbind` and `-ipcconnect` values into endpoints.
 *
 * Accepted forms (the same for both options, plus `auto` for `-ipcconnect`):
 *
 * - `unix`: the default socket, `<datadir>/<net>/node.sock`;
 * - `unix:<path>`: a socket path; a relative path is taken relative to the network data
 *   directory, as freicoind's upstream does;
 * - `tcp:<host>:<port>`: a TCP address; IPv6 hosts go in brackets (`tcp:[::1]:8335`);
 * - `auto` (`-ipcconnect` only): try the default unix socket; the caller decides what to do
 *   when nothing listens there.
 *
 * @module
 */
import { isAbsolute, join } from "node:path";

/** A unix-domain socket (a named pipe on Windows, see ipc/README.md). */
export interface UnixEndpoint {
  readonly kind: "unix";
  /** Absolute filesystem path of the socket. */
  readonly path: string;
}

/** A TCP address. Connections to it are authenticated with the cookie handshake. */
export interface TcpEndpoint {
  readonly kind: "tcp";
  /** Host name or IP address, without brackets. */
  readonly host: string;
  /** Port number; 0 (listen only) picks a free port. */
  readonly port: number;
}

/** Where to listen or connect. */
export type IpcEndpoint = UnixEndpoint | TcpEndpoint;

/** `-ipcconnect=auto`: the default unix socket, where absence is not an error. */
export interface AutoEndpoint {
  readonly kind: "auto";
  /** The default socket path that will be tried. */
  readonly path: string;
}

/** Raised for a malformed `-ipcbind` / `-ipcconnect` value; the message is user-facing. */
export class EndpointError extends Error {
  override name = "EndpointError";
}

/** Options shared by both parsers. */
export interface EndpointParseOptions {
  /** The network data directory, e.g. `~/.freicoin/regtest`; relative paths resolve against it. */
  readonly datadirNet: string;
  /** Platform override for tests; defaults to the running platform. */
  readonly platform?: "windows" | "posix";
}

/** The default socket file name inside the network data directory. */
export const DEFAULT_SOCKET_NAME = "node.sock";

/**
 * Longest unix socket path the kernel accepts (`sun_path` is 108 bytes on Linux and 104 on
 * macOS/BSD, including the terminating NUL). We use the smaller limit everywhere so a datadir
 * that works on one platform works on the other.
 */
export const MAX_UNIX_PATH_BYTES = 103;

/** The default unix socket path for a network data directory. */
export function defaultSocketPath(datadirNet: string): string {
  return join(datadirNet, DEFAULT_SOCKET_NAME);
}

/**
 * Parses an `-ipcbind` value.
 *
 * @example
 * ```ts
 * import { parseBindEndpoint } from "./endpoint.ts";
 * const e = parseBindEndpoint("tcp:127.0.0.1:0", { datadirNet: "/tmp/x" });
 * console.assert(e.kind === "tcp" && e.port === 0);
 * ```
 */
export function parseBindEndpoint(value: string, options: EndpointParseOptions): IpcEndpoint {
  return parseEndpoint(value, options, { allowPortZero: true });
}

/**
 * Parses an `-ipcconnect` value: like {@linkcode parseBindEndpoint} plus `auto`, and port 0
 * is refused (nothing can be reached there).
 *
 * @example
 * ```ts
 * import { parseConnectEndpoint } from "./endpoint.ts";
 * const e = parseConnectEndpoint("auto", { datadirNet: "/tmp/x" });
 * console.assert(e.kind === "auto" && e.path === "/tmp/x/node.sock");
 * ```
 */
export function parseConnectEndpoint(
  value: string,
  options: EndpointParseOptions,
): IpcEndpoint | AutoEndpoint {
  if (value === "auto") {
    return { kind: "auto", path: checkedUnixPath(defaultSocketPath(options.datadirNet), options) };
  }
  return parseEndpoint(value, options, { allowPortZero: false });
}

/** Formats an endpoint the way it is written on the command line (for logs and errors). */
export function formatEndpoint(endpoint: IpcEndpoint | AutoEndpoint): string {
  switch (endpoint.kind) {
    case "unix":
      return `unix:${endpoint.path}`;
    case "auto":
      return `auto (unix:${endpoint.path})`;
    case "tcp":
      return endpoint.host.includes(":")
        ? `tcp:[${endpoint.host}]:${endpoint.port}`
        : `tcp:${endpoint.host}:${endpoint.port}`;
  }
}

function parseEndpoint(
  value: string,
  options: EndpointParseOptions,
  rules: { allowPortZero: boolean },
): IpcEndpoint {
  if (value === "unix") {
    return { kind: "unix", path: checkedUnixPath(defaultSocketPath(options.datadirNet), options) };
  }
  if (value.startsWith("unix:")) {
    const given = value.slice("unix:".length);
    if (given === "") throw new EndpointError(`Unrecognized address '${value}'`);
    const path = isAbsolute(given) ? given : join(options.datadirNet, given);
    return { kind: "unix", path: checkedUnixPath(path, options) };
  }
  if (value.startsWith("tcp:")) {
    return parseTcp(value, rules.allowPortZero);
  }
  throw new EndpointError(
    `Unrecognized address '${value}' (expected unix, unix:<path> or tcp:<host>:<port>)`,
  );
}

function parseTcp(value: string, allowPortZero: boolean): TcpEndpoint {
  const rest = value.slice("tcp:".length);
  let host: string;
  let portText: string;
  if (rest.startsWith("[")) {
    const close = rest.indexOf("]");
    if (close < 0 || rest[close + 1] !== ":") {
      throw new EndpointError(`Invalid IPv6 address in '${value}' (expected tcp:[addr]:port)`);
    }
    host = rest.slice(1, close);
    portText = rest.slice(close + 2);
  } else {
    const colon = rest.lastIndexOf(":");
    if (colon < 0) throw new EndpointError(`Missing port in '${value}' (expected tcp:host:port)`);
    host = rest.slice(0, colon);
    portText = rest.slice(colon + 1);
    if (host.includes(":")) {
      throw new EndpointError(`IPv6 address in '${value}' must be in brackets: tcp:[addr]:port`);
    }
  }
  if (host === "" || /[\s/\\@]/.test(host)) {
    throw new EndpointError(`Invalid host in '${value}'`);
  }
  if (!/^[0-9]{1,5}$/.test(portText)) {
    throw new EndpointError(`Invalid port in '${value}'`);
  }
  const port = Number(portText);
  if (port > 65535 || (port === 0 && !allowPortZero)) {
    throw new EndpointError(`Invalid port in '${value}'`);
  }
  return { kind: "tcp", host, port };
}

function checkedUnixPath(path: string, options: EndpointParseOptions): string {
  const platform = options.platform ?? (Deno.build.os === "windows" ? "windows" : "posix");
  if (path.includes("\0")) throw new EndpointError(`Invalid unix address path "${path}"`);
  // On Windows the path is mapped to a named pipe name, which has no such short limit.
  if (platform === "posix" && new TextEncoder().encode(path).length > MAX_UNIX_PATH_BYTES) {
    throw new EndpointError(`Unix address path "${path}" exceeded maximum socket path length`);
  }
  return path;
}
