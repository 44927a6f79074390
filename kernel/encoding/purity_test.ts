// The kernel is pure (design.md): no Deno APIs, clock, randomness or logging
// in the folders this test covers, and no imports from outside kernel/. The
// one exception is a `native_backend.ts` (as in kernel/secp256k1): the
// optional FFI backend that only start-up code loads.
import assert from "node:assert/strict";

const FOLDERS = ["encoding", "hash", "amount", "primitives", "merkle"];
const FORBIDDEN = [
  /\bDeno\./,
  /\bDate\.now\b/,
  /\bnew Date\b/,
  /\bMath\.random\b/,
  /\bconsole\./,
  /\bperformance\.now\b/,
];

Deno.test("kernel foundation modules use no I/O, clock, randomness or logging", () => {
  let checked = 0;
  for (const folder of FOLDERS) {
    const dir = new URL(`../${folder}/`, import.meta.url);
    for (const entry of Deno.readDirSync(dir)) {
      if (
        !entry.name.endsWith(".ts") || entry.name.endsWith("_test.ts") ||
        entry.name.startsWith("_test") || entry.name === "native_backend.ts"
      ) continue;
      const source = Deno.readTextFileSync(new URL(entry.name, dir));
      const code = source.replace(/\/\/.*$/gm, "").replace(/\/\*[\s\S]*?\*\//g, "");
      for (const pattern of FORBIDDEN) {
        assert.ok(!pattern.test(code), `${folder}/${entry.name} uses ${pattern}`);
      }
      for (const [, specifier] of code.matchAll(/from\s+"([^"]+)"/g)) {
        const allowed = specifier.startsWith("./") || specifier.startsWith("../") ||
          specifier === "node:crypto";
        assert.ok(allowed, `${folder}/${entry.name} imports ${specifier}`);
        if (specifier.startsWith("../../")) assert.fail(`${folder}/${entry.name} leaves kernel/`);
      }
      checked++;
    }
  }
  assert.ok(checked > 20);
});
