/**
 * Worker side of {@link ScriptCheckPool} (the reference's script-check threads): receives a
 * block's transactions with the outputs they spend, claims them one at a time through the
 * shared control words ({@link Control}), and reports through them, so the chainstate can
 * wait without an event-loop turn. The init message's control word 1 becomes 1 when ready.
 */
/// <reference lib="deno.worker" />

import { createScriptVerifier } from "../../../kernel/consensus/script_verifier.ts";
import type { ScriptVerifier } from "../../../kernel/consensus/script_check.ts";
import { createPureSecp256k1 } from "../../../kernel/secp256k1/pure_backend.ts";
import { loadNativeSecp256k1 } from "../../../kernel/secp256k1/native_backend.ts";
import { Control, type ScriptCheckMessage } from "./script_check_pool.ts";
import { packedJobCount, unpackJob } from "./script_check_jobs.ts";

type CheckMessage = Extract<ScriptCheckMessage, { kind: "check" }>;

let verify: ScriptVerifier | undefined;

function checkJob(jobs: SharedArrayBuffer, index: number, flags: number): boolean {
  const { tx, spent } = unpackJob(jobs, index);
  for (let i = 0; i < tx.inputs.length; i++) {
    if (!verify!(tx, i, flags, spent).ok) return false;
  }
  return true;
}

/** Claims jobs until none is left; a failure marks the whole check failed. */
function work(message: CheckMessage): void {
  const control = new Int32Array(message.control);
  const count = packedJobCount(message.jobs);
  for (;;) {
    const index = Atomics.add(control, Control.NEXT, 1);
    if (index >= count) return;
    if (Atomics.load(control, Control.FAILED) === 0) {
      let ok = false;
      try {
        ok = checkJob(message.jobs, index, message.flags);
      } catch {
        ok = false;
      }
      if (!ok) Atomics.store(control, Control.FAILED, 1);
    }
    // Only the last job wakes the waiting thread.
    if (Atomics.add(control, Control.DONE, 1) + 1 === count) Atomics.notify(control, Control.DONE);
  }
}

self.onmessage = (event: MessageEvent<ScriptCheckMessage>) => {
  const message = event.data;
  if (message.kind === "init") {
    const control = new Int32Array(message.control);
    let secp;
    try {
      secp = message.native ? loadNativeSecp256k1() : createPureSecp256k1();
    } catch {
      secp = createPureSecp256k1();
    }
    verify = createScriptVerifier(secp);
    Atomics.store(control, 1, 1);
    Atomics.notify(control, 1);
    return;
  }
  work(message);
};
