// key_io_valid.json and key_io_invalid.json, read as src/test/key_io_tests.cpp reads them:
// parse (with the case-flip check), generate, and reject on every network.
import assert from "node:assert/strict";
import {
  type ChainName,
  chainPrefixes,
  decodeDestination,
  describeDestination,
  encodeDestination,
  extractDestination,
  isValidDestination,
  payToPubKeyScript,
  pkHashOf,
  scriptForDestination,
  scriptHashOf,
  witnessV0LongHashOf,
  witnessV0ShortHashOfPubKey,
} from "../../kernel/address/mod.ts";
import {
  addChecksum,
  deriveAddresses,
  DeriveAddressesError,
  getDescriptorInfo,
  inferDescriptor,
  parseDescriptor,
} from "../../kernel/descriptor/mod.ts";
import { decodeSecret, encodeSecret, writeHDKeypath } from "../../kernel/keys/mod.ts";
import { createPureSecp256k1 } from "../../kernel/secp256k1/mod.ts";

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

Deno.test("freicoin-protocol-vectors.json: addresses of private key 1", async (t) => {
  const all = JSON.parse(
    Deno.readTextFileSync(
      new URL("../../../shared/vectors/freicoin-protocol-vectors.json", import.meta.url),
    ),
  ) as { addresses_privkey_1: Record<string, string> };
  const v = all.addresses_privkey_1;
  const secp = createPureSecp256k1();
  const secret = new Uint8Array(32);
  secret[31] = 1;
  const pubkey = secp.publicKeyFromSecret(secret, true);
  const main = chainPrefixes("main");
  const test = chainPrefixes("test");
  const regtest = chainPrefixes("regtest");

  await t.step("pubkey", () => assert.equal(toHex(pubkey), v.pubkey));
  await t.step("P2PKH", () => {
    assert.equal(encodeDestination(pkHashOf(pubkey), main), v.p2pkh_main);
    assert.equal(encodeDestination(pkHashOf(pubkey), test), v.p2pkh_test_regtest);
    assert.equal(encodeDestination(pkHashOf(pubkey), regtest), v.p2pkh_test_regtest);
  });
  await t.step("P2WPK", () => {
    const dest = witnessV0ShortHashOfPubKey(pubkey);
    assert.equal(toHex(dest.hash), v.p2wpk_program);
    assert.equal(toHex(Uint8Array.of(0, ...payToPubKeyScript(pubkey))), v.p2wpk_witscript);
    assert.equal(encodeDestination(dest, main), v.p2wpk_main);
    assert.equal(encodeDestination(dest, regtest), v.p2wpk_regtest);
    assert.equal(encodeDestination(dest, test), v.p2wpk_testnet);
  });
  await t.step("P2WSH of OP_TRUE", () => {
    const dest = witnessV0LongHashOf(0, Uint8Array.of(0x51));
    assert.equal(toHex(dest.hash), v.p2wsh_OP_TRUE_program);
    assert.equal(encodeDestination(dest, regtest), v.p2wsh_OP_TRUE_regtest);
  });
  await t.step("descriptors wpk/pkh/combo derive the same addresses", () => {
    const options = { prefixes: regtest, secp };
    const wif = encodeSecret({ secret, compressed: true }, regtest);
    assert.deepEqual(deriveAddresses(addChecksum(`wpk(${wif})`), options), [v.p2wpk_regtest]);
    assert.deepEqual(deriveAddresses(addChecksum(`pkh(${v.pubkey})`), options), [
      v.p2pkh_test_regtest,
    ]);
    assert.deepEqual(deriveAddresses(addChecksum(`combo(${v.pubkey})`), options), [
      v.p2pkh_test_regtest,
      v.p2wpk_regtest,
    ]);
  });
});

