import assert from "node:assert/strict";
import { bytesToHex, hashToHex, hexToBytes } from "../encoding/hex.ts";
import {
  ChainParamsError,
  parseTestActivationHeight,
  parseVersionBitsParameters,
} from "./chain_options.ts";
import { type ChainName, selectParams, signetMessageStart } from "./chain_params.ts";
import { INT32_MAX, INT64_MAX } from "./consensus_params.ts";
import { getBlockSubsidy } from "./subsidy.ts";

Deno.test("each chain has the reference's magic, ports, datadir and HRP", () => {
  const expected: Record<ChainName, [string, number, number, number, string, string]> = {
    main: ["2cfe7e6d", 8639, 8638, 8640, "", "fc"],
    test: ["5ed67cf3", 18639, 18638, 18640, "testnet", "tf"],
    signet: ["0a03cf40", 38639, 38638, 38640, "signet", "tf"],
    regtest: ["ed999cf6", 28639, 28638, 28640, "regtest", "fcrt"],
  };
  for (const [chain, [magic, p2p, rpc, onion, dir, hrp]] of Object.entries(expected)) {
    const params = selectParams(chain as ChainName);
    assert.equal(bytesToHex(params.messageStart), magic, chain);
    assert.equal(params.defaultPort, p2p);
    assert.equal(params.rpcPort, rpc);
    assert.equal(params.onionServiceTargetPort, onion);
    assert.equal(params.stratumPort, rpc + 1000);
    assert.equal(params.dataDir, dir);
    assert.equal(params.prefixes.bech32Hrp, hrp);
  }
});

Deno.test("genesis blocks hash to the reference values and carry aux_pow_path", () => {
  assert.equal(
    hashToHex(selectParams("regtest").consensus.auxPowPath),
    "d799d41af01c1ac77e6a7793ba046a7432bb6ec250b84e2f5c6f225e05f0fc74",
  );
  assert.equal(
    hashToHex(selectParams("test").genesis.merkleRoot),
    "da41f94f1a4a7d4a5cd54245bf4ad423da65a292a4de6d86d7746c4ad41e7ee7",
  );
  assert.equal(
    hashToHex(selectParams("main").genesis.hash),
    "000000005b1e3d23ecfd2dd4a6e1a35238aa0392c0a8528c40df52376d7efe2c",
  );
});

Deno.test("regtest deployments: finaltx always active, auxpow never, segwit at 0", () => {
  const consensus = selectParams("regtest").consensus;
  assert.equal(consensus.deployments.finaltx.startTime, -1n);
  assert.equal(consensus.deployments.auxpow.startTime, -2n);
  assert.equal(consensus.deployments.testdummy.startTime, 0n);
  assert.equal(consensus.segwitHeight, 0);
  assert.equal(consensus.cleanupHeight, INT32_MAX);
  assert.equal(consensus.protocolCleanupActivationTime, INT64_MAX);
  assert.equal(consensus.minerConfirmationWindow, 144);
  assert.equal(consensus.powNoRetargeting, true);
});

Deno.test("-testactivationheight and -vbparams are applied through options", () => {
  const params = selectParams("regtest", {
    activationHeights: { cleanup: 200, segwit: 5, bip34: 2, dersig: 3, locktime: 4 },
    versionBitsParameters: {
      testdummy: { startTime: 10n, timeout: 20n, minActivationHeight: 288 },
    },
  });
  const c = params.consensus;
  assert.deepEqual([
    c.bip34Height,
    c.bip66Height,
    c.lockTimeHeight,
    c.segwitHeight,
    c.cleanupHeight,
  ], [2, 3, 4, 5, 200]);
  assert.deepEqual(c.deployments.testdummy, {
    bit: 28,
    startTime: 10n,
    timeout: 20n,
    minActivationHeight: 288,
  });
  const mainVb = selectParams("main", {
    versionBitsParameters: { auxpow: { startTime: 1n, timeout: 2n, minActivationHeight: 0 } },
  });
  assert.equal(mainVb.consensus.deployments.auxpow.startTime, 1n);
});

