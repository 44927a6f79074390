import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { formatParagraph, optionsHelp } from "./help.ts";
import { cliOptionRegistry, nodeOptionRegistry } from "./option_registry.ts";

const VECTORS = fileURLToPath(new URL("../../../shared/vectors/", import.meta.url));

Deno.test("formatParagraph wraps at spaces and indents continuation lines", () => {
  assert.equal(formatParagraph("aaa bbb ccc", 7, 2), "aaa bbb\n  ccc");
  assert.equal(formatParagraph("aaaaaaaaaa bb", 4, 0), "aaaaaaaaaa\nbb");
  assert.equal(formatParagraph("a\nb", 10, 2), "a\nb");
});

Deno.test("-help lists every option exactly as freicoind 27.1.1 does", () => {
  const reference = Deno.readTextFileSync(VECTORS + "freicoind-help.txt");
  const ours = optionsHelp(nodeOptionRegistry(), false);
  const referenceOptions = reference.slice(reference.indexOf("Options:\n"));
  assert.equal(ours, referenceOptions);
});

Deno.test("-help-debug adds the debug-only options", () => {
  const normal = optionsHelp(nodeOptionRegistry(), false);
  const debug = optionsHelp(nodeOptionRegistry(), true);
  assert.ok(!normal.includes("  -loglevel=<level>|<category>:<level>\n"));
  assert.ok(debug.includes("  -loglevel=<level>|<category>:<level>\n"));
  assert.ok(debug.includes("  -ipcbind=<address>\n"));
  assert.ok(debug.includes("Wallet debugging/testing options:"));
  assert.ok(!/%[ud]|default: %s|%s\)/.test(debug), "no unfilled format placeholders");
});

Deno.test("freicoin-cli -help lists its options exactly as freicoin-cli 27.1.1 does", () => {
  const reference = Deno.readTextFileSync(VECTORS + "freicoin-cli-help.txt");
  const ours = optionsHelp(cliOptionRegistry(), false);
  assert.equal(ours, reference.slice(reference.indexOf("Options:\n")));
});
