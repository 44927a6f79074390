/**
 * fee_estimates.dat, in freicoind's format (`CBlockPolicyEstimator::Write`/`Read`): two version
 * numbers, the best seen height and the block range the data covers, the bucket bounds, then the
 * medium, short and long horizons' statistics. Doubles are stored as their IEEE-754 bits
 * (`EncodeDouble`), integers little-endian, vector lengths as CompactSize.
 *
 * @module
 */
import { ByteReader, ByteWriter, DecodeError } from "../../../kernel/encoding/mod.ts";
import type { SavedTxConfirmStats } from "./tx_confirm_stats.ts";

/** The file's name in the network directory. */
export const FEE_ESTIMATES_FILE_NAME = "fee_estimates.dat";
/** The oldest version able to read what we write ("0.14.99"). */
export const FEE_ESTIMATES_VERSION_REQUIRED = 149900;
/** freicoind 27.1.1's `CLIENT_VERSION` (10000 × major + 100 × minor + revision). */
export const CLIENT_VERSION = 270101;
/** The longest confirmation span a horizon may track (one week of blocks). */
const MAX_TRACKED_CONFIRMS = 6 * 24 * 7;

/** Everything fee_estimates.dat holds. */
export interface FeeEstimatesData {
  readonly versionRequired: number;
  readonly versionThatWrote: number;
  readonly bestSeenHeight: number;
  /** First and last height of the block range the data covers. */
  readonly historicalFirst: number;
  readonly historicalBest: number;
  /** Bucket upper bounds, kria per kvB. */
  readonly buckets: readonly number[];
  readonly medium: SavedTxConfirmStats;
  readonly short: SavedTxConfirmStats;
  readonly long: SavedTxConfirmStats;
}

/** A file the estimator cannot use; `message` is the reference's text for the reason. */
export class FeeEstimatesFileError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "FeeEstimatesFileError";
  }
}

/** A decoded file: current data, or a pre-0.15 file whose data is ignored. */
export type DecodedFeeEstimates =
  | { readonly kind: "current"; readonly data: FeeEstimatesData }
  | { readonly kind: "incompatible"; readonly versionRequired: number };

/**
 * Encodes the estimator's data.
 *
 * @example
 * ```ts
 * import { decodeFeeEstimates, encodeFeeEstimates } from "./fee_estimates_file.ts";
 * const stats = { decay: 0.5, scale: 1, feeRateAvg: [0, 0], txCountAvg: [0, 0],
 *   confAvg: [[0, 0]], failAvg: [[0, 0]] };
 * const bytes = encodeFeeEstimates({ versionRequired: 149900, versionThatWrote: 270101,
 *   bestSeenHeight: 7, historicalFirst: 0, historicalBest: 0, buckets: [1000, 1e99],
 *   medium: stats, short: stats, long: stats });
 * console.assert(decodeFeeEstimates(bytes).kind === "current");
 * ```
 */
export function encodeFeeEstimates(data: FeeEstimatesData): Uint8Array {
  const writer = new ByteWriter(1 << 18);
  writer.writeI32LE(data.versionRequired);
  writer.writeI32LE(data.versionThatWrote);
  writer.writeU32LE(data.bestSeenHeight);
  writer.writeU32LE(data.historicalFirst);
  writer.writeU32LE(data.historicalBest);
  writeDoubles(writer, data.buckets);
  for (const stats of [data.medium, data.short, data.long]) writeStats(writer, stats);
  return writer.toBytes();
}

/**
 * Decodes fee_estimates.dat, checking it as freicoind does before anything is used.
 * @throws {FeeEstimatesFileError} with freicoind's reason (truncated data, an up-version file,
 *   an invalid block range, bad bucket counts, decay or scale out of range, mismatched sizes,
 *   trailing bytes)
 */
