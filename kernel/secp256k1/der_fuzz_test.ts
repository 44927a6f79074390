import assert from "node:assert/strict";
import { encodeDer, isValidSignatureEncoding, parseDerLax, parseDerStrict } from "./der.ts";

/** Deterministic xorshift32 so failures reproduce. */
function random(seed: number): (n: number) => number {
  let x = seed;
  return (n: number) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

function randomBytes(next: (n: number) => number, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => next(256));
}

Deno.test("DER parsers never throw on random bytes and agree where strict accepts", () => {
  const next = random(0xde5);
  for (let i = 0; i < 20000; i++) {
    const bytes = randomBytes(next, next(80));
    const lax = parseDerLax(bytes);
    const strict = parseDerStrict(bytes);
    isValidSignatureEncoding(bytes);
    if (strict !== null) {
      assert.ok(lax !== null);
      assert.equal(lax.r, strict.r);
      assert.equal(lax.s, strict.s);
    }
  }
});

Deno.test("mutated valid signatures: strict DER round-trips, lax never throws", () => {
  const next = random(0xbeef);
  for (let i = 0; i < 5000; i++) {
    const r = BigInt(
      "0x" +
        Array.from(randomBytes(next, 1 + next(32)), (b) => b.toString(16).padStart(2, "0")).join(
          "",
        ),
    ) + 1n;
    const s = BigInt(
      "0x" +
        Array.from(randomBytes(next, 1 + next(32)), (b) => b.toString(16).padStart(2, "0")).join(
          "",
        ),
    ) + 1n;
    const der = encodeDer({ r, s });
    const back = parseDerStrict(der);
    if (
      r < 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n &&
      s < 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n
    ) {
      assert.ok(back !== null, "a minimal encoding of in-range values parses strictly");
      assert.deepEqual(encodeDer(back), der);
    }
    const mutated = der.slice();
    mutated[next(mutated.length)] ^= 1 << next(8);
    parseDerLax(mutated);
    parseDerStrict(mutated);
    isValidSignatureEncoding(mutated);
    parseDerLax(mutated.subarray(0, next(mutated.length + 1)));
  }
});
