import { utf8Encode } from "./_utf8.ts";
import type { ChainPrefixes } from "../address/chain_prefixes.ts";
import {
  payToPubKeyScript,
  pkHashOf,
  scriptForDestination,
  scriptHashOf,
  witnessV0LongHashOf,
  witnessV0ShortHashOf,
} from "../address/destination.ts";
import { decodeDestination, encodeDestination } from "../address/key_io.ts";
import { bytesToHex, compareBytes, hexToBytes } from "../encoding/mod.ts";
import { hash160, ripemd160, sha256 } from "../hash/mod.ts";
import type { WifKey } from "../keys/wif.ts";
import { MAX_PUBKEYS_PER_MULTISIG, MAX_SCRIPT_ELEMENT_SIZE } from "../script/mod.ts";
import type { Secp256k1 } from "../secp256k1/mod.ts";
import { addChecksum, checkChecksum } from "./checksum.ts";
import { DescriptorError } from "./descriptor_error.ts";
import {
  deriveKey,
  derivePrivateKey,
  hasPrivateKey,
  isRangeKey,
  type KeyExpression,
  keySize,
  keyToNormalizedString,
  keyToPrivateString,
  keyToString,
  parseKeyExpression,
  type ScriptContext,
} from "./key_expression.ts";
import {
  miniscriptSanityError,
  miniscriptToScript,
  miniscriptToString,
  parseMiniscript,
} from "./miniscript.ts";
import { isHexString, parseUInt32, Span } from "./_span.ts";
import type { DescriptorNode } from "./descriptor_node.ts";
import { emptySigningData, idKey, mergeSigningData, type SigningData } from "./signing_data.ts";
export type { DescriptorNode } from "./descriptor_node.ts";
import {
  descriptorOutputType,
  descriptorScriptSize,
  maxSatisfactionElems,
  maxSatisfactionWeight,
} from "./descriptor_size.ts";
import type { OutputType } from "../address/output_type.ts";

const OP_CHECKMULTISIG = 0xae;

/** Options for {@link parseDescriptor}. */
export interface ParseDescriptorOptions {
  /** Network whose WIF, xpub/xprv and address encodings are accepted. */
  readonly prefixes: ChainPrefixes;
  /** Backend for public key checks and BIP32 derivation. */
  readonly secp: Secp256k1;
  /** Reject descriptors without `#checksum` (as `deriveaddresses` does). Default false. */
  readonly requireChecksum?: boolean;
}

/** Options passed down the recursive parser. */
interface ParseState {
  readonly prefixes: ChainPrefixes;
  readonly secp: Secp256k1;
}

function parseKey(span: Span, context: ScriptContext, state: ParseState, label: string) {
  try {
    return parseKeyExpression(span.text, context, state);
  } catch (error) {
    if (error instanceof DescriptorError) throw new DescriptorError(`${label}${error.message}`);
    throw error;
  }
}

function parseMulti(
  span: Span,
  context: ScriptContext,
  sorted: boolean,
  state: ParseState,
): DescriptorNode {
  const thresholdText = span.expr().text;
  const threshold = parseUInt32(thresholdText);
  if (threshold === null) {
    throw new DescriptorError(`Multi threshold '${thresholdText}' is not valid`);
  }
  const keys: KeyExpression[] = [];
  let scriptSize = 0;
  while (span.size > 0) {
    if (!span.consume(",")) throw new DescriptorError(`Multi: expected ',', got '${span.text[0]}'`);
    const key = parseKey(span.expr(), context, state, "Multi: ");
    scriptSize += keySize(key) + 1;
    keys.push(key);
  }
  if (keys.length === 0 || keys.length > MAX_PUBKEYS_PER_MULTISIG) {
    throw new DescriptorError(
      `Cannot have ${keys.length} keys in multisig; must have between 1 and ${MAX_PUBKEYS_PER_MULTISIG} keys, inclusive`,
    );
  }
  if (threshold < 1) {
    throw new DescriptorError(`Multisig threshold cannot be ${threshold}, must be at least 1`);
  }
  if (threshold > keys.length) {
    throw new DescriptorError(
      `Multisig threshold cannot be larger than the number of keys; threshold is ${threshold} but only ${keys.length} keys specified`,
    );
  }
  if (context === "top" && keys.length > 3) {
    throw new DescriptorError(
      `Cannot have ${keys.length} pubkeys in bare multisig; only at most 3 pubkeys`,
    );
  }
  if (context === "p2sh" && scriptSize + 3 > MAX_SCRIPT_ELEMENT_SIZE) {
    throw new DescriptorError(
      `P2SH script is too large, ${
        scriptSize + 3
      } bytes is larger than ${MAX_SCRIPT_ELEMENT_SIZE} bytes`,
    );
  }
  return { type: sorted ? "sortedmulti" : "multi", threshold, keys };
}

