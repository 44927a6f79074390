/**
 * The libsecp256k1 backend through `Deno.dlopen`. This is the only file of the
 * kernel that touches `Deno.*`: import it only from start-up code that builds
 * the backend (node and wallet roles, tests, benchmarks), never from kernel code.
 */
import type { Secp256k1, SignOptions } from "./secp256k1.ts";
import { parseDerLaxCompact } from "./der.ts";

/** Where Debian's libsecp256k1-1 installs the shared library. */
export const DEFAULT_LIBSECP256K1_PATH = "/usr/lib/x86_64-linux-gnu/libsecp256k1.so.1";

const CONTEXT_SIGN_VERIFY = 0x301; // SECP256K1_CONTEXT_SIGN | SECP256K1_CONTEXT_VERIFY
const EC_COMPRESSED = 0x102;
const EC_UNCOMPRESSED = 0x2;
/** `size_t` arguments for key lengths 0..65, made once (a BigInt per call is garbage). */
const KEY_LENGTHS = Array.from({ length: 66 }, (_, i) => BigInt(i));

const SYMBOLS = {
  secp256k1_context_create: { parameters: ["u32"], result: "pointer" },
  secp256k1_ec_pubkey_parse: {
    parameters: ["pointer", "buffer", "buffer", "usize"],
    result: "i32",
  },
  secp256k1_ec_pubkey_serialize: {
    parameters: ["pointer", "buffer", "buffer", "buffer", "u32"],
    result: "i32",
  },
  secp256k1_ecdsa_signature_parse_compact: {
    parameters: ["pointer", "buffer", "buffer"],
    result: "i32",
  },
  secp256k1_ecdsa_signature_normalize: {
    parameters: ["pointer", "buffer", "buffer"],
    result: "i32",
  },
  secp256k1_ecdsa_verify: { parameters: ["pointer", "buffer", "buffer", "buffer"], result: "i32" },
  secp256k1_ecdsa_sign: {
    parameters: ["pointer", "buffer", "buffer", "buffer", "pointer", "buffer"],
    result: "i32",
  },
  secp256k1_ecdsa_signature_serialize_der: {
    parameters: ["pointer", "buffer", "buffer", "buffer"],
    result: "i32",
  },
  secp256k1_ecdsa_signature_serialize_compact: {
    parameters: ["pointer", "buffer", "buffer"],
    result: "i32",
  },
  secp256k1_ec_seckey_verify: { parameters: ["pointer", "buffer"], result: "i32" },
  secp256k1_ec_pubkey_create: { parameters: ["pointer", "buffer", "buffer"], result: "i32" },
  secp256k1_ec_seckey_tweak_add: { parameters: ["pointer", "buffer", "buffer"], result: "i32" },
  secp256k1_ec_pubkey_tweak_add: { parameters: ["pointer", "buffer", "buffer"], result: "i32" },
  secp256k1_keypair_create: { parameters: ["pointer", "buffer", "buffer"], result: "i32" },
  secp256k1_keypair_xonly_tweak_add: { parameters: ["pointer", "buffer", "buffer"], result: "i32" },
  secp256k1_keypair_xonly_pub: {
    parameters: ["pointer", "buffer", "buffer", "buffer"],
    result: "i32",
  },
  secp256k1_xonly_pubkey_serialize: { parameters: ["pointer", "buffer", "buffer"], result: "i32" },
  secp256k1_schnorrsig_sign32: {
    parameters: ["pointer", "buffer", "buffer", "buffer", "buffer"],
    result: "i32",
  },
} as const;

/**
 * Loads libsecp256k1 from an absolute path and returns a backend bound to one
 * signing+verification context (kept for the life of the process). Throws when
 * the library or a symbol is missing; callers fall back to the pure backend.
 *
 * @example
 * ```ts
 * import { loadNativeSecp256k1 } from "./native_backend.ts";
 * const secp = loadNativeSecp256k1(); // needs --allow-ffi for the library path
 * console.assert(secp.backend === "native");
 * ```
 */
