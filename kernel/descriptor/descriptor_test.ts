import assert from "node:assert/strict";
import { MAIN_PREFIXES, REGTEST_PREFIXES } from "../address/chain_prefixes.ts";
import { bytesToHex } from "../encoding/mod.ts";
import { createPureSecp256k1 } from "../secp256k1/mod.ts";
import {
  addChecksum,
  deriveAddresses,
  DeriveAddressesError,
  descriptorChecksum,
  DescriptorError,
  getDescriptorInfo,
  parseDescriptor,
  parseDescriptorRange,
} from "./mod.ts";

const options = { prefixes: REGTEST_PREFIXES, secp: createPureSecp256k1() };
const TPUB =
  "tpubD6NzVbkrYhZ4WaWSyoBvQwbpLkojyoTZPRsgXELWz3Popb3qkjcJyJUGLnL4qHHoQvao8ESaAstxYSnhyswJ76uZPStJRJCTKvosUCJZL5B";
const TPRV =
  "tprv8ZgxMBicQKsPd7Uf69XL1XwhmjHopUGep8GuEiJDZmbQz6o58LninorQAfcKZWARbtRtfnLcJ5MQ2AtHcQJCCRUcMRvmDUjyEmNUWwx8UbK";

function rejects(text: string, message: string): void {
  assert.throws(() => parseDescriptor(text, options), (error: unknown) => {
    assert.ok(error instanceof DescriptorError, String(error));
    assert.equal(error.message, message);
    return true;
  });
}

Deno.test("computes the BIP380 checksum", () => {
  assert.equal(descriptorChecksum("raw(deadbeef)"), "89f8spxm");
  assert.equal(descriptorChecksum("raw(deadbeef)\u00e9"), "");
  assert.equal(addChecksum("raw(deadbeef)"), "raw(deadbeef)#89f8spxm");
});

// Descriptors and the getdescriptorinfo results freicoind gives for them
// (the facts behind the reference's rpc_getdescriptorinfo functional test).
const INFO_CASES: [string, boolean, boolean, boolean][] = [
  ["pk(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)", false, true, false],
  ["pkh(02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5)", false, true, false],
  ["wpk(02f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9)", false, true, false],
  ["combo(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)", false, true, false],
  [
    "multi(1,022f8bde4d1a07209355b4a7250a5c5128e88b84bddc619ab7cba8d569b240efe4,025cbdf0646e5db4eaa398f365f2ea7a0e3d419b7e0330e39ce92bddedcac4f9bc)",
    false,
    true,
    false,
  ],
  [
    "sh(multi(2,022f01e5e15cca351daff3843fb70f3c2f0a1bdd05e5af888a67784ef3e10a2a01,03acd484e2f0c7f65309ad178a9f559abde09796974c57e714c35f110dfc27ccbe))",
    false,
    true,
    false,
  ],
  [
    "wsh(multi(2,03a0434d9e47f3c86235477c7b1ae6ae5d3442d49b1943c2b752a68e2a47e247c7,03774ae7f858a9411e5ef4246b70c65aac5649980be5c17891bbec17895da008cb,03d01115d548e7561b15c38f004d734633687cf4419620095bc5b0f47070afe85a))",
    false,
    true,
    false,
  ],
  [`pk(${TPUB})`, false, true, false],
  [`pkh(${TPUB}/1h/2)`, false, true, false],
  [`pkh([d34db33f/44h/0h/0h]${TPUB}/1/*)`, true, true, false],
  [`wsh(multi(1,${TPUB}/1/0/*,${TPUB}/0/0/*))`, true, true, false],
  ["raw(51)", false, false, false],
  ["addr(fcrt1q9c2m4uf60087l25c9rkczngmdz6a94ppmwwhau)", false, false, false],
  [`wpk(${TPRV}/1/1/*)`, true, true, true],
];