Deno.test("regtest-rpc-samples.json: address and descriptor results of a live node", async (t) => {
  const { samples } = JSON.parse(
    Deno.readTextFileSync(
      new URL("../../../shared/vectors/regtest-rpc-samples.json", import.meta.url),
    ),
  ) as { samples: Record<string, { call: unknown[]; result: Record<string, unknown> }> };
  const regtest = chainPrefixes("regtest");
  const options = { prefixes: regtest, secp: createPureSecp256k1() };

  await t.step("validateaddress", () => {
    const { call, result } = samples.validateaddress;
    const decoded = decodeDestination(call[1] as string, regtest);
    assert.ok(decoded.ok);
    assert.deepEqual(
      {
        isvalid: true,
        address: call[1],
        scriptPubKey: toHex(scriptForDestination(decoded.destination)),
        ...describeDestination(decoded.destination),
      },
      result,
    );
  });
  await t.step("getaddressinfo desc, parent_desc and hdkeypath", () => {
    const { result } = samples.getaddressinfo;
    const desc = parseDescriptor(result.desc as string, options);
    assert.equal(desc.toString(), result.desc);
    const parent = parseDescriptor(result.parent_desc as string, options);
    assert.equal(parent.toString(), result.parent_desc);
    const expanded = parent.expandWithSigningData(0)!;
    assert.equal(toHex(expanded.scripts[0]), result.scriptPubKey);
    const [origin] = [...expanded.signingData.origins.values()];
    assert.equal(toHex(origin.pubkey), result.pubkey);
    assert.equal(toHex(origin.fingerprint), result.hdmasterfingerprint);
    assert.equal(writeHDKeypath(origin.path), result.hdkeypath);
    // The wallet's desc is the inferred descriptor of the script with the key's origin.
    const data = expanded.signingData;
    const inferred = inferDescriptor(expanded.scripts[0], {
      getPubKey: (id) => data.pubkeys.get(toHex(id)),
      getWitnessV0Script: (id) => data.witnessScripts.get(toHex(id)),
      getKeyOrigin: (id) => data.origins.get(toHex(id)),
    }, options);
    assert.equal(inferred.toString(), result.desc);
  });
  await t.step("createmultisig bech32", () => {
    const { result } = samples.createmultisig_bech32;
    const desc = parseDescriptor(result.descriptor as string, options);
    assert.equal(desc.toString(), result.descriptor);
    assert.deepEqual(deriveAddresses(result.descriptor as string, options), [result.address]);
    const witness = desc.expandWithSigningData(0)!.signingData.witnessScripts;
    assert.equal(toHex([...witness.values()][0].subarray(1)), result.redeemScript);
  });
  await t.step("getdescriptorinfo and deriveaddresses", () => {
    const info = samples.getdescriptorinfo_wpk;
    assert.deepEqual(getDescriptorInfo(info.call[1] as string, options), info.result);
    const derive = samples.deriveaddresses_wpk;
    assert.throws(
      () => deriveAddresses(derive.call[1] as string, options),
      (e: unknown) =>
        e instanceof DeriveAddressesError &&
        e.message === (derive.result.__error__ as { message: string }).message,
    );
  });
  await t.step("listdescriptors round-trips", () => {
    for (const entry of samples.listdescriptors.result.descriptors as { desc: string }[]) {
      assert.equal(parseDescriptor(entry.desc, options).toString(), entry.desc);
    }
  });
  await t.step("decodescript desc fields", () => {
    const { call, result } = samples.decodescript_p2pk;
    const script = fromHex(call[1] as string);
    assert.equal(inferDescriptor(script, {}, options).toString(), result.desc);
    assert.equal(encodeDestination(scriptHashOf(script), regtest), result.p2sh);
    const segwit = result.segwit as Record<string, string>;
    const p2wpk = fromHex(segwit.hex);
    assert.equal(inferDescriptor(p2wpk, {}, options).toString(), segwit.desc);
    assert.equal(encodeDestination(extractDestination(p2wpk), regtest), segwit.address);
  });
  await t.step("getnewaddress results are valid addresses", () => {
    for (const name of ["getnewaddress", "getnewaddress_legacy"]) {
      assert.ok(decodeDestination(samples[name].result as unknown as string, regtest).ok);
    }
  });
});
