/**
 * Chain parameters of the four networks (`CChainParams`, src/kernel/chainparams.cpp, and
 * `CBaseChainParams`, src/chainparamsbase.cpp), selected by name with an options object.
 */

import { type ChainName, type ChainPrefixes, chainPrefixes } from "../address/chain_prefixes.ts";
import { ByteWriter } from "../encoding/byte_writer.ts";
import { bytesEqual } from "../encoding/bytes.ts";
import { hashFromHex, hexToBytes } from "../encoding/hex.ts";
import { sha256d } from "../hash/sha256.ts";
import { type ChainOptions, ChainParamsError } from "./chain_options.ts";
import { uint256FromHex } from "./compact.ts";
import {
  ALWAYS_ACTIVE,
  type Bip9Deployment,
  type ConsensusParams,
  type DeploymentName,
  INT32_MAX,
  INT64_MAX,
  NEVER_ACTIVE,
  NEVER_HEIGHT,
  NO_TIMEOUT,
} from "./consensus_params.ts";
import {
  auxPowPath,
  buildGenesisBlock,
  type GenesisBlock,
  type GenesisHeaderFields,
  mainGenesisTx,
  testnetGenesisTx,
} from "./genesis.ts";

export type { ChainName };

/** A UTXO snapshot the chain recognises (`AssumeutxoData`). */
export interface AssumeutxoData {
  readonly height: number;
  /** Expected `hash_serialized_3` of the snapshot, internal byte order. */
  readonly hashSerialized: Uint8Array;
  readonly chainTxCount: number;
  /** Hash of the snapshot's base block, internal byte order. */
  readonly blockHash: Uint8Array;
}

/** Transaction-count statistics for progress estimates (`ChainTxData`). */
export interface ChainTxData {
  readonly time: number;
  readonly txCount: number;
  readonly txRate: number;
}

/** Everything that distinguishes one network from another. */
export interface ChainParams {
  readonly chain: ChainName;
  readonly consensus: ConsensusParams;
  /** P2P message start (network magic), 4 bytes. */
  readonly messageStart: Uint8Array;
  readonly defaultPort: number;
  /** Default JSON-RPC port (`CBaseChainParams::RPCPort`). */
  readonly rpcPort: number;
  /** Default Tor onion target port. */
  readonly onionServiceTargetPort: number;
  /** Default stratum port (RPC port + 1000). */
  readonly stratumPort: number;
  /** Datadir subdirectory ("" for main). */
  readonly dataDir: string;
  readonly pruneAfterHeight: number;
  /** Minimum free space in GB for the datadir. */
  readonly assumedBlockchainSize: number;
  /** Minimum free space in GB for the chainstate when pruned. */
  readonly assumedChainStateSize: number;
  readonly dnsSeeds: readonly string[];
  /** Base58 prefixes and bech32 HRP. */
  readonly prefixes: ChainPrefixes;
  readonly genesis: GenesisBlock;
  /** Default for -checkmempool / -checkblockindex. */
  readonly defaultConsistencyChecks: boolean;
  /** Whether mocktime is allowed. */
  readonly isMockableChain: boolean;
  /** Every chain but main. */
  readonly isTestChain: boolean;
  /** No retargeting: blocks can be mined on demand. */
  readonly mineBlocksOnDemand: boolean;
  /** Checkpoint block hashes by height, internal byte order. */
  readonly checkpoints: ReadonlyMap<number, Uint8Array>;
  readonly assumeutxo: readonly AssumeutxoData[];
  readonly chainTxData: ChainTxData;
}

/** Default `-maxtipage`: a tip older than this keeps the node in initial block download. */
export const DEFAULT_MAX_TIP_AGE = 14 * 24 * 60 * 60;

/** Default signet challenge (a 1-of-2 multisig, the same as Bitcoin's default signet). */
export const DEFAULT_SIGNET_CHALLENGE =
  "512103ad5e0edad18cb1f0fc0d28a3d4f1f3e445640337489abb10404f2d1e086be430210359ef5021964fe22d6f8e05b2463c9540ce96883fe3b278760f048f5189f2e6c452ae";

const ZERO_HASH = new Uint8Array(32);