/**
 * Parses one SCRIPT expression from the front of `sp` (`ParseScript`); what follows it stays in
 * `sp` for the caller to check.
 */
function parseScript(sp: Span, context: ScriptContext, state: ParseState): DescriptorNode {
  const expr = sp.expr();
  const top = context === "top";
  const scriptContext = top || context === "p2sh" || context === "p2wsh";
  if (expr.func("pk")) return { type: "pk", key: parseKey(expr, context, state, "pk(): ") };
  if (scriptContext && expr.func("pkh")) {
    return { type: "pkh", key: parseKey(expr, context, state, "pkh(): ") };
  }
  if (expr.func("combo")) {
    if (!top) throw new DescriptorError("Can only have combo() at top level");
    return { type: "combo", key: parseKey(expr, context, state, "combo(): ") };
  }
  const multi = expr.func("multi");
  const sortedMulti = !multi && expr.func("sortedmulti");
  const multiA = !(multi || sortedMulti) && (expr.func("multi_a") || expr.func("sortedmulti_a"));
  if (multi || sortedMulti) {
    if (!scriptContext) {
      throw new DescriptorError(
        "Can only have multi/sortedmulti at top level, in sh(), or in wsh()",
      );
    }
    return parseMulti(expr, context, sortedMulti, state);
  }
  if (multiA) throw new DescriptorError("Can only have multi_a/sortedmulti_a inside tr()");
  if (expr.func("wpk")) {
    if (!top) throw new DescriptorError("Can only have wpk() at top level");
    return { type: "wpk", key: parseKey(expr, "p2wpk", state, "wpk(): ") };
  }
  for (const type of ["sh", "wsh"] as const) {
    if (!expr.func(type)) continue;
    if (!top) throw new DescriptorError(`Can only have ${type}() at top level`);
    const inner = parseScript(expr, type === "sh" ? "p2sh" : "p2wsh", state);
    // Trailing text after the inner script fails without a message, as in freicoind.
    if (expr.size > 0) throw new DescriptorError("");
    return { type, inner };
  }
  if (expr.func("addr")) {
    if (!top) throw new DescriptorError("Can only have addr() at top level");
    const decoded = decodeDestination(expr.text, state.prefixes);
    if (!decoded.ok) throw new DescriptorError("Address is not valid");
    return { type: "addr", destination: decoded.destination };
  }
  if (expr.func("raw")) {
    if (!top) throw new DescriptorError("Can only have raw() at top level");
    if (!isHexString(expr.text)) throw new DescriptorError("Raw script is not hex");
    return { type: "raw", script: hexToBytes(expr.text) };
  }
  const miniscript = parseMiniscriptExpression(expr.text, context, state);
  if (miniscript !== null) return miniscript;
  if (context === "p2sh") throw new DescriptorError("A function is needed within P2SH");
  if (context === "p2wsh") throw new DescriptorError("A function is needed within P2WSH");
  throw new DescriptorError(`'${expr.text}' is not a valid descriptor function`);
}

/** A miniscript expression (only valid inside `wsh()`), or null if the text is not one. */
function parseMiniscriptExpression(
  text: string,
  context: ScriptContext,
  state: ParseState,
): DescriptorNode | null {
  const keys: KeyExpression[] = [];
  // Keys inside miniscript are always parsed as witness keys; their errors carry no prefix.
  const node = parseMiniscript(text, (keyText) => {
    keys.push(parseKeyExpression(keyText, "p2wsh", state));
    return keys.length - 1;
  });
  if (node === null) return null;
  if (context !== "p2wsh") {
    throw new DescriptorError("Miniscript expressions can only be used in wsh.");
  }
  const error = miniscriptSanityError(
    node,
    (i) => keyToString(keys[i], state.prefixes),
    (i) => bytesToHex(deriveKey(keys[i], 0, state.secp)?.pubkey ?? new Uint8Array()),
  );
  if (error !== null) throw new DescriptorError(error);
  return { type: "miniscript", node, keys };
}

