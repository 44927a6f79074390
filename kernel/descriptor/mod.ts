/**
 * Output descriptors as freicoind has them: `pk`, `pkh`, `wpk`, `combo`, `multi`,
 * `sortedmulti`, `sh`, `wsh`, `addr`, `raw` and miniscript inside `wsh()`; key origins,
 * xpub/xprv ranges and the descriptor checksum; `getdescriptorinfo`, `deriveaddresses`,
 * descriptor ids and inference.
 *
 * @module
 */
export { addChecksum, checkChecksum, descriptorChecksum } from "./checksum.ts";
export {
  Descriptor,
  type DescriptorNode,
  parseDescriptor,
  type ParseDescriptorOptions,
} from "./descriptor.ts";
export { DescriptorError } from "./descriptor_error.ts";
export {
  deriveAddresses,
  DeriveAddressesError,
  type DeriveAddressesFailure,
  type DescriptorInfo,
  getDescriptorInfo,
  parseDescriptorRange,
} from "./descriptor_info.ts";
export {
  type Bip32Key,
  type ConstKey,
  type DerivedKey,
  deriveKey,
  derivePrivateKey,
  type DeriveType,
  type KeyExpression,
  type OriginKey,
  type ScriptContext,
} from "./key_expression.ts";
export {
  type DescriptorInferenceProvider,
  inferDescriptor,
  type KnownKeyOrigin,
} from "./infer_descriptor.ts";
export { decodeMiniscript, type MiniscriptKeyDecoder } from "./miniscript_decode.ts";
export {
  isSaneMiniscript,
  isValidNode,
  MAX_STANDARD_P2WSH_SCRIPT_SIZE,
  MAX_STANDARD_P2WSH_STACK_ITEMS,
  type MiniscriptNode,
  miniscriptSanityError,
  miniscriptToScript,
  miniscriptToString,
  parseMiniscript,
  stackSize,
} from "./miniscript.ts";
export type { Fragment, MsType } from "./_miniscript_type.ts";
export {
  emptySigningData,
  type KeyOriginInfo,
  mergeSigningData,
  type SigningData,
} from "./signing_data.ts";