Deno.test("getdescriptorinfo matches freicoind for each descriptor", async (t) => {
  for (const [text, isrange, issolvable, hasprivatekeys] of INFO_CASES) {
    await t.step(text.slice(0, 60), () => {
      const info = getDescriptorInfo(text, options);
      assert.deepEqual(getDescriptorInfo(addChecksum(text), options), info);
      if (!hasprivatekeys) assert.equal(info.descriptor, addChecksum(text));
      assert.equal(info.checksum, descriptorChecksum(text));
      assert.equal(info.isrange, isrange);
      assert.equal(info.issolvable, issolvable);
      assert.equal(info.hasprivatekeys, hasprivatekeys);
    });
  }
});

Deno.test("parse errors carry freicoind's messages", async (t) => {
  const cases: [string, string][] = [
    ["", "'' is not a valid descriptor function"],
    [
      "sh(wpk(03fff97bd5755eeea420453a14355235d382f6472f8568a18b2f057a1460297556))",
      "Can only have wpk() at top level",
    ],
    [
      "sh(wsh(pkh(02e493dbf1c10d80f3581e4904930b1404cc6c13900ee0758474fa94abe8c4cd13)))",
      "Can only have wsh() at top level",
    ],
    [
      "wpkh(02e493dbf1c10d80f3581e4904930b1404cc6c13900ee0758474fa94abe8c4cd13)",
      "'wpkh(02e493dbf1c10d80f3581e4904930b1404cc6c13900ee0758474fa94abe8c4cd13)' is not a valid descriptor function",
    ],
    [
      "tr(02e493dbf1c10d80f3581e4904930b1404cc6c13900ee0758474fa94abe8c4cd13)",
      "'tr(02e493dbf1c10d80f3581e4904930b1404cc6c13900ee0758474fa94abe8c4cd13)' is not a valid descriptor function",
    ],
    ["raw(51)#abc", "Expected 8 character checksum, not 3 characters"],
    ["raw(51)#aaaaaaaa#b", "Multiple '#' symbols"],
    [
      "raw(51)#aaaaaaaa",
      `Provided checksum 'aaaaaaaa' does not match computed checksum '${
        descriptorChecksum("raw(51)")
      }'`,
    ],
    ["raw(5)", "Raw script is not hex"],
    ["sh(raw(51))", "Can only have raw() at top level"],
    ["sh(addr(x))", "Can only have addr() at top level"],
    ["addr(x)", "Address is not valid"],
    ["wsh(combo(00))", "Can only have combo() at top level"],
    ["sh(sh(pk(00)))", "Can only have sh() at top level"],
    ["wsh(foo)", "A function is needed within P2WSH"],
    ["sh(foo)", "A function is needed within P2SH"],
    ["pk()", "pk(): No key provided"],
    ["pk(00)", "pk(): Pubkey '00' is invalid"],
    ["pkh(nope)", "pkh(): key 'nope' is not valid"],
    [
      "wpk(04a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd5b8dec5235a0fa8722476c7709c02559e3aa73aa03918ba2d492eea75abea235)",
      "wpk(): Uncompressed keys are not allowed",
    ],
    [
      "pk(06a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd5b8dec5235a0fa8722476c7709c02559e3aa73aa03918ba2d492eea75abea235)",
      "pk(): Hybrid public keys are not allowed",
    ],
    [`pk(${TPUB}/1/x)`, "pk(): Key path value 'x' is not a valid uint32"],
    [`pk(${TPUB}/2147483648)`, "pk(): Key path value 2147483648 is out of range"],
    [`pk([d34db33f]]${TPUB})`, "pk(): Multiple ']' characters found for a single pubkey"],
    [
      `pk(d34db33f]${TPUB})`,
      "pk(): Key origin start '[ character expected but not found, got 'd' instead",
    ],
    [`pk(]${TPUB})`, "pk(): Key origin start '[ character expected but not found, got ']' instead"],
    [
      `pk([d34db3]${TPUB})`,
      "pk(): Fingerprint is not 4 bytes (6 characters instead of 8 characters)",
    ],
    [`pk([d34db33g]${TPUB})`, "pk(): Fingerprint 'd34db33g' is not hex"],
    ["multi(x,00)", "Multi threshold 'x' is not valid"],
    ["multi(1)", "Cannot have 0 keys in multisig; must have between 1 and 20 keys, inclusive"],
    [`multi(0,${TPUB})`, "Multisig threshold cannot be 0, must be at least 1"],
    [
      `multi(2,${TPUB})`,
      "Multisig threshold cannot be larger than the number of keys; threshold is 2 but only 1 keys specified",
    ],
    [
      `multi(1,${TPUB},${TPUB},${TPUB},${TPUB})`,
      "Cannot have 4 pubkeys in bare multisig; only at most 3 pubkeys",
    ],
    ["multi(1,pk(00))", "Multi: key 'pk(00)' is not valid"],
    ["multi_a(1,00)", "Can only have multi_a/sortedmulti_a inside tr()"],
    ["raw(51)x", "'raw(51)x' is not a valid descriptor function"],
    ["raw(51),x", ""],
    ["raw(51))", ""],
    ["sh(pk(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798),x)", ""],
  ];
  for (const [text, message] of cases) {
    await t.step(text.slice(0, 60) || "(empty)", () => rejects(text, message));
  }
});

