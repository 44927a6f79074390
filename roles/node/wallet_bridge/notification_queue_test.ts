import assert from "node:assert/strict";
import { NULL_LOGGER } from "../../../cli/logger.ts";
import type { ChainNotifications } from "../../../schemas/mod.ts";
import { NotificationQueue } from "./notification_queue.ts";

const subscriber = {} as ChainNotifications;

Deno.test("delivers in order, one at a time, and idle() waits for what was queued before it", async () => {
  const delivered: number[] = [];
  let inFlight = 0;
  const queue = new NotificationQueue(subscriber, { logger: NULL_LOGGER, name: "test" });
  for (let i = 0; i < 20; i++) {
    queue.push({
      bytes: 1,
      deliver: async () => {
        inFlight++;
        assert.equal(inFlight, 1);
        await new Promise((resolve) => setTimeout(resolve, i % 3));
        delivered.push(i);
        inFlight--;
      },
    });
  }
  assert.deepEqual(delivered, [], "push never runs the delivery itself");
  await queue.idle();
  assert.deepEqual(delivered, [...Array(20).keys()]);
  assert.equal(queue.length, 0);
});

Deno.test("a failed delivery stops the queue and releases idle() waiters", async () => {
  let reason = "";
  const queue = new NotificationQueue(subscriber, {
    logger: NULL_LOGGER,
    name: "test",
    onStopped: (why) => reason = why,
  });
  let later = 0;
  queue.push({ bytes: 1, deliver: () => Promise.reject(new Error("peer disconnected")) });
  queue.push({ bytes: 1, deliver: () => Promise.resolve(void later++) });
  await queue.idle();
  assert.equal(queue.stopped, true);
  assert.match(reason, /delivery failed: peer disconnected/);
  assert.equal(later, 0);
  queue.push({ bytes: 1, deliver: () => Promise.resolve(void later++) });
  await queue.idle();
  assert.equal(later, 0);
});

Deno.test("a subscriber that lets too much pile up is dropped, not waited for", async () => {
  let reason = "";
  const queue = new NotificationQueue(subscriber, {
    logger: NULL_LOGGER,
    name: "test",
    maxQueuedBytes: 1000,
    onStopped: (why) => reason = why,
  });
  const never = () => new Promise<void>(() => {});
  for (let i = 0; i < 20; i++) queue.push({ bytes: 100, deliver: never });
  assert.equal(queue.stopped, true);
  assert.match(reason, /more than 1000 bytes/);
  await queue.idle();
});