function nodeKeys(node: DescriptorNode): readonly KeyExpression[] {
  switch (node.type) {
    case "addr":
    case "raw":
      return [];
    case "pk":
    case "pkh":
    case "wpk":
    case "combo":
      return [node.key];
    case "multi":
    case "sortedmulti":
      return node.keys;
    case "sh":
    case "wsh":
      return nodeKeys(node.inner);
    case "miniscript":
      return node.keys;
  }
}

/**
 * The text of a node. `miniscriptKeyString` prints keys inside miniscript, which freicoind
 * prints in plain public form except in the private form.
 */
function nodeToString(
  node: DescriptorNode,
  keyString: (key: KeyExpression) => string | null,
  prefixes: ChainPrefixes,
  miniscriptKeyString: (key: KeyExpression) => string | null = keyString,
): string | null {
  switch (node.type) {
    case "addr":
      return `addr(${encodeDestination(node.destination, prefixes)})`;
    case "raw":
      return `raw(${bytesToHex(node.script)})`;
    case "pk":
    case "pkh":
    case "wpk":
    case "combo": {
      const key = keyString(node.key);
      return key === null ? null : `${node.type}(${key})`;
    }
    case "multi":
    case "sortedmulti": {
      const keys = node.keys.map(keyString);
      if (keys.some((k) => k === null)) return null;
      return `${node.type}(${node.threshold},${keys.join(",")})`;
    }
    case "sh":
    case "wsh": {
      const inner = nodeToString(node.inner, keyString, prefixes, miniscriptKeyString);
      return inner === null ? null : `${node.type}(${inner})`;
    }
    case "miniscript":
      return miniscriptToString(node.node, (i) => miniscriptKeyString(node.keys[i]));
  }
}

/** `<n>` as a minimal script number push (`CScript << int`) for 0..20. */
function pushSmallInt(n: number): number[] {
  if (n === 0) return [0x00];
  if (n <= 16) return [0x50 + n];
  return [1, n];
}

function multisigScript(threshold: number, pubkeys: Uint8Array[]): Uint8Array {
  const out: number[] = [...pushSmallInt(threshold)];
  for (const pubkey of pubkeys) out.push(pubkey.length, ...pubkey);
  out.push(...pushSmallInt(pubkeys.length), OP_CHECKMULTISIG);
  return Uint8Array.from(out);
}

/** Derives every key at `position`, recording its origin; null if one cannot be derived. */
function deriveAll(
  keys: readonly KeyExpression[],
  position: number,
  secp: Secp256k1,
  out: SigningData,
): Uint8Array[] | null {
  const pubkeys: Uint8Array[] = [];
  for (const key of keys) {
    const derived = deriveKey(key, position, secp);
    if (derived === null) return null;
    const id = idKey(hash160(derived.pubkey));
    if (!out.origins.has(id)) {
      out.origins.set(id, {
        pubkey: derived.pubkey,
        fingerprint: derived.fingerprint,
        path: derived.path,
      });
    }
    pubkeys.push(derived.pubkey);
  }
  return pubkeys;
}

/**
 * The scriptPubKeys a node yields at `position` (`ExpandHelper`), recording keys, origins and
 * scripts in `out`; null if a key cannot be derived (then `out` is left unchanged).
 */
function expandNode(
  node: DescriptorNode,
  position: number,
  secp: Secp256k1,
  out: SigningData,
): Uint8Array[] | null {
  const local = emptySigningData();
  const scripts = expandInto(node, position, secp, local);
  if (scripts !== null) mergeSigningData(out, local);
  return scripts;
}

function setOnce(map: Map<string, Uint8Array>, id: Uint8Array, value: Uint8Array): void {
  const key = idKey(id);
  if (!map.has(key)) map.set(key, value);
}