Deno.test("P2SH multisig is limited to 520 bytes of script", () => {
  const key = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
  const sixteen = Array(16).fill(key).join(",");
  rejects(
    `sh(multi(1,${sixteen}))`,
    "P2SH script is too large, 547 bytes is larger than 520 bytes",
  );
  assert.ok(parseDescriptor(`sh(multi(1,${Array(15).fill(key).join(",")}))`, options));
});

Deno.test("deriveaddresses matches freicoind", () => {
  const address = "fcrt1qvd5lu3yvps5v589rz2fdax0ukftjzlhs4k5je5";
  assert.deepEqual(deriveAddresses(`wpk(${TPRV}/1/1/0)#9s6thyyf`, options), [address]);
  assert.deepEqual(deriveAddresses(`wpk(${TPUB}/1/1/0)#cdc7rk2u`, options), [address]);
  const ranged = `wpk(${TPRV}/1/1/*)#crlc28zc`;
  const more = [
    "fcrt1qkr5ev88ht0z7vg8t62mgta96q8n5twuaw27eye",
    "fcrt1qs0c46z3s6ah7lgtn8qxujdmey62st2z23cgzey",
  ];
  assert.deepEqual(deriveAddresses(ranged, options, [1, 2]), more);
  assert.deepEqual(deriveAddresses(ranged, options, parseDescriptorRange(2)), [address, ...more]);
  assert.deepEqual(deriveAddresses(ranged, options, [2147483647, 2147483647]), [
    "fcrt1qlha0y4ccmea7gxywfa40me9kcw9d0pnd8mstt4",
  ]);
  assert.deepEqual(
    deriveAddresses(addChecksum(`combo(${TPRV}/1/1/0)`), options),
    ["mtfUoUax9L4tzXARpw1oTGxWyoogp52KhJ", address],
  );
});

Deno.test("deriveaddresses refuses what freicoind refuses", () => {
  const fails = (fn: () => unknown, kind: string, message: string) =>
    assert.throws(fn, (error: unknown) => {
      assert.ok(error instanceof DeriveAddressesError);
      assert.equal(error.kind, kind);
      assert.equal(error.message, message);
      return true;
    });
  fails(() => deriveAddresses("a", options), "invalid_address_or_key", "Missing checksum");
  fails(
    () => deriveAddresses(addChecksum(`wpk(${TPRV}/1/1/0)`), options, [0, 2]),
    "invalid_parameter",
    "Range should not be specified for an un-ranged descriptor",
  );
  fails(
    () => deriveAddresses(addChecksum(`wpk(${TPRV}/1/1/*)`), options),
    "invalid_parameter",
    "Range must be specified for a ranged descriptor",
  );
  fails(() => parseDescriptorRange(10000000000), "invalid_parameter", "End of range is too high");
  fails(
    () => parseDescriptorRange([1000000000, 2000000000]),
    "invalid_parameter",
    "Range is too large",
  );
  fails(
    () => parseDescriptorRange([2, 0]),
    "invalid_parameter",
    "Range specified as [begin,end] must not have begin after end",
  );
  fails(
    () => parseDescriptorRange([-1, 0]),
    "invalid_parameter",
    "Range should be greater or equal than 0",
  );
  fails(
    () => deriveAddresses(addChecksum(`pk(${TPRV})`), options),
    "invalid_address_or_key",
    "Descriptor does not have a corresponding address",
  );
  fails(
    () => deriveAddresses(addChecksum(`wpk(${TPUB}/1'/1/0)`), options),
    "invalid_address_or_key",
    "Cannot derive script without private keys",
  );
  fails(
    () => deriveAddresses(addChecksum(`multi(1,${TPUB}/1/1/0,${TPUB}/1/1/1)`), options),
    "invalid_address_or_key",
    "Descriptor does not have a corresponding address",
  );
});

