/**
 * Crash safety of the chainstate: a child process connecting the recorded regtest chain is
 * SIGKILLed at several points (and once in the middle of a multi-transaction coins flush);
 * every reopen must reach a consistent tip whose UTXO hash equals a clean replay to that tip.
 */
import assert from "node:assert/strict";
import { hashToHex } from "../../kernel/encoding/hex.ts";
import { type Logger, NULL_LOGGER } from "../../cli/logger.ts";
import {
  feedBlocks,
  mineBranch,
  openTestChain,
  regtestChain,
} from "../../roles/node/chain/_test_support.ts";

const CHILD = new URL("./chainstate_children/crash_child.ts", import.meta.url).pathname;

/** UTXO hash after each height of a clean replay. */
async function cleanHashes(): Promise<string[]> {
  const dir = await Deno.makeTempDir({ prefix: "chainstate_clean_" });
  try {
    const { blocks } = regtestChain();
    const chain = await openTestChain(dir);
    const hashes = [hashToHex((await chain.utxoStats()).hashSerialized)];
    for (let height = 1; height < blocks.length; height++) {
      await feedBlocks(chain, blocks, height, height + 1);
      hashes.push(hashToHex((await chain.utxoStats()).hashSerialized));
    }
    await chain.close();
    return hashes;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Runs the child until it reports `killAt` (then SIGKILLs it) or it dies on its own. */
async function runChild(dir: string, args: string[], killAt?: number): Promise<Deno.CommandStatus> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CHILD, dir, ...args],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = child.stderr.pipeTo(new WritableStream());
  let buffer = "";
  const decoder = new TextDecoder();
  for await (const chunk of child.stdout) {
    buffer += decoder.decode(chunk, { stream: true });
    const heights = [...buffer.matchAll(/connected (\d+)/g)].map((m) => Number(m[1]));
    if (killAt !== undefined && heights.some((h) => h >= killAt)) {
      child.kill("SIGKILL");
      break;
    }
  }
  const status = await child.status;
  await stderr.catch(() => {});
  await child.stdout.cancel().catch(() => {});
  return status;
}

/** Log lines of the last reopen. */
const reopenLog: string[] = [];
const capture: Logger = {
  ...NULL_LOGGER,
  info: (message) => void reopenLog.push(typeof message === "string" ? message : message()),
};

async function assertConsistent(dir: string, hashes: string[]): Promise<number> {
  reopenLog.length = 0;
  const chain = await openTestChain(dir, { logger: capture });
  try {
    const height = chain.height;
    assert.ok(height >= 0);
    assert.equal(chain.tip?.hashHex, regtestChain().blocks[height].hashHex);
    assert.equal(
      hashToHex((await chain.utxoStats()).hashSerialized),
      hashes[height],
      `height ${height}`,
    );
    assert.deepEqual(await chain.verifyDB(6, 4), { ok: true });
    return height;
  } finally {
    await chain.close();
  }
}

Deno.test("a chainstate SIGKILLed while connecting blocks reopens consistent", async () => {
  const hashes = await cleanHashes();
  const dir = await Deno.makeTempDir({ prefix: "chainstate_crash_" });
  try {
    let reached = 0;
    for (const killAt of [3, 40, 99, 101, 130]) {
      const status = await runChild(dir, [], killAt);
      assert.equal(status.signal, "SIGKILL");
      const height = await assertConsistent(dir, hashes);
      assert.ok(height >= reached, "a reopen never loses a flushed tip");
      reached = height;
    }
    const status = await runChild(dir, []);
    assert.equal(status.code, 0);
    assert.equal(await assertConsistent(dir, hashes), regtestChain().blocks.length - 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a chainstate killed in the middle of a coins flush replays to a consistent tip", async () => {
  const hashes = await cleanHashes();
  for (const chunk of [1, 3]) {
    const dir = await Deno.makeTempDir({ prefix: "chainstate_flush_crash_" });
    try {
      const status = await runChild(dir, ["kill-in-flush", String(chunk)]);
      assert.equal(status.signal, "SIGKILL", "the child died inside a flush");
      await assertConsistent(dir, hashes);
      assert.ok(reopenLog.includes("Replaying blocks"), "the reopen found the head-blocks marker");
      const finish = await runChild(dir, []);
      assert.equal(finish.code, 0);
      assert.equal(await assertConsistent(dir, hashes), regtestChain().blocks.length - 1);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});

Deno.test("a chainstate killed while flushing a reorganisation rolls back and forward", async () => {
  const { blocks } = regtestChain();
  const base = await Deno.makeTempDir({ prefix: "chainstate_reorg_crash_" });
  try {
    const clean = await openTestChain(`${base}/clean`);
    await feedBlocks(clean, blocks, 1, 51);
    const branch = mineBranch(clean.getBlockEntry(50)!, 20, 7);
    await feedBlocks(clean, branch, 0, 20);
    const expected = hashToHex((await clean.utxoStats()).hashSerialized);
    await clean.close();
    for (const chunk of [0, 4]) {
      const dir = `${base}/crash${chunk}`;
      const status = await runChild(dir, ["reorg-kill-in-flush", String(chunk)]);
      assert.equal(status.signal, "SIGKILL", "the child died inside the flush");
      reopenLog.length = 0;
      const chain = await openTestChain(dir, { logger: capture });
      assert.ok(reopenLog.includes("Replaying blocks"));
      assert.ok(reopenLog.some((line) => line.startsWith("Rolling back")), "old branch undone");
      assert.equal(chain.tip?.hashHex, branch[19].hashHex);
      assert.equal(hashToHex((await chain.utxoStats()).hashSerialized), expected);
      assert.deepEqual(await chain.verifyDB(30, 4), { ok: true });
      await chain.close();
    }
  } finally {
    await Deno.remove(base, { recursive: true });
  }
});
