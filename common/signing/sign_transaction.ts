/**
 * Signing raw transactions with given keys (src/script/sign.cpp as signrawtransactionwithkey
 * and combinerawtransaction use it): P2PK, P2PKH, bare and P2SH multisig (with Freicoin's
 * CHECKMULTISIG hint), and witness v0 short/long hash outputs whose witness stack ends with the
 * witness script (inner version byte first) and its Merkle proof. Existing partial signatures
 * are extracted and merged; the result is verified with the standard flags.
 *
 * Miniscript satisfaction inside wsh() is not done here.
 *
 * @module
 */
import { hash160, ripemd160, sha256d } from "../../kernel/hash/mod.ts";
import { bytesToHex } from "../../kernel/encoding/mod.ts";
import { computeFastMerkleRootFromBranch } from "../../kernel/merkle/mod.ts";
import type { Coin } from "../../kernel/consensus/mod.ts";
import { Transaction, TxIn } from "../../kernel/primitives/mod.ts";
import {
  encodeScriptNum,
  evalScript,
  NULL_SIGNATURE_CHECKER,
  type PrecomputedTransactionData,
  pushData,
  type ScriptError,
  type SignatureChecker,
  signatureHash,
  type SigVersion,
  solveScript,
  STANDARD_SCRIPT_VERIFY_FLAGS,
  TransactionSignatureChecker,
  type TxoutType,
  VerifyFlags,
  verifyScript,
} from "../../kernel/script/mod.ts";
import type { Secp256k1 } from "../../kernel/secp256k1/mod.ts";

/** The reference value a prevtx without `value` gets: unknown, so no segwit signature. */
export const UNKNOWN_VALUE = 9_007_199_254_740_991n;

/** A private key the signer may use. */
export interface SigningKey {
  readonly secret: Uint8Array;
  readonly compressed: boolean;
}

/** Keys and scripts a signer knows (`FillableSigningProvider`), keyed by lower-case hex ids. */
export class SigningProvider {
  readonly keys = new Map<string, SigningKey & { pubkey: Uint8Array }>();
  readonly scripts = new Map<string, Uint8Array>();
  /** Witness script entries (inner version byte + script) by 20-byte short hash. */
  readonly witnessScripts = new Map<string, Uint8Array>();

  constructor(readonly secp: Secp256k1) {}

  /**
   * Adds a private key (`AddKey`); a compressed key also brings its P2WPK witness script
   * (`0x00 || <pubkey> OP_CHECKSIG`), as freicoind's keystore learns it implicitly.
   */
  addKey(key: SigningKey): void {
    const pubkey = this.secp.publicKeyFromSecret(key.secret, key.compressed);
    this.keys.set(bytesToHex(hash160(pubkey)), { ...key, pubkey });
    if (key.compressed) this.addWitnessScript(Uint8Array.of(0x00, 33, ...pubkey, 0xac));
  }

  /** Adds a redeem script by its HASH160 (`AddCScript`). */
  addScript(script: Uint8Array): void {
    this.scripts.set(bytesToHex(hash160(script)), script);
  }

  /** Adds a witness script entry (`AddWitnessV0Script`; no branch, path 0). */
  addWitnessScript(entry: Uint8Array): void {
    this.witnessScripts.set(bytesToHex(ripemd160(sha256d(entry))), entry);
  }
}

/** A witness script entry as carried in a witness: the script item and its Merkle proof. */
interface WitnessEntry {
  readonly script: Uint8Array;
  readonly proof: Uint8Array;
}

/** What is known about one input's signing (`SignatureData`). */
export class SignatureData {
  scriptSig: Uint8Array = new Uint8Array();
  witness: Uint8Array[] = [];
  complete = false;
  /** Signatures by hex key id. */
  readonly signatures = new Map<string, { pubkey: Uint8Array; sig: Uint8Array }>();
  redeemScript: Uint8Array | undefined;
  witnessEntry: WitnessEntry | undefined;

  /** `MergeSignatureData`. */
  merge(other: SignatureData): void {
    if (this.complete) return;
    if (other.complete) {
      this.scriptSig = other.scriptSig;
      this.witness = other.witness;
      this.complete = true;
      return;
    }
    this.redeemScript ??= other.redeemScript;
    this.witnessEntry ??= other.witnessEntry;
    for (const [id, pair] of other.signatures) {
      if (!this.signatures.has(id)) this.signatures.set(id, pair);
    }
  }
}

