/**
 * Test support (not exported): a small in-memory chain that satisfies
 * {@link MiningChainView} with the kernel's checks (CheckBlock, contextual checks,
 * ConnectBlock), most-work selection with reorganisations, and connect/disconnect
 * callbacks. It stands in for roles/node/chain's ChainState in unit tests of the miner and
 * the mempool; it is not a chainstate (no storage, no headers-first, no invalidity cache).
 */
import {
  type ChainEntry,
  type ChainParams,
  getBlockProof,
  type VersionBitsCache,
} from "../../../kernel/chain/mod.ts";
import {
  type BlockFinalTxEntry,
  type BlockUndo,
  type BlockValidationFailure,
  checkBlock,
  type Coin,
  CoinsViewOverlay,
  connectBlock,
  contextualCheckBlock,
  contextualCheckBlockHeader,
  createScriptVerifier,
  MemoryCoinsView,
  type ScriptVerifier,
} from "../../../kernel/consensus/mod.ts";
import { bytesToHex } from "../../../kernel/encoding/mod.ts";
import { type Block, decodeBlock, OutPoint } from "../../../kernel/primitives/mod.ts";
import { createPureSecp256k1 } from "../../../kernel/secp256k1/mod.ts";
import type {
  IndexedBlock,
  MiningChainView,
  ProcessNewBlockResult,
} from "../mempool/chain_view.ts";

interface Node {
  readonly entry: ChainEntry & { chainWork: bigint };
  readonly block: Block;
  undo?: BlockUndo;
  finalTxAfter?: BlockFinalTxEntry | null;
  valid: boolean;
  failed: boolean;
}

/** Callbacks for connected and disconnected blocks (the validation interface). */
export interface TestChainListener {
  connected?(block: Block, entry: ChainEntry): void;
  disconnected?(block: Block, entry: ChainEntry): void;
}

const SHARED_VERIFIER = createScriptVerifier(createPureSecp256k1());

/** An in-memory chain for tests. */
export class TestChain implements MiningChainView {
  readonly params: ChainParams;
  readonly verifyScript: ScriptVerifier = SHARED_VERIFIER;
  readonly versionBitsCache: VersionBitsCache = new Map();
  readonly view = new MemoryCoinsView();
  readonly listeners: TestChainListener[] = [];
  /** The clock used for the "time-too-new" check. */
  now: () => number;
  readonly #nodes = new Map<string, Node>();
  #tip: Node;
  #finalTx: BlockFinalTxEntry | null = null;

  /** A chain holding only `params`' genesis block. */
  constructor(params: ChainParams, now: () => number = () => Math.floor(Date.now() / 1000)) {
    this.params = params;
    this.now = now;
    const genesis = decodeBlock(params.genesis.bytes);
    const entry = {
      height: 0,
      hash: genesis.hash,
      version: genesis.header.version,
      time: genesis.header.time,
      bits: genesis.header.bits,
      prev: undefined,
      chainWork: getBlockProof(genesis.header.bits),
    };
    this.#tip = { entry, block: genesis, valid: true, failed: false, finalTxAfter: null };
    this.#nodes.set(bytesToHex(genesis.hash), this.#tip);
  }

  /** {@inheritDoc MiningChainView.tip} */
  tip(): ChainEntry {
    return this.#tip.entry;
  }

  /** The block at `height` on the active chain. */
  blockAt(height: number): Block | undefined {
    let node: Node | undefined = this.#tip;
    while (node && node.entry.height > height) {
      node = node.entry.prev ? this.#nodes.get(bytesToHex(node.entry.prev.hash)) : undefined;
    }
    return node?.block;
  }

  /** {@inheritDoc MiningChainView.getCoin} */
  getCoin(outpoint: OutPoint): Coin | undefined {
    return this.view.getCoin(outpoint);
  }

  /** {@inheritDoc MiningChainView.finalTx} */
  finalTx(): BlockFinalTxEntry | null {
    return this.#finalTx;
  }

  /** {@inheritDoc MiningChainView.isInitialBlockDownload} */
  isInitialBlockDownload(): boolean {
    return false;
  }

  /** {@inheritDoc MiningChainView.lookupBlock} */
  lookupBlock(hash: Uint8Array): IndexedBlock | undefined {
    const node = this.#nodes.get(bytesToHex(hash));
    if (!node) return undefined;
    return { entry: node.entry, isValid: node.valid, isFailed: node.failed, haveData: true };
  }

