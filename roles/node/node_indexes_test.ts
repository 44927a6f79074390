import assert from "node:assert/strict";
import { Args } from "../../cli/args/args.ts";
import { StartupError } from "../../cli/startup.ts";
import { nodeOptionRegistry } from "../../cli/args/option_registry.ts";
import { feedBlocks, openTestChain, regtestChain } from "./chain/_test_support.ts";
import { indexSelectionFromArgs, NodeIndexes } from "./node_indexes.ts";

function argsOf(argv: string[]): Args {
  const args = new Args(nodeOptionRegistry());
  args.parseCommandLine(["-regtest", ...argv]);
  return args;
}

Deno.test("index options: none by default; -blockfilterindex takes 1, basic or 0; unknown types fail start-up", () => {
  assert.deepEqual(indexSelectionFromArgs(argsOf([])), {
    txIndex: false,
    blockFilterIndex: false,
    coinStatsIndex: false,
  });
  assert.deepEqual(
    indexSelectionFromArgs(argsOf(["-txindex", "-blockfilterindex", "-coinstatsindex"])),
    { txIndex: true, blockFilterIndex: true, coinStatsIndex: true },
  );
  assert.equal(indexSelectionFromArgs(argsOf(["-blockfilterindex=basic"])).blockFilterIndex, true);
  assert.equal(indexSelectionFromArgs(argsOf(["-blockfilterindex=0"])).blockFilterIndex, false);
  assert.throws(
    () => indexSelectionFromArgs(argsOf(["-blockfilterindex=extended"])),
    (e: unknown) =>
      e instanceof StartupError && e.message === "Unknown -blockfilterindex value extended.",
  );
  assert.throws(
    () => indexSelectionFromArgs(argsOf(["-txindex", "-prune=550"])),
    (e: unknown) =>
      e instanceof StartupError && e.message === "Prune mode is incompatible with -txindex.",
  );
});

Deno.test("the selected indexes catch up with the chain and answer lookups; the others stay absent", async () => {
  const dir = await Deno.makeTempDir({ prefix: "node_indexes_test_" });
  const chain = await openTestChain(dir);
  try {
    const { blocks } = regtestChain();
    await feedBlocks(chain, blocks, 1, 11);
    const indexes = NodeIndexes.open(
      { txIndex: true, blockFilterIndex: false, coinStatsIndex: true },
      chain,
      dir,
    );
    await indexes.whenSynced();
    assert.deepEqual(indexes.summaries(), [
      { name: "txindex", synced: true, bestBlockHeight: 10 },
      { name: "coinstatsindex", synced: true, bestBlockHeight: 10 },
    ]);
    const coinbase = blocks[5].transactions[0];
    assert.equal(indexes.transaction(coinbase.txidHex)?.blockHash, blocks[5].hashHex);
    assert.ok(indexes.coinStats(blocks[10].hash));
    assert.equal(indexes.blockFilter(blocks[10].hash), undefined);
    await indexes.close();
  } finally {
    await chain.close();
    await Deno.remove(dir, { recursive: true });
  }
});