Deno.test("combo of a compressed key yields P2PK, P2PKH and P2WPK", () => {
  const desc = parseDescriptor(
    "combo(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798)",
    options,
  );
  const scripts = desc.expand(0)!.map(bytesToHex);
  assert.deepEqual(scripts, [
    "210279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798ac",
    "76a914751e76e8199196d454941c45d1b3a323f1433bd688ac",
    "00142e15baf13a7bcfefaa9828ed814d1b68b5d2d421",
  ]);
});

Deno.test("wsh(raw) is not allowed but wsh(pk) commits to 0x00 || script", () => {
  const desc = parseDescriptor(
    "wsh(pk(0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798))",
    options,
  );
  assert.equal(desc.expand(0)![0].length, 34);
});

Deno.test("private keys round-trip through toPrivateString", () => {
  const text = `wpk([d34db33f/84h/1h/0h]${TPRV}/0/*)`;
  const desc = parseDescriptor(text, options);
  assert.equal(desc.toPrivateString(), addChecksum(text));
  assert.equal(desc.hasPrivateKeys, true);
  assert.ok(desc.toString().includes("tpub"));
});

Deno.test("hardened ranges use the apostrophe style they were written with", () => {
  const desc = parseDescriptor(`pkh(${TPRV}/0'/*')`, options);
  assert.ok(desc.toString().startsWith(`pkh(${TPUB}/0'/*')#`));
  const h = parseDescriptor(`pkh(${TPRV}/0h/*h)`, options);
  assert.ok(h.toString().startsWith(`pkh(${TPUB}/0h/*h)#`));
  assert.ok(desc.expand(5));
});

Deno.test("parseDescriptor throws only DescriptorError on mutated input", () => {
  // Bounded fuzz: mutate valid descriptors character by character with a fixed-seed generator.
  const seeds = INFO_CASES.map(([text]) => text);
  const alphabet = "()[],'/*h#0123456789abcdef" + "pkhwsmultiorawcdx" + TPUB.slice(0, 12);
  let seed = 99;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed % n;
  };
  for (let i = 0; i < 400; i++) {
    const chars = seeds[next(seeds.length)].split("");
    const edits = 1 + next(3);
    for (let e = 0; e < edits; e++) {
      const at = next(chars.length + 1);
      const op = next(3);
      if (op === 0) chars.splice(at, 1);
      else if (op === 1) chars.splice(at, 0, alphabet[next(alphabet.length)]);
      else chars[at] = alphabet[next(alphabet.length)];
    }
    const text = chars.join("");
    try {
      const desc = parseDescriptor(text, options);
      desc.toString();
      if (!desc.isRange) desc.expand(0);
    } catch (error) {
      assert.ok(error instanceof DescriptorError, `${text}: ${error}`);
    }
  }
});