function expandInto(
  node: DescriptorNode,
  position: number,
  secp: Secp256k1,
  out: SigningData,
): Uint8Array[] | null {
  switch (node.type) {
    case "addr":
      return [scriptForDestination(node.destination)];
    case "raw":
      return [node.script.slice()];
    case "pk":
    case "pkh":
    case "wpk":
    case "combo": {
      const derived = deriveAll([node.key], position, secp, out);
      if (derived === null) return null;
      const pubkey = derived[0];
      const p2pk = payToPubKeyScript(pubkey);
      if (node.type === "pk") return [p2pk];
      setOnce(out.pubkeys, hash160(pubkey), pubkey);
      const p2pkh = scriptForDestination(pkHashOf(pubkey));
      if (node.type === "pkh") return [p2pkh];
      if (node.type === "combo" && pubkey.length !== 33) return [p2pk, p2pkh];
      const entry = Uint8Array.of(0, ...p2pk);
      const p2wpk = witnessV0ShortHashOf(0, p2pk);
      setOnce(out.witnessScripts, p2wpk.hash, entry);
      if (node.type === "wpk") return [scriptForDestination(p2wpk)];
      return [p2pk, p2pkh, scriptForDestination(p2wpk)];
    }
    case "multi":
    case "sortedmulti": {
      const pubkeys = deriveAll(node.keys, position, secp, out);
      if (pubkeys === null) return null;
      if (node.type === "sortedmulti") pubkeys.sort(compareBytes);
      return [multisigScript(node.threshold, pubkeys)];
    }
    case "sh":
    case "wsh": {
      const inner = expandNode(node.inner, position, secp, out);
      if (inner === null) return null;
      const script = inner[0];
      if (node.type === "sh") {
        setOnce(out.scripts, hash160(script), script);
        return [scriptForDestination(scriptHashOf(script))];
      }
      const longHash = witnessV0LongHashOf(0, script);
      setOnce(out.witnessScripts, ripemd160(longHash.hash), Uint8Array.of(0, ...script));
      return [scriptForDestination(longHash)];
    }
    case "miniscript": {
      const pubkeys = deriveAll(node.keys, position, secp, out);
      if (pubkeys === null) return null;
      for (const pubkey of pubkeys) setOnce(out.pubkeys, hash160(pubkey), pubkey);
      return [miniscriptToScript(node.node, (i) => pubkeys[i])];
    }
  }
}

function checkPosition(position: number): void {
  if (!Number.isInteger(position) || position < 0 || position > 0x7fffffff) {
    throw new RangeError("descriptor position must be an integer in [0, 2^31)");
  }
}

/**
 * A parsed output descriptor (`Descriptor` in the reference) bound to its network.
 *
 * @example
 * ```ts
 * import { parseDescriptor } from "./descriptor.ts";
 * import { REGTEST_PREFIXES } from "../address/chain_prefixes.ts";
 * import { createPureSecp256k1 } from "../secp256k1/mod.ts";
 * const desc = parseDescriptor("raw(51)", {
 *   prefixes: REGTEST_PREFIXES,
 *   secp: createPureSecp256k1(),
 * });
 * desc.toString(); // "raw(51)#..." with its checksum
 * ```
 */
export class Descriptor {
  readonly #node: DescriptorNode;
  readonly #prefixes: ChainPrefixes;
  readonly #secp: Secp256k1;

  /** Wraps a parsed tree; use {@link parseDescriptor} to build one from text. */
  constructor(node: DescriptorNode, prefixes: ChainPrefixes, secp: Secp256k1) {
    this.#node = node;
    this.#prefixes = prefixes;
    this.#secp = secp;
  }

  /** The parsed tree. */
  get node(): DescriptorNode {
    return this.#node;
  }

