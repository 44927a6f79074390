/**
 * Compact block filters (BIP158): SipHash-2-4, Golomb-coded sets, the basic filter of a block
 * and its filter header chain.
 *
 * @module
 */
export {
  BASIC_FILTER_M,
  BASIC_FILTER_P,
  basicFilterElements,
  basicFilterParams,
  BlockFilter,
} from "./block_filter.ts";
export { GcsFilter, type GcsParams } from "./gcs_filter.ts";
export { BitReader, BitWriter, golombRiceDecode, golombRiceEncode } from "./golomb_rice.ts";
export { sipHash24, SipHasher24, type SipHashKey } from "./siphash.ts";
