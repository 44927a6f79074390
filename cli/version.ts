/**
 * Version strings.
 *
 * @module
 */

/** The freicoind release whose behaviour this implementation reproduces. */
export const COMPATIBLE_VERSION = "v27.1.1";

/** This implementation's own version. */
export const IMPLEMENTATION_VERSION = "0.1.0";

/** freicoind's numeric version, as `getnetworkinfo` reports it. */
export const CLIENT_VERSION = 270101;

/** What `-version` and the first line of `-help` show after `Freicoin version `. */
export const FULL_VERSION = `${COMPATIBLE_VERSION}-deno${IMPLEMENTATION_VERSION}`;

/** The text `-version` prints after the version line. */
export const LICENSE_INFO = [
  "freicoin for Deno: a Freicoin full node in TypeScript, compatible with freicoind " +
  `${COMPATIBLE_VERSION}, whose node, wallet and GUI run as separate sandboxed processes.`,
  "",
  "This is experimental software.",
  "Distributed under the GNU Affero General Public License v3.0, see " +
  "<https://www.gnu.org/licenses/agpl-3.0.en.html>",
  "",
].join("\n");
