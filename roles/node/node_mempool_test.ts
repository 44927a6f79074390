import assert from "node:assert/strict";
import { Args } from "../../cli/args/args.ts";
import { nodeOptionRegistry } from "../../cli/args/option_registry.ts";
import { StartupError } from "../../cli/startup.ts";
import { checkFeeEstimationOptions } from "./node_mempool.ts";

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