/** Makes signatures for one input (`MutableTransactionSignatureCreator`), or none (dummy). */
export interface SignatureCreator {
  createSig(
    provider: SigningProvider,
    keyId: string,
    scriptCode: Uint8Array,
    sigVersion: SigVersion,
  ): Uint8Array | null;
  readonly checker: SignatureChecker;
}

/** Signs input `index` of `tx` spending `amount`/`refheight` with `hashType`. */
export function transactionSignatureCreator(
  secp: Secp256k1,
  tx: Transaction,
  index: number,
  spent: { amount: bigint; refheight: number },
  hashType: number,
  precomputed?: PrecomputedTransactionData,
): SignatureCreator {
  // BASE and WITNESS_V0 signatures have no SIGHASH_DEFAULT: it signs as ALL.
  const effective = hashType === 0 ? SIGHASH_ALL : hashType;
  return {
    checker: new TransactionSignatureChecker(secp, tx, index, spent.amount, spent.refheight, {
      precomputed,
    }),
    createSig(provider, keyId, scriptCode, sigVersion) {
      const key = provider.keys.get(keyId);
      if (!key) return null;
      if (sigVersion === "WITNESS_V0" && !key.compressed) return null;
      if (sigVersion === "WITNESS_V0" && (spent.amount < 0n || spent.amount > UNKNOWN_VALUE)) {
        return null;
      }
      const hash = signatureHash(
        scriptCode,
        tx,
        index,
        effective,
        spent.amount,
        spent.refheight,
        sigVersion,
        precomputed,
      );
      const der = secp.signEcdsa(hash, key.secret, { grindLowR: true });
      const sig = new Uint8Array(der.length + 1);
      sig.set(der);
      sig[der.length] = effective & 0xff;
      return sig;
    },
  };
}

/** A creator that signs nothing (combinerawtransaction merges existing signatures only). */
export function mergeOnlyCreator(checker: SignatureChecker): SignatureCreator {
  return { checker, createSig: () => null };
}

function createSig(
  creator: SignatureCreator,
  sigdata: SignatureData,
  provider: SigningProvider,
  pubkey: Uint8Array,
  scriptCode: Uint8Array,
  sigVersion: SigVersion,
): Uint8Array | null {
  const keyId = bytesToHex(hash160(pubkey));
  const known = sigdata.signatures.get(keyId);
  if (known) return known.sig;
  const sig = creator.createSig(provider, keyId, scriptCode, sigVersion);
  if (sig) sigdata.signatures.set(keyId, { pubkey, sig });
  return sig;
}

function getPubKey(
  provider: SigningProvider,
  sigdata: SignatureData,
  keyId: string,
): Uint8Array | undefined {
  return sigdata.signatures.get(keyId)?.pubkey ?? provider.keys.get(keyId)?.pubkey;
}

function getScript(
  provider: SigningProvider,
  sigdata: SignatureData,
  scriptId: Uint8Array,
): Uint8Array | undefined {
  const id = bytesToHex(scriptId);
  const known = provider.scripts.get(id);
  if (known) return known;
  if (sigdata.redeemScript && bytesToHex(hash160(sigdata.redeemScript)) === id) {
    return sigdata.redeemScript;
  }
  const entry = sigdata.witnessEntry?.script;
  if (entry && entry.length > 0 && bytesToHex(hash160(entry.subarray(1))) === id) {
    return entry.subarray(1);
  }
  return undefined;
}

/** The 20-byte short hash a witness entry commits to, following its proof. */
function entryShortHash(entry: WitnessEntry): Uint8Array | null {
  const leaf = sha256d(entry.script);
  if (entry.proof.length === 0) return ripemd160(leaf);
  const pathBytes = entry.proof.length % 32;
  let path = 0;
  for (let i = 0; i < pathBytes; i++) path = (path << 8) | entry.proof[i];
  const branch: Uint8Array[] = [];
  for (let i = pathBytes; i < entry.proof.length; i += 32) {
    branch.push(entry.proof.subarray(i, i + 32));
  }
  const root = computeFastMerkleRootFromBranch(leaf, branch, path >>> 0);
  return root === null ? null : ripemd160(root);
}

