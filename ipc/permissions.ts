/**
 * The sandbox of each role: the Deno permissions a child process gets.
 *
 * Two modes, detected at run time:
 *
 * - **deno-run**: the program runs as `deno run ... mod.ts`. The parent computes the child's
 *   permission flags at spawn time ({@linkcode permissionFlags}), narrowed to the child's own
 *   directories, and the child cannot widen them.
 * - **compiled**: the program is a `deno compile` binary. Its permissions are baked in and
 *   cannot be narrowed to a path; a child can only drop whole capabilities at start-up
 *   ({@linkcode enterSandbox}, which uses `Deno.permissions.revoke()`).
 *
 * What `deno run` itself needs: nothing. Measured with Deno 2.9.6: the main module, its static
 * imports (local files, `npm:` packages from the cache, `node:` built-ins) and dynamic imports
 * with a literal specifier load without any `--allow-read`; only a dynamic `import()` of a
 * computed path needs read permission on that path. So the wallet gets read access to its
 * wallet directory and nothing else.
 *
 * @module
 */
import { basename } from "node:path";
import type { Logger } from "../cli/logger.ts";

/** The process roles that can be spawned. */
export type Role = "node" | "wallet" | "gui";

/** How permissions are enforced in this process; see the module documentation. */
export type SandboxMode = "deno-run" | "compiled";

/** Capabilities that take a list (`--allow-read=a,b`) or everything (`--allow-read`). */
export type Capability = "read" | "write" | "net" | "run" | "env" | "ffi" | "sys";

/** Every capability, in flag order. */
export const CAPABILITIES: readonly Capability[] = [
  "read",
  "write",
  "net",
  "run",
  "env",
  "ffi",
  "sys",
];

/**
 * One capability's grant: `"all"`, or a list of paths / hosts / names; an empty list denies
 * the capability entirely.
 */
export type Grant = "all" | readonly string[];

/** A complete permission set: every capability is stated. */
export type PermissionSet = { readonly [C in Capability]: Grant };

/** Raised when a permission set cannot be expressed as Deno flags. */
export class PermissionError extends Error {
  override name = "PermissionError";
}

/** What a wallet process needs. */
export interface WalletSandboxOptions {
  /** The wallet directory (`-walletdir`, default `<datadir>/<net>/wallets`): read and write. */
  readonly walletDir: string;
}

/** What a node process needs. */
export interface NodeSandboxOptions {
  /** The network data directory and anything else the node writes (blocksdir, log file). */
  readonly writePaths: readonly string[];
  /** Extra read-only paths, e.g. the config file when it lies outside the datadir. */
  readonly readPaths?: readonly string[];
  /**
   * Network access. Default `"all"`: a node connects to peers it learns about at run time, so
   * it cannot be narrowed in general; pass a list (e.g. with `-connect` only) to narrow it.
   * Unix sockets it binds or connects must be listed too, as `unix:<path>`.
   */
  readonly net?: Grant;
  /** Executables the node may spawn (the wallet child): default the running `deno`. */
  readonly run?: readonly string[];
  /** Shared libraries it may load, e.g. libsecp256k1's absolute path. Default none. */
  readonly ffi?: readonly string[];
  /** Environment variables it may read. Default none. */
  readonly env?: readonly string[];
  /** `Deno` system-information calls it may make (e.g. `osRelease`). Default none. */
  readonly sys?: readonly string[];
}

/** What a GUI process needs. */
export interface GuiSandboxOptions {
  /** Paths it reads: its static web files, the datadir for settings. */
  readonly readPaths: readonly string[];
  /** Paths it writes (its settings file's directory). */
  readonly writePaths: readonly string[];
  /** Hosts it serves on and connects to (the web port, the node's socket). Default `"all"`. */
  readonly net?: Grant;
  /** Executables it may spawn (a node child): default the running `deno`. */
  readonly run?: readonly string[];
}

/**
 * The wallet's permission set: read and write on its wallet directory only; no network, no
 * subprocesses, no environment, no FFI, no system information.
 *
 * @example
 * ```ts
 * import { walletPermissions } from "./permissions.ts";
 * const set = walletPermissions({ walletDir: "/home/u/.freicoin/wallets" });
 * console.assert(set.net.length === 0 && set.read[0] === "/home/u/.freicoin/wallets");
 * ```
 */
export function walletPermissions(options: WalletSandboxOptions): PermissionSet {
  return {
    read: [options.walletDir],
    write: [options.walletDir],
    net: [],
    run: [],
    env: [],
    ffi: [],
    sys: [],
  };
}

/** The node's permission set (see {@linkcode NodeSandboxOptions} for the defaults). */
export function nodePermissions(options: NodeSandboxOptions): PermissionSet {
  return {
    read: [...options.writePaths, ...(options.readPaths ?? [])],
    write: [...options.writePaths],
    net: options.net ?? "all",
    run: options.run ?? [Deno.execPath()],
    env: options.env ?? [],
    ffi: options.ffi ?? [],
    sys: options.sys ?? [],
  };
}

