/**
 * `-walletnotify` with real node processes, on both programs: `freicoind` (the wallet inside
 * the node) and `freicoin-node` (the wallet in a sandboxed child that cannot start programs; the
 * node runs its own configured command for the events the child reports over `Chain`). The
 * command appends `%h_%b` to a file named after `%w` and `%s`, as feature_notifications.py
 * does, for a wallet name that needs shell quoting: mined coinbases arrive with their block, a
 * payment first as unconfirmed, then with its block.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { fileExists, RunningProgram, waitFor } from "../support/program.ts";

const onLinux = Deno.build.os === "linux";
/** A wallet name with a space, a quote and a dollar sign: %w must reach the shell quoted. */
const WALLET = "my 'odd' $wallet";
/** An address nobody owns (feature_notifications' ADDRESS_FCRT1_UNSPENDABLE). */
const UNSPENDABLE = "fcrt1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq0nr988";

interface Reply {
  result: unknown;
  error: { code: number; message: string } | null;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** A regtest node whose -walletnotify writes into `notifyDir`. */
class NotifyNode implements AsyncDisposable {
  readonly dir = Deno.makeTempDirSync({ prefix: "wallet-notify-" });
  readonly notifyDir = path.join(this.dir, "walletnotify");
  readonly port = freePort();
  readonly program: RunningProgram;
  #auth = "";

  constructor(name: string) {
    Deno.mkdirSync(this.notifyDir);
    this.program = new RunningProgram([
      name,
      "-regtest",
      `-datadir=${this.dir}`,
      `-rpcport=${this.port}`,
      "-printtoconsole=0",
      "-listen=0",
      "-fallbackfee=0.0002",
      `-walletnotify=echo %h_%b >> ${path.join(this.notifyDir, "%w_%s")}`,
    ]);
  }

  async ready(): Promise<void> {
    const cookie = path.join(this.dir, "regtest", ".cookie");
    await waitFor(() => fileExists(cookie), 60_000, cookie);
    this.#auth = "Basic " + btoa(Deno.readTextFileSync(cookie).trim());
    await waitFor(async () => (await this.call("uptime")).error?.code !== -28, 60_000);
  }

  async call(method: string, params: unknown[] = [], uri = "/"): Promise<Reply> {
    const response = await fetch(`http://127.0.0.1:${this.port}${uri}`, {
      method: "POST",
      headers: { Authorization: this.#auth, "Content-Type": "application/json" },
      body: JSON.stringify({ method, params, id: 1 }),
    });
    return await response.json() as Reply;
  }

  async result(method: string, params: unknown[] = []): Promise<unknown> {
    const reply = await this.call(method, params);
    assert.equal(reply.error, null, `${method}: ${JSON.stringify(reply.error)}`);
    return reply.result;
  }

  /** The lines written for `txid` so far. */
  notified(txid: string): string[] {
    const file = path.join(this.notifyDir, `${WALLET}_${txid}`);
    if (!fileExists(file)) return [];
    return Deno.readTextFileSync(file).split("\n").filter((line) => line !== "");
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.program[Symbol.asyncDispose]();
    Deno.removeSync(this.dir, { recursive: true });
  }
}

async function checkWalletNotify(program: string): Promise<void> {
  await using node = new NotifyNode(program);
  await node.ready();
  await node.result("createwallet", [WALLET]);
  const address = await node.result("getnewaddress") as string;

  // Mined coinbases: one file per transaction, with its block.
  const blocks = await node.result("generatetoaddress", [101, address]) as string[];
  const coinbases: { txid: string; hash: string; height: number }[] = [];
  for (const hash of blocks) {
    const block = await node.result("getblock", [hash, 1]) as { tx: string[]; height: number };
    coinbases.push({ txid: block.tx[0], hash, height: block.height });
  }
  await waitFor(
    () => Deno.readDirSync(node.notifyDir).toArray().length === blocks.length,
    30_000,
    "a notification per coinbase",
  );
  assert.deepEqual(
    Deno.readDirSync(node.notifyDir).toArray().map((e) => e.name).sort(),
    coinbases.map((c) => `${WALLET}_${c.txid}`).sort(),
  );
  for (const coinbase of coinbases) {
    assert.deepEqual(node.notified(coinbase.txid), [`${coinbase.height}_${coinbase.hash}`]);
  }

  // A payment: unconfirmed when the wallet commits it and when the mempool announces it (the
  // sender hears both, as in freicoind), then with the block that mines it.
  const txid = await node.result("sendtoaddress", [UNSPENDABLE, 1]) as string;
  await waitFor(() => node.notified(txid).length === 2, 30_000, "the unconfirmed notifications");
  assert.deepEqual(node.notified(txid), ["-1_unconfirmed", "-1_unconfirmed"]);
  const [mined] = await node.result("generatetoaddress", [1, UNSPENDABLE]) as string[];
  await waitFor(() => node.notified(txid).length === 3, 30_000, "the confirmed notification");
  assert.deepEqual(node.notified(txid), ["-1_unconfirmed", "-1_unconfirmed", `102_${mined}`]);
  assert.equal(await node.result("stop"), "Freicoin stopping");
  assert.equal((await node.program.finished()).code, 0);
}

Deno.test({
  name: "freicoind: -walletnotify runs for coinbases, a payment in the mempool and in its block",
  ignore: !onLinux,
  fn: () => checkWalletNotify("freicoind"),
});

Deno.test({
  name:
    "freicoin-node: the node runs -walletnotify for its sandboxed wallet child, with the same events",
  ignore: !onLinux,
  fn: () => checkWalletNotify("freicoin-node"),
});