function deployment(bit: number, startTime: bigint, timeout: bigint): Bip9Deployment {
  return Object.freeze({ bit, startTime, timeout, minActivationHeight: 0 });
}

function applyVersionBits(
  base: Record<DeploymentName, Bip9Deployment>,
  options: ChainOptions,
): Readonly<Record<DeploymentName, Bip9Deployment>> {
  const out = { ...base };
  for (const [name, vb] of Object.entries(options.versionBitsParameters ?? {})) {
    if (!vb) continue;
    const key = name as DeploymentName;
    out[key] = Object.freeze({
      bit: base[key].bit,
      startTime: vb.startTime,
      timeout: vb.timeout,
      minActivationHeight: vb.minActivationHeight,
    });
  }
  return Object.freeze(out);
}

function checkpointMap(rows: readonly [number, string][]): ReadonlyMap<number, Uint8Array> {
  return new Map(rows.map(([height, hex]) => [height, hashFromHex(hex)]));
}

function buildGenesis(
  fields: GenesisHeaderFields,
  tx: Uint8Array,
  expectedHash: string,
  expectedAuxPowPath: string | undefined,
): { genesis: GenesisBlock; auxPowPath: Uint8Array } {
  const genesis = buildGenesisBlock(fields, tx);
  const path = auxPowPath(genesis.bytes);
  // The reference asserts these; a mismatch here is a bug in this file, not bad input.
  if (!bytesEqual(genesis.hash, hashFromHex(expectedHash))) {
    throw new Error("genesis block hash mismatch");
  }
  if (expectedAuxPowPath !== undefined && !bytesEqual(path, hashFromHex(expectedAuxPowPath))) {
    throw new Error("aux_pow_path mismatch");
  }
  return { genesis, auxPowPath: path };
}

/**
 * `-bitcoinmode` is an init error off regtest. (`-testactivationheight` and `-fastprune` are
 * simply not read for other chains, as in the reference.)
 */
function rejectRegtestOnly(options: ChainOptions): void {
  if (options.bitcoinMode) {
    throw new ChainParamsError("Bitcoin unit test compatibility mode only allowed on regtest.");
  }
}

