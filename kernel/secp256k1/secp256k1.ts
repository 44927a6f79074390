/**
 * The secp256k1 operations the kernel needs, as an interface so that pure code
 * never loads a native library itself. A backend is built once at start-up
 * (see `native_backend.ts` and `pure_backend.ts`) and passed in.
 */
export interface Secp256k1 {
  /** Short backend name for logs and test names, e.g. "native" or "pure". */
  readonly backend: string;

  /**
   * Verifies an ECDSA signature the way freicoind's `CPubKey::Verify` does:
   * the public key must have the length its header byte announces and parse,
   * the signature is parsed with the lax DER parser and its S is normalized
   * before verification (so high-S signatures verify).
   */
  verifyEcdsa(sigDer: Uint8Array, msg32: Uint8Array, pubkey: Uint8Array): boolean;

  /**
   * Signs `msg32` with RFC6979 nonces and returns a low-S DER signature.
   * With `grindLowR` (the default, like freicoind's `CKey::Sign`) the nonce
   * is re-derived with an incrementing counter until R has no high bit, so
   * the signature is at most 70 bytes.
   */
  signEcdsa(msg32: Uint8Array, seckey: Uint8Array, options?: SignOptions): Uint8Array;

  /** Serialized public key (33 or 65 bytes) of a valid secret key. Throws on an invalid secret. */
  publicKeyFromSecret(seckey: Uint8Array, compressed: boolean): Uint8Array;

  /**
   * Parses a public key (compressed, uncompressed or hybrid) and re-serializes it
   * in the requested form; null when it is not a valid point encoding.
   */
  normalizePublicKey(pubkey: Uint8Array, compressed: boolean): Uint8Array | null;

  /** True when `seckey` is 32 bytes encoding an integer in [1, n-1]. */
  isValidSecret(seckey: Uint8Array): boolean;

  /** (seckey + tweak) mod n, or null when the tweak overflows or the result is zero. */
  privateKeyTweakAdd(seckey: Uint8Array, tweak: Uint8Array): Uint8Array | null;

  /** pubkey + tweak·G serialized in the requested form, or null when invalid. */
  publicKeyTweakAdd(pubkey: Uint8Array, tweak: Uint8Array, compressed: boolean): Uint8Array | null;

  /**
   * BIP340 Schnorr signature of `msg32` by the key pair of `seckey`, optionally
   * tweaked first by `tweak32` (x-only tweak add, as in taproot key-path
   * signing). Only used by tests of the dormant taproot-style sighash.
   */
  signSchnorr(
    msg32: Uint8Array,
    seckey: Uint8Array,
    aux32: Uint8Array,
    tweak32?: Uint8Array,
  ): Uint8Array;

  /** The 32-byte x-only public key of `seckey`. */
  xOnlyPublicKey(seckey: Uint8Array): Uint8Array;
}

/** Options for {@link Secp256k1.signEcdsa}. */
export interface SignOptions {
  /** Retry with extra entropy until R is low (≤ 70-byte signature). Default true. */
  grindLowR?: boolean;
}
