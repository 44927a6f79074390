/**
 * A running node: the services it owns, started and stopped in freicoind's order.
 *
 * Start-up: RPC server first (answering "warming up" until ready), then the chainstate; the
 * warm-up ends once the tip is loaded. Shutdown: stop taking RPC requests, close the chainstate
 * (flushing coins and the block index), then the RPC server.
 *
 * @module
 */
import type { Args } from "../../cli/args/args.ts";
import type { DebugLog } from "../../cli/debug_log.ts";
import type { ShutdownController } from "../../cli/shutdown.ts";
import type { ChainParams } from "../../kernel/chain/mod.ts";
import type { RpcMethod, RpcRegistry, RpcServer } from "../../rpc/mod.ts";
import type { ChainState } from "./chain/chain_state.ts";
import { NodeClock } from "./node_clock.ts";
import type { NodeContext } from "./node_context.ts";
import {
  chainParamsFromArgs,
  loadHashBackend,
  loadSecp256k1,
  openChainState,
  watchStopAtHeight,
} from "./node_chain.ts";
import { checkFeeEstimationOptions, MempoolService } from "./node_mempool.ts";
import { indexSelectionFromArgs, NodeIndexes } from "./node_indexes.ts";
import type { CoinStatsEntry, IndexedTransaction, IndexSummary } from "./rpc/mod.ts";
import { nodeRpcMethods } from "./rpc/mod.ts";
import type { Coin } from "../../kernel/consensus/mod.ts";
import type { OutPoint, Transaction } from "../../kernel/primitives/mod.ts";
import type { Secp256k1 } from "../../kernel/secp256k1/mod.ts";
import { createNodeRegistry, startNodeRpcServer } from "./node_rpc.ts";
import { blockchainBasicsMethods } from "./rpc/blockchain_basics.ts";
import { StartupError } from "../../cli/startup.ts";
import {
  mempoolRelayPool,
  netRpcMethods,
  NetworkConfigError,
  type P2PNetwork,
  startNetwork,
} from "./net/mod.ts";

/** What {@linkcode Node.start} needs from the entry point. */
export interface NodeStartOptions {
  args: Args;
  networkDir: string;
  log: DebugLog;
  shutdown: ShutdownController;
  /**
   * Starts services that need the chainstate (the wallet) before the RPC warm-up ends, so the
   * first calls already find their methods.
   */
  startServices?: (node: Node) => Promise<void>;
}

/** A hook that adds RPC methods to the node's registry once its context exists. */
export type RpcMethodSource = (context: NodeContext) => RpcMethod<NodeContext>[];

/** The node's live state; the RPC methods' context. */
class LiveNodeContext implements NodeContext {
  readonly args: Args;
  readonly params: ChainParams;
  readonly clock = new NodeClock();
  readonly log: DebugLog;
  #chain: ChainState | undefined;

  constructor(args: Args, params: ChainParams, log: DebugLog) {
    this.args = args;
    this.params = params;
    this.log = log;
  }

  get chain(): ChainState {
    if (!this.#chain) throw new Error("The chainstate is not loaded yet");
    return this.#chain;
  }

  set chain(chain: ChainState) {
    this.#chain = chain;
  }

  get hasChain(): boolean {
    return this.#chain !== undefined;
  }

  /** Aborted when a shutdown is requested (long-polling RPCs return then). */
  shutdownSignal!: AbortSignal;

  /** The secp256k1 backend (native when libsecp256k1 loads); set at start-up. */
  secp256k1!: Secp256k1;
  /** The mempool service, once started. */
  mempoolService: MempoolService | undefined;

  mempoolTransaction(txid: string): Transaction | undefined {
    return this.mempoolService?.transaction(txid);
  }

  mempoolCoin(outpoint: OutPoint): Coin | undefined {
    return this.mempoolService?.coin(outpoint);
  }

  mempoolSpends(outpoint: OutPoint): boolean {
    return this.mempoolService?.spends(outpoint) ?? false;
  }

  /** The running indexes, once started. */
  indexes: NodeIndexes | undefined;
  // Present only while the matching index runs: the RPC methods tell "no index" from "not
  // found" by their presence.
  txIndexLookup?: (txid: string) => IndexedTransaction | undefined;
  blockFilter?: (hash: Uint8Array) => { filter: Uint8Array; header: Uint8Array } | undefined;
  coinStats?: (hash: Uint8Array) => CoinStatsEntry | undefined;

  indexSummaries(): IndexSummary[] {
    return this.indexes?.summaries() ?? [];
  }

  /** Starts the indexes the arguments select and exposes their lookups. */
  startIndexes(networkDir: string): void {
    const selection = indexSelectionFromArgs(this.args);
    const indexes = NodeIndexes.open(selection, this.chain, networkDir);
    this.indexes = indexes;
    if (selection.txIndex) this.txIndexLookup = (txid) => indexes.transaction(txid);
    if (selection.blockFilterIndex) this.blockFilter = (hash) => indexes.blockFilter(hash);
    if (selection.coinStatsIndex) this.coinStats = (hash) => indexes.coinStats(hash);
  }

  /** Queues beyond the chainstate's own listeners (the wallets' notification queues). */
  readonly validationQueues: (() => Promise<void>)[] = [];

  async syncWithValidationQueue(): Promise<void> {
    // Chain events are delivered synchronously inside each chain mutation, and mutations run one
    // at a time, so everything queued before this call has reached the listeners; the wallets'
    // queues deliver later and are waited for here.
    await Promise.all(this.validationQueues.map((wait) => wait()));
  }
}

/** Extra RPC method sources registered by other parts of the program (IPC, mining, ...). */
const extraMethodSources: RpcMethodSource[] = [];

/** Adds RPC methods to every node started after this call. */
export function addNodeRpcMethods(source: RpcMethodSource): void {
  extraMethodSources.push(source);
}

/** The services of a running node. */
export class Node {
  readonly context: LiveNodeContext;
  /** The JSON-RPC method registry, when the RPC server runs (also served over IPC). */
  readonly registry: RpcRegistry<NodeContext> | undefined;
  readonly #rpcServer: RpcServer | undefined;
  readonly #log: DebugLog;
  /** The P2P service (roles/node/net), once started. */
  #network: P2PNetwork | undefined;
  #stopped = false;

