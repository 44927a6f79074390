import { ByteReader, ByteWriter, DecodeError } from "../encoding/mod.ts";
import { BitReader, BitWriter, golombRiceDecode, golombRiceEncode } from "./golomb_rice.ts";
import { SipHasher24, type SipHashKey } from "./siphash.ts";

/** Parameters of a Golomb-coded set (`GCSFilter::Params`). */
export interface GcsParams {
  /** SipHash key. */
  readonly key: SipHashKey;
  /** Golomb-Rice parameter (bits of remainder). */
  readonly p: number;
  /** Inverse false-positive rate; the hash range is N·M. */
  readonly m: number;
}

/** (hash · range) >> 64 for a 64-bit hash given as two 32-bit words (`FastRange64`). */
function fastRange64(hi: number, lo: number, range: bigint): number {
  return Number((((BigInt(hi) << 32n) | BigInt(lo)) * range) >> 64n);
}

/**
 * A Golomb-coded set (BIP158 `GCSFilter`): a compact, probabilistic set of byte strings.
 * Immutable; build one with {@link GcsFilter.fromElements} or parse one with
 * {@link GcsFilter.decode}.
 */
export class GcsFilter {
  readonly params: GcsParams;
  /** Number of elements (N). */
  readonly n: number;
  /** CompactSize(N) followed by the Golomb-Rice coded sorted deltas. */
  readonly encoded: Uint8Array;
  readonly #hasher: SipHasher24;
  readonly #range: bigint;

  private constructor(params: GcsParams, n: number, encoded: Uint8Array) {
    this.params = params;
    this.n = n;
    this.encoded = encoded;
    this.#hasher = new SipHasher24(params.key);
    this.#range = BigInt(n) * BigInt(params.m);
  }

  #hashToRange(element: Uint8Array): number {
    const [hi, lo] = this.#hasher.hashWords(element);
    return fastRange64(hi, lo, this.#range);
  }

  #hashedSet(elements: Iterable<Uint8Array>): number[] {
    const values: number[] = [];
    for (const element of elements) values.push(this.#hashToRange(element));
    return values.sort((a, b) => a - b);
  }

  /**
   * Builds the filter of a set of elements; duplicates (equal bytes) count once.
   *
   * @example
   * ```ts
   * import { GcsFilter } from "./gcs_filter.ts";
   * const f = GcsFilter.fromElements({ key: { k0: 0n, k1: 0n }, p: 19, m: 784931 },
   *   [new Uint8Array([1]), new Uint8Array([2])]);
   * f.match(new Uint8Array([1])); // true
   * ```
   */
  static fromElements(params: GcsParams, elements: Iterable<Uint8Array>): GcsFilter {
    const unique = new Map<string, Uint8Array>();
    for (const element of elements) unique.set(element.join(","), element);
    const n = unique.size;
    if (n > 0xffffffff) throw new RangeError("N must be <2^32");
    const empty = new GcsFilter(params, n, new Uint8Array());
    const header = new ByteWriter(9);
    header.writeCompactSize(n);
    const prefix = header.toBytes();
    if (n === 0) return new GcsFilter(params, 0, prefix);
    const bits = new BitWriter();
    let last = 0;
    for (const value of empty.#hashedSet(unique.values())) {
      golombRiceEncode(bits, params.p, value - last);
      last = value;
    }
    const body = bits.finish();
    const encoded = new Uint8Array(prefix.length + body.length);
    encoded.set(prefix);
    encoded.set(body, prefix.length);
    return new GcsFilter(params, n, encoded);
  }

  /**
   * Parses an encoded filter and checks that it holds exactly N coded values with no excess
   * bytes. Throws {@link DecodeError} otherwise.
   */
  static decode(params: GcsParams, encoded: Uint8Array): GcsFilter {
    const reader = new ByteReader(encoded);
    const n = reader.readCompactSize();
    const bits = new BitReader(encoded, reader.offset);
    for (let i = 0; i < n; i++) golombRiceDecode(bits, params.p);
    if (bits.bytesConsumed !== encoded.length) {
      throw new DecodeError("encoded_filter contains excess data");
    }
    return new GcsFilter(params, n, encoded.slice());
  }

  #matchSorted(queries: readonly number[]): boolean {
    const reader = new ByteReader(this.encoded);
    reader.readCompactSize();
    const bits = new BitReader(this.encoded, reader.offset);
    let value = 0;
    let q = 0;
    for (let i = 0; i < this.n; i++) {
      value += golombRiceDecode(bits, this.params.p);
      while (true) {
        if (q === queries.length) return false;
        if (queries[q] === value) return true;
        if (queries[q] > value) break;
        q++;
      }
    }
    return false;
  }

  /** True if `element` is (probably) in the set; never false for a member. */
  match(element: Uint8Array): boolean {
    return this.#matchSorted([this.#hashToRange(element)]);
  }

  /** True if any of `elements` is (probably) in the set. */
  matchAny(elements: Iterable<Uint8Array>): boolean {
    return this.#matchSorted(this.#hashedSet(elements));
  }
}
