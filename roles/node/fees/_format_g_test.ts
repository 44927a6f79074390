import assert from "node:assert/strict";
import { formatG } from "./_format_g.ts";

Deno.test("formatG writes numbers as printf's %g", async (t) => {
  const cases: [number, string][] = [
    [0, "0"],
    [-1, "-1"],
    [1000, "1000"],
    [1050, "1050"],
    [1e99, "1e+99"],
    [1234567, "1.23457e+06"],
    [123456, "123456"],
    [0.0001, "0.0001"],
    [0.00001234, "1.234e-05"],
    [2345.6789, "2345.68"],
    [999999.5, "1e+06"],
  ];
  for (const [value, text] of cases) {
    await t.step(`${value} → ${text}`, () => assert.equal(formatG(value), text));
  }
});
