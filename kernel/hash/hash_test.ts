import assert from "node:assert/strict";
import { testEachHashBackend } from "./_test_backends.ts";
import { hash160, ripemd160, ripemd160Into } from "./ripemd160.ts";
import { createHash } from "node:crypto";
import {
  hash256,
  sha256,
  sha256d,
  sha256dAfterBlockInto,
  sha256dConcat,
  sha256dInto,
  sha256FirstBlockState,
  sha256Into,
} from "./sha256.ts";
import { taggedHash } from "./tagged_hash.ts";
import { fastHash256 } from "./fast_hash.ts";
import { bytesToHex, hexToBytes } from "../encoding/hex.ts";
import { concatBytes } from "../encoding/bytes.ts";

const text = (s: string) => new TextEncoder().encode(s);
const vectors = JSON.parse(
  Deno.readTextFileSync(
    new URL("../../../shared/vectors/freicoin-protocol-vectors.json", import.meta.url),
  ),
);

testEachHashBackend("sha256d is SHA-256 applied twice", () => {
  assert.equal(
    bytesToHex(sha256d(new Uint8Array())),
    "5df6e0e2761359d30a8275058e299fcc0381534545f55cf43e41983f5d4c9456",
  );
  assert.deepEqual(hash256(text("x")), sha256(sha256(text("x"))));
});

testEachHashBackend("ripemd160 and hash160 match known values", () => {
  assert.equal(bytesToHex(ripemd160(text("abc"))), "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc");
  // HASH160 of the compressed public key of private key 1.
  const pubkey = hexToBytes(vectors.addresses_privkey_1.pubkey);
  assert.equal(bytesToHex(hash160(pubkey)), "751e76e8199196d454941c45d1b3a323f1433bd6");
});

testEachHashBackend("taggedHash prefixes the doubled SHA-256 of the tag", () => {
  const tag = sha256(text("TapLeaf"));
  const message = text("payload");
  assert.deepEqual(taggedHash("TapLeaf", message), sha256(concatBytes(tag, tag, message)));
});

testEachHashBackend("fastHash256 matches the protocol vectors", () => {
  const fast = vectors.fast_merkle;
  assert.equal(
    bytesToHex(fastHash256(new Uint8Array(32), new Uint8Array(32))),
    fast["fastHash256(0^32,0^32)"],
  );
  const counting = Uint8Array.from({ length: 64 }, (_, i) => i);
  assert.equal(
    bytesToHex(fastHash256(counting.subarray(0, 32), counting.subarray(32))),
    fast["fastHash256(00..1f,20..3f)"],
  );
  assert.throws(() => fastHash256(new Uint8Array(31), new Uint8Array(32)), RangeError);
});

/** A deterministic message of `length` bytes. */
function message(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 131 + length) & 0xff);
}

function nodeDigest(algorithm: string, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(algorithm).update(data).digest());
}

testEachHashBackend(
  "sha256 and sha256d match node:crypto for every length 0..1100 and a long message",
  () => {
    const lengths = [...Array.from({ length: 1101 }, (_, i) => i), 4096, 100_003];
    for (const length of lengths) {
      const data = message(length);
      const once = nodeDigest("sha256", data);
      assert.deepEqual(sha256(data), once, `sha256 length ${length}`);
      assert.deepEqual(sha256d(data), nodeDigest("sha256", once), `sha256d length ${length}`);
    }
  },
);

testEachHashBackend("sha256dConcat equals sha256d of the joined parts, short and long", () => {
  const sizes = [
    [],
    [0],
    [5, 0, 70],
    [500, 524],
    [500, 525],
    [3000, 1],
    [2000, 7000, 1],
    [60000, 5536], // the longest joined concatenation
    [40000, 30000], // beyond it: node:crypto
  ];
  for (const lengths of sizes) {
    const joined = concatBytes(...lengths.map(message));
    const expected = nodeDigest("sha256", nodeDigest("sha256", joined));
    assert.deepEqual(sha256dConcat(lengths.map(message)), expected, `parts ${lengths}`);
  }
});

testEachHashBackend(
  "ripemd160 matches node:crypto for every length 0..300 and a long message",
  () => {
    for (const length of [...Array.from({ length: 301 }, (_, i) => i), 5000]) {
      const data = message(length);
      assert.deepEqual(ripemd160(data), nodeDigest("ripemd160", data), `length ${length}`);
    }
  },
);

testEachHashBackend("hashes of subarrays read only the viewed bytes", () => {
  const backing = message(300);
  const view = backing.subarray(7, 7 + 100);
  assert.deepEqual(sha256(view), nodeDigest("sha256", view.slice()));
  assert.deepEqual(ripemd160(view), nodeDigest("ripemd160", view.slice()));
});

testEachHashBackend("interleaved hash calls do not disturb each other's results", () => {
  const a = message(100);
  const first = sha256(a);
  const firstRipemd = ripemd160(a);
  sha256d(message(40));
  ripemd160(message(70));
  assert.deepEqual(sha256(a), first);
  assert.deepEqual(ripemd160(a), firstRipemd);
});

testEachHashBackend(
  "the Into variants write the same digests at an offset and touch nothing else",
  () => {
    for (const length of [0, 33, 64, 200, 2000]) {
      const data = message(length);
      const out = new Uint8Array(40).fill(0xee);
      sha256Into(data, out, 3);
      assert.deepEqual(out.subarray(3, 35), sha256(data));
      sha256dInto(data, out, 5);
      assert.deepEqual(out.subarray(5, 37), sha256d(data));
      ripemd160Into(data, out, 7);
      assert.deepEqual(out.subarray(7, 27), ripemd160(data));
      assert.deepEqual([out[0], out[1], out[2], out[37], out[39]], [0xee, 0xee, 0xee, 0xee, 0xee]);
    }
  },
);

testEachHashBackend(
  "sha256dAfterBlockInto resumes from a first-block state for short and long rests",
  () => {
    const first = message(64);
    const state = sha256FirstBlockState(first);
    for (const length of [0, 1, 55, 56, 63, 64, 140, 1024, 1025, 3000]) {
      const rest = message(length);
      const out = new Uint8Array(32);
      sha256dAfterBlockInto(state, rest, out);
      assert.deepEqual(out, sha256d(concatBytes(first, rest)), `rest length ${length}`);
    }
    assert.throws(() => sha256FirstBlockState(message(63)), RangeError);
  },
);
