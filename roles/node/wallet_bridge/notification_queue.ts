/**
 * One subscriber's chain notifications, delivered in order, one at a time, without ever making
 * the chainstate wait: validation only appends to the queue; a separate loop awaits each
 * delivery (a local call, or a round trip to a wallet process) before sending the next.
 *
 * @module
 */
import type { Logger } from "../../../cli/logger.ts";
import type { ChainNotifications } from "../../../schemas/mod.ts";

/** One queued notification: how to deliver it, and roughly how many bytes it holds. */
export interface QueuedNotification {
  /** Calls the subscriber. */
  readonly deliver: (subscriber: ChainNotifications) => Promise<void>;
  /** Estimated memory held while queued (for the queue's bound). */
  readonly bytes: number;
}

/** Options for {@linkcode NotificationQueue}. */
export interface NotificationQueueOptions {
  /** Where failures are logged (category `ipc`... or plain errors). */
  readonly logger: Logger;
  /** A name for logs, e.g. `wallet process pid 123`. */
  readonly name: string;
  /**
   * Most bytes waiting before the subscriber is dropped as too slow (its wallet must then
   * rescan). Default 512 MiB: far beyond what a healthy wallet lets pile up.
   */
  readonly maxQueuedBytes?: number;
  /** Called once when the queue stops for good (delivery failed, overflow, or close). */
  readonly onStopped?: (reason: string) => void;
}

/** Default {@linkcode NotificationQueueOptions.maxQueuedBytes}. */
export const DEFAULT_MAX_QUEUED_BYTES = 512 * 1024 * 1024;

interface Waiter {
  /** Resolve once this many notifications were delivered. */
  readonly upTo: number;
  readonly resolve: () => void;
}

/** A per-subscriber FIFO with a delivery loop. */
export class NotificationQueue {
  readonly #subscriber: ChainNotifications;
  readonly #options: NotificationQueueOptions;
  readonly #maxBytes: number;
  #items: QueuedNotification[] = [];
  #head = 0;
  #queuedBytes = 0;
  #running = false;
  #stopped = false;
  /** Sequence numbers: `#enqueued` counts appends, `#delivered` finished deliveries. */
  #enqueued = 0;
  #delivered = 0;
  #waiters: Waiter[] = [];

  /** Creates a queue delivering to `subscriber`. */
  constructor(subscriber: ChainNotifications, options: NotificationQueueOptions) {
    this.#subscriber = subscriber;
    this.#options = options;
    this.#maxBytes = options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES;
  }

  /** Whether the queue has stopped delivering. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** How many notifications wait. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Appends a notification; returns at once (the delivery runs later). */
  push(item: QueuedNotification): void {
    if (this.#stopped) return;
    if (this.#queuedBytes + item.bytes > this.#maxBytes) {
      this.stop(
        `more than ${this.#maxBytes} bytes of notifications waiting; the subscriber is too slow`,
      );
      return;
    }
    this.#items.push(item);
    this.#queuedBytes += item.bytes;
    this.#enqueued++;
    if (!this.#running) {
      this.#running = true;
      queueMicrotask(() => this.#drain());
    }
  }

  /** Resolves once everything pushed before this call was delivered (or the queue stopped). */
  idle(): Promise<void> {
    const upTo = this.#enqueued;
    if (this.#stopped || this.#delivered >= upTo) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ upTo, resolve }));
  }

  /** Stops delivery and drops what waits; `reason` is logged unless it is a plain close. */
  stop(reason = "closed"): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#items = [];
    this.#head = 0;
    this.#queuedBytes = 0;
    if (reason !== "closed") {
      this.#options.logger.warning(
        `Chain notifications to ${this.#options.name} stopped: ${reason}`,
      );
    }
    for (const waiter of this.#waiters) waiter.resolve();
    this.#waiters = [];
    this.#options.onStopped?.(reason);
  }

  async #drain(): Promise<void> {
    while (!this.#stopped && this.#head < this.#items.length) {
      const item = this.#items[this.#head];
      try {
        await item.deliver(this.#subscriber);
      } catch (error) {
        this.stop(`delivery failed: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
      if (this.#stopped) return;
      this.#head++;
      this.#queuedBytes -= item.bytes;
      this.#delivered++;
      if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
        this.#items = this.#items.slice(this.#head);
        this.#head = 0;
      }
      this.#wakeWaiters();
    }
    this.#running = false;
  }

  #wakeWaiters(): void {
    if (this.#waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const waiter of this.#waiters) {
      if (this.#delivered >= waiter.upTo) waiter.resolve();
      else still.push(waiter);
    }
    this.#waiters = still;
  }
}
