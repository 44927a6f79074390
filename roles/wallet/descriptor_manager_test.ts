import assert from "node:assert/strict";
import { REGTEST_PREFIXES } from "../../kernel/address/mod.ts";
import { parseDescriptor } from "../../kernel/descriptor/mod.ts";
import { bytesToHex } from "../../kernel/encoding/mod.ts";
import { createPureSecp256k1 } from "../../kernel/secp256k1/mod.ts";
import { DescriptorManager } from "./descriptor_manager.ts";

const context = { prefixes: REGTEST_PREFIXES, secp: createPureSecp256k1() };
const XPRV =
  "tprv8ZgxMBicQKsPeuVhWwi6wuMQGfPKi9Li5GtX35jVNknACgqe3CY4g5xgkfDDJcmtF7o1QnxWDRYw4H5P26PXq7sbcUkEqeR4fg3Kxp2tigg";

function managerFor(text: string): DescriptorManager {
  const descriptor = parseDescriptor(text, context);
  return new DescriptorManager({
    id: descriptor.descriptorId(),
    descriptor: text,
    secret: null,
    derivation: null,
    created: 0,
    rangeStart: 0,
    rangeEnd: 0,
    nextIndex: 0,
    activeType: null,
    internal: false,
  }, context);
}

/** Maps of signing data as comparable plain values. */
function plain(data: unknown): unknown {
  return JSON.parse(JSON.stringify(data, (_key, value) => {
    if (value instanceof Map) return Object.fromEntries(value);
    if (value instanceof Uint8Array) return bytesToHex(value);
    return value;
  }));
}

Deno.test("hardened ranged pkh/wpk positions derive from the kept parent exactly as a full expansion", async (t) => {
  for (
    const text of [
      `pkh(${XPRV}/1h/*h)`,
      `wpk(${XPRV}/84h/1h/0h/*h)`,
      `pkh([d34db33f/44h]${XPRV}/1h/*')`,
      `wpk(${XPRV}/*h)`,
    ]
  ) {
    await t.step(text.replace(XPRV, "xprv"), () => {
      const manager = managerFor(text);
      const derived = manager.topUp(6);
      assert.equal(derived.length, 6);
      const descriptor = parseDescriptor(text, context);
      for (const { script, position } of derived) {
        const full = descriptor.expandWithSigningData(position)!;
        assert.deepEqual(bytesToHex(script), bytesToHex(full.scripts[0]));
        assert.deepEqual(plain(manager.signingData(position)), plain(full.signingData));
        assert.deepEqual(bytesToHex(manager.scriptAt(position)!), bytesToHex(full.scripts[0]));
      }
    });
  }
});

Deno.test("a descriptor with only some private keys keeps them for signing", () => {
  const xpub =
    "tpubDDBF2BTR6s8drwrfDei8WxtckGuSm1cyoKxYY1QaKSBFbHBYQArWhHPA6eJrzZej6nfHGLSURYSLHr7GuYch8aY5n61tGqgn8b4cXrMuoPH";
  const text = `wsh(multi(1,${XPRV}/84h/0h/0h/*,[59b09cd6/84h/0h/0h]${xpub}/*))`;
  const manager = managerFor(text);
  assert.equal(manager.privateKeys(3).size, 1);
  assert.equal(manager.privateString(), text);
});

Deno.test("private keys from the kept parent equal the descriptor's full private expansion", async (t) => {
  for (
    const text of [
      `wpk(${XPRV}/84h/1h/0h/0/*)`,
      `pkh([d34db33f/44h]${XPRV}/1h/*)`,
      `wpk(${XPRV}/84h/1h/0h/*h)`,
      `pkh(${XPRV}/0/1)`,
    ]
  ) {
    await t.step(text.replace(XPRV, "xprv"), () => {
      const manager = managerFor(text);
      const descriptor = parseDescriptor(text, context);
      for (const position of [0, 1, 7, 0]) {
        assert.deepEqual(
          plain(manager.privateKeys(position)),
          plain(descriptor.expandPrivate(position)),
        );
      }
    });
  }
});
