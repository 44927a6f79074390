/**
 * Shared helpers for the vector tests: reading `../shared/vectors/` (resolved
 * from this file, never copied), the secp256k1 backends to run against, and
 * a seeded PRNG standing in for the reference harness's InsecureRandBits.
 */
import { createPureSecp256k1, type Secp256k1 } from "../../kernel/secp256k1/mod.ts";
import { loadNativeSecp256k1 } from "../../kernel/secp256k1/native_backend.ts";

/** Absolute URL of a file in the shared vectors folder (project root's sibling `shared/vectors`). */
export function vectorUrl(name: string): URL {
  return new URL(`../../../shared/vectors/${name}`, import.meta.url);
}

/** Parses a JSON vector file. */
export function readVectorJson(name: string): unknown {
  return JSON.parse(Deno.readTextFileSync(vectorUrl(name)));
}

let backends: Secp256k1[] | null = null;

/** The native backend first (when libsecp256k1 loads), then the pure-TypeScript one. */
export function secpBackends(): Secp256k1[] {
  if (backends !== null) return backends;
  backends = [];
  try {
    backends.push(loadNativeSecp256k1());
  } catch {
    // No system libsecp256k1 on this machine: only the pure backend runs.
  }
  backends.push(createPureSecp256k1());
  return backends;
}

/** Deterministic xorshift32 PRNG, so a failing flag combination can be reproduced. */
export class SeededRandom {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0 || 1;
  }
  /** A uniformly random integer of `bits` bits (≤ 32). */
  bits(bits: number): number {
    let x = this.#state;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.#state = x;
    return bits >= 32 ? x : x & ((1 << bits) - 1);
  }
}

/** Short printable label of a vector for step names. */
export function label(index: number, entry: unknown): string {
  const text = JSON.stringify(entry);
  return `#${index} ${text.length > 90 ? text.slice(0, 87) + "..." : text}`;
}

/**
 * The reference's `ParseHex`: whitespace between bytes is skipped and any
 * malformed input yields the EMPTY vector (not an error).
 */
export function parseHexLenient(text: string): Uint8Array {
  const compact = text.replace(/[ \f\n\r\t\v]/g, "");
  if (!/^([0-9a-fA-F]{2})*$/.test(compact)) return new Uint8Array(0);
  return Uint8Array.from(compact.match(/../g) ?? [], (h) => parseInt(h, 16));
}
