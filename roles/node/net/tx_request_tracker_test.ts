import assert from "node:assert/strict";
import { TxRequestTracker } from "./tx_request_tracker.ts";

const TX = "aa".repeat(32);

Deno.test("asks one peer at a time, preferred first, and falls back on expiry, notfound or disconnect", () => {
  const tracker = new TxRequestTracker();
  tracker.receivedInv(1, TX, { isWtxid: true, preferred: false, requestTime: 2_000 });
  tracker.receivedInv(2, TX, { isWtxid: true, preferred: true, requestTime: 1_000 });
  tracker.receivedInv(3, TX, { isWtxid: true, preferred: false, requestTime: 3_000 });
  assert.deepEqual(tracker.getRequestable(2, 500), [], "not before its request time");
  assert.deepEqual(tracker.getRequestable(2, 2_500), [{ hashHex: TX, isWtxid: true }]);
  assert.deepEqual(tracker.getRequestable(1, 2_500), [], "the preferred peer goes first");
  tracker.requestedTx(2, TX, 10_000);
  assert.equal(tracker.countInFlight(2), 1);
  assert.deepEqual(tracker.getRequestable(1, 5_000), [], "one request in flight");
  assert.deepEqual(tracker.getRequestable(1, 10_000), [{ hashHex: TX, isWtxid: true }], "expired");
  tracker.requestedTx(1, TX, 20_000);
  tracker.receivedResponse(1, TX);
  assert.deepEqual(tracker.getRequestable(3, 11_000), [{ hashHex: TX, isWtxid: true }], "notfound");
  tracker.requestedTx(3, TX, 30_000);
  tracker.disconnectedPeer(3);
  assert.equal(tracker.count(3), 0);
  tracker.forgetTxHash(TX);
  assert.equal(tracker.count(1) + tracker.count(2), 0);
});
