/**
 * Turns the chainstate's validation events (and the mempool's, when the node has one) into
 * `ChainNotifications` for every subscribed wallet, each through its own
 * {@linkcode NotificationQueue}. The chainstate calls its listeners synchronously inside a
 * mutation; here that only appends to queues, so a slow or stuck wallet never holds up
 * validation.
 *
 * @module
 */
import type { Logger } from "../../../cli/logger.ts";
import { type Block, encodeBlock, type Transaction } from "../../../kernel/primitives/mod.ts";
import { release } from "../../../ipc/rpc/interface.ts";
import type { ChainBlockInfo, ChainNotifications, Handler } from "../../../schemas/mod.ts";
import type { BlockIndexEntry } from "../chain/block_index_entry.ts";
import type { ChainListener, ChainSubscription } from "../chain/chain_events.ts";
import type { MempoolListener } from "../mempool/mempool.ts";
import { NotificationQueue } from "./notification_queue.ts";

/** What the hub listens to: the chainstate (required) and the mempool (optional). */
export interface NotificationSources {
  /** `ChainState.subscribe`. */
  subscribeChain(listener: ChainListener): ChainSubscription;
  /** `Mempool.subscribe`, when the node has a mempool. */
  subscribeMempool?(listener: MempoolListener): () => void;
  /** The block's info (median time past needs the chain). */
  blockInfo(entry: BlockIndexEntry): ChainBlockInfo;
}

/** Fixed overhead counted per queued notification besides its bytes. */
const ITEM_OVERHEAD = 256;

/** Encodes a block once, on first delivery, whatever the number of subscribers. */
function lazyBlockBytes(block: Block): () => Uint8Array {
  let bytes: Uint8Array | undefined;
  return () => bytes ??= encodeBlock(block);
}

/** Estimated bytes of a block without encoding it (its transactions' sizes). */
function blockSize(block: Block): number {
  let size = 80;
  for (const tx of block.transactions) size += tx.totalSize;
  return size;
}

/** Fans chain and mempool events out to subscribers' queues. */
export class ChainNotificationHub {
  readonly #logger: Logger;
  readonly #sources: NotificationSources;
  /** Each live subscriber's queue, with the name it subscribed under. */
  readonly #queues = new Map<NotificationQueue, string>();
  #chainSubscription: ChainSubscription | undefined;
  #mempoolUnsubscribe: (() => void) | undefined;
  #closed = false;

  /** Starts listening to `sources`. */
  constructor(sources: NotificationSources, logger: Logger) {
    this.#sources = sources;
    this.#logger = logger;
    this.#chainSubscription = sources.subscribeChain(this.#chainListener());
    this.#mempoolUnsubscribe = sources.subscribeMempool?.(this.#mempoolListener());
  }

  /** The number of live subscribers. */
  get subscriberCount(): number {
    return this.#queues.size;
  }

  /**
   * Subscribes `notifications` (a local object or a proxy the caller already retained, which the
   * hub releases when the subscription ends). Delivery stops at `disconnect()`, when a delivery
   * fails (e.g. the wallet process is gone), or when the queue overflows.
   */
  subscribe(notifications: ChainNotifications, name: string): Handler & Disposable {
    const queue: NotificationQueue = new NotificationQueue(notifications, {
      logger: this.#logger,
      name,
      onStopped: () => {
        this.#queues.delete(queue);
        release(notifications);
      },
    });
    if (this.#closed) queue.stop();
    else this.#queues.set(queue, name);
    const disconnect = () => queue.stop();
    return {
      disconnect: () => Promise.resolve(disconnect()),
      [Symbol.dispose]: disconnect,
    };
  }

  /** Resolves once every notification queued before this call reached every subscriber. */
  async waitForAll(): Promise<void> {
    await Promise.all([...this.#queues.keys()].map((queue) => queue.idle()));
  }

  /** Ends the subscriptions made under `name` (its wallet process is gone). */
  stopNamed(name: string): void {
    for (const [queue, queueName] of [...this.#queues]) {
      if (queueName === name) queue.stop();
    }
  }

  /** Stops listening and ends every subscription. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#chainSubscription?.disconnect();
    this.#mempoolUnsubscribe?.();
    for (const queue of [...this.#queues.keys()]) queue.stop();
  }

  #push(deliver: (n: ChainNotifications) => Promise<void>, bytes: number): void {
    for (const queue of this.#queues.keys()) queue.push({ deliver, bytes: bytes + ITEM_OVERHEAD });
  }

  #chainListener(): ChainListener {
    return {
      blockConnected: (block: Block, entry: BlockIndexEntry) => {
        if (this.#queues.size === 0) return;
        const bytes = lazyBlockBytes(block);
        const info = this.#sources.blockInfo(entry);
        this.#push((n) => n.blockConnected(bytes(), info), blockSize(block));
      },
      blockDisconnected: (block: Block, entry: BlockIndexEntry) => {
        if (this.#queues.size === 0) return;
        const bytes = lazyBlockBytes(block);
        const info = this.#sources.blockInfo(entry);
        this.#push((n) => n.blockDisconnected(bytes(), info), blockSize(block));
      },
      updatedTip: () => {
        if (this.#queues.size === 0) return;
        this.#push((n) => n.updatedBlockTip(), 0);
      },
    };
  }

  #mempoolListener(): MempoolListener {
    return {
      added: (entry) => {
        if (this.#queues.size === 0) return;
        const tx: Transaction = entry.tx;
        this.#push((n) => n.transactionAddedToMempool(tx.toBytes()), tx.totalSize);
      },
      removed: (tx, reason) => {
        // As freicoind: a transaction mined in a block is reported by blockConnected only.
        if (this.#queues.size === 0 || reason === "block") return;
        this.#push((n) => n.transactionRemovedFromMempool(tx.toBytes(), reason), tx.totalSize);
      },
    };
  }
}
