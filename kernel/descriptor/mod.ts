/**
 * Output descriptors as freicoind has them: `pk`, `pkh`, `wpk`, `combo`, `multi`,
 * `sortedmulti`, `sh`, `wsh`, `addr`, `raw`; key origins, xpub/xprv ranges and the descriptor
 * checksum; `getdescriptorinfo` and `deriveaddresses`.
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
