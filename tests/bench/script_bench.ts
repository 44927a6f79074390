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

function timeLoop(iterations: number, body: (i: number) => void): number {
  const start = performance.now();
  for (let i = 0; i < iterations; i++) body(i);
  return (performance.now() - start) / 1000;
}

function median(values: number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Number of interleaved raw/interpreter round pairs per case. */
const ROUNDS = 25;

/**
 * Measures one backend on one spend; returns checks per second for both
 * paths. Check `i` verifies input `i mod inputs` on both paths.
 *
 * The two paths alternate in short rounds and each figure is the median over
 * rounds; the ratio is the median of the per-pair ratios, so load that comes
 * and goes on a shared machine hits both sides of a pair alike.
 */
function measure(secp: Secp256k1, spend: Spend, iterations: number) {
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
  timeLoop(Math.max(5, iterations / 10), viaInterpreter); // warm-up
  timeLoop(Math.max(5, iterations / 10), raw);
  const perRound = Math.max(1, Math.round(iterations / ROUNDS));
  const rawRates: number[] = [];
  const interpRates: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which path goes first so neither always follows the other.
    const rawFirst = round % 2 === 0;
    const tRaw1 = rawFirst ? timeLoop(perRound, raw) : 0;
    const tInterp = timeLoop(perRound, viaInterpreter);
    const tRaw = rawFirst ? tRaw1 : timeLoop(perRound, raw);
    rawRates.push(perRound / tRaw);
    interpRates.push(perRound / tInterp);
    ratios.push(tRaw / tInterp);
  }
  return {
    interpreterPerSecond: median(interpRates),
    rawPerSecond: median(rawRates),
    ratio: median(ratios),
  };
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
  const setups: { secp: Secp256k1; hashes: HashBackend; iterations: number }[] = [];
  try {
    const secp = loadNativeSecp256k1();
    if (nativeHashes) setups.push({ secp, hashes: nativeHashes, iterations: 20000 });
    setups.push({ secp, hashes: pureHashes, iterations: 20000 });
  } catch {
    // libsecp256k1 missing: pure backend only.
  }
  setups.push({ secp: createPureSecp256k1(), hashes: pureHashes, iterations: 800 });
  for (const { secp, hashes, iterations } of setups) {
    const previous = useHashBackend(hashes);
    try {
      runCases(secp, hashes.backend, iterations);
    } finally {
      useHashBackend(previous);
    }
  }
}

function runCases(secp: Secp256k1, hashes: string, iterations: number): void {
  const spends = [p2wpkVectorSpend(), p2wpkMultiInputSpend(secp, 10), p2pkhSpend(secp)];
  for (const spend of spends) {
    const r = measure(secp, spend, iterations);
    const overhead = (1 / r.ratio - 1) * 100;
    // deno-lint-ignore no-console -- benchmark output
    console.log(
      `script_bench [${secp.backend} secp256k1, ${hashes} hashes] ${spend.name}: ` +
        `interpreter ${r.interpreterPerSecond.toFixed(0)}/s, ` +
        `raw verify ${r.rawPerSecond.toFixed(0)}/s, ` +
        `ratio ${r.ratio.toFixed(3)} (overhead ${overhead.toFixed(1)}%, target <= 15%; ` +
        `medians of ${ROUNDS} interleaved rounds, load average ${loadAverage()})`,
    );
  }
}

if (import.meta.main) main();
