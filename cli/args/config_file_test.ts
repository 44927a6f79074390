import assert from "node:assert/strict";
import { ConfigParseError, parseConfigText } from "./config_file.ts";

Deno.test("reads name=value lines, trimming blanks and comments", () => {
  const config = parseConfigText(" a = 1 # note\n\n#only a comment\nb=\n", "f.conf");
  assert.deepEqual(config.options, [["a", "1"], ["b", ""]]);
});

Deno.test("qualifies names inside a section and records the section line", () => {
  const config = parseConfigText("x=1\n[regtest]\nport=2\n", "f.conf");
  assert.deepEqual(config.options, [["x", "1"], ["regtest.port", "2"]]);
  assert.deepEqual(config.sections, [{ name: "regtest", file: "f.conf", line: 2 }]);
});

Deno.test("rejects a bare word, suggesting =1 for a negation", () => {
  assert.throws(
    () => parseConfigText("nono\n", "f"),
    new ConfigParseError(
      "parse error on line 1: nono, if you intended to specify a negated option, use nono=1 instead",
    ),
  );
  assert.throws(
    () => parseConfigText("a=1\nfoo\n", "f"),
    new ConfigParseError("parse error on line 2: foo"),
  );
});

Deno.test("rejects a leading dash", () => {
  assert.throws(
    () => parseConfigText("-regtest=1\n", "f"),
    new ConfigParseError(
      "parse error on line 1: -regtest=1, options in configuration file must be specified without leading -",
    ),
  );
});

Deno.test("rejects # in an rpcpassword line", () => {
  assert.throws(
    () => parseConfigText("rpcpassword=a#b\n", "f"),
    new ConfigParseError(
      "parse error on line 1, using # in rpcpassword can be ambiguous and should be avoided",
    ),
  );
});

Deno.test("never throws anything but ConfigParseError on random text", () => {
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const alphabet = "ab=[]#-\n \tno.\r";
  for (let i = 0; i < 2000; i++) {
    let text = "";
    const length = Math.floor(random() * 40);
    for (let j = 0; j < length; j++) text += alphabet[Math.floor(random() * alphabet.length)];
    try {
      parseConfigText(text, "fuzz");
    } catch (error) {
      assert.ok(error instanceof ConfigParseError, `unexpected ${error}`);
    }
  }
});
