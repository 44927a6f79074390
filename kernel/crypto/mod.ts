/**
 * Pure cryptographic primitives of the BIP324 v2 P2P transport: ChaCha20 and its
 * forward-secure variant, Poly1305, the ChaCha20-Poly1305 AEADs, HKDF-SHA256 (L = 32), and
 * ElligatorSwift public keys with the BIP324 x-only ECDH.
 *
 * @module
 */
export {
  ChaCha20,
  CHACHA20_BLOCK_SIZE,
  CHACHA20_KEY_SIZE,
  FSChaCha20,
  type Nonce96,
} from "./chacha20.ts";
export { Poly1305, poly1305, POLY1305_KEY_SIZE, POLY1305_TAG_SIZE } from "./poly1305.ts";
export { AEAD_EXPANSION, AeadChaCha20Poly1305, FSChaCha20Poly1305 } from "./chacha20_poly1305.ts";
export { HkdfSha256L32, hmacSha256 } from "./hkdf_sha256.ts";
export {
  ELLSWIFT_SIZE,
  ellswiftCreate,
  ellswiftDecode,
  ellswiftDecodeX,
  ellswiftXdh,
  xswiftec,
  xswiftecInv,
} from "./ellswift.ts";
