import assert from "node:assert/strict";
import { createScriptVerifier } from "../../../kernel/consensus/script_verifier.ts";
import { Transaction } from "../../../kernel/primitives/transaction.ts";
import { TxIn } from "../../../kernel/primitives/tx_in.ts";
import { getBlockScriptFlags } from "../../../kernel/consensus/script_check.ts";
import { type ScriptCheckJob, ScriptCheckPool } from "./script_check_pool.ts";
import { feedBlocks, openTestChain, regtestChain, testSecp256k1 } from "./_test_support.ts";

/** The signed transactions of blocks 101..157 with the outputs they spend. */
async function signedJobs(): Promise<{ jobs: ScriptCheckJob[]; flags: number }> {
  const dir = await Deno.makeTempDir({ prefix: "script_pool_" });
  try {
    const { blocks } = regtestChain();
    const chain = await openTestChain(dir, { scriptCheckThreads: 0 });
    await feedBlocks(chain, blocks, 1, blocks.length);
    const jobs: ScriptCheckJob[] = [];
    for (let height = 101; height < blocks.length; height++) {
      const undo = chain.readUndo(chain.getBlockEntry(height)!)!;
      const txs = blocks[height].transactions;
      for (let i = 1; i < txs.length - 1; i++) {
        jobs.push({
          tx: txs[i],
          spent: undo.txUndo[i - 1].map((coin) => ({
            output: coin.output,
            refheight: coin.refheight,
          })),
        });
      }
    }
    const flags = getBlockScriptFlags(chain.tip!, chain.params.consensus);
    await chain.close();
    return { jobs, flags };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("worker threads verify their share and report a bad signature", async () => {
  const { jobs, flags } = await signedJobs();
  assert.ok(jobs.length >= 4, "the recorded chain has signed spends");
  const pool = new ScriptCheckPool(2, createScriptVerifier(testSecp256k1()), true, {
    minParallelInputs: 0,
  });
  try {
    assert.ok(pool.waitUntilReady(30_000), "workers started");
    assert.equal(pool.check(jobs, flags), true);
    // Tamper with each job in turn; whichever thread claims it must notice.
    const tamperedAt = (k: number) => {
      const job = jobs[k];
      const input = job.tx.inputs[0];
      const witness = input.witness.map((item) => item.slice());
      const scriptSig = input.scriptSig.slice();
      if (witness.length > 0) witness[0][10] ^= 1;
      else scriptSig[10] ^= 1;
      const tampered = new Transaction({
        ...job.tx,
        inputs: [new TxIn({ ...input, witness, scriptSig }), ...job.tx.inputs.slice(1)],
      });
      return jobs.map((other, i) => i === k ? { ...other, tx: tampered } : other);
    };
    for (let k = 0; k < jobs.length; k++) {
      assert.equal(pool.check(tamperedAt(k), flags), false, `job ${k}`);
    }
    // Let the workers claim every job before the calling thread joins in: they alone must
    // find the bad signature.
    const pause = new Int32Array(new SharedArrayBuffer(4));
    for (const k of [0, jobs.length - 1]) {
      const pending = pool.dispatch(tamperedAt(k), flags);
      Atomics.wait(pause, 0, 0, 500);
      assert.equal(pending.finish(), false, `worker-only, job ${k}`);
    }
    assert.equal(pool.check(jobs, flags), true, "the pool keeps working after a failure");
  } finally {
    pool.close();
  }
});

Deno.test("a cancelled or abandoned batch does not leak into the next one", async () => {
  const { jobs, flags } = await signedJobs();
  const pool = new ScriptCheckPool(1, createScriptVerifier(testSecp256k1()), true, {
    minParallelInputs: 0,
  });
  try {
    assert.ok(pool.waitUntilReady(30_000), "worker started");
    const bad = jobs.map((job, i) =>
      i === 0
        ? { ...job, spent: job.spent.map((s) => ({ ...s, refheight: s.refheight + 1 })) }
        : job
    );
    // Cancelled while the worker may be checking it.
    pool.dispatch(bad, flags).cancel();
    assert.equal(pool.check(jobs, flags), true, "after a cancelled bad batch");
    // Neither finished nor cancelled: the next dispatch closes it.
    pool.dispatch(bad, flags);
    assert.equal(pool.check(jobs, flags), true, "after an abandoned bad batch");
    assert.equal(pool.check(bad, flags), false, "the bad batch on its own");
    const pending = pool.dispatch(jobs, flags);
    assert.equal(pending.finish(), true);
    assert.throws(() => pending.finish(), /settled/);
  } finally {
    pool.close();
  }
});