function getWitnessEntry(
  provider: SigningProvider,
  sigdata: SignatureData,
  shortHash: Uint8Array,
): WitnessEntry | undefined {
  const id = bytesToHex(shortHash);
  const known = provider.witnessScripts.get(id);
  if (known) return { script: known, proof: new Uint8Array() };
  if (sigdata.redeemScript) {
    const entry = Uint8Array.of(0, ...sigdata.redeemScript);
    if (bytesToHex(ripemd160(sha256d(entry))) === id) {
      return { script: entry, proof: new Uint8Array() };
    }
  }
  if (sigdata.witnessEntry) {
    const short = entryShortHash(sigdata.witnessEntry);
    if (short && bytesToHex(short) === id) return sigdata.witnessEntry;
  }
  return undefined;
}

interface StepResult {
  solved: boolean;
  type: TxoutType;
  stack: Uint8Array[];
  entry?: WitnessEntry;
}

/** `SignStep`: the stack that satisfies one script level. */
function signStep(
  provider: SigningProvider,
  creator: SignatureCreator,
  script: Uint8Array,
  sigVersion: SigVersion,
  sigdata: SignatureData,
): StepResult {
  const { type, solutions } = solveScript(script);
  const stack: Uint8Array[] = [];
  switch (type) {
    case "pubkey": {
      const sig = createSig(creator, sigdata, provider, solutions[0], script, sigVersion);
      if (sig) stack.push(sig);
      return { solved: sig !== null, type, stack };
    }
    case "pubkeyhash": {
      const pubkey = getPubKey(provider, sigdata, bytesToHex(solutions[0]));
      if (!pubkey) return { solved: false, type, stack };
      const sig = createSig(creator, sigdata, provider, pubkey, script, sigVersion);
      if (!sig) return { solved: false, type, stack };
      return { solved: true, type, stack: [sig, pubkey] };
    }
    case "scripthash": {
      const redeem = getScript(provider, sigdata, solutions[0]);
      return redeem ? { solved: true, type, stack: [redeem] } : { solved: false, type, stack };
    }
    case "multisig":
      return multisigStep(provider, creator, script, sigVersion, sigdata, solutions);
    case "witness_v0_shorthash":
    case "witness_v0_longhash": {
      const shortHash = type === "witness_v0_shorthash" ? solutions[0] : ripemd160(solutions[0]);
      const entry = getWitnessEntry(provider, sigdata, shortHash);
      if (entry && entry.script.length > 0 && entry.script[0] === 0x00) {
        return { solved: true, type, stack, entry };
      }
      return { solved: false, type, stack };
    }
    default:
      return { solved: false, type, stack };
  }
}

/** CHECKMULTISIG with Freicoin's hint: a bit per key, clear for keys that signed. */
function multisigStep(
  provider: SigningProvider,
  creator: SignatureCreator,
  script: Uint8Array,
  sigVersion: SigVersion,
  sigdata: SignatureData,
  solutions: Uint8Array[],
): StepResult {
  const required = solutions[0][0];
  const keyCount = solutions.length - 2;
  let skipped = (1 << keyCount) - 1;
  const sigs: Uint8Array[] = [];
  for (let i = 1; i < solutions.length - 1; i++) {
    // Every possible signature is made so that sigdata holds them all (as the reference does).
    const sig = createSig(creator, sigdata, provider, solutions[i], script, sigVersion);
    if (sig && sigs.length < required) {
      skipped &= ~(1 << (keyCount - i));
      sigs.push(sig);
    }
  }
  const solved = sigs.length === required;
  while (sigs.length < required) sigs.push(new Uint8Array());
  return { solved, type: "multisig", stack: [encodeScriptNum(skipped), ...sigs] };
}

/** `PushAll`: small numbers as OP_N, everything else as minimal pushes. */
function pushAll(values: readonly Uint8Array[]): Uint8Array {
  const parts: number[] = [];
  for (const v of values) {
    if (v.length === 0) parts.push(0x00);
    else if (v.length === 1 && v[0] >= 1 && v[0] <= 16) parts.push(0x50 + v[0]);
    else if (v.length === 1 && v[0] === 0x81) parts.push(0x4f);
    else parts.push(...pushData(v));
  }
  return Uint8Array.from(parts);
}