  /** {@inheritDoc MiningChainView.processNewBlock} */
  processNewBlock(block: Block): Promise<ProcessNewBlockResult> {
    return Promise.resolve(this.#process(block));
  }

  #process(block: Block): ProcessNewBlockResult {
    const key = bytesToHex(block.hash);
    const known = this.#nodes.get(key);
    if (known) return { accepted: !known.failed, isNew: false };
    const consensus = this.params.consensus;
    const checked = checkBlock(block, consensus);
    if (!checked.ok) return { accepted: false, isNew: true, failure: checked };
    const prevNode = this.#nodes.get(bytesToHex(block.header.hashPrevBlock));
    if (!prevNode) {
      return {
        accepted: false,
        isNew: true,
        failure: {
          ok: false,
          category: "missing-prev",
          reason: "prev-blk-not-found",
          debugMessage: "",
        },
      };
    }
    const header = contextualCheckBlockHeader(block.header, prevNode.entry, consensus, {
      now: this.now(),
      versionBitsCache: this.versionBitsCache,
    });
    if (!header.ok) return { accepted: false, isNew: true, failure: header };
    const contextual = contextualCheckBlock(block, prevNode.entry, consensus);
    if (!contextual.ok) return { accepted: false, isNew: true, failure: contextual };
    const entry = {
      height: prevNode.entry.height + 1,
      hash: block.hash,
      version: block.header.version,
      time: block.header.time,
      bits: block.header.bits,
      prev: prevNode.entry,
      chainWork: prevNode.entry.chainWork + getBlockProof(block.header.bits),
    };
    const node: Node = { entry, block, valid: false, failed: false };
    this.#nodes.set(key, node);
    if (entry.chainWork > this.#tip.entry.chainWork) {
      const failure = this.#activate(node);
      if (failure) return { accepted: false, isNew: true, failure };
    }
    return { accepted: true, isNew: true };
  }

  #nodeOf(entry: ChainEntry): Node {
    return this.#nodes.get(bytesToHex(entry.hash))!;
  }

  /** Reorganises to `target`; on a connect failure, returns to the old chain. */
  #activate(target: Node): BlockValidationFailure | null {
    const path: Node[] = [];
    let walk: Node = target;
    const onActive = new Set<Node>();
    for (
      let n: Node | undefined = this.#tip;
      n;
      n = n.entry.prev ? this.#nodeOf(n.entry.prev) : undefined
    ) {
      onActive.add(n);
    }
    while (!onActive.has(walk)) {
      path.unshift(walk);
      walk = this.#nodeOf(walk.entry.prev!);
    }
    const fork = walk;
    const disconnected: Node[] = [];
    while (this.#tip !== fork) disconnected.push(this.#disconnectTip());
    for (const node of path) {
      const failure = this.#connect(node);
      if (failure) {
        node.failed = true;
        while (this.#tip !== fork) this.#disconnectTip();
        for (const back of disconnected.reverse()) this.#connect(back);
        return failure;
      }
    }
    return null;
  }

  #connect(node: Node): BlockValidationFailure | null {
    const overlay = new CoinsViewOverlay(this.view);
    const result = connectBlock(node.block, this.params.consensus, {
      entry: node.entry,
      view: overlay,
      finalTx: this.#finalTx,
      verifyScript: this.verifyScript,
      versionBitsCache: this.versionBitsCache,
    });
    if (!result.ok) return result;
    overlay.flush();
    node.undo = result.undo;
    node.valid = true;
    this.#finalTx = result.finalTx;
    this.#tip = node;
    for (const l of this.listeners) l.connected?.(node.block, node.entry);
    return null;
  }

  #disconnectTip(): Node {
    const node = this.#tip;
    const undo = node.undo!;
    const txs = node.block.transactions;
    for (let i = txs.length - 1; i >= 0; i--) {
      const tx = txs[i];
      for (let n = 0; n < tx.outputs.length; n++) this.view.spendCoin(new OutPoint(tx.txid, n));
      if (i === 0) continue;
      const coins = undo.txUndo[i - 1];
      for (let j = tx.inputs.length - 1; j >= 0; j--) {
        this.view.addCoin(tx.inputs[j].prevout, coins[j], true);
      }
    }
    this.#finalTx = undo.previousFinalTx;
    this.#tip = this.#nodeOf(node.entry.prev!);
    for (const l of this.listeners) l.disconnected?.(node.block, node.entry);
    return node;
  }
}
