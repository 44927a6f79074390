import assert from "node:assert/strict";
import { createPureSecp256k1, type Secp256k1, verifySchnorrPure } from "./mod.ts";
import { loadNativeSecp256k1 } from "./native_backend.ts";
import { encodeDer, parseDerLax, toBytes32 } from "./der.ts";
import { createHash } from "node:crypto";

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const unhex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (h) => parseInt(h, 16));
const sha256 = (s: string) => new Uint8Array(createHash("sha256").update(s).digest());

const backends: Secp256k1[] = [createPureSecp256k1()];
try {
  backends.unshift(loadNativeSecp256k1());
} catch {
  // No system library: only the pure backend runs (its test names say so).
}

const ONE = toBytes32(1n);
const G_COMPRESSED = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
const G_UNCOMPRESSED = "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798" +
  "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8";

for (const secp of backends) {
  const name = `[${secp.backend}]`;

  Deno.test(`${name} derives the generator from secret key 1`, () => {
    assert.equal(hex(secp.publicKeyFromSecret(ONE, true)), G_COMPRESSED);
    assert.equal(hex(secp.publicKeyFromSecret(ONE, false)), G_UNCOMPRESSED);
  });

  Deno.test(`${name} signs low-S, low-R and verifies; rejects a wrong message`, () => {
    for (let i = 1; i <= 8; i++) {
      const key = sha256(`key${i}`);
      const msg = sha256(`msg${i}`);
      const pub = secp.publicKeyFromSecret(key, true);
      const sig = secp.signEcdsa(msg, key);
      assert.ok(sig.length <= 70, "low R grinding keeps the signature ≤ 70 bytes");
      assert.ok(secp.verifyEcdsa(sig, msg, pub));
      assert.ok(secp.verifyEcdsa(sig, msg, secp.publicKeyFromSecret(key, false)));
      assert.ok(!secp.verifyEcdsa(sig, sha256("other"), pub));
    }
  });

  Deno.test(`${name} verifies a high-S signature (verification normalizes S)`, () => {
    const key = sha256("k");
    const msg = sha256("m");
    const parsed = parseDerLax(secp.signEcdsa(msg, key))!;
    const high = encodeDer({
      r: parsed.r,
      s: 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n - parsed.s,
    });
    assert.ok(secp.verifyEcdsa(high, msg, secp.publicKeyFromSecret(key, true)));
  });

  Deno.test(`${name} rejects invalid public keys and accepts hybrid ones`, () => {
    assert.equal(secp.normalizePublicKey(unhex("02" + "00".repeat(32)), true), null);
    assert.equal(secp.normalizePublicKey(unhex("05" + G_COMPRESSED.slice(2)), true), null);
    assert.equal(secp.normalizePublicKey(unhex(G_COMPRESSED).subarray(0, 32), true), null);
    const hybrid = unhex("06" + G_UNCOMPRESSED.slice(2)); // y of G is even
    assert.equal(hex(secp.normalizePublicKey(hybrid, true)!), G_COMPRESSED);
    assert.equal(secp.normalizePublicKey(unhex("07" + G_UNCOMPRESSED.slice(2)), true), null);
  });

  Deno.test(`${name} validates secrets and tweaks keys consistently`, () => {
    assert.ok(!secp.isValidSecret(new Uint8Array(32)));
    assert.ok(
      !secp.isValidSecret(
        unhex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"),
      ),
    );
    assert.ok(secp.isValidSecret(ONE));
    const key = sha256("parent");
    const tweak = sha256("tweak");
    const child = secp.privateKeyTweakAdd(key, tweak)!;
    const childPub = secp.publicKeyTweakAdd(secp.publicKeyFromSecret(key, true), tweak, true)!;
    assert.equal(hex(secp.publicKeyFromSecret(child, true)), hex(childPub));
  });

  Deno.test(`${name} makes verifiable BIP340 signatures, tweaked or not`, () => {
    const key = sha256("schnorr");
    const msg = sha256("message");
    const aux = new Uint8Array(32);
    const sig = secp.signSchnorr(msg, key, aux);
    assert.ok(verifySchnorrPure(sig, msg, secp.xOnlyPublicKey(key)));
    assert.ok(!verifySchnorrPure(sig, sha256("x"), secp.xOnlyPublicKey(key)));
  });
}

if (backends.length === 2) {
  const [native, pure] = backends;
  Deno.test("[native vs pure] produce identical signatures and keys", () => {
    for (let i = 0; i < 6; i++) {
      const key = sha256(`cross${i}`);
      const msg = sha256(`cross-msg${i}`);
      assert.equal(hex(pure.signEcdsa(msg, key)), hex(native.signEcdsa(msg, key)));
      assert.equal(
        hex(pure.signEcdsa(msg, key, { grindLowR: false })),
        hex(native.signEcdsa(msg, key, { grindLowR: false })),
      );
      assert.equal(
        hex(pure.publicKeyFromSecret(key, false)),
        hex(native.publicKeyFromSecret(key, false)),
      );
      const aux = sha256(`aux${i}`);
      assert.equal(
        hex(pure.signSchnorr(msg, key, aux, aux)),
        hex(native.signSchnorr(msg, key, aux, aux)),
      );
      assert.equal(hex(pure.xOnlyPublicKey(key)), hex(native.xOnlyPublicKey(key)));
    }
  });
}

if (backends.length === 2) {
  const [native, pure] = backends;
  Deno.test("[native vs pure] agree on mutated signatures, messages and keys", () => {
    let x = 0x12345;
    const next = (n: number) => {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      return x % n;
    };
    let accepted = 0;
    for (let i = 0; i < 300; i++) {
      const key = sha256(`diff${i}`);
      const msg = sha256(`diff-msg${i}`);
      const sig = native.signEcdsa(msg, key, { grindLowR: next(2) === 0 });
      const pub = native.publicKeyFromSecret(key, next(2) === 0);
      const [s, m, p] = [sig.slice(), msg.slice(), pub.slice()];
      const target = next(4);
      if (target === 0) s[next(s.length)] ^= 1 << next(8);
      if (target === 1) m[next(32)] ^= 1 << next(8);
      if (target === 2) p[next(p.length)] ^= 1 << next(8);
      const verdict = native.verifyEcdsa(s, m, p);
      assert.equal(pure.verifyEcdsa(s, m, p), verdict, `case ${i}`);
      if (verdict) accepted++;
      const randomKey = Uint8Array.from({ length: next(2) ? 33 : 65 }, () => next(256));
      randomKey[0] = [2, 3, 4, 6, 7][next(5)];
      assert.deepEqual(
        pure.normalizePublicKey(randomKey, true),
        native.normalizePublicKey(randomKey, true),
      );
    }
    assert.ok(accepted > 50, "unmutated cases verify");
  });
}
