/**
 * Kernel benchmarks (issue 4), each against a baseline measured in the same run:
 *
 * - double SHA-256 of 80-byte headers per second: kernel/hash `sha256d` (each hash backend:
 *   libcrypto through FFI, and the pure TypeScript one) versus two `node:crypto` SHA-256
 *   calls on the same headers;
 * - full validation of a synthetic regtest block of 2,000 P2WPK spends: `connectBlock` with
 *   script verification (native libsecp256k1 with native hashes, as the node starts; native
 *   libsecp256k1 with pure hashes; then both pure) versus raw `verifyEcdsa` calls of the same
 *   backend on the same 2,000 signatures. The ratio is what the interpreter, sighash, coins
 *   and block checks add on top of the signatures.
 *
 * The block is built with the kernel: genesis, block 1 (the block-final activation coinbase),
 * a funding block whose transaction splits one pre-existing coin into 2,000 P2WPK outputs
 * (one key each), then the spending block. The pre-existing coin is a bare `OP_TRUE` output
 * put straight into the coins view: it stands in for a coinbase output, which would need
 * 100 more blocks to mature.
 *
 * Run: `deno run -A tests/bench/kernel_bench.ts` (or import and call `main()`).
 */
import { createHash } from "node:crypto";
import { writeStdout } from "../../cli/console.ts";
import { witnessV0ShortHashOfPubKey } from "../../kernel/address/destination.ts";
import { payToPubKeyScript } from "../../kernel/address/destination.ts";
import type { ChainEntry } from "../../kernel/chain/chain_entry.ts";
import { selectParams } from "../../kernel/chain/chain_params.ts";
import type { ConsensusParams } from "../../kernel/chain/consensus_params.ts";
import { checkProofOfWork } from "../../kernel/chain/pow.ts";
import {
  type BlockFinalTxEntry,
  CoinsViewOverlay,
  connectBlock,
  createScriptVerifier,
  heightScriptPrefix,
  MemoryCoinsView,
  validationToString,
} from "../../kernel/consensus/mod.ts";
import {
  createPureHashBackend,
  type HashBackend,
  hashBackend,
  sha256d,
  useHashBackend,
} from "../../kernel/hash/mod.ts";
import { loadNativeHashBackend } from "../../kernel/hash/native_backend.ts";
import { blockMerkleRoot } from "../../kernel/merkle/merkle_root.ts";
import { Block, decodeBlock } from "../../kernel/primitives/block.ts";
import { BlockHeader } from "../../kernel/primitives/block_header.ts";
import { OutPoint } from "../../kernel/primitives/outpoint.ts";
import { Transaction } from "../../kernel/primitives/transaction.ts";
import { TxIn } from "../../kernel/primitives/tx_in.ts";
import { TxOut } from "../../kernel/primitives/tx_out.ts";
import { signatureHash } from "../../kernel/script/mod.ts";
import { createPureSecp256k1, type Secp256k1 } from "../../kernel/secp256k1/mod.ts";
import { loadNativeSecp256k1 } from "../../kernel/secp256k1/native_backend.ts";
import {
  emptyWitnessCommitmentScript,
  generateWitnessCommitment,
} from "../../roles/node/mining/block_assembler.ts";

const SPENDS = 2000;
const INPUTS_PER_TX = 2;
const COIN = 100_000_000n;
const OP_TRUE = Uint8Array.of(0x51);
const SIGHASH_ALL = 1;

function print(text: string): void {
  writeStdout(`${text}\n`);
}

