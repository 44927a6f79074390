import assert from "node:assert/strict";
import { dispatch } from "./dispatch.ts";

Deno.test("the executable name picks the role", () => {
  for (
    const [argv0, role] of [
      ["/usr/bin/freicoind", "freicoind"],
      ["freicoin-node", "freicoin-node"],
      ["./freicoin-wallet", "freicoin-wallet"],
      ["freicoin-qt", "freicoin-gui"],
      ["C:\\bin\\freicoin-cli.exe", "freicoin-cli"],
    ]
  ) {
    assert.deepEqual(dispatch(argv0, ["-regtest"]), { kind: "role", role, argv: ["-regtest"] });
  }
});

Deno.test("a subcommand picks the role when the name does not", () => {
  assert.deepEqual(dispatch("freicoin", ["node", "-x"]), {
    kind: "role",
    role: "freicoin-node",
    argv: ["-x"],
  });
  assert.deepEqual(dispatch("deno", ["rpc", "getblockcount"]), {
    kind: "role",
    role: "freicoin-cli",
    argv: ["getblockcount"],
  });
  assert.deepEqual(dispatch("deno", ["freicoind"]), { kind: "role", role: "freicoind", argv: [] });
});

Deno.test("help and version print, unknown commands fail", () => {
  const help = dispatch("freicoin", ["help"]);
  assert.equal(help.kind, "print");
  const version = dispatch("freicoin", ["version"]);
  assert.ok(version.kind === "print" && version.stdout.startsWith("Freicoin version "));
  const unknown = dispatch("freicoin", ["frobnicate"]);
  assert.ok(unknown.kind === "error" && unknown.message.includes("unknown command 'frobnicate'"));
  assert.equal(dispatch("freicoin", []).kind, "error");
});
