import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { loadNativeSecp256k1 } from "./native_backend.ts";
import type { Secp256k1 } from "./secp256k1.ts";

const sha256 = (s: string) => new Uint8Array(createHash("sha256").update(s).digest());

let native: Secp256k1 | undefined;
try {
  native = loadNativeSecp256k1();
} catch {
  // No system library: nothing to test here (secp256k1_test.ts covers the pure backend).
}

Deno.test({
  name: "verifyEcdsa re-parses a key whenever its bytes differ from the last one",
  ignore: native === undefined,
  fn: () => {
    const secp = native!;
    const msg = sha256("msg");
    const keyA = sha256("key a");
    const keyB = sha256("key b");
    const pubA = secp.publicKeyFromSecret(keyA, true);
    const pubB = secp.publicKeyFromSecret(keyB, true);
    const sigA = secp.signEcdsa(msg, keyA);
    const sigB = secp.signEcdsa(msg, keyB);
    // The same key twice in a row (the second check reuses the parsed key).
    assert.equal(secp.verifyEcdsa(sigA, msg, pubA), true);
    assert.equal(secp.verifyEcdsa(sigA, msg, pubA), true);
    assert.equal(secp.verifyEcdsa(sigB, msg, pubA), false);
    // Another key, then back.
    assert.equal(secp.verifyEcdsa(sigB, msg, pubB), true);
    assert.equal(secp.verifyEcdsa(sigA, msg, pubB), false);
    assert.equal(secp.verifyEcdsa(sigA, msg, pubA), true);
    // The caller's array changed in place after a check: the new bytes are parsed.
    const reused = pubA.slice();
    assert.equal(secp.verifyEcdsa(sigA, msg, reused), true);
    reused.set(pubB);
    assert.equal(secp.verifyEcdsa(sigA, msg, reused), false);
    assert.equal(secp.verifyEcdsa(sigB, msg, reused), true);
    // An invalid key after a valid one, and the empty key, are rejected.
    const bad = pubA.slice();
    bad[0] = 0x05;
    assert.equal(secp.verifyEcdsa(sigA, msg, bad), false);
    assert.equal(secp.verifyEcdsa(sigA, msg, bad), false);
    assert.equal(secp.verifyEcdsa(sigA, msg, new Uint8Array(0)), false);
    assert.equal(secp.verifyEcdsa(sigA, msg, new Uint8Array(66)), false);
    // Key operations in between use their own buffer and leave verification intact.
    assert.equal(secp.verifyEcdsa(sigA, msg, pubA), true);
    secp.publicKeyFromSecret(keyB, false);
    secp.publicKeyTweakAdd(pubB, sha256("tweak"), true);
    assert.equal(secp.verifyEcdsa(sigA, msg, pubA), true);
    // The uncompressed form of the same point is another encoding, parsed anew.
    assert.equal(secp.verifyEcdsa(sigA, msg, secp.publicKeyFromSecret(keyA, false)), true);
  },
});
