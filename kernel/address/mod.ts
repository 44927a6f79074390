/**
 * Addresses: Base58Check, Bech32/Bech32m, destinations and their scriptPubKeys, and the
 * per-network prefixes (freicoind's `key_io`, `base58`, `bech32`, `addresstype`).
 *
 * @module
 */
export { decodeBase58, decodeBase58Check, encodeBase58, encodeBase58Check } from "./base58.ts";
export {
  BECH32_MAX_LENGTH,
  type Bech32Decoded,
  type Bech32Encoding,
  type Bech32ErrorReport,
  convertBits,
  decodeBech32,
  encodeBech32,
  locateBech32Errors,
} from "./bech32.ts";
export {
  type ChainName,
  type ChainPrefixes,
  chainPrefixes,
  MAIN_PREFIXES,
  REGTEST_PREFIXES,
  SIGNET_PREFIXES,
  TEST_PREFIXES,
} from "./chain_prefixes.ts";
export {
  type Destination,
  extractDestination,
  isValidDestination,
  NO_DESTINATION,
  type NoDestination,
  payToPubKeyScript,
  type PKHash,
  pkHashOf,
  type PubKeyDestination,
  scriptForDestination,
  type ScriptHash,
  scriptHashOf,
  type WitnessUnknown,
  type WitnessV0LongHash,
  witnessV0LongHashOf,
  type WitnessV0ShortHash,
  witnessV0ShortHashOf,
  witnessV0ShortHashOfPubKey,
} from "./destination.ts";
export {
  decodeDestination,
  type DecodeDestinationResult,
  encodeDestination,
  isValidAddress,
  MAX_WITNESS_VERSION,
  WITNESS_PROGRAM_MAX_LENGTH,
} from "./key_io.ts";
export {
  allDestinationsForKey,
  destinationForKey,
  destinationForScript,
  type OutputType,
  outputTypeOfDestination,
  parseOutputType,
} from "./output_type.ts";
export { describeDestination, type DestinationDescription } from "./describe_destination.ts";
