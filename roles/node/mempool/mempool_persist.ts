/**
 * `mempool.dat` (src/kernel/mempool_persist.cpp), freicoind's format: uint64 version (2), an
 * 8-byte XOR key as a byte vector, then — XORed with the key by absolute file offset — the
 * transaction count, each transaction (with witness), its entry time and fee delta (int64),
 * the remaining fee deltas (map txid → int64) and the unbroadcast txid set. Version 1 files
 * (no key) load too.
 *
 * @module
 */
import { ByteReader, bytesToHex, ByteWriter, DecodeError } from "../../../kernel/encoding/mod.ts";
import { Transaction } from "../../../kernel/primitives/mod.ts";
import { acceptToMemoryPool } from "./accept.ts";
import type { MempoolChainView } from "./chain_view.ts";
import type { Mempool } from "./mempool.ts";

/** `MEMPOOL_DUMP_VERSION_NO_XOR_KEY`. */
export const MEMPOOL_DUMP_VERSION_NO_XOR_KEY = 1n;
/** `MEMPOOL_DUMP_VERSION`. */
export const MEMPOOL_DUMP_VERSION = 2n;
/** Sanity bound on the transaction count of a file (never allocate from it directly). */
const MAX_LOAD_COUNT = 10_000_000;

function xorAt(bytes: Uint8Array, key: Uint8Array, fileOffset: number): void {
  if (key.length === 0) return;
  for (let i = 0; i < bytes.length; i++) bytes[i] ^= key[(fileOffset + i) % key.length];
}

function internalHex(displayHex: string): string {
  return displayHex.match(/../g)!.reverse().join("");
}

/** Options of {@link encodeMempool}. */
export interface DumpOptions {
  /** Write version 1 (no XOR key). Default: the pool's `persistV1` (`-persistmempoolv1`). */
  readonly v1?: boolean;
  /** The XOR key (8 bytes); random by default. */
  readonly xorKey?: Uint8Array;
}

/** The bytes of `mempool.dat` for `pool` (`DumpMempool`). */
export function encodeMempool(pool: Mempool, options: DumpOptions = {}): Uint8Array {
  const v1 = options.v1 ?? pool.options.persistV1;
  const key = v1
    ? new Uint8Array(0)
    : (options.xorKey ?? crypto.getRandomValues(new Uint8Array(8)));
  const header = new ByteWriter(32);
  header.writeU64LE(v1 ? MEMPOOL_DUMP_VERSION_NO_XOR_KEY : MEMPOOL_DUMP_VERSION);
  if (!v1) header.writeVarBytes(key);
  const headerBytes = header.toBytes();

  const body = new ByteWriter(4096);
  const entries = pool.sortedEntries();
  const deltas = new Map(pool.deltas());
  body.writeU64LE(BigInt(entries.length));
  for (const entry of entries) {
    entry.tx.write(body);
    body.writeI64LE(BigInt(entry.time));
    body.writeI64LE(entry.feeDelta);
    deltas.delete(entry.txidHex);
  }
  // std::map<uint256, CAmount>: ordered by the hash's internal bytes.
  const sorted = [...deltas].sort(([a], [b]) => internalHex(a) < internalHex(b) ? -1 : 1);
  body.writeCompactSize(sorted.length);
  for (const [txid, delta] of sorted) {
    body.writeBytes(hexToInternal(txid));
    body.writeI64LE(delta);
  }
  // std::set<uint256>: ordered by internal bytes.
  const unbroadcast = [...pool.unbroadcastTxids()].sort((a, b) =>
    internalHex(a) < internalHex(b) ? -1 : 1
  );
  body.writeCompactSize(unbroadcast.length);
  for (const txid of unbroadcast) body.writeBytes(hexToInternal(txid));
  const bodyBytes = body.toBytes();
  xorAt(bodyBytes, key, headerBytes.length);
  const out = new Uint8Array(headerBytes.length + bodyBytes.length);
  out.set(headerBytes);
  out.set(bodyBytes, headerBytes.length);
  return out;
}

