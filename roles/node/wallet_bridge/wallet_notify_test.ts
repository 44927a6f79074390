import assert from "node:assert/strict";
import { NULL_LOGGER } from "../../../cli/logger.ts";
import { runNotifyCommand, shellEscape, walletNotifyCommand } from "./wallet_notify.ts";

const TXID = "ab".repeat(32);
const HASH = "0f".repeat(32);

Deno.test("walletNotifyCommand fills %s, %b, %h and a shell-quoted %w", () => {
  assert.equal(
    walletNotifyCommand("echo %h_%b > /tmp/%w_%s", {
      txid: TXID,
      walletName: "w1",
      blockHash: HASH,
      blockHeight: 120,
    }),
    `echo 120_${HASH} > /tmp/'w1'_${TXID}`,
  );
  assert.equal(
    walletNotifyCommand("n %b %h %s", {
      txid: TXID,
      walletName: "",
      blockHash: "unconfirmed",
      blockHeight: -1,
    }),
    `n unconfirmed -1 ${TXID}`,
  );
});

Deno.test("a wallet name cannot break out of its quotes, and hashes carry only hex digits", () => {
  assert.equal(shellEscape("it's"), `'it'"'"'s'`);
  const line = walletNotifyCommand("x %w %s %b", {
    txid: "ab; rm -rf /",
    walletName: "a'; touch /tmp/owned; '%s",
    blockHash: "$(reboot)ff",
    blockHeight: 1.5,
  });
  // %w is substituted last, so its own "%s" stays literal inside the quotes.
  assert.equal(line, `x 'a'"'"'; touch /tmp/owned; '"'"'%s' abf ebff`);
});

Deno.test("runNotifyCommand runs the line through /bin/sh", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const name = "odd ' name\u0001 $HOME";
    const file = `${dir}/out`;
    runNotifyCommand(
      walletNotifyCommand(`echo %w > ${file}`, {
        txid: TXID,
        walletName: name,
        blockHash: "unconfirmed",
        blockHeight: -1,
      }),
      NULL_LOGGER,
    );
    let text = "";
    for (let i = 0; i < 200 && text === ""; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      text = await Deno.readTextFile(file).catch(() => "");
    }
    assert.equal(text, `${name}\n`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