export function decodeFeeEstimates(bytes: Uint8Array): DecodedFeeEstimates {
  try {
    return decode(new ByteReader(bytes));
  } catch (error) {
    if (error instanceof DecodeError) {
      throw new FeeEstimatesFileError(`AutoFile::read: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

function decode(reader: ByteReader): DecodedFeeEstimates {
  const versionRequired = reader.readI32LE();
  const versionThatWrote = reader.readI32LE();
  if (versionRequired > CLIENT_VERSION) {
    throw new FeeEstimatesFileError(`up-version (${versionRequired}) fee estimate file`);
  }
  const bestSeenHeight = reader.readU32LE();
  // Files from before 0.15 carry data in another layout: it is ignored.
  if (versionRequired < FEE_ESTIMATES_VERSION_REQUIRED) {
    return { kind: "incompatible", versionRequired };
  }
  const historicalFirst = reader.readU32LE();
  const historicalBest = reader.readU32LE();
  if (historicalFirst > historicalBest || historicalBest > bestSeenHeight) {
    throw new FeeEstimatesFileError(
      "Corrupt estimates file. Historical block range for estimates is invalid",
    );
  }
  const buckets = readDoubles(reader);
  if (buckets.length <= 1 || buckets.length > 1000) {
    throw new FeeEstimatesFileError(
      "Corrupt estimates file. Must have between 2 and 1000 feerate buckets",
    );
  }
  const medium = readStats(reader, buckets.length);
  const short = readStats(reader, buckets.length);
  const long = readStats(reader, buckets.length);
  reader.assertFinished();
  return {
    kind: "current",
    data: {
      versionRequired,
      versionThatWrote,
      bestSeenHeight,
      historicalFirst,
      historicalBest,
      buckets,
      medium,
      short,
      long,
    },
  };
}

/** `TxConfirmStats::Write`. */
function writeStats(writer: ByteWriter, stats: SavedTxConfirmStats): void {
  writeDouble(writer, stats.decay);
  writer.writeU32LE(stats.scale);
  writeDoubles(writer, stats.feeRateAvg);
  writeDoubles(writer, stats.txCountAvg);
  writer.writeCompactSize(stats.confAvg.length);
  for (const row of stats.confAvg) writeDoubles(writer, row);
  writer.writeCompactSize(stats.failAvg.length);
  for (const row of stats.failAvg) writeDoubles(writer, row);
}

/** `TxConfirmStats::Read` with its sanity checks, in its order. */
function readStats(reader: ByteReader, numBuckets: number): SavedTxConfirmStats {
  const decay = readDouble(reader);
  // NaN is refused too (the reference's comparisons would let it through).
  if (!(decay > 0 && decay < 1)) {
    throw new FeeEstimatesFileError(
      "Corrupt estimates file. Decay must be between 0 and 1 (non-inclusive)",
    );
  }
  const scale = reader.readU32LE();
  if (scale === 0) {
    throw new FeeEstimatesFileError("Corrupt estimates file. Scale must be non-zero");
  }
  const feeRateAvg = readDoubles(reader);
  if (feeRateAvg.length !== numBuckets) {
    throw new FeeEstimatesFileError(
      "Corrupt estimates file. Mismatch in feerate average bucket count",
    );
  }
  const txCountAvg = readDoubles(reader);
  if (txCountAvg.length !== numBuckets) {
    throw new FeeEstimatesFileError("Corrupt estimates file. Mismatch in tx count bucket count");
  }
  const confAvg = readDoubleRows(reader);
  const maxPeriods = confAvg.length;
  const maxConfirms = scale * maxPeriods;
  if (maxConfirms <= 0 || maxConfirms > MAX_TRACKED_CONFIRMS) {
    throw new FeeEstimatesFileError(
      "Corrupt estimates file.  Must maintain estimates for between 1 and 1008 (one week) confirms",
    );
  }
  if (confAvg.some((row) => row.length !== numBuckets)) {
    throw new FeeEstimatesFileError(
      "Corrupt estimates file. Mismatch in feerate conf average bucket count",
    );
  }
  const failAvg = readDoubleRows(reader);
  if (failAvg.length !== maxPeriods) {
    throw new FeeEstimatesFileError(
      "Corrupt estimates file. Mismatch in confirms tracked for failures",
    );
  }
  if (failAvg.some((row) => row.length !== numBuckets)) {
    throw new FeeEstimatesFileError(
      "Corrupt estimates file. Mismatch in one of failure average bucket counts",
    );
  }
  return { decay, scale, feeRateAvg, txCountAvg, confAvg, failAvg };
}

const scratch = new DataView(new ArrayBuffer(8));

/** `EncodeDouble`: the IEEE-754 binary64 bits as a little-endian uint64. */
function writeDouble(writer: ByteWriter, value: number): void {
  scratch.setFloat64(0, value, true);
  writer.writeU64LE(scratch.getBigUint64(0, true));
}

function readDouble(reader: ByteReader): number {
  scratch.setBigUint64(0, reader.readU64LE(), true);
  return scratch.getFloat64(0, true);
}

function writeDoubles(writer: ByteWriter, values: readonly number[]): void {
  writer.writeCompactSize(values.length);
  for (const value of values) writeDouble(writer, value);
}

function readDoubles(reader: ByteReader): number[] {
  // The count is checked against the bytes left before anything is allocated.
  const count = reader.readVectorLength(8);
  const values = new Array<number>(count);
  for (let i = 0; i < count; i++) values[i] = readDouble(reader);
  return values;
}

function readDoubleRows(reader: ByteReader): number[][] {
  const count = reader.readVectorLength(1);
  const rows: number[][] = [];
  for (let i = 0; i < count; i++) rows.push(readDoubles(reader));
  return rows;
}
