import assert from "node:assert/strict";
import type { ChainEntry } from "../chain/chain_entry.ts";
import { selectParams } from "../chain/chain_params.ts";
import { OutPoint } from "../primitives/outpoint.ts";
import { TxOut } from "../primitives/tx_out.ts";
import { VerifyFlags } from "../script/flags.ts";
import { createPureSecp256k1 } from "../secp256k1/pure_backend.ts";
import {
  activeRulesAtTime,
  activeRulesForEntry,
  RULES_PROTOCOL_CLEANUP,
  RULES_SIZE_EXPANSION,
} from "./rule_set.ts";
import { getBlockScriptFlags, isTriviallySpendableCoin } from "./script_check.ts";
import { createScriptVerifier } from "./script_verifier.ts";

const verify = createScriptVerifier(createPureSecp256k1());
const prevout = new OutPoint(new Uint8Array(32).fill(3), 0);
const trivialFlags = VerifyFlags.P2SH | VerifyFlags.WITNESS | VerifyFlags.CLEANSTACK |
  VerifyFlags.DERSIG;

function trivially(script: number[]): boolean {
  const coin = { output: new TxOut(0n, new Uint8Array(script)), refheight: 5 };
  return isTriviallySpendableCoin(coin, prevout, trivialFlags, verify);
}

Deno.test("OP_TRUE and unknown witness versions are trivially spendable; OP_FALSE and empty are not", () => {
  assert.equal(trivially([0x51]), true);
  assert.equal(trivially([0x52, 0x02, 0x01, 0x02]), true, "v3 witness program, anyone-can-spend");
  assert.equal(trivially([0x00]), false);
  assert.equal(trivially([]), false);
  // P2WSH of OP_TRUE needs its script in the witness.
  const p2wsh = [0x00, 0x20, ...new Array(32).fill(7)];
  assert.equal(trivially(p2wsh), false);
});

function entry(height: number, time = 1_000_000): ChainEntry {
  return { height, hash: new Uint8Array(32), version: 4, time, bits: 0, prev: undefined };
}

Deno.test("block script flags follow BIP66, the cleanup height and the size-expansion time", () => {
  const regtest =
    selectParams("regtest", { activationHeights: { dersig: 10, cleanup: 20 } }).consensus;
  const base = VerifyFlags.P2SH | VerifyFlags.WITNESS | VerifyFlags.TAPROOT;
  assert.equal(getBlockScriptFlags(entry(9), regtest), base);
  assert.equal(getBlockScriptFlags(entry(10), regtest), base | VerifyFlags.DERSIG);
  assert.equal(
    getBlockScriptFlags(entry(20), regtest),
    (base | VerifyFlags.DERSIG | VerifyFlags.PROTOCOL_CLEANUP) >>> 0,
  );
  const main = selectParams("main").consensus;
  const after: ChainEntry = { ...entry(500_000), prev: entry(499_999, 1_776_297_600) };
  assert.ok(getBlockScriptFlags(after, main) & VerifyFlags.SIZE_EXPANSION);
});

Deno.test("rule sets: cleanup by parent height, size expansion by parent MTP or clock", () => {
  const main = selectParams("main").consensus;
  assert.equal(activeRulesForEntry(main, entry(424_779)), 0);
  assert.equal(activeRulesForEntry(main, entry(424_780)), RULES_PROTOCOL_CLEANUP);
  assert.equal(
    activeRulesForEntry(main, entry(424_780, 1_776_297_600)),
    RULES_PROTOCOL_CLEANUP | RULES_SIZE_EXPANSION,
  );
  assert.equal(activeRulesAtTime(main, 1729062000 - 10800), 0);
  assert.equal(activeRulesAtTime(main, 1729062000 - 10799), RULES_PROTOCOL_CLEANUP);
  assert.equal(activeRulesForEntry(selectParams("regtest").consensus, entry(1_000_000)), 0);
});
