/**
 * Signature checks per second through the script interpreter (VerifyScript
 * with a TransactionSignatureChecker: sighash, encoding checks, verify) versus
 * raw `verifyEcdsa` calls of the same backend on the same signatures, in the
 * same run. Prints the ratio; the target is an interpreter overhead ≤ 15%.
 *
 * Cases: a 1-input P2WPK transaction (the protocol vectors' example; every
 * check builds its own per-transaction sighash data, as for a new
 * transaction), the inputs of a 10-input P2WPK transaction (one shared
 * sighash data, as the script verifier keeps per transaction; the checks
 * cycle through the inputs), and a 1-input P2PKH transaction (legacy sighash).
 * Each runs with native libsecp256k1 and native (libcrypto) hashes, as the
 * node starts when both load; with native signatures and the pure TypeScript
 * hashes, to show what the hash backend buys; and with both pure backends
 * (the sandboxed wallet's setup).
 *
 * Run: `deno run -A tests/bench/script_bench.ts` (or import and call `main()`).
 */
import { payToPubKeyScript, witnessV0ShortHashOfPubKey } from "../../kernel/address/destination.ts";
import { hexToBytes } from "../../kernel/encoding/hex.ts";
import {
  createPureHashBackend,
  hash160,
  type HashBackend,
  useHashBackend,
} from "../../kernel/hash/mod.ts";
import { loadNativeHashBackend } from "../../kernel/hash/native_backend.ts";
import { OutPoint } from "../../kernel/primitives/outpoint.ts";
import { decodeTransaction, Transaction } from "../../kernel/primitives/transaction.ts";
import { TxIn } from "../../kernel/primitives/tx_in.ts";
import { TxOut } from "../../kernel/primitives/tx_out.ts";
import { createPureSecp256k1, type Secp256k1 } from "../../kernel/secp256k1/mod.ts";
import { loadNativeSecp256k1 } from "../../kernel/secp256k1/native_backend.ts";
import {
  PrecomputedTransactionData,
  pushData,
  signatureHash,
  TransactionSignatureChecker,
  VerifyFlags as F,
  verifyScript,
} from "../../kernel/script/mod.ts";

const FLAGS = F.P2SH | F.WITNESS | F.DERSIG | F.STRICTENC | F.NULLFAIL;
const COIN = 100_000_000n;

/** One input to verify, plus what a raw verify call needs for the same signature. */
interface SpentInput {
  index: number;
  scriptPubKey: Uint8Array;
  amount: bigint;
  refheight: number;
  raw: { sig: Uint8Array; msg: Uint8Array; pubkey: Uint8Array };
}

interface Spend {
  name: string;
  tx: Transaction;
  inputs: SpentInput[];
  /** One sighash data for every check (inputs of one transaction) or a fresh one per check. */
  sharedTxData: boolean;
}

function p2wpkVectorSpend(): Spend {
  const path = new URL("../../../shared/vectors/freicoin-protocol-vectors.json", import.meta.url);
  const example = JSON.parse(Deno.readTextFileSync(path)).p2wpk_spend_example;
  const tx = decodeTransaction(hexToBytes(example.tx_hex_with_witness));
  const [sig, scriptItem] = tx.inputs[0].witness;
  const amount = BigInt(example.spent_output.value);
  const refheight = example.spent_output.refheight as number;
  const scriptCode = scriptItem.subarray(1);
  const msg = signatureHash(scriptCode, tx, 0, 1, amount, refheight, "WITNESS_V0");
  return {
    name: "P2WPK (segwit v0), 1-input tx",
    tx,
    inputs: [{
      index: 0,
      scriptPubKey: hexToBytes(example.spent_output.scriptPubKey),
      amount,
      refheight,
      raw: { sig: sig.subarray(0, -1), msg, pubkey: scriptItem.subarray(2, 35) },
    }],
    sharedTxData: false,
  };
}