const MAIN_CHECKPOINTS: readonly [number, string][] = [
  [10080, "00000000003ff9c4b806639ec4376cc9acafcdded0e18e9dbcc2fc42e8e72331"],
  [20160, "0000000000009708ba48a52599295db8b9ec5d29148561e6ac850af765026528"],
  [28336, "000000000000cc374a984c0deec9aed6fff764918e2cfd4be6670dd4d5292ccb"],
  [30240, "0000000000004acbe1ed430d4a70d8a9ac62daa849e0bc708da52eeba8f39afc"],
  [40320, "0000000000008ad31a52a3e749bd5c477aa3da18cc0acd3e3d944b5edc58e7bd"],
  [50400, "0000000000000e2e3686f1eb852222ffff33a403947478bea143ed88c81fdd87"],
  [60480, "000000000000029a0d1df882d1ddd15387855d5f904127c25359f8bdc6425928"],
  [70560, "00000000000002b41cead9ce01c519a56998db8a715aae518f4b72403d6dc95a"],
  [80640, "00000000000001c20353e3df80d35c8348bc07940d5e08d4740372ef45a4474f"],
  [90720, "00000000000006c884dfe4e81504fd8eaf9d7d770a04dbdafb2cbf5ad7ab64c6"],
  [100800, "00000000000004dc5badc155de4d07b4c09b9f3ecfdfdaf71576f3d2be192ea3"],
  [110880, "0000000000000ef59288c01fcef9c26b0457bc93ca106d06bb10cd5dfad7fca9"],
  [120960, "00000000000002968c68497ec2a7ec6b5030202dbf874126a65e437f53c03bea"],
  [131040, "0000000000000bf11095c39e143ed02508132e48e040db791a0e7ed73378e7ed"],
  [141120, "000000000000016331fe98568de3673c7c983f10d4ceab0f75d928acc0378001"],
  [151200, "000000000000047df778aaa84d03cf2d8f9b51ef530a7d3708bfd6a9e0dd5d41"],
  [161280, "00000000000021b3611f18840adf738c4a0c8de1479f53721c29a899620a4064"],
  [171360, "00000000000037920bd0a1f13c579ca7c6ade2ef56b19027dd4408c292e5882f"],
  [181440, "00000000000001d49e7ad75303c6217d6205cd51d5c1cc494427418385976d44"],
  [191520, "000000000000034be18ec2f1ca59bbc70d54a9cb10fc7230122297c037f441ee"],
  [201600, "00000000000004bb0cc14b70f9fd72900a6839731892d959764dd89615a5535a"],
  [211680, "00000000000000e1156dafc83bc94c1508fbaa2ec1b1440aeceac7dfc0944664"],
  [221760, "00000000000000a7ca764843bedea1e8c7eb2e22390aca9d133caafcd0842ea1"],
  [231840, "000000000000000d1e7c399c42e260076f541b1d41bb805af46994ce896befe7"],
  [241920, "000000000000007f4809ec08659c88598624743896e8620d4a7ebb36ede698f9"],
  [252000, "00000000000000437687524302491d9aead11eb0090a5c451a4dbe6f85d4fbe1"],
  [262080, "000000000000001332e59516a8156b56de7f7ca804238402732f7de4470da1a0"],
  [272160, "000000000000002781d74d59a2e0edaf3b14b5435d8de67c1ed7b547e5f67752"],
  [282240, "00000000000000b852854b82afcff8caf86fc2f392b9e4a4814bf47977813fc1"],
  [292320, "000000000000140206e6fe913172634efa63c3928b0305052bfe4078f1a636fd"],
  [302400, "000000000000114100284febd7d76aadf7522062dabf611c73f4f9b44db72c35"],
  [312480, "0000000000000bc166f4cd03a22952161cbd1b79eff595c17b6904d21307d17a"],
  [322560, "0000000000000c6e3b938bc8dddf6c05a8ce4b4d46af273d4af4bea53c23ea84"],
  [332640, "0000000000000f985237422cd4dc7262ab7a18cd8294b2f721d408caaafe7075"],
  [342720, "00000000000006de444cdd02145c4eaa0960083997afae98a03b32d84796ea63"],
  [352800, "00000000038a44f3a253d12f27dcc9330967748fd17ce807e61598fc22cf9d6f"],
  [362880, "000000000008e9c63ddbaa03f32a6961a6837362be121b220b45410d59095f9a"],
  [372960, "0000000002af94c90e368a6dfd5d1f35857d3deb5a0402144866dfbab0688d09"],
  [383040, "000000000092ed109a133fc773421f83796aff1f6a5521256c425f39c660b60e"],
  [393120, "000000000194cdd5bb0083bc859c57cc4dcadeae117ea26b7343d1a7228a114d"],
  [403200, "0000000003785caa54529380bbf22211bd32b6539485896c61c69d23668f5c1b"],
  [413280, "00000000035baef17c52f0b021cf13dfbfe045df56d036780ea16e8faf62dd16"],
];

