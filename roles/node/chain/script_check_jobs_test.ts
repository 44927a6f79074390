import assert from "node:assert/strict";
import { TxOut } from "../../../kernel/primitives/tx_out.ts";
import { packedJobCount, packJobs, packJobsInto, unpackJob } from "./script_check_jobs.ts";
import { regtestChain } from "./_test_support.ts";

Deno.test("packed script-check jobs read back unchanged", () => {
  const { blocks } = regtestChain();
  const txs = blocks[152].transactions.slice(1);
  const jobs = txs.map((tx, i) => ({
    tx,
    spent: tx.inputs.map((_, n) => ({
      output: new TxOut(
        BigInt(i * 1000 + n),
        new Uint8Array([0x00, 0x14, ...new Uint8Array(20).fill(n)]),
      ),
      refheight: 100 + n,
    })),
  }));
  const packed = packJobs(jobs);
  assert.equal(packedJobCount(packed), jobs.length);
  for (let i = 0; i < jobs.length; i++) {
    const back = unpackJob(packed, i);
    assert.equal(back.tx.wtxidHex, jobs[i].tx.wtxidHex);
    assert.deepEqual(back.spent, jobs[i].spent);
  }
  assert.equal(packedJobCount(packJobs([])), 0);
});

Deno.test("packing into a growable buffer grows it, up to its maximum", () => {
  const { blocks } = regtestChain();
  const jobs = blocks[152].transactions.slice(1).map((tx) => ({
    tx,
    spent: tx.inputs.map(() => ({ output: new TxOut(1n, new Uint8Array(200)), refheight: 0 })),
  }));
  const needed = packJobs(jobs).byteLength;
  const buffer = new SharedArrayBuffer(16, { maxByteLength: needed + 1 });
  assert.equal(packJobsInto(jobs, buffer), true);
  assert.ok(buffer.byteLength >= needed);
  assert.equal(packedJobCount(buffer), jobs.length);
  assert.equal(unpackJob(buffer, jobs.length - 1).tx.wtxidHex, jobs.at(-1)!.tx.wtxidHex);
  const small = new SharedArrayBuffer(16, { maxByteLength: needed - 1 });
  assert.equal(packJobsInto(jobs, small), false);
  assert.equal(small.byteLength, 16, "nothing written");
});