/** A transaction spending `count` P2WPK coins of distinct keys, signed SIGHASH_ALL. */
function p2wpkMultiInputSpend(secp: Secp256k1, count: number): Spend {
  const keys = Array.from({ length: count }, (_, i) => {
    const seckey = new Uint8Array(32);
    seckey[0] = 0x42;
    seckey[31] = i + 1;
    const pubkey = secp.publicKeyFromSecret(seckey, true);
    const program = witnessV0ShortHashOfPubKey(pubkey).hash;
    return {
      seckey,
      pubkey,
      scriptPubKey: Uint8Array.of(0x00, 0x14, ...program),
      witnessScript: payToPubKeyScript(pubkey),
    };
  });
  const unsigned = new Transaction({
    version: 2,
    inputs: keys.map((_, i) => new TxIn({ prevout: new OutPoint(new Uint8Array(32).fill(7), i) })),
    outputs: [new TxOut(BigInt(count) * COIN - 100_000n, keys[0].scriptPubKey)],
    lockTime: 0,
    lockHeight: 3,
  });
  const inputs: SpentInput[] = [];
  const witnesses = keys.map((key, i) => {
    const msg = signatureHash(key.witnessScript, unsigned, i, 1, COIN, 2, "WITNESS_V0");
    const sig = secp.signEcdsa(msg, key.seckey);
    inputs.push({
      index: i,
      scriptPubKey: key.scriptPubKey,
      amount: COIN,
      refheight: 2,
      raw: { sig, msg, pubkey: key.pubkey },
    });
    return [Uint8Array.of(...sig, 1), Uint8Array.of(0x00, ...key.witnessScript), new Uint8Array()];
  });
  const tx = new Transaction({
    ...unsigned,
    inputs: unsigned.inputs.map((input, i) =>
      new TxIn({ prevout: input.prevout, witness: witnesses[i] })
    ),
  });
  return {
    name: `P2WPK (segwit v0), inputs of a ${count}-input tx`,
    tx,
    inputs,
    sharedTxData: true,
  };
}

function p2pkhSpend(secp: Secp256k1): Spend {
  const seckey = new Uint8Array(32);
  seckey[31] = 1;
  const pubkey = secp.publicKeyFromSecret(seckey, true);
  const scriptPubKey = Uint8Array.of(0x76, 0xa9, 0x14, ...hash160(pubkey), 0x88, 0xac);
  const unsigned = (scriptSig: Uint8Array) =>
    new Transaction({
      version: 2,
      inputs: [new TxIn({ prevout: new OutPoint(new Uint8Array(32).fill(1), 0), scriptSig })],
      outputs: [new TxOut(1000n, scriptPubKey)],
      lockTime: 0,
      lockHeight: 100,
    });
  const msg = signatureHash(scriptPubKey, unsigned(new Uint8Array(0)), 0, 1, 0n, 0, "BASE");
  const der = secp.signEcdsa(msg, seckey);
  const scriptSig = Uint8Array.of(...pushData(Uint8Array.of(...der, 1)), ...pushData(pubkey));
  return {
    name: "P2PKH (legacy), 1-input tx",
    tx: unsigned(scriptSig),
    inputs: [{ index: 0, scriptPubKey, amount: 0n, refheight: 0, raw: { sig: der, msg, pubkey } }],
    sharedTxData: false,
  };
}