function mainParams(options: ChainOptions): ChainParams {
  rejectRegtestOnly(options);
  const { genesis, auxPowPath } = buildGenesis(
    { version: 1, time: 1356123600, bits: 0x1d00ffff, nonce: 278229610 },
    mainGenesisTx(),
    "000000005b1e3d23ecfd2dd4a6e1a35238aa0392c0a8528c40df52376d7efe2c",
    "632938ec752e63b7f63cdd9a16b336c6c5cefbaad66278e402ce59d706f57ff6",
  );
  const consensus: ConsensusParams = Object.freeze({
    hashGenesisBlock: genesis.hash,
    auxPowPath,
    bitcoinMode: false,
    subsidyHalvingInterval: 0,
    perpetualSubsidy: 9536743164n,
    equilibriumHeight: 161280,
    equilibriumMonetaryBase: 10000000000000000n,
    initialExcessSubsidy: 15916928404n,
    truncateInputsActivationHeight: 158425,
    aluActivationHeight: 229376,
    verifyCoinbaseLockTimeActivationHeight: 247554,
    bip34Height: 1,
    bip66Height: 158425,
    lockTimeHeight: 258048,
    segwitHeight: 278208,
    cleanupHeight: 424780,
    minBip9WarningHeight: 280224,
    ruleChangeActivationThreshold: 1916,
    minerConfirmationWindow: 2016,
    deployments: applyVersionBits({
      testdummy: deployment(28, NEVER_ACTIVE, NO_TIMEOUT),
      finaltx: deployment(1, 1562068800n, 1587038400n),
      auxpow: deployment(3, 1591056000n, 1622592000n),
    }, options),
    protocolCleanupActivationTime: 1729062000n,
    sizeExpansionActivationTime: 1776297600n,
    powLimit: uint256FromHex("00000000ffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
    auxPowLimit: uint256FromHex("7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
    powNoRetargeting: false,
    powTargetSpacing: 600,
    auxPowTargetSpacing: 900,
    originalAdjustInterval: 2016,
    filteredAdjustInterval: 9,
    diffAdjustThreshold: 28336,
    minimumChainWork: uint256FromHex(
      "0000000000000000000000000000000000000000000003dae5d849b84576f6e7",
    ),
    defaultAssumeValid: hashFromHex(
      "0000000003785caa54529380bbf22211bd32b6539485896c61c69d23668f5c1b",
    ),
    signetBlocks: false,
    signetChallenge: new Uint8Array(0),
  });
  return Object.freeze({
    chain: "main",
    consensus,
    messageStart: new Uint8Array([0x2c, 0xfe, 0x7e, 0x6d]),
    defaultPort: 8639,
    rpcPort: 8638,
    onionServiceTargetPort: 8640,
    stratumPort: 9638,
    dataDir: "",
    pruneAfterHeight: 100000,
    assumedBlockchainSize: 600,
    assumedChainStateSize: 10,
    dnsSeeds: Object.freeze([
      "seed.freico.in",
      "fledge.freico.in",
      "dnsseed.sicanet.net",
      "ap-northeast-1.aws.seed.tradecraft.io",
      "eu-west-1.aws.seed.tradecraft.io",
      "us-west-2.aws.seed.tradecraft.io",
    ]),
    prefixes: chainPrefixes("main"),
    genesis,
    defaultConsistencyChecks: false,
    isMockableChain: false,
    isTestChain: false,
    mineBlocksOnDemand: false,
    checkpoints: checkpointMap(MAIN_CHECKPOINTS),
    assumeutxo: Object.freeze([]),
    chainTxData: Object.freeze({
      time: 1717838662,
      txCount: 1226505,
      txRate: 0.002223919786768256,
    }),
  });
}

function testnetParams(options: ChainOptions): ChainParams {
  rejectRegtestOnly(options);
  const perpetualSubsidy = 9536743164n;
  const { genesis, auxPowPath } = buildGenesis(
    { version: 1, time: 1596931200, bits: 0x1d00ffff, nonce: 1566443406 },
    testnetGenesisTx(perpetualSubsidy),
    "000000003b5183593282fd30d3d7e79243eb883d6c2d8670f69811c6b9a76585",
    "e99fc44bfacee2f7e28d135845ff8a385d6d31353928d5b499700f1a2ad1b18b",
  );
  const consensus: ConsensusParams = Object.freeze({
    hashGenesisBlock: genesis.hash,
    auxPowPath,
    bitcoinMode: false,
    subsidyHalvingInterval: 0,
    perpetualSubsidy,
    equilibriumHeight: 0,
    equilibriumMonetaryBase: 0n,
    initialExcessSubsidy: 0n,
    truncateInputsActivationHeight: 1,
    aluActivationHeight: 1,
    verifyCoinbaseLockTimeActivationHeight: 2016,
    bip34Height: INT32_MAX,
    bip66Height: 1,
    lockTimeHeight: 1512,
    segwitHeight: 2016,
    cleanupHeight: 25259,
    minBip9WarningHeight: 4032,
    ruleChangeActivationThreshold: 378,
    minerConfirmationWindow: 504,
    deployments: applyVersionBits({
      testdummy: deployment(28, NEVER_ACTIVE, NO_TIMEOUT),
      finaltx: deployment(1, 1562068800n, 1622592000n),
      auxpow: deployment(3, 1591056000n, 1622592000n),
    }, options),
    protocolCleanupActivationTime: 1726470000n,
    sizeExpansionActivationTime: 1771200000n,
    powLimit: uint256FromHex("00000000ffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
    auxPowLimit: uint256FromHex("7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
    powNoRetargeting: false,
    powTargetSpacing: 600,
    auxPowTargetSpacing: 900,
    originalAdjustInterval: 2016,
    filteredAdjustInterval: 9,
    diffAdjustThreshold: 144,
    minimumChainWork: uint256FromHex(
      "00000000000000000000000000000000000000000000000000b5f8d7a875bd74",
    ),
    defaultAssumeValid: hashFromHex(
      "00000000000017c5d079dfbe901cb7d0fae2a8eafd91be4e98f23481c73921d5",
    ),
    signetBlocks: false,
    signetChallenge: new Uint8Array(0),
  });
  return Object.freeze({
    chain: "test",
    consensus,
    messageStart: new Uint8Array([0x5e, 0xd6, 0x7c, 0xf3]),
    defaultPort: 18639,
    rpcPort: 18638,
    onionServiceTargetPort: 18640,
    stratumPort: 19638,
    dataDir: "testnet",
    pruneAfterHeight: 1000,
    assumedBlockchainSize: 42,
    assumedChainStateSize: 3,
    dnsSeeds: Object.freeze([]),
    prefixes: chainPrefixes("test"),
    genesis,
    defaultConsistencyChecks: false,
    isMockableChain: false,
    isTestChain: true,
    mineBlocksOnDemand: false,
    checkpoints: checkpointMap([
      [2016, "00000000000017c5d079dfbe901cb7d0fae2a8eafd91be4e98f23481c73921d5"],
      [10080, "00000000000015207580bae63ac8ae344f6fdee79dbc06af9fdd88d9fe28a3e4"],
    ]),
    assumeutxo: Object.freeze([]),
    chainTxData: Object.freeze({ time: 1679650087, txCount: 18550, txRate: 6.876553860058087e-05 }),
  });
}

/** Message start of a signet: the first 4 bytes of SHA256d(CompactSize(len) ‖ challenge). */
export function signetMessageStart(challenge: Uint8Array): Uint8Array {
  const data = new ByteWriter().writeVarBytes(challenge).toBytes();
  return sha256d(data).slice(0, 4);
}

function signetParams(options: ChainOptions): ChainParams {
  rejectRegtestOnly(options);
  const custom = options.signetChallenge !== undefined;
  const challenge = options.signetChallenge ?? hexToBytes(DEFAULT_SIGNET_CHALLENGE);
  const { genesis, auxPowPath } = buildGenesis(
    { version: 1, time: 1598918400, bits: 0x1e0377ae, nonce: 5293684 },
    mainGenesisTx(),
    "000000500fc45aa5ed5763371527daca0ddc04212352e4759b8c9b563cc53934",
    "0e2d8c64d9e0280e39f9ce32343aaf4db2c43d346844edbff37b152efeb4ce7f",
  );
  const defaultSeeds = [
    "seed.signet.freicoin.sprovoost.nl.",
    "178.128.221.177",
    "v7ajjeirttkbnt32wpy3c6w3emwnfr3fkla7hpxcfokr3ysd3kqtzmqd.onion:38639",
  ];
  const consensus: ConsensusParams = Object.freeze({
    hashGenesisBlock: genesis.hash,
    auxPowPath,
    bitcoinMode: false,
    subsidyHalvingInterval: 0,
    perpetualSubsidy: 9536743164n,
    equilibriumHeight: 161280,
    equilibriumMonetaryBase: 10000000000000000n,
    initialExcessSubsidy: 15916928404n,
    // The reference leaves these two uninitialised on signet; 1 (no historical bias) is the
    // only value that makes sense for a chain started long after the ALU rules.
    truncateInputsActivationHeight: 1,
    aluActivationHeight: 1,
    verifyCoinbaseLockTimeActivationHeight: NEVER_HEIGHT,
    bip34Height: 1,
    bip66Height: 1,
    lockTimeHeight: 1,
    segwitHeight: 1,
    cleanupHeight: 1,
    minBip9WarningHeight: 0,
    ruleChangeActivationThreshold: 1916,
    minerConfirmationWindow: 2016,
    deployments: applyVersionBits({
      testdummy: deployment(28, NEVER_ACTIVE, NO_TIMEOUT),
      finaltx: deployment(1, NEVER_ACTIVE, NO_TIMEOUT),
      auxpow: deployment(3, 1662145200n, 1783018800n),
    }, options),
    protocolCleanupActivationTime: 1726470000n,
    sizeExpansionActivationTime: 1771200000n,
    powLimit: uint256FromHex("00000377ae000000000000000000000000000000000000000000000000000000"),
    auxPowLimit: uint256FromHex("7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
    powNoRetargeting: false,
    powTargetSpacing: 600,
    auxPowTargetSpacing: 900,
    originalAdjustInterval: 2016,
    filteredAdjustInterval: 9,
    diffAdjustThreshold: NEVER_HEIGHT,
    minimumChainWork: custom ? 0n : uint256FromHex(
      "00000000000000000000000000000000000000000000000000000206e86f08e8",
    ),
    defaultAssumeValid: custom ? ZERO_HASH : hashFromHex(
      "0000000870f15246ba23c16e370a7ffb1fc8a3dcf8cb4492882ed4b0e3d4cd26",
    ),
    signetBlocks: true,
    signetChallenge: challenge,
  });
  return Object.freeze({
    chain: "signet",
    consensus,
    messageStart: signetMessageStart(challenge),
    defaultPort: 38639,
    rpcPort: 38638,
    onionServiceTargetPort: 38640,
    stratumPort: 39638,
    dataDir: "signet",
    pruneAfterHeight: 1000,
    assumedBlockchainSize: custom ? 0 : 1,
    assumedChainStateSize: 0,
    dnsSeeds: Object.freeze([...(options.signetSeedNodes ?? (custom ? [] : defaultSeeds))]),
    prefixes: chainPrefixes("signet"),
    genesis,
    defaultConsistencyChecks: false,
    isMockableChain: false,
    isTestChain: true,
    mineBlocksOnDemand: false,
    checkpoints: new Map(),
    assumeutxo: Object.freeze([]),
    chainTxData: Object.freeze(
      custom
        ? { time: 0, txCount: 0, txRate: 0 }
        : { time: 1706331472, txCount: 2425380, txRate: 0.008277759863833788 },
    ),
  });
}

function regtestParams(options: ChainOptions): ChainParams {
  const { genesis, auxPowPath } = buildGenesis(
    { version: 1, time: 1356123600, bits: 0x207fffff, nonce: 1 },
    mainGenesisTx(),
    "67756db06265141574ff8e7c3f97ebd57c443791e0ca27ee8b03758d6056edb8",
    "d799d41af01c1ac77e6a7793ba046a7432bb6ec250b84e2f5c6f225e05f0fc74",
  );
  const heights = options.activationHeights ?? {};
  const consensus: ConsensusParams = Object.freeze({
    hashGenesisBlock: genesis.hash,
    auxPowPath,
    bitcoinMode: options.bitcoinMode ?? false,
    subsidyHalvingInterval: 150,
    perpetualSubsidy: 5000000000n,
    equilibriumHeight: 0,
    equilibriumMonetaryBase: 0n,
    initialExcessSubsidy: 0n,
    truncateInputsActivationHeight: 1,
    aluActivationHeight: 1,
    verifyCoinbaseLockTimeActivationHeight: NEVER_HEIGHT,
    bip34Height: heights.bip34 ?? 1,
    bip66Height: heights.dersig ?? 1,
    lockTimeHeight: heights.locktime ?? 1,
    segwitHeight: heights.segwit ?? 0,
    cleanupHeight: heights.cleanup ?? INT32_MAX,
    minBip9WarningHeight: 0,
    ruleChangeActivationThreshold: 108,
    minerConfirmationWindow: 144,
    deployments: applyVersionBits({
      testdummy: deployment(28, 0n, NO_TIMEOUT),
      finaltx: deployment(1, ALWAYS_ACTIVE, NO_TIMEOUT),
      auxpow: deployment(3, NEVER_ACTIVE, NO_TIMEOUT),
    }, options),
    protocolCleanupActivationTime: INT64_MAX,
    sizeExpansionActivationTime: INT64_MAX,
    powLimit: uint256FromHex("7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
    auxPowLimit: uint256FromHex("7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
    powNoRetargeting: true,
    powTargetSpacing: 600,
    auxPowTargetSpacing: 900,
    originalAdjustInterval: 2016,
    filteredAdjustInterval: 9,
    diffAdjustThreshold: NEVER_HEIGHT,
    minimumChainWork: 0n,
    defaultAssumeValid: ZERO_HASH,
    signetBlocks: false,
    signetChallenge: new Uint8Array(0),
  });
  return Object.freeze({
    chain: "regtest",
    consensus,
    messageStart: new Uint8Array([0xed, 0x99, 0x9c, 0xf6]),
    defaultPort: 28639,
    rpcPort: 28638,
    onionServiceTargetPort: 28640,
    stratumPort: 29638,
    dataDir: "regtest",
    pruneAfterHeight: options.fastPrune ? 100 : 1000,
    assumedBlockchainSize: 0,
    assumedChainStateSize: 0,
    dnsSeeds: Object.freeze(["dummySeed.invalid."]),
    prefixes: chainPrefixes("regtest"),
    genesis,
    defaultConsistencyChecks: true,
    isMockableChain: true,
    isTestChain: true,
    mineBlocksOnDemand: true,
    checkpoints: checkpointMap([
      [0, "67756db06265141574ff8e7c3f97ebd57c443791e0ca27ee8b03758d6056edb8"],
    ]),
    assumeutxo: Object.freeze([
      Object.freeze({
        height: 110,
        hashSerialized: hashFromHex(
          "791b2d5a07306430c42133c227cc825ace19a4936aa5d638beb319a54adb4db9",
        ),
        chainTxCount: 121,
        blockHash: hashFromHex("0d114635dabb2b646deb9352b208ad82bff52218877db95566913e7f6f7b2d12"),
      }),
      Object.freeze({
        height: 299,
        hashSerialized: hashFromHex(
          "0979d10b7040b5809a49a8ef89065325adbcc6335b65d108426d5b86c2df471e",
        ),
        chainTxCount: 533,
        blockHash: hashFromHex("1fb3f39dc7db8a2701b70c05bfb090de385dd741a1ffa718666b52f0b2e38e47"),
      }),
    ]),
    chainTxData: Object.freeze({ time: 0, txCount: 0, txRate: 0 }),
  });
}

/**
 * Builds the parameters of a network (`CreateChainParams`). Options carry what the reference
 * reads from `-vbparams` (any chain), `-testactivationheight` and `-fastprune` (read on
 * regtest only, ignored elsewhere), `-bitcoinmode` (regtest only; {@link ChainParamsError}
 * elsewhere), and `-signetchallenge` / `-signetseednode` (signet).
 *
 * @example
 * ```ts
 * import { selectParams } from "./chain_params.ts";
 * const params = selectParams("regtest", { activationHeights: { segwit: 10 } });
 * console.assert(params.defaultPort === 28639 && params.consensus.segwitHeight === 10);
 * ```
 */
export function selectParams(chain: ChainName, options: ChainOptions = {}): ChainParams {
  switch (chain) {
    case "main":
      return mainParams(options);
    case "test":
      return testnetParams(options);
    case "signet":
      return signetParams(options);
    case "regtest":
      return regtestParams(options);
  }
}

/** Assumeutxo entry at `height` (`AssumeutxoForHeight`). */
export function assumeutxoForHeight(
  params: ChainParams,
  height: number,
): AssumeutxoData | undefined {
  return params.assumeutxo.find((entry) => entry.height === height);
}

/** Assumeutxo entry whose base block is `blockHash` (internal byte order). */
export function assumeutxoForBlockHash(
  params: ChainParams,
  blockHash: Uint8Array,
): AssumeutxoData | undefined {
  return params.assumeutxo.find((entry) => bytesEqual(entry.blockHash, blockHash));
}
