/**
 * Our user agent (`FormatSubVersion`, src/clientversion.cpp) and the `-uacomment` checks of
 * `AppInitMain`.
 *
 * @module
 */
import { MAX_SUBVERSION_LENGTH } from "./protocol.ts";

/** freicoind still calls itself "Satoshi" on the wire (`CLIENT_NAME`). */
export const CLIENT_NAME = "Satoshi";

/** `FormatVersion`: 270101 → "27.1.1", 270100 → "27.1", 270000 → "27". */
export function formatVersion(version: number): string {
  const major = Math.floor(version / 10000);
  const minor = Math.floor(version / 100) % 100;
  const build = version % 100;
  if (build !== 0) return `${major}.${minor}.${build}`;
  if (minor !== 0) return `${major}.${minor}`;
  return `${major}`;
}

/** `/Satoshi:27.1.1(comment; comment)/`. */
export function formatSubVersion(
  name: string,
  version: number,
  comments: readonly string[],
): string {
  const suffix = comments.length > 0 ? `(${comments.join("; ")})` : "";
  return `/${name}:${formatVersion(version)}${suffix}/`;
}

/** Characters allowed in a `-uacomment` (`SAFE_CHARS_UA_COMMENT`). */
const UNSAFE_UA_COMMENT = /[^A-Za-z0-9 .,;\-_?@]/;

/**
 * Builds the user agent from `-uacomment` values; returns freicoind's start-up error text
 * instead when a comment is unsafe or the result too long.
 */
export function userAgentFromComments(
  version: number,
  comments: readonly string[],
): { ok: true; userAgent: string } | { ok: false; error: string } {
  for (const comment of comments) {
    if (UNSAFE_UA_COMMENT.test(comment)) {
      return { ok: false, error: `User Agent comment (${comment}) contains unsafe characters.` };
    }
  }
  const userAgent = formatSubVersion(CLIENT_NAME, version, comments);
  if (userAgent.length > MAX_SUBVERSION_LENGTH) {
    return {
      ok: false,
      error:
        `Total length of network version string (${userAgent.length}) exceeds maximum length (${MAX_SUBVERSION_LENGTH}). Reduce the number or size of uacomments.`,
    };
  }
  return { ok: true, userAgent };
}
