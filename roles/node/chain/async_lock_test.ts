import assert from "node:assert/strict";
import { AsyncLock } from "./async_lock.ts";

Deno.test("runs tasks one at a time in arrival order, across awaits", async () => {
  const lock = new AsyncLock();
  const trace: string[] = [];
  const task = (name: string) => async () => {
    trace.push(`${name} start`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    trace.push(`${name} end`);
    return name;
  };
  const results = await Promise.all([
    lock.run(task("a")),
    lock.run(task("b")),
    lock.run(task("c")),
  ]);
  assert.deepEqual(results, ["a", "b", "c"]);
  assert.deepEqual(trace, ["a start", "a end", "b start", "b end", "c start", "c end"]);
  assert.equal(lock.held, false);
});

Deno.test("a failing task passes its error on and releases the lock", async () => {
  const lock = new AsyncLock();
  await assert.rejects(lock.run(() => Promise.reject(new Error("boom"))), /boom/);
  assert.equal(await lock.run(() => 42), 42);
});