function median(values: Float64Array): number {
  const sorted = values.slice().sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Measures one backend on one spend: check `i` verifies input `i mod inputs`
 * through the interpreter and with one raw call, back to back (in alternating
 * order), each timed on its own. The figures are the medians of the
 * per-check times: on a machine shared by several busy processes a check is
 * now and then descheduled, and a median ignores those checks on both sides
 * alike, where the totals of whole rounds move by tens of percent from run
 * to run. (The interpreter's garbage collection, about 1% of its time in a
 * profile, is mostly left out by the same token.)
 */
function measure(secp: Secp256k1, spend: Spend, checks: number) {
  const { tx, inputs } = spend;
  const shared = new PrecomputedTransactionData(tx);
  const viaInterpreter = (i: number) => {
    const spent = inputs[i % inputs.length];
    const input = tx.inputs[spent.index];
    const precomputed = spend.sharedTxData ? shared : new PrecomputedTransactionData(tx);
    const checker = new TransactionSignatureChecker(
      secp,
      tx,
      spent.index,
      spent.amount,
      spent.refheight,
      { precomputed },
    );
    const result = verifyScript(input.scriptSig, spent.scriptPubKey, input.witness, FLAGS, checker);
    if (!result.ok) throw new Error(`${spend.name} failed: ${result.error}`);
  };
  const raw = (i: number) => {
    const { sig, msg, pubkey } = inputs[i % inputs.length].raw;
    if (!secp.verifyEcdsa(sig, msg, pubkey)) throw new Error("raw verify failed");
  };
  for (let i = 0; i < Math.max(10, checks / 10); i++) { // warm-up
    viaInterpreter(i);
    raw(i);
  }
  const rawTimes = new Float64Array(checks);
  const interpreterTimes = new Float64Array(checks);
  for (let i = 0; i < checks; i++) {
    const t0 = performance.now();
    if (i % 2 === 0) raw(i);
    else viaInterpreter(i);
    const t1 = performance.now();
    if (i % 2 === 0) viaInterpreter(i);
    else raw(i);
    const t2 = performance.now();
    rawTimes[i] = i % 2 === 0 ? t1 - t0 : t2 - t1;
    interpreterTimes[i] = i % 2 === 0 ? t2 - t1 : t1 - t0;
  }
  const rawMedian = median(rawTimes);
  const interpreterMedian = median(interpreterTimes);
  return { rawMedian, interpreterMedian, ratio: rawMedian / interpreterMedian };
}

function loadAverage(): string {
  return Deno.loadavg().map((x) => x.toFixed(2)).join(" ");
}

/** Runs the benchmark for every available backend pair and prints one line per case. */
export function main(): void {
  const pureHashes = createPureHashBackend();
  let nativeHashes: HashBackend | undefined;
  try {
    nativeHashes = loadNativeHashBackend();
  } catch {
    // libcrypto missing or FFI denied: pure hashes only.
  }
  const setups: { secp: Secp256k1; hashes: HashBackend; checks: number }[] = [];
  try {
    const secp = loadNativeSecp256k1();
    if (nativeHashes) setups.push({ secp, hashes: nativeHashes, checks: 20000 });
    setups.push({ secp, hashes: pureHashes, checks: 20000 });
  } catch {
    // libsecp256k1 missing: pure backend only.
  }
  setups.push({ secp: createPureSecp256k1(), hashes: pureHashes, checks: 600 });
  for (const { secp, hashes, checks } of setups) {
    const previous = useHashBackend(hashes);
    try {
      runCases(secp, hashes.backend, checks);
    } finally {
      useHashBackend(previous);
    }
  }
}

function runCases(secp: Secp256k1, hashes: string, checks: number): void {
  const spends = [p2wpkVectorSpend(), p2wpkMultiInputSpend(secp, 10), p2pkhSpend(secp)];
  for (const spend of spends) {
    const r = measure(secp, spend, checks);
    const overhead = (1 / r.ratio - 1) * 100;
    // deno-lint-ignore no-console -- benchmark output
    console.log(
      `script_bench [${secp.backend} secp256k1, ${hashes} hashes] ${spend.name}: ` +
        `interpreter ${(r.interpreterMedian * 1000).toFixed(1)} µs, ` +
        `raw verify ${(r.rawMedian * 1000).toFixed(1)} µs per check, ` +
        `ratio ${r.ratio.toFixed(3)} (overhead ${overhead.toFixed(1)}%, target <= 15%; ` +
        `medians of ${checks} paired checks, load average ${loadAverage()})`,
    );
  }
}

if (import.meta.main) main();
