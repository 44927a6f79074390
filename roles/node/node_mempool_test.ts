import assert from "node:assert/strict";
import { Args } from "../../cli/args/args.ts";
import { nodeOptionRegistry } from "../../cli/args/option_registry.ts";
import { StartupError } from "../../cli/startup.ts";
import { type Logger, NULL_LOGGER } from "../../cli/logger.ts";
import { openTestChain, regtestParams, testSecp256k1 } from "./chain/_test_support.ts";
import { checkFeeEstimationOptions, MempoolService } from "./node_mempool.ts";

function argsOf(argv: string[]): Args {
  const args = new Args(nodeOptionRegistry());
  args.parseCommandLine(argv);
  return args;
}

Deno.test("-acceptstalefeeestimates is refused outside regtest, unless -blocksonly keeps no estimator", () => {
  for (const chain of ["main", "test", "signet"] as const) {
    assert.throws(
      () => checkFeeEstimationOptions(argsOf(["-acceptstalefeeestimates"]), chain),
      (e: unknown) =>
        e instanceof StartupError &&
        e.message === `acceptstalefeeestimates is not supported on ${chain} chain.`,
    );
    checkFeeEstimationOptions(argsOf(["-acceptstalefeeestimates", "-blocksonly"]), chain);
    checkFeeEstimationOptions(argsOf([]), chain);
  }
  checkFeeEstimationOptions(argsOf(["-acceptstalefeeestimates"]), "regtest");
});

Deno.test("the mempool service writes the mempool's log lines to the node's logger", async () => {
  const dir = await Deno.makeTempDir({ prefix: "node_mempool_test_" });
  const chain = await openTestChain(dir);
  const lines: string[] = [];
  const logger: Logger = {
    ...NULL_LOGGER,
    info: (message) => void lines.push(typeof message === "string" ? message : message()),
  };
  try {
    const service = await MempoolService.start({
      args: argsOf(["-regtest"]),
      params: regtestParams(),
      chain,
      secp256k1: testSecp256k1(),
      networkDir: dir,
      now: () => 1_795_500_000,
      interrupted: () => false,
      logger,
    });
    // No mempool.dat yet: freicoind says so and continues.
    assert.ok(lines.includes("Failed to open mempool file from disk. Continuing anyway."));
    await service.stop();
  } finally {
    await chain.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the mempool service keeps a fee estimator and writes fee_estimates.dat at shutdown", async () => {
  const dir = await Deno.makeTempDir({ prefix: "node_mempool_test_" });
  const chain = await openTestChain(dir);
  const lines: string[] = [];
  const logger: Logger = {
    ...NULL_LOGGER,
    info: (message) => void lines.push(typeof message === "string" ? message : message()),
  };
  const start = (argv: string[]) =>
    MempoolService.start({
      args: argsOf(["-regtest", ...argv]),
      params: regtestParams(),
      chain,
      secp256k1: testSecp256k1(),
      networkDir: dir,
      now: () => 1_795_500_000,
      interrupted: () => false,
      logger,
    });
  try {
    const service = await start([]);
    assert.ok(lines.includes(`${dir}/fee_estimates.dat is not found. Continue anyway.`));
    const names = service.rpcMethods().map((method) => method.name);
    assert.ok(names.includes("estimatesmartfee") && names.includes("estimaterawfee"));
    assert.deepEqual(service.estimateSmartFee(6, true), {
      feeRatePerKvB: null,
      blocks: 0,
      reason: "none",
    });
    await service.stop();
    assert.ok(lines.includes("Flushed fee estimates to fee_estimates.dat."));
    assert.ok(Deno.statSync(`${dir}/fee_estimates.dat`).size > 0);

    const blocksOnly = await start(["-blocksonly"]);
    assert.equal(blocksOnly.feeEstimation, undefined);
    await blocksOnly.stop();
  } finally {
    await chain.close();
    await Deno.remove(dir, { recursive: true });
  }
});