  private constructor(
    context: LiveNodeContext,
    rpcServer: RpcServer | undefined,
    log: DebugLog,
    registry?: RpcRegistry<NodeContext>,
  ) {
    this.context = context;
    this.registry = registry;
    this.#rpcServer = rpcServer;
    this.#log = log;
  }

  /** Starts the RPC server (in warm-up), loads the chainstate, then ends the warm-up. */
  static async start(options: NodeStartOptions): Promise<Node> {
    const { args, networkDir, log, shutdown } = options;
    const params = chainParamsFromArgs(args, args.chainName());
    const context = new LiveNodeContext(args, params, log);
    // `SetMockTime(-mocktime)` at start-up, as freicoind's AppInitParameterInteraction (0: off).
    context.clock.setMockTime(args.getInt("-mocktime", 0));
    context.shutdownSignal = shutdown.signal;
    let registry: RpcRegistry<NodeContext> | undefined;
    let rpcServer: RpcServer | undefined;
    if (args.getBool("-server", false)) {
      const rpcOptions = {
        args,
        networkDir,
        log,
        requestShutdown: () => shutdown.request("stop RPC"),
        now: () => context.clock.now(),
      };
      registry = createNodeRegistry<NodeContext>(context, rpcOptions);
      registry.setWarmupStatus("Loading block index…");
      rpcServer = await startNodeRpcServer(
        registry,
        rpcOptions,
        !args.getBool("-disablewallet", false),
      );
    }
    const node = new Node(context, rpcServer, log, registry);
    try {
      checkFeeEstimationOptions(args, params.chain);
      loadHashBackend(log);
      context.secp256k1 = loadSecp256k1(log);
      context.chain = await openChainState(
        args,
        params,
        networkDir,
        log,
        context.clock,
        context.secp256k1,
      );
      watchStopAtHeight(context.chain, args, () => shutdown.request("stopatheight"));
      context.startIndexes(networkDir);
      context.mempoolService = await MempoolService.start({
        args,
        params,
        chain: context.chain,
        secp256k1: context.secp256k1,
        networkDir,
        now: () => context.clock.now(),
        interrupted: () => shutdown.isRequested,
        logger: log,
      });
      node.#network = startNodeNetwork(context, networkDir);
      if (registry) {
        for (const method of netRpcMethods<NodeContext>(node.#network)) registry.register(method);
        for (const method of blockchainBasicsMethods()) registry.register(method);
        for (const method of nodeRpcMethods()) registry.register(method);
        for (const method of context.mempoolService.rpcMethods()) {
          registry.register(method as RpcMethod<NodeContext>);
        }
        for (const source of extraMethodSources) {
          for (const method of source(context)) registry.register(method);
        }
      }
      await options.startServices?.(node);
      registry?.setWarmupFinished();
    } catch (error) {
      await node.stop();
      throw error;
    }
    return node;
  }

  /** Stops taking RPC requests, closes the chainstate, then the RPC server. Idempotent. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#rpcServer?.interrupt();
    await this.#network?.close();
    await this.context.indexes?.close();
    try {
      await this.context.mempoolService?.stop();
    } catch (error) {
      this.#log.error(`Saving the mempool failed: ${error}`);
    }
    if (this.context.hasChain) {
      try {
        await this.context.chain.close();
      } catch (error) {
        this.#log.error(`Closing the chainstate failed: ${error}`);
      }
    }
    await this.#rpcServer?.close();
  }
}

/** Starts the P2P layer; its option errors become start-up errors. */
function startNodeNetwork(context: LiveNodeContext, networkDir: string): P2PNetwork {
  try {
    const { args, params, chain, clock, log, mempoolService } = context;
    // Transactions reach peers (and theirs the mempool) through the relay pool.
    const relayPool = mempoolService &&
      mempoolRelayPool(mempoolService.mempool, mempoolService.view, () => clock.now());
    return startNetwork({ args, params, chain, clock, log, networkDir, relayPool });
  } catch (error) {
    if (error instanceof NetworkConfigError) throw new StartupError(error.message);
    throw error;
  }
}