const NOT_NESTED: readonly TxoutType[] = [
  "scripthash",
  "witness_v0_longhash",
  "witness_v0_shorthash",
];

/** `ProduceSignature`: fills `sigdata` with the best scriptSig/witness; true when complete. */
export function produceSignature(
  provider: SigningProvider,
  creator: SignatureCreator,
  scriptPubKey: Uint8Array,
  sigdata: SignatureData,
): boolean {
  if (sigdata.complete) return true;
  let step = signStep(provider, creator, scriptPubKey, "BASE", sigdata);
  let solved = step.solved;
  let result = step.stack;
  let subscript: Uint8Array | undefined;
  if (solved && step.type === "scripthash") {
    subscript = result[0];
    sigdata.redeemScript = subscript;
    step = signStep(provider, creator, subscript, "BASE", sigdata);
    solved = step.solved && !NOT_NESTED.includes(step.type);
    result = step.stack;
  }
  let witness: Uint8Array[] = [];
  let isWitness = false;
  if (solved && step.entry) {
    const entry = step.entry;
    sigdata.witnessEntry = entry;
    const witnessScript = entry.script.subarray(1);
    const inner = signStep(provider, creator, witnessScript, "WITNESS_V0", sigdata);
    solved = inner.solved && !NOT_NESTED.includes(inner.type);
    witness = [...inner.stack, entry.script, entry.proof];
    isWitness = true;
    result = [];
  } else if (solved && step.type === "witness_unknown") {
    isWitness = true;
  }
  sigdata.witness = isWitness ? witness : [];
  if (subscript) result.push(subscript);
  sigdata.scriptSig = pushAll(result);
  sigdata.complete = solved &&
    verifyScript(
      sigdata.scriptSig,
      scriptPubKey,
      sigdata.witness,
      STANDARD_SCRIPT_VERIFY_FLAGS,
      creator.checker,
    ).ok;
  return sigdata.complete;
}

/** A checker that records every valid signature it sees (`SignatureExtractorChecker`). */
function extractorChecker(inner: SignatureChecker, sigdata: SignatureData): SignatureChecker {
  return {
    checkEcdsaSignature(sig, pubkey, scriptCode, sigVersion) {
      if (!inner.checkEcdsaSignature(sig, pubkey, scriptCode, sigVersion)) return false;
      sigdata.signatures.set(bytesToHex(hash160(pubkey)), { pubkey, sig });
      return true;
    },
    checkLockTime: (n) => inner.checkLockTime(n),
    checkSequence: (n) => inner.checkSequence(n),
  };
}

/** `DataFromTransaction`: the signatures and scripts input `index` already carries. */
export function dataFromTransaction(
  secp: Secp256k1,
  tx: Transaction,
  index: number,
  coin: Coin,
): SignatureData {
  const data = new SignatureData();
  const input = tx.inputs[index];
  data.scriptSig = input.scriptSig;
  data.witness = [...input.witness];
  const checker = extractorChecker(
    new TransactionSignatureChecker(secp, tx, index, coin.output.value, coin.refheight),
    data,
  );
  const scriptPubKey = coin.output.scriptPubKey;
  if (
    verifyScript(data.scriptSig, scriptPubKey, data.witness, STANDARD_SCRIPT_VERIFY_FLAGS, checker)
      .ok
  ) {
    data.complete = true;
    return data;
  }
  let stack: Uint8Array[] = [];
  evalScript(stack, input.scriptSig, VerifyFlags.STRICTENC, NULL_SIGNATURE_CHECKER, "BASE");
  let witness = [...input.witness];
  let { type, solutions } = solveScript(scriptPubKey);
  let next = scriptPubKey;
  let sigVersion: SigVersion = "BASE";
  if (type === "scripthash" && stack.length > 0 && stack[stack.length - 1].length > 0) {
    next = stack[stack.length - 1];
    data.redeemScript = next;
    ({ type, solutions } = solveScript(next));
    stack = stack.slice(0, -1);
  }
  if (
    (type === "witness_v0_longhash" || type === "witness_v0_shorthash") && witness.length > 1 &&
    witness[witness.length - 2].length > 0 && witness[witness.length - 2][0] === 0x00
  ) {
    const proof = witness[witness.length - 1];
    const script = witness[witness.length - 2];
    data.witnessEntry = { script, proof };
    next = script.subarray(1);
    ({ type, solutions } = solveScript(next));
    stack = witness.slice(0, -2);
    witness = [];
    sigVersion = "WITNESS_V0";
  }
  if (type === "multisig" && stack.length > 0) {
    const keyCount = solutions.length - 2;
    let lastSuccess = 0;
    for (const sig of stack) {
      for (let i = lastSuccess; i < keyCount; i++) {
        const pubkey = solutions[i + 1];
        if (
          data.signatures.has(bytesToHex(hash160(pubkey))) ||
          checker.checkEcdsaSignature(sig, pubkey, next, sigVersion)
        ) {
          lastSuccess = i + 1;
          break;
        }
      }
    }
  }
  return data;
}