function hexToInternal(displayHex: string): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[31 - i] = parseInt(displayHex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** One transaction read from a mempool file. */
export interface PersistedTransaction {
  readonly tx: Transaction;
  /** Entry time, seconds. */
  readonly time: number;
  readonly feeDelta: bigint;
}

/** A decoded `mempool.dat`. */
export interface PersistedMempool {
  readonly transactions: readonly PersistedTransaction[];
  /** Fee deltas of transactions not in the file (txid display hex → kria). */
  readonly deltas: ReadonlyMap<string, bigint>;
  /** Unbroadcast txids (display hex). */
  readonly unbroadcast: readonly string[];
}

/**
 * Decodes `mempool.dat`. Throws {@link DecodeError} for truncated or malformed data and for an
 * unknown version.
 */
export function decodeMempool(bytes: Uint8Array): PersistedMempool {
  const head = new ByteReader(bytes);
  const version = head.readU64LE();
  let key = new Uint8Array(0);
  if (version === MEMPOOL_DUMP_VERSION) {
    key = head.readVarBytes().slice();
  } else if (version !== MEMPOOL_DUMP_VERSION_NO_XOR_KEY) {
    throw new DecodeError(`unknown mempool file version ${version}`);
  }
  const bodyStart = head.offset;
  const body = bytes.slice(bodyStart);
  xorAt(body, key, bodyStart);
  const reader = new ByteReader(body);
  const count = reader.readU64LE();
  // Each transaction takes at least 10 bytes plus 16 of metadata.
  if (count > BigInt(Math.min(MAX_LOAD_COUNT, Math.floor(reader.remaining / 26)))) {
    throw new DecodeError("mempool file transaction count exceeds its size");
  }
  const transactions: PersistedTransaction[] = [];
  for (let i = 0n; i < count; i++) {
    const tx = Transaction.read(reader);
    const time = Number(reader.readI64LE());
    const feeDelta = reader.readI64LE();
    transactions.push({ tx, time, feeDelta });
  }
  const deltaCount = reader.readVectorLength(40);
  const deltas = new Map<string, bigint>();
  for (let i = 0; i < deltaCount; i++) {
    const hash = reader.readHash();
    deltas.set(bytesToHex(hash.slice().reverse()), reader.readI64LE());
  }
  const unbroadcastCount = reader.readVectorLength(32);
  const unbroadcast: string[] = [];
  for (let i = 0; i < unbroadcastCount; i++) {
    unbroadcast.push(bytesToHex(reader.readHash().slice().reverse()));
  }
  return { transactions, deltas, unbroadcast };
}

/** Counts of a load, as freicoind logs them. */
export interface LoadMempoolResult {
  readonly succeeded: number;
  readonly failed: number;
  readonly expired: number;
  readonly alreadyThere: number;
}

/** Options of {@link loadMempool}. */
export interface LoadMempoolOptions {
  /** Seconds since the epoch. */
  readonly now: number;
  /** Use the current time instead of the stored entry times. Default false (-persistmempool). */
  readonly useCurrentTime?: boolean;
  /** Apply the stored fee deltas. Default true (-persistmempool). */
  readonly applyFeeDelta?: boolean;
  /** Restore the unbroadcast set. Default true (-persistmempool). */
  readonly applyUnbroadcast?: boolean;
}

/**
 * `LoadMempool`: reads `path` and re-validates each unexpired transaction into `pool`. Returns
 * null when the file is missing or unreadable (the node continues with an empty pool).
 */
export async function loadMempool(
  pool: Mempool,
  chain: MempoolChainView,
  path: string,
  options: LoadMempoolOptions,
): Promise<LoadMempoolResult | null> {
  const log = pool.logger;
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch {
    log.info("Failed to open mempool file from disk. Continuing anyway.");
    return null;
  }
  let persisted: PersistedMempool;
  try {
    persisted = decodeMempool(bytes);
  } catch (error) {
    const what = error instanceof Error ? error.message : String(error);
    log.info(`Failed to deserialize mempool data on disk: ${what}. Continuing anyway.`);
    return null;
  }
  log.info(`Loading ${persisted.transactions.length} mempool transactions from disk...`);
  const applyDelta = options.applyFeeDelta ?? true;
  let succeeded = 0, failed = 0, expired = 0, alreadyThere = 0;
  for (const { tx, time, feeDelta } of persisted.transactions) {
    const entryTime = options.useCurrentTime ? options.now : time;
    if (feeDelta !== 0n && applyDelta) pool.prioritiseTransaction(tx.txidHex, feeDelta);
    if (entryTime > options.now - pool.options.expirySeconds) {
      const result = acceptToMemoryPool(pool, chain, tx, { acceptTime: entryTime });
      if (result.ok) succeeded++;
      else if (pool.has(tx.txidHex)) alreadyThere++;
      else failed++;
    } else {
      expired++;
    }
  }
  if (applyDelta) {
    for (const [txid, delta] of persisted.deltas) pool.prioritiseTransaction(txid, delta);
  }
  let unbroadcast = 0;
  if (options.applyUnbroadcast ?? true) {
    unbroadcast = persisted.unbroadcast.length;
    for (const txid of persisted.unbroadcast) pool.addUnbroadcastTx(txid);
  }
  log.info(
    `Imported mempool transactions from disk: ${succeeded} succeeded, ${failed} failed, ${expired} expired, ${alreadyThere} already there, ${unbroadcast} waiting for initial broadcast`,
  );
  return { succeeded, failed, expired, alreadyThere };
}

/**
 * `DumpMempool`: writes `path` through `path.new` and a rename, so a crash never leaves a
 * half-written file. Returns false on an I/O error.
 */
export async function dumpMempool(
  pool: Mempool,
  path: string,
  options: DumpOptions = {},
): Promise<boolean> {
  const temp = `${path}.new`;
  const start = performance.now();
  try {
    const bytes = encodeMempool(pool, options);
    const mid = performance.now();
    pool.logger.info(
      `Writing ${pool.unbroadcastTxids().size} unbroadcast transactions to disk.`,
    );
    await Deno.writeFile(temp, bytes);
    // FileCommit: make the new file durable before it replaces the old one.
    const file = await Deno.open(temp, { write: true });
    try {
      await file.syncData();
    } finally {
      file.close();
    }
    await Deno.rename(temp, path);
    const end = performance.now();
    pool.logger.info(
      `Dumped mempool: ${((mid - start) / 1000).toFixed(3)}s to copy, ${
        ((end - mid) / 1000).toFixed(3)
      }s to dump`,
    );
    return true;
  } catch (error) {
    const what = error instanceof Error ? error.message : String(error);
    pool.logger.info(`Failed to dump mempool: ${what}. Continuing anyway.`);
    return false;
  }
}

/** The mempool file of a network directory (`MempoolPath`). */
export function mempoolPath(networkDir: string): string {
  return `${networkDir.replace(/\/+$/, "")}/mempool.dat`;
}

/**
 * Start-up load (`Chainstate::LoadMempool` then `SetLoadTried`): with `-persistmempool`, loads
 * `mempool.dat`; either way the pool is then marked loaded, as getmempoolinfo reports.
 */
export async function loadMempoolAtStartup(
  pool: Mempool,
  chain: MempoolChainView,
  networkDir: string,
  now: number,
): Promise<LoadMempoolResult | null> {
  const result = pool.options.persist
    ? await loadMempool(pool, chain, mempoolPath(networkDir), { now })
    : null;
  pool.loaded = true;
  return result;
}

/**
 * Shutdown dump (`DumpMempool` when `-persistmempool` and the load finished). Returns whether
 * a file was written.
 */
export async function dumpMempoolAtShutdown(pool: Mempool, networkDir: string): Promise<boolean> {
  if (!pool.options.persist || !pool.loaded) return false;
  return await dumpMempool(pool, mempoolPath(networkDir));
}
