import assert from "node:assert/strict";
import { hashToHex } from "../../../kernel/encoding/hex.ts";
import { Block } from "../../../kernel/primitives/block.ts";
import { BlockHeader } from "../../../kernel/primitives/block_header.ts";
import { checkProofOfWork } from "../../../kernel/chain/pow.ts";
import type { ChainState } from "./chain_state.ts";
import { BlockIndexDatabase } from "./block_index_db.ts";
import { NULL_LOGGER } from "../../../cli/logger.ts";
import type { ChainStateOptions } from "./chain_state_types.ts";
import { Transaction } from "../../../kernel/primitives/transaction.ts";
import { TxIn } from "../../../kernel/primitives/tx_in.ts";
import {
  feedBlocks,
  mineBlock,
  mineBranch,
  openTestChain,
  regtestChain,
  regtestParams,
  remineWithCommitment,
  testSecp256k1,
} from "./_test_support.ts";

function formatKria(value: bigint): number {
  return Number(value) / 1e8;
}

Deno.test("replays the recorded regtest chain to the expected tip and UTXO figures", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chainstate_" });
  try {
    const { vector, blocks } = regtestChain();
    const chain = await openTestChain(dir, { scriptCheckThreads: 1, parallelScriptMinInputs: 0 });
    assert.ok(chain.waitForScriptThreads(30_000));
    assert.equal(chain.height, 0);
    await feedBlocks(chain, blocks, 1, blocks.length);
    assert.equal(chain.height, vector.expected_height);
    assert.equal(chain.tip?.hashHex, vector.expected_tip_hash);
    const stats = await chain.utxoStats();
    const expected = vector.expected_gettxoutsetinfo;
    const unspent = await chain.unspentOutputs();
    assert.equal(unspent.length, expected.txouts);
    assert.deepEqual(chain.getCoin(unspent[7].outpoint), unspent[7].coin);
    assert.equal(stats.txouts, expected.txouts);
    assert.equal(stats.transactions, expected.transactions);
    assert.equal(stats.bogosize, expected.bogosize);
    assert.equal(hashToHex(stats.hashSerialized), expected.hash_serialized_3);
    assert.equal(formatKria(stats.totalValue), expected.total_value);
    assert.equal(formatKria(stats.totalAmount), expected.total_amount);
    const used = chain.blockFilesSize();
    const onDisk = Deno.statSync(`${dir}/blocks/blk00000.dat`).size +
      Deno.statSync(`${dir}/blocks/rev00000.dat`).size;
    assert.equal(used, onDisk);
    await chain.close();

    const reopened = await openTestChain(dir);
    assert.equal(reopened.height, vector.expected_height);
    assert.equal(reopened.blockFilesSize(), used);
    const again = await reopened.utxoStats();
    assert.equal(hashToHex(again.hashSerialized), expected.hash_serialized_3);
    await reopened.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "chainstate_" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function utxoHash(chain: ChainState): Promise<string> {
  return hashToHex((await chain.utxoStats()).hashSerialized);
}

Deno.test("reorganises to a heavier branch and back, matching clean replays", async () => {
  await withTempDir(async (dir) => {
    const { vector, blocks } = regtestChain();
    const chain = await openTestChain(`${dir}/a`);
    await feedBlocks(chain, blocks, 1, 61);
    const events: string[] = [];
    using _sub = chain.subscribe({
      blockConnected: (_block, entry) => events.push(`+${entry.height}`),
      blockDisconnected: (_block, entry) => events.push(`-${entry.height}`),
    });
    const branch = mineBranch(chain.getBlockEntry(50)!, 20, 7);
    // Blocks 51..60 of the branch have no more work than the tip: stored, not connected.
    for (let i = 0; i < 10; i++) assert.equal(await chain.submitBlock(branch[i]), "inconclusive");
    assert.equal(chain.tip?.hashHex, blocks[60].hashHex);
    // Block 61 of the branch has more work: ten disconnects, eleven connects.
    assert.equal(await chain.submitBlock(branch[10]), null);
    assert.equal(chain.height, 61);
    assert.equal(chain.tip?.hashHex, branch[10].hashHex);
    const expectedEvents = [];
    for (let h = 60; h > 50; h--) expectedEvents.push(`-${h}`);
    for (let h = 51; h <= 61; h++) expectedEvents.push(`+${h}`);
    assert.deepEqual(events, expectedEvents);
    await feedBlocks(chain, branch, 11, 20);
    assert.equal(chain.height, 70);

    const clean = await openTestChain(`${dir}/b`);
    await feedBlocks(clean, blocks, 1, 51);
    await feedBlocks(clean, branch, 0, 20);
    assert.equal(await utxoHash(chain), await utxoHash(clean));
    await clean.close();

    // The recorded chain is stored without being connected up to height 70, then overtakes.
    for (let i = 61; i <= 70; i++) assert.equal(await chain.submitBlock(blocks[i]), "inconclusive");
    await feedBlocks(chain, blocks, 71, blocks.length);
    assert.equal(chain.tip?.hashHex, vector.expected_tip_hash);
    assert.equal(await utxoHash(chain), vector.expected_gettxoutsetinfo.hash_serialized_3);
    const tips = chain.getChainTips();
    assert.equal(tips.length, 2);
    assert.deepEqual(
      tips.map((tip) => [tip.entry.height, tip.branchLength, tip.status]),
      [[157, 0, "active"], [70, 20, "valid-fork"]],
    );
    await chain.close();
  });
});

Deno.test("invalidateblock and reconsiderblock move the tip and keep the UTXO set exact", async () => {
  await withTempDir(async (dir) => {
    const { vector, blocks } = regtestChain();
    // Reconnecting goes through the worker pool (blocks read back from disk).
    const chain = await openTestChain(dir, { scriptCheckThreads: 1, parallelScriptMinInputs: 0 });
    assert.ok(chain.waitForScriptThreads(30_000));
    await feedBlocks(chain, blocks, 1, blocks.length);
    const at150 = chain.getBlockEntry(150)!;
    const hashAt149 = await (async () => {
      const clean = await openTestChain(`${dir}/clean`);
      await feedBlocks(clean, blocks, 1, 150);
      const hash = await utxoHash(clean);
      await clean.close();
      return hash;
    })();
    await chain.invalidateBlock(at150);
    assert.equal(chain.height, 149);
    assert.equal(await utxoHash(chain), hashAt149);
    assert.equal(await chain.submitBlock(blocks[150]), "duplicate-invalid");
    assert.deepEqual(
      chain.getChainTips().map((tip) => [tip.entry.height, tip.status]),
      [[157, "invalid"], [149, "active"]],
    );
    await chain.reconsiderBlock(at150);
    assert.equal(chain.tip?.hashHex, vector.expected_tip_hash);
    assert.equal(await utxoHash(chain), vector.expected_gettxoutsetinfo.hash_serialized_3);
    await chain.close();
  });
});

Deno.test("answers duplicate, mutated, orphan and invalid blocks as submitblock does", async () => {
  await withTempDir(async (dir) => {
    const { blocks } = regtestChain();
    const chain = await openTestChain(dir);
    assert.equal(await chain.submitBlock(blocks[0]), "duplicate");
    await feedBlocks(chain, blocks, 1, 21);
    assert.equal(await chain.submitBlock(blocks[20]), "duplicate");

    const tip = chain.tip!;
    const parent = {
      hash: tip.hash,
      height: tip.height,
      medianTime: chain.medianTimePast(),
      time: tip.time,
    };
    const good = mineBlock(parent, { tag: 1 });
    // A wrong Merkle root is "mutated": rejected without marking the block invalid.
    const mutated = new Block(
      new BlockHeader({ ...good.header, hashMerkleRoot: new Uint8Array(32).fill(9) }),
      good.transactions,
    );
    assert.equal(await chain.submitBlock(mutated), "bad-txnmrklroot");
    const orphan = mineBlock({ ...parent, hash: new Uint8Array(32).fill(3) }, { tag: 2 });
    assert.equal(await chain.submitBlock(orphan), "prev-blk-not-found");
    const greedy = mineBlock(parent, { tag: 3, reward: 6_000_000_000n });
    assert.equal(await chain.submitBlock(greedy), "bad-cb-amount");
    assert.equal(await chain.submitBlock(greedy), "duplicate-invalid");
    const child = mineBlock(
      { ...parent, hash: greedy.hash, height: 21, time: greedy.header.time },
      {
        tag: 4,
      },
    );
    assert.equal(await chain.submitBlock(child), "bad-prevblk");
    assert.equal(chain.height, 20);
    assert.equal(await chain.submitBlock(good), null);
    assert.equal(chain.height, 21);
    await chain.close();
  });
});

Deno.test("preciousblock switches between equal-work tips", async () => {
  await withTempDir(async (dir) => {
    const { blocks } = regtestChain();
    const chain = await openTestChain(dir);
    await feedBlocks(chain, blocks, 1, 31);
    const original = chain.tip!;
    const [rival] = mineBranch(chain.getBlockEntry(29)!, 1, 5);
    assert.equal(await chain.submitBlock(rival), "inconclusive");
    assert.equal(chain.tip, original);
    await chain.preciousBlock(chain.lookupBlockIndex(rival.hash)!);
    assert.equal(chain.tip?.hashHex, rival.hashHex);
    await chain.preciousBlock(original);
    assert.equal(chain.tip, original);
    await chain.close();
  });
});

Deno.test("headers are accepted before their blocks and show as a headers-only tip", async () => {
  await withTempDir(async (dir) => {
    const { blocks } = regtestChain();
    const chain = await openTestChain(dir);
    const result = await chain.processBlockHeaders(
      blocks.slice(1, 11).map((block) => block.header),
    );
    assert.ok(result.ok);
    assert.equal(chain.bestHeader?.height, 10);
    assert.equal(chain.height, 0);
    assert.deepEqual(
      chain.getChainTips().map((tip) => [tip.entry.height, tip.status]),
      [[10, "headers-only"], [0, "active"]],
    );
    const gap = await chain.processBlockHeaders([blocks[15].header]);
    assert.ok(!gap.ok && gap.reason === "prev-blk-not-found" && gap.index === 0);
    await feedBlocks(chain, blocks, 1, 11);
    assert.equal(chain.height, 10);
    await chain.close();
  });
});

Deno.test("verifyDB passes at every level and catches damaged undo data", async () => {
  await withTempDir(async (dir) => {
    const { blocks } = regtestChain();
    const chain = await openTestChain(dir);
    await feedBlocks(chain, blocks, 1, blocks.length);
    for (let level = 0; level <= 4; level++) {
      assert.deepEqual(await chain.verifyDB(20, level), { ok: true }, `level ${level}`);
    }
    assert.deepEqual(await chain.verifyDB(0, 4), { ok: true });
    const tip = chain.tip!;
    const file = await Deno.open(`${dir}/blocks/rev00000.dat`, { write: true });
    await file.seek(tip.undoPos!.pos + 2, Deno.SeekMode.Start);
    await file.write(new Uint8Array([0xee, 0xee]));
    file.close();
    const damaged = await chain.verifyDB(6, 2);
    assert.ok(!damaged.ok && damaged.message.startsWith("found bad undo data at 157"));
    await chain.close();
  });
});

Deno.test("-reindex and -reindex-chainstate rebuild the same chainstate", async () => {
  await withTempDir(async (dir) => {
    const { vector, blocks } = regtestChain();
    const chain = await openTestChain(dir, { fastPrune: true });
    await feedBlocks(chain, blocks, 1, blocks.length);
    await chain.close();
    for (const options of [{ reindexChainstate: true }, { reindex: true }]) {
      const rebuilt = await openTestChain(dir, { fastPrune: true, ...options });
      assert.equal(rebuilt.tip?.hashHex, vector.expected_tip_hash);
      assert.equal(await utxoHash(rebuilt), vector.expected_gettxoutsetinfo.hash_serialized_3);
      await rebuilt.close();
    }
  });
});

Deno.test("-blocksdir puts blk/rev files under <blocksdir>/regtest/blocks", async () => {
  await withTempDir(async (dir) => {
    const { blocks } = regtestChain();
    const chain = await openTestChain(`${dir}/net`, { blocksDir: `${dir}/elsewhere` });
    await feedBlocks(chain, blocks, 1, 5);
    await chain.close();
    assert.ok(Deno.statSync(`${dir}/elsewhere/regtest/blocks/blk00000.dat`).isFile);
    assert.ok(Deno.statSync(`${dir}/net/blocks/index`).isDirectory);
    assert.ok(Deno.statSync(`${dir}/net/chainstate`).isDirectory);
    const entries = [...Deno.readDirSync(`${dir}/net`)].map((e) => e.name).sort();
    assert.deepEqual(entries, ["blocks", "chainstate"]);
  });
});

Deno.test("initial block download ends when the tip is younger than 14 days, and latches", async () => {
  await withTempDir(async (dir) => {
    const { blocks } = regtestChain();
    const tipTime = blocks[1].header.time;
    let now = tipTime + 14 * 86400 + 1;
    const chain = await openTestChain(dir, { clock: () => now });
    assert.equal(chain.isInitialBlockDownload(), true, "genesis is from 2012");
    await feedBlocks(chain, blocks, 1, 2);
    assert.equal(chain.isInitialBlockDownload(), true, "one second too old");
    now = tipTime + 14 * 86400;
    assert.equal(chain.isInitialBlockDownload(), false);
    assert.equal(chain.isInitialBlockDownload(tipTime + 1000 * 86400), false);
    await chain.close();
  });
});

Deno.test("a block with a bad signature is rejected with freicoind's script failure reasons", async (t) => {
  const { blocks } = regtestChain();
  const original = blocks[152];
  const spend = original.transactions[1];
  const witness = spend.inputs[0].witness.map((item) => item.slice());
  witness[0][10] ^= 1;
  const tampered = new Transaction({
    ...spend,
    inputs: [new TxIn({ ...spend.inputs[0], witness }), ...spend.inputs.slice(1)],
  });
  const bad = remineWithCommitment(original, [
    original.transactions[0],
    tampered,
    ...original.transactions.slice(2),
  ]);
  const cases: [string, Partial<ChainStateOptions>, string][] = [
    [
      "worker threads",
      { scriptCheckThreads: 1, parallelScriptMinInputs: 0 },
      "block-validation-failed",
    ],
    ["calling thread only", { scriptCheckThreads: 0 }, "block-validation-failed"],
    [
      "serial checks",
      { parallelScriptChecks: false },
      "mandatory-script-verify-flag-failed (Signature must be zero for failed CHECK(MULTI)SIG operation)",
    ],
  ];
  for (const [name, options, reason] of cases) {
    await t.step(name, () =>
      withTempDir(async (dir) => {
        const chain = await openTestChain(dir, options);
        assert.ok(chain.waitForScriptThreads(30_000));
        await feedBlocks(chain, blocks, 1, 152);
        assert.equal(await chain.submitBlock(bad), reason);
        assert.equal(chain.height, 151);
        assert.equal(await chain.submitBlock(bad), "duplicate-invalid");
        assert.equal(await chain.submitBlock(original), null);
        assert.equal(chain.height, 152);
        await chain.close();
      }));
  }
});

Deno.test("testBlockValidity checks a block on the tip without storing it", async () => {
  await withTempDir(async (dir) => {
    const { blocks } = regtestChain();
    const chain = await openTestChain(dir);
    await feedBlocks(chain, blocks, 1, 152);
    assert.deepEqual(chain.testBlockValidity(blocks[152]), { ok: true });
    assert.equal(chain.lookupBlockIndex(blocks[152].hash), undefined, "nothing stored");
    assert.equal(chain.testBlockValidity(blocks[153]).ok, false);
    const tip = chain.tip!;
    const greedy = mineBlock(
      { hash: tip.hash, height: tip.height, medianTime: chain.medianTimePast(), time: tip.time },
      { reward: 6_000_000_000n },
    );
    // Above height 100 a block needs a block-final transaction; this one has none.
    const result = chain.testBlockValidity(greedy);
    assert.ok(!result.ok && result.reason === "missing-block-final-tx", JSON.stringify(result));
    const orphan = chain.testBlockValidity(blocks[100]);
    assert.ok(!orphan.ok && orphan.reason === "inconclusive-not-best-prevblk");
    assert.equal(chain.height, 151);
    await chain.close();
  });
});

Deno.test("-loadblock imports a freicoind-format block file", async () => {
  await withTempDir(async (dir) => {
    const { vector, blocks } = regtestChain();
    const source = await openTestChain(`${dir}/source`);
    await feedBlocks(source, blocks, 1, blocks.length);
    await source.close();
    const chain = await openTestChain(`${dir}/target`);
    const count = await chain.loadExternalBlockFile(`${dir}/source/blocks/blk00000.dat`);
    assert.equal(count, blocks.length - 1, "every block but the genesis it already had");
    assert.equal(chain.tip?.hashHex, vector.expected_tip_hash);
    assert.equal(await utxoHash(chain), vector.expected_gettxoutsetinfo.hash_serialized_3);
    await chain.close();
  });
});

Deno.test("an interrupted -reindex starts over at the next open", async () => {
  await withTempDir(async (dir) => {
    const { vector, blocks } = regtestChain();
    const chain = await openTestChain(dir);
    await feedBlocks(chain, blocks, 1, blocks.length);
    await chain.close();
    const index = new BlockIndexDatabase(`${dir}/blocks/index`);
    index.setReindexing(true);
    index.close();
    const lines: string[] = [];
    const reopened = await openTestChain(dir, {
      logger: { ...NULL_LOGGER, info: (m) => void lines.push(typeof m === "string" ? m : m()) },
    });
    assert.ok(lines.some((line) => line.startsWith("Reindexing block file blk00000.dat")));
    assert.equal(reopened.tip?.hashHex, vector.expected_tip_hash);
    await reopened.close();
    const index2 = new BlockIndexDatabase(`${dir}/blocks/index`);
    assert.equal(index2.isReindexing(), false);
    index2.close();
  });
});

/** Headers on top of `parent` (trivial regtest proof of work), each a second after the last. */
function mineHeaders(parent: BlockHeader, count: number): BlockHeader[] {
  const headers: BlockHeader[] = [];
  let prev = parent;
  for (let i = 0; i < count; i++) {
    for (let nonce = 0;; nonce++) {
      const header = new BlockHeader({
        version: 0x20000000,
        hashPrevBlock: prev.hash,
        hashMerkleRoot: new Uint8Array(32).fill(1),
        time: prev.time + 1,
        bits: 0x207fffff,
        nonce,
      });
      if (checkProofOfWork(header.hash, header.bits, regtestParams().consensus)) {
        headers.push(header);
        prev = header;
        break;
      }
    }
  }
  return headers;
}

Deno.test("-assumevalid skips the scripts of blocks deep below the best header", async () => {
  const { blocks } = regtestChain();
  // 2,100 headers of 600 s each put block 157 more than two weeks of work below the best one.
  const extra = mineHeaders(blocks[157].header, 2100);
  const headers = [...blocks.slice(1).map((block) => block.header), ...extra];
  const verifications = async (assumeValid: Uint8Array | undefined, announce: number) => {
    let count = 0;
    const secp = testSecp256k1();
    const counting = {
      ...secp,
      verifyEcdsa: (sig: Uint8Array, msg: Uint8Array, key: Uint8Array) => {
        count++;
        return secp.verifyEcdsa(sig, msg, key);
      },
    };
    await withTempDir(async (dir) => {
      const chain = await openTestChain(dir, { secp256k1: counting, assumeValid });
      if (announce > 0) assert.ok((await chain.processBlockHeaders(headers.slice(0, announce))).ok);
      await feedBlocks(chain, blocks, 1, blocks.length);
      assert.equal(chain.height, 157);
      await chain.close();
    });
    return count;
  };
  const assumed = extra[extra.length - 1].hash;
  assert.equal(await verifications(assumed, headers.length), 0);
  assert.ok(await verifications(undefined, headers.length) > 0, "no -assumevalid: checked");
  assert.ok(await verifications(assumed, 0) > 0, "assumed block unknown: checked");
  // The best header only 100 blocks (~17 hours of work) above the chain: checked.
  const near = extra[100].hash;
  assert.ok(await verifications(near, 157 + 101) > 0, "best header too close: checked");
});

/** A logger that keeps every line (debug lines with their category). */
function recordingLogger(lines: string[]) {
  const text = (message: string | (() => string)) =>
    typeof message === "function" ? message() : message;
  return {
    ...NULL_LOGGER,
    info: (message: string | (() => string)) => void lines.push(text(message)),
    debug: (category: string, message: string | (() => string)) =>
      void lines.push(`[${category}] ${text(message)}`),
  };
}

Deno.test("a block without min_pow_checked is not stored, with freicoind's log lines", async () => {
  await withTempDir(async (dir) => {
    const { blocks } = regtestChain();
    const lines: string[] = [];
    const chain = await openTestChain(dir, { logger: recordingLogger(lines) });
    await feedBlocks(chain, blocks, 1, 3);
    const tip = chain.tip!;
    const parent = {
      hash: tip.hash,
      height: tip.height,
      medianTime: chain.medianTimePast(),
      time: tip.time,
    };
    const block = mineBlock(parent, { tag: 7 });
    const result = await chain.processNewBlock(block, { minPowChecked: false });
    assert.equal(result.accepted, false);
    assert.equal(result.checked?.ok, false);
    assert.equal(!result.checked?.ok && result.checked?.reason, "too-little-chainwork");
    assert.equal(chain.lookupBlockIndex(block.hash), undefined, "the header is not added");
    assert.ok(lines.includes(
      `[validation] AcceptBlockHeader: not adding new block header ${block.hashHex}, ` +
        "missing anti-dos proof-of-work validation",
    ));
    assert.ok(lines.includes("ERROR: ProcessNewBlock: AcceptBlock FAILED (too-little-chainwork)"));
    // An orphan fails on its missing parent first, as in freicoind.
    const orphan = mineBlock({ ...parent, hash: new Uint8Array(32).fill(5) }, { tag: 8 });
    await chain.processNewBlock(orphan, { minPowChecked: false });
    assert.ok(lines.includes("ERROR: ProcessNewBlock: AcceptBlock FAILED (prev-blk-not-found)"));
    // The same block with the check done is accepted.
    assert.equal((await chain.processNewBlock(block)).accepted, true);
    assert.equal(chain.tip?.hashHex, block.hashHex);
    await chain.close();
  });
});
