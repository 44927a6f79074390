import assert from "node:assert/strict";
import type { JsonValue, RpcMethod } from "../../../rpc/mod.ts";
import { acceptToMemoryPool } from "./accept.ts";
import { reattemptInitialBroadcast, scheduleInitialBroadcastRetries } from "./initial_broadcast.ts";
import type { MempoolEntry } from "./mempool_entry.ts";
import { Scheduler } from "./scheduler.ts";
import { Mempool } from "./mempool.ts";
import { NULL_LOGGER } from "../../../cli/logger.ts";
import { mockSchedulerMethod } from "./scheduler_rpc.ts";
import { blocks, chainAt } from "./_test_support.ts";

function call(method: RpcMethod, params: JsonValue[]): JsonValue | Promise<JsonValue> {
  return method.handler({
    method: method.name,
    params,
    id: 1,
    uri: "/",
    authUser: "",
    peerAddr: "",
    context: undefined,
    maybeArg: (i) => params[i] ?? undefined,
    arg: (i) => params[i] ?? undefined,
  });
}

Deno.test("scheduler runs tasks once due, earliest first, and keeps going after a failure", () => {
  let clock = 0;
  const errors: unknown[] = [];
  const scheduler = new Scheduler(() => clock, (e) => errors.push(e));
  const ran: string[] = [];
  scheduler.scheduleFromNow(() => ran.push("b"), 2000);
  scheduler.scheduleFromNow(() => {
    throw new Error("boom");
  }, 1500);
  scheduler.scheduleFromNow(() => ran.push("a"), 1000);
  scheduler.runDue();
  assert.deepEqual(ran, []);
  clock = 2000;
  scheduler.runDue();
  assert.deepEqual(ran, ["a", "b"]);
  assert.equal(errors.length, 1);
  assert.equal(scheduler.pending, 0);
});

Deno.test("mockForward brings tasks forward without moving the clock", () => {
  const scheduler = new Scheduler(() => 0);
  const ran: number[] = [];
  scheduler.scheduleFromNow(() => ran.push(1), 60_000);
  scheduler.scheduleFromNow(() => ran.push(2), 120_000);
  scheduler.mockForward(60_000);
  assert.deepEqual(ran, [1]);
  scheduler.mockForward(59_999);
  assert.deepEqual(ran, [1]);
  scheduler.mockForward(1);
  assert.deepEqual(ran, [1, 2]);
});

Deno.test("mockscheduler checks the chain and delta_time with freicoind's messages", async () => {
  const scheduler = new Scheduler(() => 0);
  let ran = false;
  scheduler.scheduleFromNow(() => (ran = true), 2 * 3600 * 1000);
  const method = mockSchedulerMethod({ scheduler, isMockableChain: true });
  assert.equal(method.category, "hidden");
  for (const bad of [0, -1, 3601]) {
    await assert.rejects(
      async () => await call(method, [bad]),
      (e: unknown) =>
        e instanceof Error && e.message === "delta_time must be between 1 and 3600 seconds (1 hr)",
    );
  }
  assert.equal(await call(method, [3600]), null);
  assert.equal(ran, false);
  await call(method, [3600]);
  assert.equal(ran, true);
  const mainnet = mockSchedulerMethod({ scheduler, isMockableChain: false });
  await assert.rejects(
    async () => await call(mainnet, [1]),
    (e: unknown) =>
      e instanceof Error &&
      e.message === "mockscheduler is for regression testing (-regtest mode) only",
  );
});

Deno.test("initial broadcast is retried every 10-15 minutes for unbroadcast pool transactions", async () => {
  const { chain, mempool, now } = await chainAt(151);
  const spend = blocks[152].transactions[1];
  assert.ok(acceptToMemoryPool(mempool, chain, spend, { acceptTime: now }).ok);
  mempool.addUnbroadcastTx(spend.txidHex);
  mempool.addUnbroadcastTx("00".repeat(32)); // not in the pool: never added
  const announced: string[] = [];
  mempool.subscribe({ reannounce: (entry: MempoolEntry) => announced.push(entry.txidHex) });
  const scheduler = new Scheduler(() => 0);
  scheduleInitialBroadcastRetries(scheduler, mempool, () => 0.5);
  scheduler.mockForward(12 * 60 * 1000);
  assert.deepEqual(announced, []);
  scheduler.mockForward(30 * 1000);
  assert.deepEqual(announced, [spend.txidHex]);
  assert.equal(scheduler.pending, 1, "the next attempt is scheduled");
  scheduler.mockForward(15 * 60 * 1000);
  assert.deepEqual(announced, [spend.txidHex, spend.txidHex]);
  // Once fetched by a peer, it is no longer announced.
  mempool.removeUnbroadcastTx(spend.txidHex);
  reattemptInitialBroadcast(mempool);
  assert.equal(announced.length, 2);
});

Deno.test("an unbroadcast transaction leaving the pool is logged as freicoind does", async () => {
  const { chain, now } = await chainAt(151);
  const lines: string[] = [];
  const logger = {
    ...NULL_LOGGER,
    debug: (_category: string, message: string | (() => string)) =>
      lines.push(typeof message === "string" ? message : message()),
  };
  const mempool = new Mempool({}, logger);
  const spend = blocks[152].transactions[1];
  assert.ok(acceptToMemoryPool(mempool, chain, spend, { acceptTime: now }).ok);
  mempool.addUnbroadcastTx(spend.txidHex);
  mempool.removeForBlock([spend], now);
  assert.ok(
    lines.includes(
      `Removed ${spend.txidHex} from set of unbroadcast txns before confirmation that txn was sent out`,
    ),
  );
  assert.equal(mempool.unbroadcastTxids().size, 0);
});
