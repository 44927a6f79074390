/**
 * The wallet database: one SQLite file per wallet, `wallets/<name>/wallet.dat` (or
 * `wallets/wallet.dat` for the unnamed default wallet), with our own schema. freicoind's
 * wallet.dat is also SQLite but stores serialized C++ records under key prefixes; we do not
 * read those files (a restore from a freicoind backup is not supported).
 *
 * Tables:
 * - `meta`: wallet-wide values by key: `version` (schema version), `flags` (wallet flags as
 *   freicoind numbers), `best_block` (hash ‖ u32 LE height of the last block the wallet has
 *   processed), `order_pos` (next transaction order position), `birth_time`,
 *   `encryption` (JSON: KDF salt and iterations and the encrypted master key check, when
 *   encrypted), `paytxfee`.
 * - `descriptors`: one row per descriptor: `id` (DescriptorID, 32 bytes), `descriptor`
 *   (its text with private keys, or the public text for watch-only ones; with encryption
 *   `descriptor` holds the public text and `secret` the encrypted private text), `derivation` (the
 *   normalized public form scripts are derived from without private keys: the wallet's
 *   descriptor cache), `created`
 *   (timestamp), `range_start`, `range_end` (exclusive), `next_index`, `active_type`
 *   ("legacy"/"bech32" when active for that output type, else null), `internal` (0/1).
 * - `scripts`: the scriptPubKeys derived from each descriptor (a cache: rebuilt if missing):
 *   `script` → `descriptor_id`, `position`.
 * - `transactions`: every wallet transaction: `txid`, `tx` (wire encoding with witness),
 *   `state` (see {@link TxState}), `block_hash`, `block_height`, `block_index` (position in
 *   the block), `block_time`, `conflict_height`, `time_received`, `time_smart` (the
 *   `time` freicoind reports), `order_pos`, `from_me`, `comment`,
 *   `comment_to`, `replaced_by` and `replaces` (txids linking fee bumps).
 * - `address_book`: `address` → `label`, `purpose` ("receive"/"send").
 * - `locked_coins`: persistent `lockunspent` entries (36-byte outpoint).
 *
 * Every change that touches more than one row runs inside one SQLite transaction
 * (`WalletDatabase.transaction`), and the file uses WAL with `synchronous=FULL`, so a
 * `kill -9` at any moment leaves either the old or the new state.
 *
 * @module
 */

/** Schema version stored in `meta.version`; bump it when the tables change. */
export const WALLET_SCHEMA_VERSION = 1;

/** The wallet file's name inside its directory (as freicoind). */
export const WALLET_FILE = "wallet.dat";

/** Pragmas applied on open. */
export const WALLET_PRAGMAS = `
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
PRAGMA foreign_keys = OFF;
PRAGMA secure_delete = ON;
`;

/** The wallet tables. */
export const WALLET_SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS descriptors (
  id BLOB PRIMARY KEY,
  descriptor TEXT NOT NULL,
  secret BLOB,
  derivation TEXT,
  created INTEGER NOT NULL,
  range_start INTEGER NOT NULL,
  range_end INTEGER NOT NULL,
  next_index INTEGER NOT NULL,
  active_type TEXT,
  internal INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS scripts (
  script BLOB PRIMARY KEY,
  descriptor_id BLOB NOT NULL,
  position INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS transactions (
  txid BLOB PRIMARY KEY,
  tx BLOB NOT NULL,
  state TEXT NOT NULL,
  block_hash BLOB,
  block_height INTEGER,
  block_index INTEGER,
  block_time INTEGER,
  conflict_height INTEGER,
  time_received INTEGER NOT NULL,
  time_smart INTEGER NOT NULL,
  order_pos INTEGER NOT NULL,
  from_me INTEGER NOT NULL,
  comment TEXT,
  comment_to TEXT,
  replaced_by TEXT,
  replaces TEXT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS address_book (
  address TEXT PRIMARY KEY,
  label TEXT NOT NULL,
  purpose TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS locked_coins (outpoint BLOB PRIMARY KEY) WITHOUT ROWID;
`;

/**
 * Where a wallet transaction stands (freicoind's `TxState`): in a block of the active chain,
 * in the mempool, neither (`inactive`), abandoned by the user, or conflicted by a block
 * transaction spending the same coins.
 */
export type TxState = "confirmed" | "mempool" | "inactive" | "abandoned" | "conflicted";

/** Wallet flags (freicoind's `WalletFlags`), as stored in `meta.flags`. */
export const WALLET_FLAG = {
  AVOID_REUSE: 1n << 0n,
  KEY_ORIGIN_METADATA: 1n << 1n,
  LAST_HARDENED_XPUB_CACHED: 1n << 2n,
  DISABLE_PRIVATE_KEYS: 1n << 32n,
  BLANK_WALLET: 1n << 33n,
  DESCRIPTORS: 1n << 34n,
  EXTERNAL_SIGNER: 1n << 35n,
} as const;
