/**
 * The libcrypto (OpenSSL 3) hash backend through `Deno.dlopen`: SHA-256 and
 * RIPEMD-160 compression functions at C speed (SHA-256 with the CPU's SHA
 * extensions where it has them). Like `kernel/secp256k1/native_backend.ts`,
 * the only kind of kernel file that touches `Deno.*`: import it only from
 * start-up code (node role, script-check workers, tests, benchmarks), never
 * from kernel code.
 *
 * It calls the low-level `SHA256_Update` / `RIPEMD160_Update` on contexts it
 * owns, always with whole 64-byte blocks: for those the library only runs
 * its block function over the chaining value at the start of the context, so
 * kernel/hash keeps doing the padding and can start from any midstate. The
 * one-shot `SHA256()` goes through OpenSSL 3's EVP fetch machinery and costs
 * ~0.4 µs per call here, more than TypeScript for short messages; a
 * `SHA256_Update` of one block costs ~0.05 µs, FFI call included.
 */
import type { HashBackend } from "./hash_backend.ts";

/** Where Debian's libssl3 installs libcrypto. */
export const DEFAULT_LIBCRYPTO_PATH = "/usr/lib/x86_64-linux-gnu/libcrypto.so.3";

const SYMBOLS = {
  SHA256_Update: { parameters: ["buffer", "buffer", "usize"], result: "i32" },
  RIPEMD160_Update: { parameters: ["buffer", "buffer", "usize"], result: "i32" },
} as const;

/** `SHA256_CTX`: h[8], Nl, Nh, data[16], num, md_len (112 bytes). */
const SHA256_CONTEXT_WORDS = 28;
/** `RIPEMD160_CTX`: A..E, Nl, Nh, data[16], num (92 bytes, rounded up). */
const RIPEMD160_CONTEXT_WORDS = 24;

/** `size_t` arguments for 0..64 blocks, made once (a BigInt per call is garbage). */
const BLOCK_LENGTHS = Array.from({ length: 65 }, (_, i) => BigInt(64 * i));

function lengthArgument(length: number): bigint {
  const blocks = length >>> 6;
  return blocks < BLOCK_LENGTHS.length ? BLOCK_LENGTHS[blocks] : BigInt(length);
}

/** The library reads `length` bytes from the start of `data`: never past its end. */
function checkBlocks(data: Uint8Array, length: number): void {
  if (length <= 0 || (length & 63) !== 0 || length > data.length) {
    throw new RangeError("native hash: whole 64-byte blocks inside the buffer only");
  }
}

/**
 * Loads libcrypto from an absolute path and returns a hash backend bound to
 * two contexts kept for the life of the thread. Throws when the library or a
 * symbol is missing, when FFI is not permitted, or when the library's
 * digests disagree with a known answer (so a surprise in the context layout
 * can never yield wrong hashes); callers keep the pure backend then.
 *
 * @example
 * ```ts
 * import { loadNativeHashBackend } from "./native_backend.ts";
 * import { useHashBackend } from "./hash_backend.ts";
 * useHashBackend(loadNativeHashBackend()); // needs --allow-ffi for the library path
 * ```
 */
export function loadNativeHashBackend(path: string = DEFAULT_LIBCRYPTO_PATH): HashBackend {
  const lib = Deno.dlopen(path, SYMBOLS).symbols;
  // The chaining values are the first words of each context; the rest of the context is
  // bookkeeping the library updates (bit count) and never reads for whole blocks.
  const sha256Context = new Int32Array(SHA256_CONTEXT_WORDS);
  const ripemd160Context = new Int32Array(RIPEMD160_CONTEXT_WORDS);
  const backend: HashBackend = {
    backend: "native",
    sha256State: sha256Context.subarray(0, 8),
    sha256Blocks(data: Uint8Array, length: number): void {
      checkBlocks(data, length);
      lib.SHA256_Update(sha256Context, data, lengthArgument(length));
    },
    ripemd160State: ripemd160Context.subarray(0, 5),
    ripemd160Blocks(data: Uint8Array, length: number): void {
      checkBlocks(data, length);
      lib.RIPEMD160_Update(ripemd160Context, data, lengthArgument(length));
    },
    sha256DirectLimit: Number.MAX_SAFE_INTEGER,
    ripemd160DirectLimit: Number.MAX_SAFE_INTEGER,
  };
  selfTest(backend);
  return backend;
}

/** Known-answer check of both compression functions: the padded empty message. */
function selfTest(backend: HashBackend): void {
  const block = new Uint8Array(64);
  block[0] = 0x80;
  backend.sha256State.set([
    0x6a09e667,
    0xbb67ae85,
    0x3c6ef372,
    0xa54ff53a,
    0x510e527f,
    0x9b05688c,
    0x1f83d9ab,
    0x5be0cd19,
  ]);
  backend.sha256Blocks(block, 64);
  // SHA-256("") = e3b0c442 98fc1c14 ...
  const sha256Ok = backend.sha256State[0] === (0xe3b0c442 | 0) &&
    backend.sha256State[1] === (0x98fc1c14 | 0);
  backend.ripemd160State.set([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0]);
  backend.ripemd160Blocks(block, 64);
  // RIPEMD-160("") = 9c1185a5 c5e9fc54 ... (bytes; the words are little-endian).
  const ripemd160Ok = backend.ripemd160State[0] === (0xa585119c | 0) &&
    backend.ripemd160State[1] === (0x54fce9c5 | 0);
  if (!sha256Ok || !ripemd160Ok) throw new Error("libcrypto hash self-test failed");
}
