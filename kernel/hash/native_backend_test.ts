import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { type HashBackend, hashBackend, useHashBackend } from "./hash_backend.ts";
import { loadNativeHashBackend } from "./native_backend.ts";
import { ripemd160 } from "./ripemd160.ts";
import { sha256, sha256d } from "./sha256.ts";
import { withHashBackend } from "./_test_backends.ts";

let native: HashBackend | undefined;
try {
  native = loadNativeHashBackend();
} catch {
  // No libcrypto or no FFI permission: nothing to test here (hash_test.ts covers the pure backend).
}

const nodeDigest = (algorithm: string, data: Uint8Array) =>
  new Uint8Array(createHash(algorithm).update(data).digest());

Deno.test({
  name: "the native backend refuses partial blocks and lengths beyond the buffer",
  ignore: native === undefined,
  fn: () => {
    const backend = native!;
    for (const [size, length] of [[64, 0], [64, 63], [64, 65], [100, 128], [64, 128]]) {
      const data = new Uint8Array(size);
      assert.throws(() => backend.sha256Blocks(data, length), RangeError, `${size}/${length}`);
      assert.throws(() => backend.ripemd160Blocks(data, length), RangeError, `${size}/${length}`);
    }
  },
});

Deno.test({
  name: "the native backend hashes views of shared and offset buffers",
  ignore: native === undefined,
  fn: () => {
    const shared = new Uint8Array(new SharedArrayBuffer(600));
    for (let i = 0; i < shared.length; i++) shared[i] = (i * 37) & 0xff;
    withHashBackend(native!, () => {
      for (const [start, end] of [[0, 600], [1, 65], [13, 513], [64, 128]]) {
        const view = shared.subarray(start, end);
        const copy = view.slice();
        assert.deepEqual(sha256(view), nodeDigest("sha256", copy), `sha256 ${start}..${end}`);
        assert.deepEqual(sha256d(view), nodeDigest("sha256", nodeDigest("sha256", copy)));
        assert.deepEqual(ripemd160(view), nodeDigest("ripemd160", copy));
      }
    });
  },
});

Deno.test({
  name: "useHashBackend installs a backend and hands back the previous one",
  ignore: native === undefined,
  fn: () => {
    const before = hashBackend();
    const previous = useHashBackend(native!);
    try {
      assert.equal(previous, before);
      assert.equal(hashBackend().backend, "native");
    } finally {
      useHashBackend(previous);
    }
    assert.equal(hashBackend(), before);
  },
});

Deno.test("loading the native backend from a missing library throws (callers keep the pure one)", () => {
  assert.throws(() => loadNativeHashBackend("/nonexistent/libcrypto.so.3"));
});
