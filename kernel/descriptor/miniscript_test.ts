import assert from "node:assert/strict";
import { REGTEST_PREFIXES } from "../address/chain_prefixes.ts";
import { bytesToHex } from "../encoding/mod.ts";
import { createPureSecp256k1 } from "../secp256k1/mod.ts";
import { addChecksum, DescriptorError, parseDescriptor } from "./mod.ts";
import { miniscriptToScript, parseMiniscript } from "./miniscript.ts";

const options = { prefixes: REGTEST_PREFIXES, secp: createPureSecp256k1() };
const K1 = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
const K2 = "02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5";
const UNCOMPRESSED =
  "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8";
const TPUB =
  "tpubD6NzVbkrYhZ4WaWSyoBvQwbpLkojyoTZPRsgXELWz3Popb3qkjcJyJUGLnL4qHHoQvao8ESaAstxYSnhyswJ76uZPStJRJCTKvosUCJZL5B";

function witnessScript(text: string): string {
  const desc = parseDescriptor(text, options);
  const node = desc.node;
  assert.equal(node.type, "wsh");
  if (node.type !== "wsh" || node.inner.type !== "miniscript") throw new Error("not miniscript");
  const inner = node.inner;
  // Expand the inner miniscript the same way the descriptor does, then print its script.
  const keys = inner.keys.map((k) => (k.type === "const" ? k.pubkey : new Uint8Array()));
  return bytesToHex(miniscriptScriptOf(inner.node, keys));
}

function miniscriptScriptOf(
  node: Parameters<typeof miniscriptToScript>[0],
  keys: Uint8Array[],
): Uint8Array {
  return miniscriptToScript(node, (i) => keys[i]);
}

function rejects(text: string, message: string): void {
  assert.throws(() => parseDescriptor(text, options), (error: unknown) => {
    assert.ok(error instanceof DescriptorError, String(error));
    assert.equal(error.message, message);
    return true;
  });
}

Deno.test("compiles or_b(pk, s:pk) to CHECKSIG SWAP CHECKSIG BOOLOR", () => {
  const text = `wsh(or_b(pk(${K1}),s:pk(${K2})))`;
  assert.equal(witnessScript(text), `21${K1}ac7c21${K2}ac9b`);
  assert.equal(parseDescriptor(text, options).toString(), addChecksum(text));
});

Deno.test("older() is a V fragment in Freicoin: CSV pops its argument, no OP_VERIFY", () => {
  const text = `wsh(and_v(older(2),pk(${K1})))`;
  assert.equal(witnessScript(text), `52b221${K1}ac`);
  // t:older(n) is and_v(older(n),1).
  const t = `wsh(and_v(v:pk(${K1}),t:older(100)))`;
  assert.equal(witnessScript(t), `21${K1}ad0164b251`);
  assert.equal(parseDescriptor(t, options).toString(), addChecksum(t));
});

Deno.test("ranged miniscript keys derive per position", () => {
  const desc = parseDescriptor(
    `wsh(or_d(pk(${TPUB}/0/*),and_v(v:pk(${K1}),t:older(144))))`,
    options,
  );
  assert.equal(desc.isRange, true);
  assert.notDeepEqual(desc.expand(0), desc.expand(1));
  assert.equal(desc.expand(0)![0].length, 34);
});

Deno.test("miniscript errors carry freicoind's messages", async (t) => {
  const cases: [string, string][] = [
    [`wsh(older(1))`, "older(1) is not sane: witnesses without signature exist"],
    [
      `wsh(or_b(pk(${K1}),s:pk(${K1})))`,
      `or_b(pk(${K1}),s:pk(${K1})) is not sane: contains duplicate public keys`,
    ],
    [
      `wsh(and_b(pk(${K1}),pk(${K2})))`,
      `and_b(pk(${K1}),pk(${K2})) is invalid`,
    ],
    [
      `wsh(or_i(older(1),pk(${K1})))`,
      `or_i(older(1),pk(${K1})) is invalid`,
    ],
    [`sh(and_v(v:pk(${K1}),pk(${K2})))`, "Miniscript expressions can only be used in wsh."],
    [`and_v(v:pk(${K1}),pk(${K2}))`, "Miniscript expressions can only be used in wsh."],
    [`wsh(or_b(pk(${UNCOMPRESSED}),s:pk(${K2})))`, "Uncompressed keys are not allowed"],
    [`wsh(or_b(pk(${K1}),s:pk(nokey)))`, "key 'nokey' is not valid"],
    [`wsh(thresh(3,pk(${K1}),s:pk(${K2})))`, "A function is needed within P2WSH"],
    [`wsh(vv:pk(${K1}))`, "A function is needed within P2WSH"],
  ];
  for (const [text, message] of cases) {
    await t.step(text.slice(0, 60), () => rejects(text, message));
  }
});

Deno.test("parseMiniscript returns null, never throws, on mutated text", () => {
  const seeds = [
    `or_d(pk(${K1}),and_v(v:pk(${K2}),older(144)))`,
    `thresh(2,pk(${K1}),s:pk(${K2}),sln:after(10))`,
    `andor(pk(${K1}),sha256(${"ab".repeat(32)}),multi(1,${K1},${K2}))`,
  ];
  const alphabet = "():,01abcdijklnstuv_" + "pkhmorwz";
  let seed = 21;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed % n;
  };
  for (let i = 0; i < 600; i++) {
    const chars = seeds[next(seeds.length)].split("");
    for (let e = 1 + next(3); e > 0; e--) {
      const at = next(chars.length + 1);
      const op = next(3);
      if (op === 0) chars.splice(at, 1);
      else if (op === 1) chars.splice(at, 0, alphabet[next(alphabet.length)]);
      else chars[at] = alphabet[next(alphabet.length)];
    }
    const text = chars.join("");
    try {
      parseMiniscript(text, (key) => {
        if (key !== K1 && key !== K2) throw new DescriptorError("bad key");
        return key === K1 ? 0 : 1;
      });
      const desc = `wsh(${text})`;
      try {
        parseDescriptor(desc, options).expand(0);
      } catch (error) {
        assert.ok(error instanceof DescriptorError, `${desc}: ${error}`);
      }
    } catch (error) {
      assert.ok(error instanceof DescriptorError, `${text}: ${error}`);
    }
  }
});

Deno.test("deeply nested miniscript fails with a DescriptorError, not a stack overflow", () => {
  rejects(`wsh(${"t".repeat(3590)}:1)`, "t:1 is invalid");
  assert.throws(
    () => parseDescriptor(`wsh(${"or_i(0,".repeat(800)}1${")".repeat(801)}`, options),
    DescriptorError,
  );
});
