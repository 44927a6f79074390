/**
 * secp256k1 for the kernel: the {@link Secp256k1} interface, DER helpers and
 * the pure-TypeScript backend. The libsecp256k1 (`Deno.dlopen`) backend lives
 * in `native_backend.ts` and is imported only by start-up code.
 *
 * @module
 */
export type { Secp256k1, SignOptions } from "./secp256k1.ts";
export {
  type CompactSignature,
  CURVE_ORDER,
  encodeDer,
  isLowS,
  isValidSignatureEncoding,
  normalizeS,
  parseDerLax,
  parseDerStrict,
} from "./der.ts";
export { createPureSecp256k1, verifySchnorrPure } from "./pure_backend.ts";
export {
  FIELD_PRIME,
  fieldInvert,
  fieldReduce,
  fieldSqrt,
  isValidX,
  multiplyXOnly,
} from "./x_only_ecdh.ts";