  /** True when the descriptor has a `/*` or `/*'` key (`IsRange`). */
  get isRange(): boolean {
    return nodeKeys(this.#node).some(isRangeKey);
  }

  /** False for `addr()` and `raw()` (`IsSolvable`). */
  get isSolvable(): boolean {
    let node = this.#node;
    while (node.type === "sh" || node.type === "wsh") node = node.inner;
    return node.type !== "addr" && node.type !== "raw";
  }

  /** True when some key was given as WIF or xprv. */
  get hasPrivateKeys(): boolean {
    return nodeKeys(this.#node).some(hasPrivateKey);
  }

  /** The public form with checksum, as `getdescriptorinfo` returns it. */
  toString(): string {
    const prefixes = this.#prefixes;
    return addChecksum(nodeToString(this.#node, (key) => keyToString(key, prefixes), prefixes)!);
  }

  /**
   * The descriptor id wallets store descriptors under (`DescriptorID`): SHA-256 of the public form
   * with checksum in which hardened steps always use `'`. Internal byte order.
   */
  descriptorId(): Uint8Array {
    const prefixes = this.#prefixes;
    const compat = addChecksum(
      nodeToString(
        this.#node,
        (key) => keyToString(key, prefixes, true),
        prefixes,
        (key) => keyToString(key, prefixes),
      )!,
    );
    return sha256(utf8Encode(compat));
  }

  /**
   * The form with private keys (WIF/xprv) and checksum, or null if any key lacks its private
   * key or the descriptor is `addr()`/`raw()`.
   */
  toPrivateString(): string | null {
    const node = this.#node;
    if (node.type === "addr" || node.type === "raw") return null;
    const prefixes = this.#prefixes;
    const text = nodeToString(node, (key) => keyToPrivateString(key, prefixes), prefixes);
    return text === null ? null : addChecksum(text);
  }

  /**
   * The normalized public form with checksum that `listdescriptors` prints: hardened
   * derivation below an xprv is folded into the key origin. Null when that needs private keys
   * the descriptor lacks.
   */
  toNormalizedString(): string | null {
    const prefixes = this.#prefixes;
    const secp = this.#secp;
    const text = nodeToString(
      this.#node,
      (key) => keyToNormalizedString(key, prefixes, secp),
      prefixes,
      (key) => keyToString(key, prefixes),
    );
    return text === null ? null : addChecksum(text);
  }

  /** Length of the scriptPubKey, or null for `combo()` (several scripts). */
  get scriptSize(): number | null {
    return descriptorScriptSize(this.#node);
  }

  /** Address type of the outputs (`GetOutputType`): "legacy", "bech32", or null. */
  get outputType(): OutputType | null {
    return descriptorOutputType(this.#node);
  }

  /**
   * Largest weight of a satisfying scriptSig plus witness (`MaxSatisfactionWeight`), assuming
   * 72-byte signatures when `useMaxSig`, else 71; null when it cannot be estimated.
   */
  maxSatisfactionWeight(useMaxSig: boolean): number | null {
    return maxSatisfactionWeight(this.#node, useMaxSig);
  }

  /** Largest number of stack elements of a satisfaction (`MaxSatisfactionElems`). */
  get maxSatisfactionElems(): number | null {
    return maxSatisfactionElems(this.#node);
  }

  /**
   * The scriptPubKeys at `position` (ignored unless ranged): one script, or three for
   * `combo()` of a compressed key (P2PK, P2PKH, P2WPK). Null when hardened derivation needs
   * private keys the descriptor lacks.
   */
  expand(position: number): Uint8Array[] | null {
    checkPosition(position);
    return expandNode(this.#node, position, this.#secp, emptySigningData());
  }

  /**
   * Like {@link expand}, and also returns what a signer needs (`FlatSigningProvider`): public
   * keys, key origins, redeem scripts and witness scripts. Null when a key cannot be derived.
   */
  expandWithSigningData(
    position: number,
  ): { scripts: Uint8Array[]; signingData: SigningData } | null {
    checkPosition(position);
    const signingData = emptySigningData();
    const scripts = expandNode(this.#node, position, this.#secp, signingData);
    return scripts === null ? null : { scripts, signingData };
  }

  /**
   * The private keys the descriptor holds at `position` (`ExpandPrivate`), by lower-case hex
   * key id. Keys without private material are skipped.
   */
  expandPrivate(position: number): Map<string, WifKey> {
    checkPosition(position);
    const keys = new Map<string, WifKey>();
    for (const key of nodeKeys(this.#node)) {
      const wif = derivePrivateKey(key, position, this.#secp);
      if (wif === null) continue;
      const id = idKey(hash160(this.#secp.publicKeyFromSecret(wif.secret, wif.compressed)));
      if (!keys.has(id)) keys.set(id, wif);
    }
    return keys;
  }
}

/**
 * Parses an output descriptor (`Parse` in the reference): checks the optional `#checksum`, then
 * the expression. Throws {@link DescriptorError} carrying freicoind's message.
 */
export function parseDescriptor(text: string, options: ParseDescriptorOptions): Descriptor {
  const { payload } = checkChecksum(text, options.requireChecksum ?? false);
  const span = new Span(payload);
  const state: ParseState = { prefixes: options.prefixes, secp: options.secp };
  const node = parseScript(span, "top", state);
  // Text after the top-level expression fails without a message, as in freicoind.
  if (span.size > 0) throw new DescriptorError("");
  return new Descriptor(node, options.prefixes, options.secp);
}
