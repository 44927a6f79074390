/**
 * Signature checks per second through the script interpreter (VerifyScript
 * with a TransactionSignatureChecker: sighash, encoding checks, verify) versus
 * raw `verifyEcdsa` calls of the same backend on the same signature, in the
 * same run. Prints the ratio; the target is an interpreter overhead ≤ 15%.
 *
 * Run: `deno run -A tests/bench/script_bench.ts` (or import and call `main()`).
 */
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

/** One input to verify, plus what a raw verify call needs for the same signature. */
interface Spend {
  name: string;
  tx: Transaction;
  scriptPubKey: Uint8Array;
  amount: bigint;
  refheight: number;
  flags: number;
  raw: { sig: Uint8Array; msg: Uint8Array; pubkey: Uint8Array };
}

function p2wpkSpend(): Spend {
  const path = new URL("../../../shared/vectors/freicoin-protocol-vectors.json", import.meta.url);
  const example = JSON.parse(Deno.readTextFileSync(path)).p2wpk_spend_example;
  const tx = decodeTransaction(hexToBytes(example.tx_hex_with_witness));
  const [sig, scriptItem] = tx.inputs[0].witness;
  const amount = BigInt(example.spent_output.value);
  const refheight = example.spent_output.refheight as number;
  const scriptCode = scriptItem.subarray(1);
  const msg = signatureHash(scriptCode, tx, 0, 1, amount, refheight, "WITNESS_V0");
  return {
    name: "P2WPK (segwit v0)",
    tx,
    scriptPubKey: hexToBytes(example.spent_output.scriptPubKey),
    amount,
    refheight,
    flags: F.P2SH | F.WITNESS | F.DERSIG | F.STRICTENC | F.NULLFAIL,
    raw: { sig: sig.subarray(0, -1), msg, pubkey: scriptItem.subarray(2, 35) },
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
    name: "P2PKH (legacy)",
    tx: unsigned(scriptSig),
    scriptPubKey,
    amount: 0n,
    refheight: 0,
    flags: F.P2SH | F.WITNESS | F.DERSIG | F.STRICTENC | F.NULLFAIL,
    raw: { sig: der, msg, pubkey },
  };
}

function timeLoop(iterations: number, body: () => void): number {
  const start = performance.now();
  for (let i = 0; i < iterations; i++) body();
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
 * paths. With `sharedTxData` the per-transaction hashes are computed once (as
 * for the later inputs of a multi-input transaction); otherwise every check
 * is a whole 1-input transaction.
 *
 * The two paths alternate in short rounds and each figure is the median over
 * rounds; the ratio is the median of the per-pair ratios, so load that comes
 * and goes on a shared machine hits both sides of a pair alike.
 */
function measure(secp: Secp256k1, spend: Spend, iterations: number, sharedTxData: boolean) {
  const input = spend.tx.inputs[0];
  const shared = new PrecomputedTransactionData(spend.tx);
  const viaInterpreter = () => {
    const precomputed = sharedTxData ? shared : new PrecomputedTransactionData(spend.tx);
    const checker = new TransactionSignatureChecker(
      secp,
      spend.tx,
      0,
      spend.amount,
      spend.refheight,
      {
        precomputed,
      },
    );
    const result = verifyScript(
      input.scriptSig,
      spend.scriptPubKey,
      input.witness,
      spend.flags,
      checker,
    );
    if (!result.ok) throw new Error(`${spend.name} failed: ${result.error}`);
  };
  const raw = () => {
    if (!secp.verifyEcdsa(spend.raw.sig, spend.raw.msg, spend.raw.pubkey)) {
      throw new Error("raw verify failed");
    }
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

/** Runs the benchmark for every available backend and prints one line per case. */
export function main(): void {
  const pureHashes = createPureHashBackend();
  let nativeHashes: HashBackend | undefined;
  try {
    nativeHashes = loadNativeHashBackend();
  } catch {
    // libcrypto missing or FFI denied: pure hashes only.
  }
  // The node's pairs: native signatures with native hashes when both load, the pure backends
  // otherwise (the sandboxed wallet). Native signatures with pure hashes show what the native
  // hash backend buys.
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
  const cases: [Spend, boolean][] = [
    [p2wpkSpend(), false],
    [p2wpkSpend(), true],
    [p2pkhSpend(secp), false],
  ];
  for (const [spend, shared] of cases) {
    const r = measure(secp, spend, iterations, shared);
    const ratio = r.ratio;
    const overhead = (1 / ratio - 1) * 100;
    const mode = shared ? "input of a multi-input tx" : "1-input tx";
    // deno-lint-ignore no-console -- benchmark output
    console.log(
      `script_bench [${secp.backend} secp256k1, ${hashes} hashes] ${spend.name}, ${mode}: ` +
        `interpreter ${r.interpreterPerSecond.toFixed(0)}/s, raw verify ${
          r.rawPerSecond.toFixed(0)
        }/s, ` +
        `ratio ${ratio.toFixed(3)} (overhead ${overhead.toFixed(1)}%, target <= 15%; ` +
        `medians of ${ROUNDS} interleaved rounds, load average ${loadAverage()})`,
    );
  }
}

if (import.meta.main) main();
