import assert from "node:assert/strict";
import { capnpAvailable, generateSchemas } from "../tools/schemas.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const haveCapnp = await capnpAvailable();
if (!haveCapnp) {
  // deno-lint-ignore no-console
  console.warn("schema staleness test skipped: capnp is not installed (Debian capnproto)");
}

Deno.test({
  name: "the committed generated TypeScript matches the schemas (run `deno task schemas`)",
  ignore: !haveCapnp,
  async fn() {
    const expected = await generateSchemas();
    for (const [path, content] of expected) {
      let committed: string;
      try {
        committed = Deno.readTextFileSync(`${ROOT}${path}`);
      } catch {
        assert.fail(`${path} is missing: run \`deno task schemas\``);
      }
      assert.ok(committed === content, `${path} is stale: run \`deno task schemas\``);
    }
    for (const dir of new Set([...expected.keys()].map((p) => p.slice(0, p.lastIndexOf("/"))))) {
      for (const entry of Deno.readDirSync(`${ROOT}${dir}`)) {
        assert.ok(
          expected.has(`${dir}/${entry.name}`),
          `${dir}/${entry.name} has no schema: delete it or run \`deno task schemas\``,
        );
      }
    }
  },
});