export function loadNativeSecp256k1(path: string = DEFAULT_LIBSECP256K1_PATH): Secp256k1 {
  const lib = Deno.dlopen(path, SYMBOLS).symbols;
  const ctx = lib.secp256k1_context_create(CONTEXT_SIGN_VERIFY);
  if (ctx === null) throw new Error("secp256k1_context_create failed");

  // Scratch buffers reused across calls (single-threaded JS).
  const pubkeyBuf = new Uint8Array(64);
  const sigBuf = new Uint8Array(64);
  const normBuf = new Uint8Array(64);
  const compactBuf = new Uint8Array(64);
  const outLen = new BigUint64Array(1);
  const outLenBytes = new Uint8Array(outLen.buffer);
  const keypairBuf = new Uint8Array(96);
  // verifyEcdsa's own parsed key, and the bytes it was parsed from: a key checked against
  // several signatures in a row (multisig, a wallet's inputs) is decompressed only once.
  const verifyKeyBuf = new Uint8Array(64);
  const lastVerifyKey = new Uint8Array(65);
  let lastVerifyKeyLength = -1; // none yet

  function parsePubkey(pubkey: Uint8Array): boolean {
    // Only 33 and 65 bytes can parse; an empty array would reach C as a null pointer, which
    // the library treats as an illegal argument and aborts the process.
    if (pubkey.length !== 33 && pubkey.length !== 65) return false;
    return lib.secp256k1_ec_pubkey_parse(ctx, pubkeyBuf, pubkey, BigInt(pubkey.length)) === 1;
  }

  /** Parses `pubkey` into verifyKeyBuf unless it is the key parsed last time. */
  function parseVerifyKey(pubkey: Uint8Array): boolean {
    const length = pubkey.length;
    if (length === lastVerifyKeyLength) {
      let same = true;
      for (let i = length - 1; i >= 0; i--) {
        if (pubkey[i] !== lastVerifyKey[i]) {
          same = false;
          break;
        }
      }
      if (same) return true;
    }
    lastVerifyKeyLength = -1;
    if (length !== 33 && length !== 65) return false; // as parsePubkey
    if (lib.secp256k1_ec_pubkey_parse(ctx, verifyKeyBuf, pubkey, KEY_LENGTHS[length]) !== 1) {
      return false;
    }
    lastVerifyKey.set(pubkey);
    lastVerifyKeyLength = length;
    return true;
  }

  function serializePubkey(compressed: boolean): Uint8Array {
    const out = new Uint8Array(compressed ? 33 : 65);
    outLen[0] = BigInt(out.length);
    lib.secp256k1_ec_pubkey_serialize(
      ctx,
      out,
      outLenBytes,
      pubkeyBuf,
      compressed ? EC_COMPRESSED : EC_UNCOMPRESSED,
    );
    return out;
  }

  function signOnce(msg32: Uint8Array, seckey: Uint8Array, extra: Uint8Array | null): void {
    if (lib.secp256k1_ecdsa_sign(ctx, sigBuf, msg32, seckey, null, extra) !== 1) {
      throw new RangeError("invalid secret key");
    }
  }

  return {
    backend: "native",

    verifyEcdsa(sigDer: Uint8Array, msg32: Uint8Array, pubkey: Uint8Array): boolean {
      if (msg32.length !== 32) return false;
      if (!parseVerifyKey(pubkey)) return false;
      const compact = parseDerLaxCompact(sigDer);
      if (compact === null) return false;
      // An R or S ≥ n makes parse_compact fail; the reference then verifies an all-zero (invalid) signature.
      if (lib.secp256k1_ecdsa_signature_parse_compact(ctx, sigBuf, compact) !== 1) return false;
      lib.secp256k1_ecdsa_signature_normalize(ctx, normBuf, sigBuf);
      return lib.secp256k1_ecdsa_verify(ctx, normBuf, msg32, verifyKeyBuf) === 1;
    },

    signEcdsa(msg32: Uint8Array, seckey: Uint8Array, options?: SignOptions): Uint8Array {
      if (msg32.length !== 32 || seckey.length !== 32) throw new RangeError("bad sign arguments");
      signOnce(msg32, seckey, null);
      const grind = options?.grindLowR ?? true;
      const extra = new Uint8Array(32);
      for (let counter = 1; grind; counter++) {
        lib.secp256k1_ecdsa_signature_serialize_compact(ctx, compactBuf, sigBuf);
        if (compactBuf[0] < 0x80) break;
        new DataView(extra.buffer).setUint32(0, counter, true);
        signOnce(msg32, seckey, extra);
      }
      const der = new Uint8Array(72);
      outLen[0] = 72n;
      lib.secp256k1_ecdsa_signature_serialize_der(ctx, der, outLenBytes, sigBuf);
      return der.slice(0, Number(outLen[0]));
    },

    publicKeyFromSecret(seckey: Uint8Array, compressed: boolean): Uint8Array {
      if (seckey.length !== 32 || lib.secp256k1_ec_pubkey_create(ctx, pubkeyBuf, seckey) !== 1) {
        throw new RangeError("invalid secret key");
      }
      return serializePubkey(compressed);
    },

    normalizePublicKey(pubkey: Uint8Array, compressed: boolean): Uint8Array | null {
      return parsePubkey(pubkey) ? serializePubkey(compressed) : null;
    },

    isValidSecret(seckey: Uint8Array): boolean {
      return seckey.length === 32 && lib.secp256k1_ec_seckey_verify(ctx, seckey) === 1;
    },

    privateKeyTweakAdd(seckey: Uint8Array, tweak: Uint8Array): Uint8Array | null {
      if (seckey.length !== 32 || tweak.length !== 32) return null;
      if (lib.secp256k1_ec_seckey_verify(ctx, seckey) !== 1) return null;
      const out = seckey.slice();
      return lib.secp256k1_ec_seckey_tweak_add(ctx, out, tweak) === 1 ? out : null;
    },

    publicKeyTweakAdd(
      pubkey: Uint8Array,
      tweak: Uint8Array,
      compressed: boolean,
    ): Uint8Array | null {
      if (tweak.length !== 32 || !parsePubkey(pubkey)) return null;
      if (lib.secp256k1_ec_pubkey_tweak_add(ctx, pubkeyBuf, tweak) !== 1) return null;
      return serializePubkey(compressed);
    },

    signSchnorr(
      msg32: Uint8Array,
      seckey: Uint8Array,
      aux32: Uint8Array,
      tweak32?: Uint8Array,
    ): Uint8Array {
      if (seckey.length !== 32 || lib.secp256k1_keypair_create(ctx, keypairBuf, seckey) !== 1) {
        throw new RangeError("invalid secret key");
      }
      if (
        tweak32 !== undefined &&
        lib.secp256k1_keypair_xonly_tweak_add(ctx, keypairBuf, tweak32) !== 1
      ) {
        throw new RangeError("invalid tweak");
      }
      const sig = new Uint8Array(64);
      if (lib.secp256k1_schnorrsig_sign32(ctx, sig, msg32, keypairBuf, aux32) !== 1) {
        throw new Error("schnorr signing failed");
      }
      return sig;
    },

    xOnlyPublicKey(seckey: Uint8Array): Uint8Array {
      if (seckey.length !== 32 || lib.secp256k1_keypair_create(ctx, keypairBuf, seckey) !== 1) {
        throw new RangeError("invalid secret key");
      }
      const xonly = new Uint8Array(64);
      lib.secp256k1_keypair_xonly_pub(ctx, xonly, null, keypairBuf);
      const out = new Uint8Array(32);
      lib.secp256k1_xonly_pubkey_serialize(ctx, out, xonly);
      return out;
    },
  };
}
