/**
 * RPC authentication: the `.cookie` file, `-rpcuser`/`-rpcpassword`, `-rpcauth` salted
 * HMAC-SHA256 entries and the `-rpcwhitelist` per-user method lists, as freicoind checks them.
 *
 * @module
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** The user name cookie authentication uses. */
export const COOKIE_USER = "__cookie__";

/**
 * Writes a fresh cookie `__cookie__:<64 hex>` (no newline) to `path`, through `path.tmp` and a
 * rename so a reader never sees half a cookie. Returns the `user:password` text.
 */
export async function writeAuthCookie(path: string): Promise<string> {
  const cookie = `${COOKIE_USER}:${randomBytes(32).toString("hex")}`;
  const temporary = `${path}.tmp`;
  await Deno.writeTextFile(temporary, cookie, { mode: 0o600 });
  await Deno.rename(temporary, path);
  return cookie;
}

/** Removes the cookie file, ignoring one that is already gone. */
export async function deleteAuthCookie(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/**
 * Reads the `user:password` line of a cookie file (the first line, like freicoin-cli), or
 * undefined when the file cannot be read.
 */
export async function readAuthCookie(path: string): Promise<string | undefined> {
  try {
    const text = await Deno.readTextFile(path);
    return text.split("\n")[0];
  } catch {
    return undefined;
  }
}

/** One parsed `-rpcauth=user:salt$hash` entry. */
interface RpcAuthEntry {
  user: string;
  salt: string;
  hash: string;
}

/** Thrown for an `-rpcauth` value that is not `user:salt$hash`. */
export class RpcAuthConfigError extends Error {
  override name = "RpcAuthConfigError";
}

/** What {@linkcode RpcAuthenticator} checks credentials against. */
export interface RpcAuthOptions {
  /** `user:password` of the single-user login (cookie or -rpcuser/-rpcpassword). */
  userColonPass: string;
  /** Raw `-rpcauth` values, `user:salt$hash`. */
  rpcAuth?: string[];
  /** Raw `-rpcwhitelist` values, `user:method1,method2`. */
  rpcWhitelist?: string[];
  /** `-rpcwhitelistdefault`; defaults to true when any whitelist is given. */
  rpcWhitelistDefault?: boolean;
}

function equalStrings(a: string, b: string): boolean {
  const left = new TextEncoder().encode(a);
  const right = new TextEncoder().encode(b);
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}

/**
 * Checks `Authorization: Basic …` headers and per-user method whitelists.
 *
 * @example
 * ```ts
 * import { RpcAuthenticator } from "./auth.ts";
 * const auth = new RpcAuthenticator({ userColonPass: "alice:secret" });
 * auth.check("Basic " + btoa("alice:secret")); // { ok: true, user: "alice" }
 * ```
 */
export class RpcAuthenticator {
  readonly #userColonPass: string;
  readonly #entries: RpcAuthEntry[] = [];
  readonly #whitelists = new Map<string, Set<string>>();
  readonly #whitelistDefault: boolean;
  // Accepted header values, so a keep-alive client does not pay for base64 and HMAC every call.
  readonly #accepted = new Map<string, string>();

  /** Parses the options; throws {@linkcode RpcAuthConfigError} for a malformed -rpcauth. */
  constructor(options: RpcAuthOptions) {
    this.#userColonPass = options.userColonPass;
    // As in freicoind, only the last -rpcauth decides whether any are used: an empty last value
    // (`-rpcauth=`) turns them all off.
    const rpcAuth = options.rpcAuth ?? [];
    for (const value of rpcAuth.at(-1) ? rpcAuth : []) {
      const fields = value.split(":");
      const saltHash = (fields.at(-1) ?? "").split("$");
      if (fields.length !== 2 || saltHash.length !== 2) {
        throw new RpcAuthConfigError("Invalid -rpcauth argument.");
      }
      this.#entries.push({ user: fields[0], salt: saltHash[0], hash: saltHash[1] });
    }
    const whitelist = options.rpcWhitelist ?? [];
    this.#whitelistDefault = options.rpcWhitelistDefault ?? whitelist.length > 0;
    for (const value of whitelist) this.#addWhitelist(value);
  }

  #addWhitelist(value: string): void {
    const colon = value.indexOf(":");
    const user = colon < 0 ? value : value.slice(0, colon);
    const existing = this.#whitelists.get(user);
    if (colon < 0) {
      if (!existing) this.#whitelists.set(user, new Set());
      return;
    }
    // Split on both ',' and ' ', keeping empty pieces, as freicoind's SplitString does.
    const methods = new Set(value.slice(colon + 1).split(/[, ]/));
    // A user listed twice may call only the methods in every one of its lists.
    const merged = existing ? new Set([...methods].filter((m) => existing.has(m))) : methods;
    this.#whitelists.set(user, merged);
  }

  /** Whether an `Authorization` header value is valid, and the user name it claims. */
  check(header: string): { ok: boolean; user: string } {
    const cached = this.#accepted.get(header);
    if (cached !== undefined) return { ok: true, user: cached };
    const result = this.#verify(header);
    if (result.ok) {
      if (this.#accepted.size >= 64) this.#accepted.clear();
      this.#accepted.set(header, result.user);
    }
    return result;
  }

  #verify(header: string): { ok: boolean; user: string } {
    if (this.#userColonPass === "" || !header.startsWith("Basic ")) return { ok: false, user: "" };
    const decoded = decodeBase64Strict(header.slice(6).trim());
    if (decoded === undefined) return { ok: false, user: "" };
    const colon = decoded.indexOf(":");
    const user = colon < 0 ? "" : decoded.slice(0, colon);
    if (equalStrings(decoded, this.#userColonPass)) return { ok: true, user };
    if (colon < 0) return { ok: false, user };
    const password = decoded.slice(colon + 1);
    for (const entry of this.#entries) {
      if (!equalStrings(entry.user, user)) continue;
      const hmac = createHmac("sha256", entry.salt).update(password).digest("hex");
      if (equalStrings(hmac, entry.hash)) return { ok: true, user };
    }
    return { ok: false, user };
  }

  /** Whether `user` may call anything at all (false when whitelisting is on by default). */
  mayCallAny(user: string): boolean {
    return this.#whitelists.has(user) || !this.#whitelistDefault;
  }

  /** Whether a `-rpcwhitelist` entry names `user`. */
  hasWhitelist(user: string): boolean {
    return this.#whitelists.has(user);
  }

  /** Whether `user` may call `method`. */
  mayCall(user: string, method: string): boolean {
    const list = this.#whitelists.get(user);
    if (!list) return !this.#whitelistDefault;
    return list.has(method);
  }
}

/** Decodes standard base64 (padding optional) to text, or undefined when malformed. */
function decodeBase64Strict(text: string): string | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  const unpadded = text.replace(/=+$/, "");
  if (unpadded.length % 4 === 1) return undefined;
  try {
    const binary = atob(unpadded + "=".repeat((4 - (unpadded.length % 4)) % 4));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder().decode(bytes);
  } catch {
    return undefined;
  }
}
