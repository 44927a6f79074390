/**
 * The IPC cookie: a random secret a TCP listener writes to its data directory so that only
 * someone who can read that file (the same user, or whoever the user copies it to) can
 * connect. Modelled on freicoind's RPC `.cookie`.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";

/** The cookie file name inside the network data directory. */
export const IPC_COOKIE_NAME = ".ipccookie";

/** Length of the secret in bytes (written as twice as many hex digits). */
export const IPC_SECRET_BYTES = 32;

/** Raised when a cookie file is missing, unreadable or malformed. */
export class CookieError extends Error {
  override name = "CookieError";
}

/** The default cookie path for a network data directory. */
export function defaultCookiePath(datadirNet: string): string {
  return join(datadirNet, IPC_COOKIE_NAME);
}

/**
 * Creates a fresh secret and writes it, hex-encoded, to `path` with owner-only permissions
 * (0600; on Windows the file inherits the directory's ACL, see ipc/README.md). Any old cookie
 * is replaced: a listener that crashed leaves one behind.
 *
 * @example
 * ```ts
 * import { readCookie, removeCookie, writeCookie } from "./cookie.ts";
 * const path = Deno.makeTempFileSync();
 * const secret = await writeCookie(path);
 * console.assert((await readCookie(path)).every((b, i) => b === secret[i]));
 * await removeCookie(path);
 * ```
 */
export async function writeCookie(path: string): Promise<Uint8Array> {
  const secret = new Uint8Array(randomBytes(IPC_SECRET_BYTES));
  const text = toHex(secret) + "\n";
  // Write to a private temporary name, then rename: a reader never sees half a cookie and the
  // file never exists with looser permissions than 0600.
  const temporary = `${path}.tmp${toHex(new Uint8Array(randomBytes(4)))}`;
  await Deno.writeTextFile(temporary, text, { createNew: true, mode: 0o600 });
  try {
    if (Deno.build.os !== "windows") await Deno.chmod(temporary, 0o600);
    await Deno.rename(temporary, path);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
  return secret;
}

/**
 * Reads the secret from a cookie file written by {@linkcode writeCookie}.
 *
 * @throws {CookieError} when the file is missing or does not hold exactly 64 hex digits.
 */
export async function readCookie(path: string): Promise<Uint8Array> {
  let text: string;
  try {
    const file = await Deno.open(path, { read: true });
    try {
      // Never read more than a cookie can be, whatever the file holds.
      const buffer = new Uint8Array(IPC_SECRET_BYTES * 2 + 3);
      let length = 0;
      while (length < buffer.length) {
        const n = await file.read(buffer.subarray(length));
        if (n === null) break;
        length += n;
      }
      text = new TextDecoder().decode(buffer.subarray(0, length));
    } finally {
      file.close();
    }
  } catch (error) {
    throw new CookieError(`Unable to read IPC cookie file "${path}": ${errorText(error)}`, {
      cause: error,
    });
  }
  const hex = text.trim();
  if (!new RegExp(`^[0-9a-fA-F]{${IPC_SECRET_BYTES * 2}}$`).test(hex)) {
    throw new CookieError(`Malformed IPC cookie file "${path}"`);
  }
  return fromHex(hex);
}

/** Removes a cookie file; a missing file is fine. */
export async function removeCookie(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
