/**
 * Keys: WIF private keys, secret-key range checks, BIP32 extended keys and key paths.
 *
 * @module
 */
export {
  BIP32_EXTKEY_SIZE,
  decodeExtKey,
  decodeExtPubKey,
  deriveExtKey,
  deriveExtKeyPath,
  deriveExtPubKey,
  deriveExtPubKeyPath,
  encodeExtKey,
  encodeExtPubKey,
  type ExtKey,
  extKeyFromSeed,
  type ExtPubKey,
  keyFingerprint,
  neuterExtKey,
} from "./bip32.ts";
export { formatHDKeypath, HARDENED, parseHDKeypath, writeHDKeypath } from "./key_path.ts";
export { bigIntToBytes, bytesToBigInt, isValidSecretKey, SECP256K1_ORDER } from "./secret_key.ts";
export { decodeSecret, encodeSecret, type WifKey } from "./wif.ts";
