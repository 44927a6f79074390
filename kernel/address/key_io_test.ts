import assert from "node:assert/strict";
import {
  decodeDestination,
  encodeBech32,
  encodeDestination,
  MAIN_PREFIXES,
  REGTEST_PREFIXES,
  scriptForDestination,
  witnessV0LongHashOf,
  witnessV0ShortHashOfPubKey,
} from "./mod.ts";

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function fromHex(h: string): Uint8Array {
  return Uint8Array.from(h.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}

// Addresses and the messages freicoind's validateaddress gives for them on regtest
// (the facts checked by the reference's rpc_invalid_address_message functional test).
const REGTEST_CASES: [string, string | null, number[]][] = [
  [
    "fcrt1s0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav24umuen7l8wthtz45p3ftn58pvrs9xlumvkuu2xet8egzkcklqtes7d7vcfrh3dw",
    "Bech32 string too long",
    Array.from({ length: 44 }, (_, i) => 90 + i),
  ],
  [
    "fc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kyf785h",
    "Invalid or unsupported Segwit (Bech32) or Base58 encoding.",
    [],
  ],
  [
    "fcrt1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqxjh870",
    "All address types in Freicoin use Bech32m checksum.",
    [],
  ],
  ["fcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7khuzg9e", null, []],
  ["fcrt130xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq06afwp", null, []],
  ["fcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kqqetwtn0", null, []],
  [
    "fcrt1qppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp8ca2mx",
    "Bech32 string too long",
    [90],
  ],
  ["fcrt1qtmp74ayg7p24uslctssvjn06q5phz4yr4g3036", "Invalid Bech32m checksum", [27]],
  ["fcrt1qax9suht3qv95sw33wavw8crpxduefdrslue3au", "Invalid Bech32m checksum", [25, 43]],
  ["FCRT1QTMP74AYG7P24USLCTSSVJN06Q5PHZ4YR4G3036", "Invalid Bech32m checksum", [27]],
  ["fcrtq049ldschfnwystcqnsvyfpj23mpsg3jc2efzy6", "Missing separator", []],
  ["fcrt1q04oldschfnwystcqnsvyfpj23mpsg3jc2efzy6", "Invalid Base 32 character", [8]],
  [
    "fcrt1qdg3myrgvzw7ml8q0ejxhlkyxn7vl9r56yzkfgvzclrf4hkpx9yfqf50q49",
    "Invalid Bech32m checksum",
    [19, 30],
  ],
  ["fcrt1ptmp74ayg7p24uslctssvjm06q5phz4yr4g3036", "Invalid Bech32m checksum", [5]],
  ["fcrt1qtmp74ayg7p24uslctssvjm06q5phz4yr4g3036", null, []],
  ["FCRT1QPLMTZKC2XHARPPZDLNPAQL78RSHJ68U3ZH5SU4", null, []],
  ["fcrt1qdg3myrgvzw7ml9q0ejxhlkyxm7vl9r56yzkfgvzclrf4hkpx9yfqf50q49", null, []],
  ["17VZNX1SN5NtKa8UQFxwQbFeFc3iqRYhem", "Invalid or unsupported Base58-encoded address.", []],
  [
    "mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJJfn",
    "Invalid checksum or length of Base58 address (P2PKH or P2SH)",
    [],
  ],
  [
    "2VKf7XKMrp4bVNVmuRbyCewkP8FhGLP2E54LHDPakr9Sq5mtU2",
    "Invalid checksum or length of Base58 address (P2PKH or P2SH)",
    [],
  ],
  ["mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn", null, []],
  ["asfah14i8fajz0123f", "Invalid or unsupported Segwit (Bech32) or Base58 encoding.", []],
  [
    "1q049ldschfnwystcqnsvyfpj23mpsg3jcedq9xv",
    "Invalid or unsupported Segwit (Bech32) or Base58 encoding.",
    [],
  ],
];

Deno.test("decodeDestination gives freicoind's error messages and locations", async (t) => {
  for (const [address, error, locations] of REGTEST_CASES) {
    await t.step(address, () => {
      const result = decodeDestination(address, REGTEST_PREFIXES);
      if (error === null) {
        assert.ok(result.ok, result.ok ? "" : result.error);
      } else {
        assert.ok(!result.ok);
        assert.equal(result.error, error);
        assert.deepEqual(result.errorLocations, locations);
      }
    });
  }
});

Deno.test("P2WPK of the private key 1 matches the protocol vectors", () => {
  const pubkey = fromHex("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
  const dest = witnessV0ShortHashOfPubKey(pubkey);
  assert.equal(hex(dest.hash), "2e15baf13a7bcfefaa9828ed814d1b68b5d2d421");
  assert.equal(
    encodeDestination(dest, MAIN_PREFIXES),
    "fc1q9c2m4uf60087l25c9rkczngmdz6a94pp0d8ckn",
  );
  assert.equal(
    encodeDestination(dest, REGTEST_PREFIXES),
    "fcrt1q9c2m4uf60087l25c9rkczngmdz6a94ppmwwhau",
  );
});

Deno.test("P2WSH of OP_TRUE commits to SHA256d(0x00 || script)", () => {
  const dest = witnessV0LongHashOf(0, new Uint8Array([0x51]));
  assert.equal(
    encodeDestination(dest, REGTEST_PREFIXES),
    "fcrt1qpfumrmcfcusnnjk4k6gfdpdh4940m0jlxh92kxnl6p403cvrfatsl6549x",
  );
});

Deno.test("witness versions map to their version opcodes", () => {
  const program = new Uint8Array([1, 2]);
  const expected = [0x00, 0x4f, 0x51, 0x60, 0x61, 0x74, 0xab, 0xb0, 0xb9];
  const versions = [0, 1, 2, 17, 18, 19, 20, 21, 30];
  for (const [i, version] of versions.entries()) {
    const dest = { kind: "WitnessUnknown", version, program } as const;
    assert.equal(scriptForDestination(dest)[0], expected[i]);
    const address = encodeDestination(dest, REGTEST_PREFIXES);
    const decoded = decodeDestination(address, REGTEST_PREFIXES);
    assert.ok(decoded.ok);
    assert.deepEqual(decoded.destination, dest);
  }
});

Deno.test("encodeDestination refuses witness values without an address", () => {
  const p = (n: number) => new Uint8Array(n);
  assert.equal(
    encodeDestination({ kind: "WitnessUnknown", version: 0, program: p(20) }, REGTEST_PREFIXES),
    "",
  );
  assert.equal(
    encodeDestination({ kind: "WitnessUnknown", version: 31, program: p(2) }, REGTEST_PREFIXES),
    "",
  );
  assert.equal(
    encodeDestination({ kind: "WitnessUnknown", version: 1, program: p(1) }, REGTEST_PREFIXES),
    "",
  );
  assert.equal(
    encodeDestination({ kind: "WitnessUnknown", version: 1, program: p(76) }, REGTEST_PREFIXES),
    "",
  );
});

Deno.test("rejects a Bech32m address of another network's HRP shape", () => {
  // "fcrt" starts with "fc", so on mainnet it is parsed as Bech32 with the wrong HRP.
  const result = decodeDestination("fcrt1q9c2m4uf60087l25c9rkczngmdz6a94ppmwwhau", MAIN_PREFIXES);
  assert.ok(!result.ok);
  assert.equal(
    result.error,
    "Invalid or unsupported prefix for Segwit (Bech32) address (expected fc, got fcrt).",
  );
});

Deno.test("decodeDestination never throws on random strings", () => {
  // A bounded fuzz: deterministic pseudo-random strings over an alphabet rich in separators.
  const alphabet = "fcrt1qpzry9x8gf2tvdw0s3jn54khce6mua7lQPZRY0OIl \t\u0000\u00e9mn2";
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  for (let i = 0; i < 3000; i++) {
    const length = Math.floor(next() * 100);
    let s = next() < 0.5 ? "fcrt1" : "";
    for (let j = 0; j < length; j++) s += alphabet[Math.floor(next() * alphabet.length)];
    const result = decodeDestination(s, REGTEST_PREFIXES);
    if (!result.ok) assert.equal(typeof result.error, "string");
  }
});

Deno.test("single-character typos in a Bech32m address are located", () => {
  // Any one substitution is detected by the checksum and, when located, points at the typo.
  const address = "fcrt1q9c2m4uf60087l25c9rkczngmdz6a94ppmwwhau";
  const charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  for (let position = 5; position < address.length; position++) {
    const replacement = charset[(charset.indexOf(address[position]) + 7) % 32];
    const typo = address.slice(0, position) + replacement + address.slice(position + 1);
    const result = decodeDestination(typo, REGTEST_PREFIXES);
    assert.ok(!result.ok);
    assert.equal(result.error, "Invalid Bech32m checksum");
    assert.deepEqual(result.errorLocations, [position]);
  }
});

Deno.test("decodeDestination never throws on mutated addresses", () => {
  const samples = [
    "fcrt1q9c2m4uf60087l25c9rkczngmdz6a94ppmwwhau",
    "fcrt1qpfumrmcfcusnnjk4k6gfdpdh4940m0jlxh92kxnl6p403cvrfatsl6549x",
    "mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn",
    "2MxFajLApXpYk4VodBSZSt7rw8y4ryABkfA",
  ];
  const alphabet = "qpzry9x8gf2tvdw0s3jn54khce6mua7lQP1bIO0 \u0000";
  let seed = 77;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed % n;
  };
  for (let i = 0; i < 2000; i++) {
    const chars = samples[next(samples.length)].split("");
    for (let e = 1 + next(3); e > 0; e--) {
      const at = next(chars.length + 1);
      const op = next(3);
      if (op === 0) chars.splice(at, 1);
      else if (op === 1) chars.splice(at, 0, alphabet[next(alphabet.length)]);
      else chars[at] = alphabet[next(alphabet.length)];
    }
    const result = decodeDestination(chars.join(""), REGTEST_PREFIXES);
    if (!result.ok) assert.equal(typeof result.error, "string");
  }
});

Deno.test("an empty Bech32 (not Bech32m) data part fails with an empty message, as in freicoind", () => {
  const empty = encodeBech32("bech32", "fcrt", new Uint8Array());
  const result = decodeDestination(empty, REGTEST_PREFIXES);
  assert.ok(!result.ok);
  assert.equal(result.error, "");
  const emptyM = encodeBech32("bech32m", "fcrt", new Uint8Array());
  const resultM = decodeDestination(emptyM, REGTEST_PREFIXES);
  assert.ok(!resultM.ok);
  assert.equal(resultM.error, "Empty Bech32 data section");
});