/** The input with the signing result (`UpdateInput`). */
export function updateInput(input: TxIn, data: SignatureData): TxIn {
  return new TxIn({
    prevout: input.prevout,
    scriptSig: data.scriptSig,
    sequence: input.sequence,
    witness: data.witness,
  });
}

/** A copy of `tx` with new inputs. */
export function withInputs(tx: Transaction, inputs: readonly TxIn[]): Transaction {
  return new Transaction({
    version: tx.version,
    inputs,
    outputs: tx.outputs,
    lockTime: tx.lockTime,
    lockHeight: tx.lockHeight,
  });
}

/** freicoind's `ScriptErrorString`. */
export const SCRIPT_ERROR_STRINGS: Readonly<Partial<Record<ScriptError, string>>> = {
  OK: "No error",
  EVAL_FALSE: "Script evaluated without error but finished with a false/empty top stack element",
  VERIFY: "Script failed an OP_VERIFY operation",
  EQUALVERIFY: "Script failed an OP_EQUALVERIFY operation",
  CHECKMULTISIGVERIFY: "Script failed an OP_CHECKMULTISIGVERIFY operation",
  CHECKSIGVERIFY: "Script failed an OP_CHECKSIGVERIFY operation",
  NUMEQUALVERIFY: "Script failed an OP_NUMEQUALVERIFY operation",
  SCRIPT_SIZE: "Script is too big",
  PUSH_SIZE: "Push value size limit exceeded",
  OP_COUNT: "Operation limit exceeded",
  STACK_SIZE: "Stack size limit exceeded",
  SIG_COUNT: "Signature count negative or greater than pubkey count",
  PUBKEY_COUNT: "Pubkey count negative or limit exceeded",
  BAD_OPCODE: "Opcode missing or not understood",
  DISABLED_OPCODE: "Attempted to use a disabled opcode",
  INVALID_STACK_OPERATION: "Operation not valid with the current stack size",
  INVALID_ALTSTACK_OPERATION: "Operation not valid with the current altstack size",
  OP_RETURN: "OP_RETURN was encountered",
  UNBALANCED_CONDITIONAL: "Invalid OP_IF construction",
  NEGATIVE_LOCKTIME: "Negative locktime",
  UNSATISFIED_LOCKTIME: "Locktime requirement not satisfied",
  INVALID_HASH_LENGTH: "Unexpected length of hash value",
  INVALID_MERKLE_PROOF: "Malformed or dirty Merkle proof",
  MERKLEBRANCHVERIFY: "Script failed an OP_MERKLEBRANCHVERIFY operation",
  SIG_HASHTYPE: "Signature hash type missing or not understood",
  SIG_DER: "Non-canonical DER signature",
  MINIMALDATA: "Data push larger than necessary",
  SIG_PUSHONLY: "Only push operators allowed in signatures",
  SIG_HIGH_S: "Non-canonical signature: S value is unnecessarily high",
  MINIMALIF: "OP_IF/NOTIF argument must be minimal",
  NULLFAIL: "Signature must be zero for failed CHECK(MULTI)SIG operation",
  MULTISIG_HINT: "Incorrect or invalid hint provided in CHECKMULTISIG's last argument",
  FAILED_SIGNATURE_CHECK: "Failed signature check with non-empty signature argument",
  DISCOURAGE_UPGRADABLE_NOPS: "NOPx reserved for soft-fork upgrades",
  DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM: "Witness version reserved for soft-fork upgrades",
  DISCOURAGE_UPGRADABLE_TAPROOT_VERSION: "Taproot version reserved for soft-fork upgrades",
  DISCOURAGE_OP_SUCCESS: "OP_SUCCESSx reserved for soft-fork upgrades",
  DISCOURAGE_UPGRADABLE_PUBKEYTYPE: "Public key version reserved for soft-fork upgrades",
  PUBKEYTYPE: "Public key is neither compressed or uncompressed",
  CLEANSTACK: "Stack size must be exactly one after execution",
  WITNESS_PROGRAM_WITNESS_EMPTY: "Witness program was passed an empty witness",
  WITNESS_PROGRAM_INVALID_PROOF: "Witness program invalid Merkle proof",
  WITNESS_PROGRAM_MISMATCH: "Witness program hash mismatch",
  WITNESS_MALLEATED: "Witness requires empty scriptSig",
  WITNESS_UNEXPECTED: "Witness provided for non-witness script",
  WITNESS_PUBKEYTYPE: "Using non-compressed keys in segwit",
  OP_CODESEPARATOR: "Using OP_CODESEPARATOR in non-witness script",
  SIG_FINDANDDELETE: "Signature is found in scriptCode",
};

