import assert from "node:assert/strict";
import { regtestChain } from "../chain/_test_support.ts";
import { TxIndex } from "./tx_index.ts";
import { TestNode } from "./_test_support.ts";

Deno.test("the tx index finds confirmed transactions for getrawtransaction and survives a restart", async () => {
  let index: TxIndex | undefined;
  await using node = await TestNode.open({
    txIndexLookup: (txid) => index?.lookup(txid),
    indexSummaries: () => index ? [index.summary()] : [],
  });
  await node.feedTo(152);
  index = TxIndex.open({ chain: node.chain, networkDir: node.dir });
  await index.whenSynced();
  const block = regtestChain().blocks[152];
  const txid = block.transactions[1].txidHex;
  const answer = await node.call("getrawtransaction", [txid, 1]) as Record<string, unknown>;
  assert.equal(answer.blockhash, block.hashHex);
  assert.equal(answer.confirmations, 1);
  assert.deepEqual(await node.call("getindexinfo", []), {
    txindex: { synced: true, best_block_height: 152 },
  });
  assert.equal(index.lookup(regtestChain().blocks[0].transactions[0].txidHex), undefined);
  // New blocks are indexed as they connect.
  await node.feedTo(157);
  const later = regtestChain().blocks[155].transactions[0].txidHex;
  assert.equal((index.lookup(later))?.blockHash, regtestChain().blocks[155].hashHex);
  assert.deepEqual(
    await node.call("gettxoutproof", [[later]]),
    await node.call("gettxoutproof", [[later], regtestChain().blocks[155].hashHex]),
  );
  assert.deepEqual(await node.answer(["getrawtransaction", "00".repeat(32)]), {
    __error__: {
      code: -5,
      message:
        "No such mempool or blockchain transaction. Use gettransaction for wallet transactions.",
    },
  });
  await index.close();
  index = TxIndex.open({ chain: node.chain, networkDir: node.dir });
  assert.equal(index.summary().bestBlockHeight, 157);
  await index.whenSynced();
  assert.equal(index.lookup(txid)?.blockHash, block.hashHex);
  await index.close();
});

Deno.test("the tx index follows a reorganisation back to the fork", async () => {
  await using node = await TestNode.open();
  await node.feedTo(20);
  await using index = TxIndex.open({ chain: node.chain, networkDir: node.dir });
  await index.whenSynced();
  await node.call("invalidateblock", [regtestChain().blocks[15].hashHex]);
  await node.call("reconsiderblock", [regtestChain().blocks[15].hashHex]);
  await index.whenSynced();
  assert.equal(index.summary().bestBlockHeight, 20);
  const txid = regtestChain().blocks[18].transactions[0].txidHex;
  assert.equal(index.lookup(txid)?.blockHash, regtestChain().blocks[18].hashHex);
});
