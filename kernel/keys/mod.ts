/**
 * Keys: WIF private keys, secret-key range checks, BIP32 extended keys and key paths.
 *
 * @module
 */
export { bigIntToBytes, bytesToBigInt, isValidSecretKey, SECP256K1_ORDER } from "./secret_key.ts";
export { decodeSecret, encodeSecret, type WifKey } from "./wif.ts";
