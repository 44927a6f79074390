/**
 * Worker side of {@link ScriptCheckPool} (the reference's script-check threads). After the
 * one init message it never returns to its event loop: it sleeps in `Atomics.wait` on the
 * batch generation, claims jobs one at a time through the shared control words
 * ({@link Control}), reads them from the shared job buffer, and reports through the control
 * words, so the chainstate can wait without an event-loop turn on either side.
 */
/// <reference lib="deno.worker" />

import { createScriptVerifier } from "../../../kernel/consensus/script_verifier.ts";
import type { ScriptVerifier } from "../../../kernel/consensus/script_check.ts";
import { useHashBackend } from "../../../kernel/hash/mod.ts";
import { loadNativeHashBackend } from "../../../kernel/hash/native_backend.ts";
import { createPureSecp256k1 } from "../../../kernel/secp256k1/pure_backend.ts";
import { loadNativeSecp256k1 } from "../../../kernel/secp256k1/native_backend.ts";
import { CLOSED, Control, type ScriptCheckInit } from "./script_check_pool.ts";
import { unpackJob } from "./script_check_jobs.ts";

function checkJob(
  verify: ScriptVerifier,
  jobs: SharedArrayBuffer,
  index: number,
  flags: number,
): boolean {
  try {
    const { tx, spent } = unpackJob(jobs, index);
    for (let i = 0; i < tx.inputs.length; i++) {
      if (!verify(tx, i, flags, spent).ok) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** Claims jobs of the open batch until none is left; a failure marks the batch failed. */
function work(verify: ScriptVerifier, control: Int32Array, jobs: SharedArrayBuffer): void {
  for (;;) {
    const index = Atomics.add(control, Control.NEXT, 1);
    // Read after the claim: a successful claim means the batch was fully written first.
    const count = Atomics.load(control, Control.COUNT);
    if (index >= CLOSED || index >= count) return;
    if (Atomics.load(control, Control.FAILED) === 0) {
      const flags = Atomics.load(control, Control.FLAGS) >>> 0;
      if (!checkJob(verify, jobs, index, flags)) Atomics.store(control, Control.FAILED, 1);
    }
    // Only the last job wakes the waiting thread.
    if (Atomics.add(control, Control.DONE, 1) + 1 === count) Atomics.notify(control, Control.DONE);
  }
}

/** Sleeps until a batch opens, works on it, and again, until the pool stops. */
function serve(init: ScriptCheckInit, verify: ScriptVerifier): void {
  const control = new Int32Array(init.control);
  let seen = Atomics.load(control, Control.GENERATION);
  Atomics.store(control, Control.READY + init.slot, 1);
  Atomics.notify(control, Control.READY + init.slot);
  for (;;) {
    // STOP is set before the generation moves, so a close is never missed.
    if (Atomics.load(control, Control.STOP) === 1) return;
    Atomics.wait(control, Control.GENERATION, seen);
    if (Atomics.load(control, Control.STOP) === 1) return;
    Atomics.add(control, Control.ACTIVE, 1);
    seen = Atomics.load(control, Control.GENERATION);
    work(verify, control, init.jobs);
    if (Atomics.sub(control, Control.ACTIVE, 1) === 1) Atomics.notify(control, Control.ACTIVE);
  }
}

self.onmessage = (event: MessageEvent<ScriptCheckInit>) => {
  const init = event.data;
  if (init.kind !== "init") return;
  let secp;
  try {
    secp = init.native ? loadNativeSecp256k1() : createPureSecp256k1();
  } catch {
    secp = createPureSecp256k1();
  }
  if (init.native) {
    // Each worker picks its own hash backend, as the main thread does at start-up.
    try {
      useHashBackend(loadNativeHashBackend());
    } catch {
      // libcrypto not loadable here: the TypeScript hashes (same digests).
    }
  }
  serve(init, createScriptVerifier(secp));
  self.close();
};
