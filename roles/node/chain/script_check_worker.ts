/**
 * Worker side of {@link ScriptCheckPool} (the reference's script-check threads): receives a
 * share of a block's transactions with the outputs they spend, verifies every input, and
 * reports through a shared Int32Array so the chainstate can wait without an event loop turn.
 *
 * Control words: [0] = 0 pending, 1 all valid, 2 some input failed; [1] (init only) = 1 ready.
 */
/// <reference lib="deno.worker" />

import { createScriptVerifier } from "../../../kernel/consensus/script_verifier.ts";
import type { ScriptVerifier, SpentOutputInfo } from "../../../kernel/consensus/script_check.ts";
import { decodeTransaction } from "../../../kernel/primitives/transaction.ts";
import { TxOut } from "../../../kernel/primitives/tx_out.ts";
import { createPureSecp256k1 } from "../../../kernel/secp256k1/pure_backend.ts";
import { loadNativeSecp256k1 } from "../../../kernel/secp256k1/native_backend.ts";
import type { ScriptCheckMessage } from "./script_check_pool.ts";

let verify: ScriptVerifier | undefined;

function checkShare(message: Extract<ScriptCheckMessage, { kind: "check" }>): boolean {
  for (const job of message.txs) {
    const tx = decodeTransaction(job.bytes);
    const spent: SpentOutputInfo[] = job.spent.map((s) => ({
      output: new TxOut(s.value, s.script),
      refheight: s.refheight,
    }));
    for (let i = 0; i < tx.inputs.length; i++) {
      if (!verify!(tx, i, message.flags, spent).ok) return false;
    }
  }
  return true;
}

self.onmessage = (event: MessageEvent<ScriptCheckMessage>) => {
  const message = event.data;
  const control = new Int32Array(message.control);
  if (message.kind === "init") {
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
  let ok = false;
  try {
    ok = checkShare(message);
  } catch {
    ok = false;
  }
  Atomics.store(control, 0, ok ? 1 : 2);
  Atomics.notify(control, 0);
};