function loadAverage(): string {
  try {
    return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
  } catch {
    return "n/a";
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

// ---------------------------------------------------------------------------------------------
// Double SHA-256 of 80-byte headers

function nodeSha256d(data: Uint8Array): Uint8Array {
  const first = createHash("sha256").update(data).digest();
  return createHash("sha256").update(first).digest();
}

function hashesPerSecond(headers: Uint8Array[], hash: (data: Uint8Array) => Uint8Array): number {
  const start = performance.now();
  let sink = 0;
  for (const header of headers) sink ^= hash(header)[0];
  const seconds = (performance.now() - start) / 1000;
  if (sink === 256) throw new Error("unreachable"); // keeps the result alive
  return headers.length / seconds;
}

/** Runs `fn` with `backend` computing kernel/hash's hashes, then restores the previous one. */
function withHashes<T>(backend: HashBackend, fn: () => T): T {
  const previous = useHashBackend(backend);
  try {
    return fn();
  } finally {
    useHashBackend(previous);
  }
}

function benchHeaderHashing(rounds: number): void {
  const headers: Uint8Array[] = [];
  for (let i = 0; i < 50_000; i++) {
    const header = new Uint8Array(80);
    new DataView(header.buffer).setUint32(76, i, true); // varying nonce
    headers.push(header);
  }
  const check = headers[7];
  if (sha256d(check).some((byte, i) => byte !== nodeSha256d(check)[i])) {
    throw new Error("sha256d disagrees with node:crypto");
  }
  hashesPerSecond(headers, sha256d); // warm-up
  hashesPerSecond(headers, nodeSha256d);
  const ours: number[] = [];
  const baseline: number[] = [];
  for (let round = 0; round < rounds; round++) {
    baseline.push(hashesPerSecond(headers, nodeSha256d));
    ours.push(hashesPerSecond(headers, sha256d));
  }
  const a = median(ours);
  const b = median(baseline);
  print(
    `sha256d, 80-byte headers: kernel/hash [${hashBackend().backend} hashes] ${a.toFixed(0)}/s, ` +
      `node:crypto ${b.toFixed(0)}/s, ` +
      `ratio ${(a / b).toFixed(2)} (median of ${rounds}; load ${loadAverage()})`,
  );
}

// ---------------------------------------------------------------------------------------------
// The synthetic 2,000-input block

interface Key {
  seckey: Uint8Array;
  pubkey: Uint8Array;
  scriptPubKey: Uint8Array;
  witnessScript: Uint8Array;
}

/** The signatures of the spending block, as raw verify calls take them. */
interface RawSignature {
  sig: Uint8Array;
  msg: Uint8Array;
  pubkey: Uint8Array;
}

interface SyntheticChain {
  params: ConsensusParams;
  /** UTXO set after the funding block. */
  view: MemoryCoinsView;
  /** Entry of the funding block. */
  tip: ChainEntry;
  finalTx: BlockFinalTxEntry | null;
  block: Block;
  signatures: RawSignature[];
}

function entryFor(block: Block, prev: ChainEntry | undefined): ChainEntry {
  return {
    height: prev ? prev.height + 1 : 0,
    hash: block.hash,
    version: block.header.version,
    time: block.header.time,
    bits: block.header.bits,
    prev,
  };
}

function makeKey(secp: Secp256k1, index: number): Key {
  const seckey = new Uint8Array(32);
  new DataView(seckey.buffer).setUint32(28, index + 1);
  seckey[0] = 0x42;
  const pubkey = secp.publicKeyFromSecret(seckey, true);
  const program = witnessV0ShortHashOfPubKey(pubkey).hash;
  return {
    seckey,
    pubkey,
    scriptPubKey: Uint8Array.of(0x00, 0x14, ...program),
    witnessScript: payToPubKeyScript(pubkey),
  };
}

function coinbase(height: number, outputs: TxOut[]): Transaction {
  return new Transaction({
    version: 2,
    inputs: [
      new TxIn({
        prevout: OutPoint.null(),
        scriptSig: Uint8Array.of(...heightScriptPrefix(height), 0x00),
      }),
    ],
    outputs,
    lockTime: 0,
    lockHeight: height,
  });
}

/** Merkle root, then a nonce that meets the regtest target (a few tries). */
function mine(prev: ChainEntry, transactions: readonly Transaction[], params: ConsensusParams) {
  const draft = new Block(
    new BlockHeader({
      version: 0x20000000,
      hashPrevBlock: prev.hash,
      hashMerkleRoot: new Uint8Array(32),
      time: prev.time + 1,
      bits: prev.bits,
      nonce: 0,
    }),
    transactions,
  );
  const hashMerkleRoot = blockMerkleRoot(draft).root;
  for (let nonce = 0;; nonce++) {
    const header = new BlockHeader({ ...draft.header, hashMerkleRoot, nonce });
    if (checkProofOfWork(header.hash, header.bits, params)) {
      return new Block(header, draft.transactions);
    }
  }
}

function connectOrThrow(
  block: Block,
  prev: ChainEntry,
  view: MemoryCoinsView,
  finalTx: BlockFinalTxEntry | null,
  params: ConsensusParams,
  secp: Secp256k1,
) {
  const entry = entryFor(block, prev);
  const result = connectBlock(block, params, {
    entry,
    view,
    finalTx,
    verifyScript: createScriptVerifier(secp),
  });
  if (!result.ok) throw new Error(`synthetic block: ${validationToString(result)}`);
  return { entry, finalTx: result.finalTx };
}

/** Builds genesis, block 1, the funding block and the (unconnected) spending block. */
function buildSyntheticChain(secp: Secp256k1): SyntheticChain {
  const chainParams = selectParams("regtest");
  const params = chainParams.consensus;
  const genesis = decodeBlock(chainParams.genesis.bytes);
  const view = new MemoryCoinsView();
  let tip = entryFor(genesis, undefined);
  let finalTx: BlockFinalTxEntry | null = null;

  // Block 1: the block-final activation block, vout[0] trivially spendable.
  const block1 = mine(
    tip,
    [coinbase(1, [new TxOut(0n, OP_TRUE), new TxOut(50n * COIN, OP_TRUE)])],
    params,
  );
  ({ entry: tip, finalTx } = connectOrThrow(block1, tip, view, finalTx, params, secp));

  // The pre-existing coin (see the module comment).
  const seed = new OutPoint(new Uint8Array(32).fill(0x5e), 0);
  view.addCoin(seed, {
    output: new TxOut(BigInt(SPENDS + 1) * COIN, OP_TRUE),
    height: 1,
    isCoinBase: false,
    refheight: 1,
  }, false);

  // Funding block (height 2): one transaction, 2,000 P2WPK outputs of 1 FRC plus one OP_TRUE
  // output that the spending block's last transaction uses to carry the witness commitment.
  const keys = Array.from({ length: SPENDS }, (_, i) => makeKey(secp, i));
  const funding = new Transaction({
    version: 2,
    inputs: [new TxIn({ prevout: seed })],
    outputs: [
      ...keys.map((key) => new TxOut(COIN, key.scriptPubKey)),
      new TxOut(COIN / 2n, OP_TRUE),
    ],
    lockTime: 0,
    lockHeight: 2,
  });
  const block2 = mine(tip, [coinbase(2, [new TxOut(50n * COIN, OP_TRUE)]), funding], params);
  ({ entry: tip, finalTx } = connectOrThrow(block2, tip, view, finalTx, params, secp));

  // Spending block (height 3): 1,000 transactions of 2 P2WPK inputs each, then a
  // witness-free transaction whose last output is the witness commitment.
  const signatures: RawSignature[] = [];
  const spends: Transaction[] = [];
  for (let first = 0; first < SPENDS; first += INPUTS_PER_TX) {
    const indexes = Array.from({ length: INPUTS_PER_TX }, (_, i) => first + i);
    const unsigned = new Transaction({
      version: 2,
      inputs: indexes.map((n) => new TxIn({ prevout: new OutPoint(funding.txid, n) })),
      outputs: [new TxOut(BigInt(INPUTS_PER_TX) * COIN - 100_000n, keys[first].scriptPubKey)],
      lockTime: 0,
      lockHeight: 3,
    });
    const witnesses = indexes.map((n, i) => {
      const key = keys[n];
      const msg = signatureHash(key.witnessScript, unsigned, i, SIGHASH_ALL, COIN, 2, "WITNESS_V0");
      const sig = secp.signEcdsa(msg, key.seckey);
      signatures.push({ sig, msg, pubkey: key.pubkey });
      return [
        Uint8Array.of(...sig, SIGHASH_ALL),
        Uint8Array.of(0x00, ...key.witnessScript),
        new Uint8Array(0),
      ];
    });
    spends.push(
      new Transaction({
        ...unsigned,
        inputs: unsigned.inputs.map((input, i) =>
          new TxIn({ prevout: input.prevout, witness: witnesses[i] })
        ),
      }),
    );
  }
  const carrier = new Transaction({
    version: 2,
    inputs: [new TxIn({ prevout: new OutPoint(funding.txid, SPENDS) })],
    outputs: [new TxOut(0n, emptyWitnessCommitmentScript())],
    lockTime: 0,
    lockHeight: 3,
  });
  const draft = mine(
    tip,
    [coinbase(3, [new TxOut(50n * COIN, OP_TRUE)]), ...spends, carrier],
    params,
  );
  const block = mine(tip, generateWitnessCommitment(draft, tip, params).transactions, params);
  return { params, view, tip, finalTx, block, signatures };
}

/** One full validation of the spending block on a scratch layer; milliseconds. */
function validateOnce(chain: SyntheticChain, secp: Secp256k1): number {
  const verifyScript = createScriptVerifier(secp); // fresh: no sighash data carried over
  const start = performance.now();
  const result = connectBlock(chain.block, chain.params, {
    entry: entryFor(chain.block, chain.tip),
    view: new CoinsViewOverlay(chain.view),
    finalTx: chain.finalTx,
    verifyScript,
  });
  const ms = performance.now() - start;
  if (!result.ok) throw new Error(`spending block: ${validationToString(result)}`);
  return ms;
}

function rawVerifyOnce(signatures: RawSignature[], secp: Secp256k1): number {
  const start = performance.now();
  for (const { sig, msg, pubkey } of signatures) {
    if (!secp.verifyEcdsa(sig, msg, pubkey)) throw new Error("raw verify failed");
  }
  return performance.now() - start;
}

function benchBlockValidation(chain: SyntheticChain, secp: Secp256k1, rounds: number): void {
  validateOnce(chain, secp); // warm-up
  rawVerifyOnce(chain.signatures, secp);
  const validation: number[] = [];
  const raw: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // Alternate which goes first; the ratio of each adjacent pair sees the same load.
    const rawFirst = round % 2 === 0;
    const r = rawFirst ? rawVerifyOnce(chain.signatures, secp) : 0;
    const v = validateOnce(chain, secp);
    const rawTime = rawFirst ? r : rawVerifyOnce(chain.signatures, secp);
    raw.push(rawTime);
    validation.push(v);
    ratios.push(v / rawTime);
  }
  const v = median(validation);
  const r = median(raw);
  print(
    `connectBlock, ${SPENDS} P2WPK spends [${secp.backend} secp256k1, ${hashBackend().backend} ` +
      `hashes]: ${v.toFixed(1)} ms ` +
      `(${(SPENDS / v * 1000).toFixed(0)} inputs/s), raw verify of the same ${SPENDS} ` +
      `signatures ${r.toFixed(1)} ms, ratio ${median(ratios).toFixed(2)} ` +
      `(medians of ${rounds} pairs; load ${loadAverage()})`,
  );
}

/** Runs the kernel benchmarks and prints one line per figure. */
export function main(): Promise<void> {
  const pureHashes = createPureHashBackend();
  let nativeHashes: HashBackend | undefined;
  try {
    nativeHashes = loadNativeHashBackend();
  } catch {
    print("libcrypto not loadable: native hash backend skipped");
  }
  if (nativeHashes) withHashes(nativeHashes, () => benchHeaderHashing(5));
  withHashes(pureHashes, () => benchHeaderHashing(5));
  let native: Secp256k1 | undefined;
  try {
    native = loadNativeSecp256k1();
  } catch {
    print("libsecp256k1 not found: native backend skipped");
  }
  const pure = createPureSecp256k1();
  const chain = buildSyntheticChain(native ?? pure);
  print(
    `synthetic block: ${chain.block.transactions.length} transactions, ` +
      `${chain.signatures.length} P2WPK inputs`,
  );
  if (native && nativeHashes) {
    withHashes(nativeHashes, () => benchBlockValidation(chain, native, 9));
  }
  if (native) withHashes(pureHashes, () => benchBlockValidation(chain, native, 9));
  withHashes(pureHashes, () => benchBlockValidation(chain, pure, 3));
  return Promise.resolve();
}

if (import.meta.main) await main();
