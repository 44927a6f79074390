import assert from "node:assert/strict";
import { FeeRate } from "./fee_rate.ts";
import { MempoolOptionsError, mempoolOptionsFromArgs } from "./mempool_options.ts";

function argsOf(values: Record<string, string>) {
  return {
    isSet: (name: string) => name in values,
    get: (name: string) => values[name],
    getInt: (name: string, fallback: number) => name in values ? Number(values[name]) : fallback,
    getBool: (name: string, fallback: boolean) =>
      name in values ? values[name] !== "0" && values[name] !== "" : fallback,
  };
}

Deno.test("mempool options default to freicoind's: data carriers off, full RBF on, standardness required", () => {
  const options = mempoolOptionsFromArgs(argsOf({}), true, "regtest");
  assert.equal(options.maxDatacarrierBytes, null);
  assert.equal(options.fullRbf, true);
  assert.equal(options.requireStandard, true);
  assert.equal(options.maxSizeBytes, 300_000_000);
  assert.equal(options.expirySeconds, 336 * 3600);
  assert.equal(options.minRelayFeeRate.perKvB, 1000n);
  assert.equal(options.limits.ancestorSizeVbytes, 101_000);
});

Deno.test("mempool options from arguments, with freicoind's init errors", () => {
  const options = mempoolOptionsFromArgs(
    argsOf({
      "-datacarrier": "1",
      "-maxmempool": "5",
      "-mempoolexpiry": "1",
      "-incrementalrelayfee": "0.00002",
      "-acceptnonstdtxn": "1",
      "-limitdescendantsize": "50",
    }),
    true,
    "regtest",
  );
  assert.equal(options.maxDatacarrierBytes, 51);
  assert.equal(options.maxSizeBytes, 5_000_000);
  assert.equal(options.expirySeconds, 3600);
  // Raising only the incremental fee raises the relay minimum with it.
  assert.deepEqual(options.minRelayFeeRate, new FeeRate(2000n));
  assert.equal(options.requireStandard, false);
  assert.throws(
    () => mempoolOptionsFromArgs(argsOf({ "-minrelaytxfee": "x" }), true, "regtest"),
    (e: unknown) =>
      e instanceof MempoolOptionsError &&
      e.message === "Invalid amount for -minrelaytxfee=<amount>: 'x'",
  );
  assert.throws(
    () => mempoolOptionsFromArgs(argsOf({ "-acceptnonstdtxn": "1" }), false, "main"),
    (e: unknown) =>
      e instanceof MempoolOptionsError &&
      e.message === "acceptnonstdtxn is not currently supported for main chain",
  );
  assert.throws(
    () => mempoolOptionsFromArgs(argsOf({ "-maxmempool": "1" }), true, "regtest"),
    (e: unknown) =>
      e instanceof MempoolOptionsError && e.message === "-maxmempool must be at least 5 MB",
  );
});

Deno.test("fee rates: CFeeRate arithmetic and text forms", () => {
  assert.equal(FeeRate.fromFee(1000n, 0).perKvB, 0n);
  assert.equal(FeeRate.fromFee(1n, 3).perKvB, 333n);
  assert.equal(new FeeRate(1000n).getFee(1), 1n, "never 0 for a positive rate");
  assert.equal(new FeeRate(1500n).getFee(3), 5n, "rounds up");
  assert.equal(new FeeRate(123456n).toString(), "0.00123456 FRC/kvB");
  assert.equal(new FeeRate(1234n).toSatPerVbString(), "1.234 sat/vB");
});
