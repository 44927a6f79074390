import assert from "node:assert/strict";
import { Args } from "../../../cli/args/args.ts";
import { nodeOptionRegistry } from "../../../cli/args/option_registry.ts";
import { walletChildArgs } from "./wallet_child_args.ts";

Deno.test("the wallet child gets the wallet options that are set, negations kept, and its directory", () => {
  const args = new Args(nodeOptionRegistry());
  args.parseCommandLine([
    "-wallet=a",
    "-wallet=b",
    "-keypool=7",
    "-nospendzeroconfchange",
    "-fallbackfee=0.0002",
    "-maxtxfee=0.5",
    "-walletdir=/somewhere/else",
    "-disablewallet=0",
    "-rpcport=1234",
    "-debug=net",
  ]);
  args.settings.readWrite.set("wallet", ["from-settings"]);
  const out = walletChildArgs(args, "/abs/wallets");
  assert.deepEqual(out.filter((a) => a.startsWith("-wallet=")), [
    "-wallet=a",
    "-wallet=b",
    "-wallet=from-settings",
  ]);
  for (
    const expected of [
      "-keypool=7",
      "-nospendzeroconfchange",
      "-fallbackfee=0.0002",
      "-maxtxfee=0.5",
    ]
  ) {
    assert.ok(out.includes(expected), expected);
  }
  assert.equal(out.at(-1), "-walletdir=/abs/wallets");
  assert.equal(out.filter((a) => a.startsWith("-walletdir")).length, 1);
  assert.ok(
    !out.some((a) => a.includes("disablewallet") || a.includes("rpcport") || a.includes("debug")),
  );
  // The child parses exactly what it is given.
  const child = new Args(nodeOptionRegistry());
  child.parseCommandLine(out);
  assert.equal(child.getBool("-spendzeroconfchange", true), false);
  assert.equal(child.getPath("-walletdir"), "/abs/wallets");
});

Deno.test("a single-valued option is forwarded once, with its effective value", () => {
  const args = new Args(nodeOptionRegistry());
  args.parseCommandLine(["-datadir=/d", "-keypool=5"]);
  args.readConfigFiles(
    {
      readTextFile: (file) => file.endsWith("freicoin.conf") ? "keypool=1\n" : undefined,
      isDirectory: () => true,
    },
    "/d",
    () => {},
    () => {},
  );
  const out = walletChildArgs(args, "/abs/wallets");
  assert.deepEqual(out.filter((a) => a.startsWith("-keypool")), ["-keypool=5"]);
});
