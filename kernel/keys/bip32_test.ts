import assert from "node:assert/strict";
import { encodeBase58Check } from "../address/base58.ts";
import { MAIN_PREFIXES, TEST_PREFIXES } from "../address/chain_prefixes.ts";
import { createPureSecp256k1 } from "../secp256k1/mod.ts";
import {
  decodeExtKey,
  decodeExtPubKey,
  deriveExtKey,
  deriveExtPubKey,
  encodeExtKey,
  encodeExtPubKey,
  extKeyFromSeed,
  neuterExtKey,
} from "./bip32.ts";
import { HARDENED } from "./key_path.ts";
import { decodeSecret } from "./wif.ts";

const secp = createPureSecp256k1();

// BIP32 test vector 1 (seed 000102...0f): path, xpub, xprv.
const VECTOR_1: [number[], string, string][] = [
  [
    [],
    "xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8",
    "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi",
  ],
  [
    [HARDENED],
    "xpub68Gmy5EdvgibQVfPdqkBBCHxA5htiqg55crXYuXoQRKfDBFA1WEjWgP6LHhwBZeNK1VTsfTFUHCdrfp1bgwQ9xv5ski8PX9rL2dZXvgGDnw",
    "xprv9uHRZZhk6KAJC1avXpDAp4MDc3sQKNxDiPvvkX8Br5ngLNv1TxvUxt4cV1rGL5hj6KCesnDYUhd7oWgT11eZG7XnxHrnYeSvkzY7d2bhkJ7",
  ],
  [
    [HARDENED, 1],
    "xpub6ASuArnXKPbfEwhqN6e3mwBcDTgzisQN1wXN9BJcM47sSikHjJf3UFHKkNAWbWMiGj7Wf5uMash7SyYq527Hqck2AxYysAA7xmALppuCkwQ",
    "xprv9wTYmMFdV23N2TdNG573QoEsfRrWKQgWeibmLntzniatZvR9BmLnvSxqu53Kw1UmYPxLgboyZQaXwTCg8MSY3H2EU4pWcQDnRnrVA1xe8fs",
  ],
  [
    [HARDENED, 1, HARDENED + 2],
    "xpub6D4BDPcP2GT577Vvch3R8wDkScZWzQzMMUm3PWbmWvVJrZwQY4VUNgqFJPMM3No2dFDFGTsxxpG5uJh7n7epu4trkrX7x7DogT5Uv6fcLW5",
    "xprv9z4pot5VBttmtdRTWfWQmoH1taj2axGVzFqSb8C9xaxKymcFzXBDptWmT7FwuEzG3ryjH4ktypQSAewRiNMjANTtpgP4mLTj34bhnZX7UiM",
  ],
];

Deno.test("derives BIP32 test vector 1 from its seed", async (t) => {
  const seed = Uint8Array.from({ length: 16 }, (_, i) => i);
  const master = extKeyFromSeed(seed);
  assert.ok(master);
  for (const [path, xpub, xprv] of VECTOR_1) {
    await t.step(path.map((i) => i.toString(16)).join("/") || "m", () => {
      let key = master;
      for (const index of path) key = deriveExtKey(key, index, secp)!;
      assert.equal(encodeExtKey(key, MAIN_PREFIXES), xprv);
      assert.equal(encodeExtPubKey(neuterExtKey(key, secp), MAIN_PREFIXES), xpub);
      assert.deepEqual(decodeExtKey(xprv, MAIN_PREFIXES), key);
      assert.deepEqual(decodeExtPubKey(xpub, MAIN_PREFIXES, secp), neuterExtKey(key, secp));
    });
  }
});

Deno.test("public derivation matches private derivation for non-hardened children", () => {
  const parent = decodeExtKey(VECTOR_1[2][2], MAIN_PREFIXES)!;
  const viaPrivate = neuterExtKey(deriveExtKey(parent, 2, secp)!, secp);
  const viaPublic = deriveExtPubKey(neuterExtKey(parent, secp), 2, secp);
  assert.deepEqual(viaPublic, viaPrivate);
  assert.equal(deriveExtPubKey(neuterExtKey(parent, secp), HARDENED, secp), null);
});

Deno.test("extended keys are bound to their network and kind", () => {
  const [, xpub, xprv] = VECTOR_1[0];
  assert.equal(decodeExtKey(xprv, TEST_PREFIXES), null);
  assert.equal(decodeExtKey(xpub, MAIN_PREFIXES), null);
  assert.equal(decodeExtPubKey(xprv, MAIN_PREFIXES, secp), null);
  assert.equal(decodeExtPubKey(xpub.slice(0, -1) + "9", MAIN_PREFIXES, secp), null);
});

Deno.test("rejects a master key with a parent fingerprint", () => {
  const key = decodeExtKey(VECTOR_1[0][2], MAIN_PREFIXES)!;
  const bad = encodeExtKey(
    { ...key, parentFingerprint: new Uint8Array([0, 0, 0, 1]) },
    MAIN_PREFIXES,
  );
  assert.equal(decodeExtKey(bad, MAIN_PREFIXES), null);
});

Deno.test("key decoders return null, never throw, on mutated strings", () => {
  const samples = [VECTOR_1[1][1], VECTOR_1[1][2]];
  const alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0OIl ";
  let seed = 5;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed % n;
  };
  for (let i = 0; i < 300; i++) {
    const chars = samples[next(2)].split("");
    const at = next(chars.length);
    if (next(2) === 0) chars[at] = alphabet[next(alphabet.length)];
    else chars.splice(at, next(3));
    const text = chars.join("");
    decodeExtKey(text, MAIN_PREFIXES);
    decodeExtPubKey(text, MAIN_PREFIXES, secp);
    decodeSecret(text, MAIN_PREFIXES);
  }
});

Deno.test("decodes checksummed random payloads without throwing", () => {
  let seed = 11;
  const byte = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  let accepted = 0;
  for (let i = 0; i < 300; i++) {
    const body = Uint8Array.from({ length: 74 }, byte);
    if (i % 2 === 0) body[0] = 0; // master keys need a zero fingerprint and child number
    if (i % 3 === 0) body[41] = 2 + (i % 2); // plausible compressed-key header / xprv padding
    if (i % 3 === 1) body[41] = 0;
    for (const prefix of [MAIN_PREFIXES.extPub, MAIN_PREFIXES.extSec]) {
      const text = encodeBase58Check(Uint8Array.from([...prefix, ...body]));
      const pub = decodeExtPubKey(text, MAIN_PREFIXES, secp);
      const prv = decodeExtKey(text, MAIN_PREFIXES);
      if (pub) assert.equal(encodeExtPubKey(pub, MAIN_PREFIXES), text);
      if (prv) assert.equal(encodeExtKey(prv, MAIN_PREFIXES), text);
      if (pub || prv) accepted++;
    }
  }
  assert.ok(accepted > 0);
});
