/**
 * freicoind's debug log categories and severity levels.
 *
 * @module
 */

/** Every category `-debug=` accepts, in freicoind's order (the help text sorts them). */
export const LOG_CATEGORIES = [
  "net",
  "tor",
  "mempool",
  "http",
  "bench",
  "zmq",
  "walletdb",
  "rpc",
  "estimatefee",
  "addrman",
  "selectcoins",
  "reindex",
  "cmpctblock",
  "rand",
  "prune",
  "proxy",
  "mempoolrej",
  "libevent",
  "coindb",
  "qt",
  "leveldb",
  "validation",
  "i2p",
  "ipc",
  "util",
  "blockstorage",
  "txreconciliation",
  "scan",
  "txpackages",
  "stratum",
] as const;

/** A debug log category such as `net` or `ipc`. */
export type LogCategory = typeof LOG_CATEGORIES[number];

/** Severity levels, least severe first. */
export const LOG_LEVELS = ["trace", "debug", "info", "warning", "error"] as const;

/** A severity level. */
export type LogLevel = typeof LOG_LEVELS[number];

/** Returns true when `name` is a category `-debug=` accepts (not counting `0`, `1`, `all`...). */
export function isLogCategory(name: string): name is LogCategory {
  return (LOG_CATEGORIES as readonly string[]).includes(name);
}

/** Returns true when `name` is a severity level. */
export function isLogLevel(name: string): name is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(name);
}
