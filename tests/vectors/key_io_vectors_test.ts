// key_io_valid.json and key_io_invalid.json, read as src/test/key_io_tests.cpp reads them:
// parse (with the case-flip check), generate, and reject on every network.
import assert from "node:assert/strict";
import {
  type ChainName,
  chainPrefixes,
  decodeDestination,
  encodeDestination,
  extractDestination,
  isValidDestination,
  scriptForDestination,
} from "../../kernel/address/mod.ts";
import { decodeSecret, encodeSecret } from "../../kernel/keys/mod.ts";

interface ValidMetadata {
  chain: ChainName;
  isPrivkey: boolean;
  isCompressed?: boolean;
  tryCaseFlip?: boolean;
}

function readVectors(name: string): unknown[][] {
  const url = new URL(`../../../shared/vectors/${name}`, import.meta.url);
  return JSON.parse(Deno.readTextFileSync(url));
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function fromHex(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}

function flipCase(str: string): string {
  return str.replace(/[a-zA-Z]/g, (c) => c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase());
}

const valid = readVectors("key_io_valid.json");
const invalid = readVectors("key_io_invalid.json");

Deno.test("key_io_valid.json: every entry parses to its payload", async (t) => {
  assert.ok(valid.length > 0);
  for (const [index, vector] of valid.entries()) {
    const [str, hex, meta] = vector as [string, string, ValidMetadata];
    await t.step(`#${index} ${str}`, () => {
      const prefixes = chainPrefixes(meta.chain);
      if (meta.isPrivkey) {
        const key = decodeSecret(str, prefixes);
        assert.ok(key !== null, "valid private key");
        assert.equal(key.compressed, meta.isCompressed);
        assert.equal(toHex(key.secret), hex);
        assert.equal(decodeDestination(str, prefixes).ok, false, "private key is not an address");
      } else {
        const result = decodeDestination(str, prefixes);
        assert.ok(result.ok, `valid address: ${result.ok ? "" : result.error}`);
        assert.equal(toHex(scriptForDestination(result.destination)), hex);

        const flipped = flipCase(str);
        const flippedResult = decodeDestination(flipped, prefixes);
        assert.equal(flippedResult.ok, meta.tryCaseFlip ?? false, "case-flipped validity");
        if (flippedResult.ok) {
          assert.equal(toHex(scriptForDestination(flippedResult.destination)), hex);
        }
        assert.equal(decodeSecret(flipped, prefixes), null, "address is not a private key");
      }
    });
  }
});

Deno.test("key_io_valid.json: every payload generates its string", async (t) => {
  for (const [index, vector] of valid.entries()) {
    const [str, hex, meta] = vector as [string, string, ValidMetadata];
    await t.step(`#${index} ${str}`, () => {
      const prefixes = chainPrefixes(meta.chain);
      if (meta.isPrivkey) {
        const secret = fromHex(hex);
        assert.equal(
          encodeSecret({ secret, compressed: meta.isCompressed === true }, prefixes),
          str,
        );
      } else {
        const dest = extractDestination(fromHex(hex));
        assert.ok(isValidDestination(dest), "script has an address");
        assert.equal(encodeDestination(dest, prefixes), str);
      }
    });
  }
});

Deno.test("key_io_invalid.json: every entry is rejected on every network", async (t) => {
  assert.ok(invalid.length > 0);
  const chains: ChainName[] = ["main", "test", "signet", "regtest"];
  for (const [index, vector] of invalid.entries()) {
    const str = vector[0] as string;
    await t.step(`#${index} ${JSON.stringify(str)}`, () => {
      for (const chain of chains) {
        const prefixes = chainPrefixes(chain);
        assert.equal(decodeDestination(str, prefixes).ok, false, `address on ${chain}`);
        assert.equal(decodeSecret(str, prefixes), null, `private key on ${chain}`);
      }
    });
  }
});