/** The GUI's permission set (see {@linkcode GuiSandboxOptions} for the defaults). */
export function guiPermissions(options: GuiSandboxOptions): PermissionSet {
  return {
    read: [...options.readPaths, ...options.writePaths],
    write: [...options.writePaths],
    net: options.net ?? "all",
    run: options.run ?? [Deno.execPath()],
    env: [],
    ffi: [],
    sys: [],
  };
}

/**
 * The `deno run` flags for a permission set, `--no-prompt` first.
 *
 * Every denied capability gets an explicit `--deny-<name>`: deny flags win over any allow flag,
 * and Deno's `node:child_process` inserts `-A` when it spawns `deno run` with no permission flag
 * at all (measured on 2.9.6), so a set must never produce an empty flag list.
 *
 * @throws {PermissionError} for a grant containing a comma (Deno's list separator) or empty.
 * @example
 * ```ts
 * import { permissionFlags, walletPermissions } from "./permissions.ts";
 * const flags = permissionFlags(walletPermissions({ walletDir: "/w" }));
 * console.assert(flags.includes("--allow-read=/w") && flags.includes("--deny-net"));
 * ```
 */
export function permissionFlags(set: PermissionSet): string[] {
  const flags = ["--no-prompt"];
  for (const capability of CAPABILITIES) {
    const grant = set[capability];
    if (grant === "all") {
      flags.push(`--allow-${capability}`);
    } else if (grant.length === 0) {
      flags.push(`--deny-${capability}`);
    } else {
      for (const item of grant) {
        if (item === "" || item.includes(",")) {
          throw new PermissionError(
            `cannot grant ${capability} on ${JSON.stringify(item)}: empty or contains a comma`,
          );
        }
      }
      flags.push(`--allow-${capability}=${grant.join(",")}`);
    }
  }
  return flags;
}

/** Capabilities a role never has, whatever its directories: what a compiled child revokes. */
export function deniedCapabilities(role: Role): Capability[] {
  switch (role) {
    case "wallet":
      return ["net", "run", "env", "ffi", "sys"];
    case "gui":
      return ["env", "ffi", "sys"];
    case "node":
      // The node's needs (net, run, ffi for libsecp256k1) depend on its options; nothing is
      // dropped wholesale. In deno-run mode its flags still narrow paths and hosts.
      return [];
  }
}

/**
 * Which mode this process runs in: `compiled` when the executable is not the `deno` CLI
 * (a `deno compile` binary is named after the program), `deno-run` otherwise.
 *
 * @example
 * ```ts
 * import { detectSandboxMode } from "./permissions.ts";
 * console.assert(detectSandboxMode("/usr/bin/deno") === "deno-run");
 * console.assert(detectSandboxMode("C:\\bin\\freicoin.exe") === "compiled");
 * ```
 */
export function detectSandboxMode(execPath: string = Deno.execPath()): SandboxMode {
  const name = basename(execPath.replaceAll("\\", "/")).toLowerCase();
  return name === "deno" || name === "deno.exe" ? "deno-run" : "compiled";
}

/** What {@linkcode enterSandbox} did. */
export interface SandboxReport {
  readonly mode: SandboxMode;
  /** Capabilities revoked at start-up (compiled mode). */
  readonly revoked: readonly Capability[];
  /** Capabilities the role should not have but this process still holds (should be empty). */
  readonly stillGranted: readonly Capability[];
}

/**
 * Child side, first thing at start-up: drops every capability the role never needs and logs
 * which mode enforces the sandbox.
 *
 * In deno-run mode the parent's flags already deny them (revoking is then a harmless no-op,
 * except for the `-ipcpipe` channel's net grant on its one socket path, which is dropped); in
 * compiled mode this is the only protection there is, and paths cannot be narrowed. Call it
 * after `openParentChannel`: an open connection keeps working, a new one could not be made.
 */
export async function enterSandbox(
  role: Role,
  options: { logger: Logger; mode?: SandboxMode },
): Promise<SandboxReport> {
  const mode = options.mode ?? detectSandboxMode();
  const denied = deniedCapabilities(role);
  const revoked: Capability[] = [];
  for (const name of denied) {
    const before = await Deno.permissions.query({ name });
    if (before.state !== "denied") {
      await Deno.permissions.revoke({ name });
      revoked.push(name);
    }
  }
  const stillGranted: Capability[] = [];
  for (const name of denied) {
    if ((await Deno.permissions.query({ name })).state === "granted") stillGranted.push(name);
  }
  const dropped = denied.length > 0 ? denied.join(", ") : "nothing";
  if (mode === "deno-run") {
    options.logger.info(
      `Sandbox: deno-run mode, permissions set by the parent's flags (denied: ${dropped})`,
    );
  } else {
    options.logger.info(
      `Sandbox: compiled binary, permissions are baked in; revoked ${
        revoked.length > 0 ? revoked.join(", ") : "nothing"
      } at start-up; file access cannot be narrowed to this role's directories`,
    );
  }
  if (stillGranted.length > 0) {
    options.logger.error(`Sandbox: still holding ${stillGranted.join(", ")} after revoking`);
  }
  return { mode, revoked, stillGranted };
}