Deno.test("-bitcoinmode is refused off regtest; -testactivationheight is ignored there", () => {
  assert.throws(() => selectParams("main", { bitcoinMode: true }), {
    name: "ChainParamsError",
    message: "Bitcoin unit test compatibility mode only allowed on regtest.",
  });
  assert.equal(
    selectParams("test", { activationHeights: { segwit: 1 } }).consensus.segwitHeight,
    2016,
  );
  assert.equal(selectParams("regtest", { bitcoinMode: true }).consensus.bitcoinMode, true);
});

Deno.test("argument parsers give the reference's error messages", () => {
  assert.deepEqual(parseTestActivationHeight("cleanup@0"), ["cleanup", 0]);
  assert.throws(() => parseTestActivationHeight("segwit"), {
    message: "Invalid format (segwit) for -testactivationheight=name@height.",
  });
  assert.throws(() => parseTestActivationHeight("segwit@-1"), {
    message: "Invalid height value (segwit@-1) for -testactivationheight=name@height.",
  });
  assert.throws(() => parseTestActivationHeight("csv@1"), {
    message: "Invalid name (csv@1) for -testactivationheight=name@height.",
  });
  assert.throws(() => parseVersionBitsParameters("testdummy:1"), {
    message:
      "Version bits parameters malformed, expecting deployment:start:end[:min_activation_height]",
  });
  assert.throws(() => parseVersionBitsParameters("testdummy:x:1"), {
    message: "Invalid nStartTime (x)",
  });
  assert.throws(() => parseVersionBitsParameters("testdummy:1:y"), {
    message: "Invalid nTimeout (y)",
  });
  assert.throws(() => parseVersionBitsParameters("testdummy:1:2:z"), {
    message: "Invalid min_activation_height (z)",
  });
  assert.throws(() => parseVersionBitsParameters("taproot:1:2"), {
    message: "Invalid deployment (taproot)",
  });
  assert.deepEqual(parseVersionBitsParameters("finaltx:-1:9223372036854775807:+5"), [
    "finaltx",
    { startTime: -1n, timeout: INT64_MAX, minActivationHeight: 5 },
  ]);
});

Deno.test("a custom signet challenge changes the magic", () => {
  const challenge = hexToBytes("51");
  const params = selectParams("signet", { signetChallenge: challenge });
  assert.deepEqual(params.messageStart, signetMessageStart(challenge));
  assert.notEqual(bytesToHex(params.messageStart), "0a03cf40");
  assert.equal(params.consensus.minimumChainWork, 0n);
});

Deno.test("regtest subsidy halves every 150 blocks and ends at 4950", () => {
  const c = selectParams("regtest").consensus;
  assert.equal(getBlockSubsidy(0, c), 5_000_000_000n);
  assert.equal(getBlockSubsidy(149, c), 5_000_000_000n);
  assert.equal(getBlockSubsidy(150, c), 2_500_000_000n);
  assert.equal(getBlockSubsidy(4800, c), 1n);
  assert.equal(getBlockSubsidy(4949, c), 1n);
  assert.equal(getBlockSubsidy(4950, c), 0n);
  assert.equal(getBlockSubsidy(64 * 150, c), 0n);
});

Deno.test("mainnet subsidy has the initial-distribution term until 161280", () => {
  const c = selectParams("main").consensus;
  assert.equal(getBlockSubsidy(0, c), 75_056_846_172n);
  assert.equal(getBlockSubsidy(161_279, c), 59_140_016_459n);
  assert.equal(getBlockSubsidy(161_280, c), 9_536_743_164n);
});

Deno.test("option parsers only ever throw ChainParamsError (bounded fuzz)", () => {
  let seed = 99;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0);
  const alphabet = "segwitcleanupbip34@:-+0123456789testdummyfinaltx";
  for (let i = 0; i < 2000; i++) {
    let text = "";
    const length = next() % 24;
    for (let j = 0; j < length; j++) text += alphabet[next() % alphabet.length];
    for (const parse of [parseTestActivationHeight, parseVersionBitsParameters]) {
      try {
        parse(text);
      } catch (error) {
        assert.ok(error instanceof ChainParamsError, `${text}: ${error}`);
      }
    }
  }
});
