import assert from "node:assert/strict";
import { testEachHashBackend } from "./_test_backends.ts";
import {
  Sha256,
  SHA256_INITIAL_STATE,
  sha256Compress,
  sha256dPair,
  stateToBytes,
} from "./sha256_midstate.ts";
import { sha256 } from "./sha256.ts";
import { FAST_MERKLE_IV } from "./fast_hash.ts";
import { bytesToHex } from "../encoding/hex.ts";

const text = (s: string) => new TextEncoder().encode(s);

testEachHashBackend("Sha256 matches the FIPS 180-4 examples", () => {
  assert.equal(
    bytesToHex(new Sha256().write(text("abc")).finalize()),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  assert.equal(
    bytesToHex(new Sha256().finalize()),
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  );
  assert.equal(
    bytesToHex(
      new Sha256().write(text("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))
        .finalize(),
    ),
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
  );
});

testEachHashBackend(
  "Sha256 agrees with node:crypto for every length up to 300 in uneven chunks",
  () => {
    const data = Uint8Array.from({ length: 300 }, (_, i) => (i * 131 + 7) & 0xff);
    for (let n = 0; n <= 300; n++) {
      const hasher = new Sha256();
      const message = data.subarray(0, n);
      for (let at = 0; at < n; at += 1 + (at % 70)) {
        hasher.write(message.subarray(at, Math.min(n, at + 1 + (at % 70))));
      }
      assert.deepEqual(hasher.finalize(), sha256(message), `length ${n}`);
    }
  },
);

testEachHashBackend("Sha256 resumes from a reported midstate, buffer and length", () => {
  const data = Uint8Array.from({ length: 200 }, (_, i) => i);
  const first = new Sha256().write(data.subarray(0, 150));
  const resumed = new Sha256(first.midstate(), {
    buffer: first.pendingBytes(),
    length: first.length,
  });
  resumed.write(data.subarray(150));
  assert.deepEqual(resumed.finalize(), sha256(data));
});

testEachHashBackend("the fast Merkle IV is the state after compressing SHA256('') twice", () => {
  const empty = sha256(new Uint8Array());
  const block = new Uint8Array(64);
  block.set(empty, 0);
  block.set(empty, 32);
  const state = new Uint32Array(SHA256_INITIAL_STATE);
  sha256Compress(state, block);
  assert.deepEqual(stateToBytes(state), FAST_MERKLE_IV);
});

testEachHashBackend("the midstate constructor rejects a buffer shorter than length % 64", () => {
  assert.throws(() => new Sha256(new Uint8Array(32), { length: 3 }), RangeError);
  assert.throws(() => new Sha256(new Uint8Array(31)), RangeError);
});

testEachHashBackend("sha256dPair equals SHA256d of the 64-byte concatenation", () => {
  for (let i = 0; i < 50; i++) {
    const left = sha256(new Uint8Array([i]));
    const right = sha256(new Uint8Array([i, 1]));
    const joined = new Uint8Array(64);
    joined.set(left);
    joined.set(right, 32);
    assert.deepEqual(sha256dPair(left, right), sha256(sha256(joined)));
  }
  assert.throws(() => sha256dPair(new Uint8Array(32), new Uint8Array(33)), RangeError);
});
