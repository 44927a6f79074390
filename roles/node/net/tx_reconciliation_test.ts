import assert from "node:assert/strict";
import { NULL_LOGGER } from "../../../cli/logger.ts";
import { TxReconciliationTracker } from "./tx_reconciliation.ts";

Deno.test("registers a pre-registered peer once, then reports the repeat", () => {
  const tracker = new TxReconciliationTracker(NULL_LOGGER, () => 7n);
  assert.equal(tracker.register(1, true, 1, 5n), "not-found");
  assert.equal(tracker.preRegister(1), 7n);
  assert.equal(tracker.isRegistered(1), false);
  assert.equal(tracker.register(1, true, 2, 5n), "success");
  assert.equal(tracker.isRegistered(1), true);
  assert.equal(tracker.register(1, true, 1, 5n), "already-registered");
  tracker.forget(1);
  assert.equal(tracker.isRegistered(1), false);
});

Deno.test("a version below 1 is a protocol violation", () => {
  const tracker = new TxReconciliationTracker(NULL_LOGGER, () => 1n);
  tracker.preRegister(3);
  assert.equal(tracker.register(3, false, 0, 9n), "protocol-violation");
});