/** Why an input failed, as `SignTransaction` words it. */
function inputErrorText(error: ScriptError): string {
  if (error === "INVALID_STACK_OPERATION") {
    return "Unable to sign input, invalid stack size (possibly missing key)";
  }
  if (error === "NULLFAIL") {
    return "CHECK(MULTI)SIG failing with non-zero signature (possibly need more signatures)";
  }
  return SCRIPT_ERROR_STRINGS[error] ?? "unknown error";
}

/** The outcome of {@link signTransaction}. */
export interface SignResult {
  readonly tx: Transaction;
  readonly complete: boolean;
  /** Failing inputs by index, with freicoind's message. */
  readonly errors: Map<number, string>;
}

const SIGHASH_SINGLE = 3;
const SIGHASH_ALL = 1;
const SIGHASH_ANYONECANPAY = 0x80;

/** `SignTransaction`: signs every input it can, then verifies each one. */
export function signTransaction(
  secp: Secp256k1,
  tx: Transaction,
  provider: SigningProvider,
  coins: ReadonlyMap<string, Coin>,
  hashType: number,
  outpointKey: (input: TxIn) => string,
): SignResult {
  const hashSingle = (hashType & ~SIGHASH_ANYONECANPAY) === SIGHASH_SINGLE;
  const errors = new Map<number, string>();
  const inputs = [...tx.inputs];
  for (let i = 0; i < inputs.length; i++) {
    const coin = coins.get(outpointKey(inputs[i]));
    if (!coin) {
      errors.set(i, "Input not found or already spent");
      continue;
    }
    const current = withInputs(tx, inputs);
    const sigdata = dataFromTransaction(secp, current, i, coin);
    if (!hashSingle || i < tx.outputs.length) {
      const spent = { amount: coin.output.value, refheight: coin.refheight };
      produceSignature(
        provider,
        transactionSignatureCreator(secp, current, i, spent, hashType),
        coin.output.scriptPubKey,
        sigdata,
      );
    }
    inputs[i] = updateInput(inputs[i], sigdata);
  }
  const signed = withInputs(tx, inputs);
  for (let i = 0; i < inputs.length; i++) {
    const coin = coins.get(outpointKey(inputs[i]));
    if (!coin) continue;
    if (coin.output.value === UNKNOWN_VALUE && inputs[i].witness.length > 0) {
      errors.set(i, "Missing value");
      continue;
    }
    const checker = new TransactionSignatureChecker(
      secp,
      signed,
      i,
      coin.output.value,
      coin.refheight,
    );
    const result = verifyScript(
      inputs[i].scriptSig,
      coin.output.scriptPubKey,
      inputs[i].witness,
      STANDARD_SCRIPT_VERIFY_FLAGS,
      checker,
    );
    if (!result.ok) errors.set(i, inputErrorText(result.error));
    else errors.delete(i);
  }
  return { tx: signed, complete: errors.size === 0, errors };
}
