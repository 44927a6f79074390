// Test support: runs a test once per hash backend (the pure one always, the
// libcrypto one when it loads), with that backend installed for the test.
import { createPureHashBackend, type HashBackend, useHashBackend } from "./hash_backend.ts";
import { loadNativeHashBackend } from "./native_backend.ts";

/** The backends to test: native first when libcrypto loads here, then pure. */
export const HASH_BACKENDS: readonly HashBackend[] = (() => {
  const backends = [createPureHashBackend()];
  try {
    backends.unshift(loadNativeHashBackend());
  } catch {
    // No libcrypto or no FFI permission: only the pure backend runs (its test names say so).
  }
  return backends;
})();

/** Runs `fn` with `backend` installed, restoring the previous backend afterwards. */
export function withHashBackend<T>(backend: HashBackend, fn: () => T): T {
  const previous = useHashBackend(backend);
  try {
    return fn();
  } finally {
    useHashBackend(previous);
  }
}

/** Registers `fn` as one test per backend, named `[backend] name`. */
export function testEachHashBackend(name: string, fn: () => void): void {
  for (const backend of HASH_BACKENDS) {
    Deno.test(`[${backend.backend}] ${name}`, () => withHashBackend(backend, fn));
  }
}