Deno.test("normalized strings fold hardened steps into the origin", () => {
  const desc = parseDescriptor(`wpk([d34db33f/84']${TPRV}/1'/2/*)`, options);
  const normalized = desc.toNormalizedString();
  assert.ok(normalized !== null);
  const match = normalized.match(
    /^wpk\(\[d34db33f\/84h\/1h\](tpub[1-9A-HJ-NP-Za-km-z]+)\/2\/\*\)#/,
  );
  assert.ok(match, normalized);
  // The folded xpub derives the same scripts.
  const folded = parseDescriptor(`wpk(${match[1]}/2/*)`, options);
  assert.deepEqual(folded.expand(7), desc.expand(7));
  // Without the private key the hardened step cannot be folded.
  assert.equal(parseDescriptor(`wpk(${TPUB}/1'/2/*)`, options).toNormalizedString(), null);
  // Without hardened steps the public form is kept as written.
  assert.equal(
    parseDescriptor(`pkh(${TPUB}/1/*)`, options).toNormalizedString(),
    addChecksum(`pkh(${TPUB}/1/*)`),
  );
  assert.equal(
    parseDescriptor(`pkh(${TPRV}/1/*')`, options).toNormalizedString(),
    addChecksum(`pkh(${TPUB}/1/*h)`),
  );
});

Deno.test("descriptor ids hash the apostrophe form with checksum", () => {
  const mainnet = { ...options, prefixes: MAIN_PREFIXES };
  const desc = parseDescriptor(
    "pk(03a34b99f22c790c4e36b2b3c2c35a36db06226e41c692fc82b8b56ac1c540c5bd)",
    mainnet,
  );
  // Displayed byte-reversed, like every uint256.
  assert.equal(
    bytesToHex(desc.descriptorId().slice().reverse()),
    "5fe175b43c58ac2cdde40521dc7d1dbc607f3dd795d00770206f4fdefb42229e",
  );
  const h = parseDescriptor(`pkh(${TPUB}/1h/2)`, options);
  const apostrophe = parseDescriptor(`pkh(${TPUB}/1'/2)`, options);
  assert.notEqual(h.toString(), apostrophe.toString());
  assert.deepEqual(h.descriptorId(), apostrophe.descriptorId());
});

Deno.test("size estimates follow Freicoin's witness layout", () => {
  const key = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
  const wpk = parseDescriptor(`wpk(${key})`, options);
  // sig push (1 + 72), script item (1 + 0x00 + push33 + CHECKSIG), empty proof, plus counts.
  assert.equal(wpk.maxSatisfactionWeight(true), 1 + 72 + 1 + (1 + (1 + 33) + 1) + 1);
  assert.equal(wpk.maxSatisfactionElems, 3);
  assert.equal(wpk.scriptSize, 22);
  assert.equal(wpk.outputType, "bech32");
  const pkh = parseDescriptor(`pkh(${key})`, options);
  assert.equal(pkh.maxSatisfactionWeight(false), (1 + 71 + 1 + 33) * 4);
  assert.equal(pkh.outputType, "legacy");
  const wsh = parseDescriptor(`wsh(multi(1,${key}))`, options);
  // multi script: OP_1 push33 OP_1 CHECKMULTISIG = 37 bytes; +1 inner version byte.
  assert.equal(wsh.maxSatisfactionWeight(true), 1 + 1 + 37 + (1 + 73));
  assert.equal(parseDescriptor(`combo(${key})`, options).maxSatisfactionWeight(true), null);
  assert.equal(parseDescriptor("raw(51)", options).outputType, null);
});

Deno.test("expansion reports keys, origins and scripts for signing", () => {
  const desc = parseDescriptor(`sh(multi(1,[d34db33f/48h]${TPRV}/0/*))`, options);
  const result = desc.expandWithSigningData(3);
  assert.ok(result);
  const [origin] = [...result.signingData.origins.values()];
  assert.equal(bytesToHex(origin.fingerprint), "d34db33f");
  assert.deepEqual(origin.path, [0x80000030, 0, 3]);
  assert.equal(result.signingData.scripts.size, 1);
  const [redeem] = [...result.signingData.scripts.values()];
  assert.equal(redeem[redeem.length - 1], 0xae);
  assert.equal(desc.expandPrivate(3).size, 1);
  const wpk = parseDescriptor(`wpk(${TPUB}/0/*)`, options).expandWithSigningData(0)!;
  assert.equal(wpk.signingData.pubkeys.size, 1);
  const [entry] = [...wpk.signingData.witnessScripts.values()];
  assert.equal(entry[0], 0x00); // inner version byte
  assert.equal(parseDescriptor(`wpk(${TPUB}/0/*)`, options).expandPrivate(0).size, 0);
});
