import assert from "node:assert/strict";
import { CookieError, readCookie, removeCookie, writeCookie } from "./cookie.ts";

Deno.test("a written cookie reads back, is owner-only and is replaced by the next one", async () => {
  const dir = Deno.makeTempDirSync();
  const path = `${dir}/.ipccookie`;
  const first = await writeCookie(path);
  assert.equal(first.length, 32);
  assert.deepEqual(await readCookie(path), first);
  if (Deno.build.os !== "windows") assert.equal(Deno.statSync(path).mode! & 0o777, 0o600);
  const second = await writeCookie(path);
  assert.notDeepEqual(second, first);
  assert.deepEqual(await readCookie(path), second);
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), [".ipccookie"]);
  await removeCookie(path);
  await removeCookie(path); // a missing file is fine
  Deno.removeSync(dir);
});

Deno.test("missing, short, long and non-hex cookie files are refused", async (t) => {
  const dir = Deno.makeTempDirSync();
  const path = `${dir}/c`;
  await t.step("missing", async () => {
    await assert.rejects(readCookie(path), CookieError);
  });
  const cases: [string, string][] = [
    ["empty", ""],
    ["short", "ab".repeat(31)],
    ["long", "ab".repeat(33)],
    ["non-hex", "zz".repeat(32)],
    ["huge", "ab".repeat(100_000)],
  ];
  for (const [name, content] of cases) {
    await t.step(name, async () => {
      Deno.writeTextFileSync(path, content);
      await assert.rejects(readCookie(path), /Malformed IPC cookie file/);
    });
  }
  Deno.removeSync(dir, { recursive: true });
});
