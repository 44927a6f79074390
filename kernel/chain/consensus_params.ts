/**
 * Consensus parameters of a chain (`Consensus::Params` in src/consensus/params.h).
 *
 * Times that the reference stores as int64 and sets to INT64_MAX ("never") are bigints so that
 * RPC can report them exactly; heights are numbers, with `NEVER_HEIGHT` standing for the
 * reference's INT64_MAX heights.
 */

/** Height sentinel for int64 heights the reference sets to INT64_MAX ("never"). */
export const NEVER_HEIGHT: number = Number.POSITIVE_INFINITY;
/** `std::numeric_limits<int>::max()`, used for buried deployments that never activate. */
export const INT32_MAX = 2147483647;
/** `std::numeric_limits<int64_t>::max()`. */
export const INT64_MAX = 9223372036854775807n;

/** BIP9 `nStartTime` meaning "always active" (`BIP9Deployment::ALWAYS_ACTIVE`). */
export const ALWAYS_ACTIVE = -1n;
/** BIP9 `nStartTime` meaning "never active" (`BIP9Deployment::NEVER_ACTIVE`). */
export const NEVER_ACTIVE = -2n;
/** BIP9 `nTimeout` meaning "no timeout" (`BIP9Deployment::NO_TIMEOUT`). */
export const NO_TIMEOUT: bigint = INT64_MAX;

/** The version-bits (BIP9) deployments, in `DeploymentPos` order. */
export const VERSION_BITS_DEPLOYMENTS = ["testdummy", "finaltx", "auxpow"] as const;
/** Name of a version-bits deployment as `-vbparams` and getdeploymentinfo spell it. */
export type DeploymentName = typeof VERSION_BITS_DEPLOYMENTS[number];

/** Whether getblocktemplate may apply the deployment for clients that don't know it (`gbt_force`). */
export const GBT_FORCE: Readonly<Record<DeploymentName, boolean>> = Object.freeze({
  testdummy: true,
  finaltx: false,
  auxpow: false,
});

/**
 * Buried (height-activated) deployments, spelled as `-testactivationheight=name@height` takes
 * them (`GetBuriedDeployment`). There is no cltv/csv: CLTV/CSV are witness-only opcodes.
 */
export const BURIED_DEPLOYMENTS = ["bip34", "dersig", "locktime", "segwit", "cleanup"] as const;
/** Name of a buried deployment. */
export type BuriedDeploymentName = typeof BURIED_DEPLOYMENTS[number];

/**
 * Names RPC reports for buried deployments (`DeploymentName`): DERSIG is "bip66" there although
 * `-testactivationheight` calls it "dersig". getdeploymentinfo omits "cleanup".
 */
export const BURIED_DEPLOYMENT_RPC_NAMES: Readonly<Record<BuriedDeploymentName, string>> = Object
  .freeze({
    bip34: "bip34",
    dersig: "bip66",
    locktime: "locktime",
    segwit: "segwit",
    cleanup: "cleanup",
  });

/** One BIP9 deployment (`Consensus::BIP9Deployment`). */
export interface Bip9Deployment {
  /** Bit of nVersion that signals it. */
  readonly bit: number;
  /** Start median time past, or ALWAYS_ACTIVE / NEVER_ACTIVE. */
  readonly startTime: bigint;
  /** Timeout median time past, or NO_TIMEOUT. */
  readonly timeout: bigint;
  /** Activation is delayed until at least this height after lock-in. */
  readonly minActivationHeight: number;
}

/** Parameters that influence chain consensus (`Consensus::Params`). */
export interface ConsensusParams {
  /** Genesis block hash, internal byte order. */
  readonly hashGenesisBlock: Uint8Array;
  /** Merge-mining Merkle-map key (`aux_pow_path`), internal byte order. */
  readonly auxPowPath: Uint8Array;
  /** `-bitcoinmode` (regtest only): no monotonic lock-height rule, identity demurrage. */
  readonly bitcoinMode: boolean;
  /** Regtest halving interval (0 = no halving). */
  readonly subsidyHalvingInterval: number;
  /** Perpetual demurrage-compensating subsidy, kria. */
  readonly perpetualSubsidy: bigint;
  /** End of the initial distribution (0 = none). */
  readonly equilibriumHeight: number;
  /** Monetary base reached at equilibrium, kria. */
  readonly equilibriumMonetaryBase: bigint;
  /** Initial excess subsidy, kria. */
  readonly initialExcessSubsidy: bigint;
  /** Below this height each input value gets +1 kria (historical rounding compensation). */
  readonly truncateInputsActivationHeight: number;
  /** Below this height inputs and fees get +1 kria (pre-ALU demurrage arithmetic). */
  readonly aluActivationHeight: number;
  /** From this height the coinbase nLockTime must equal the parent's median time past. */
  readonly verifyCoinbaseLockTimeActivationHeight: number;
  /** BIP34 (height in coinbase, version >= 2). */
  readonly bip34Height: number;
  /** BIP66 (strict DER, version >= 3). */
  readonly bip66Height: number;
  /** BIP68 sequence locks and BIP113 median-time-past lock times. */
  readonly lockTimeHeight: number;
  /** Segregated witness (commitment required). */
  readonly segwitHeight: number;
  /** Protocol cleanup (script flag; parent-height gates). */
  readonly cleanupHeight: number;
  /** Don't warn about unknown version bits below this height. */
  readonly minBip9WarningHeight: number;
  /** Signalling blocks needed in a window to lock in. */
  readonly ruleChangeActivationThreshold: number;
  /** Version-bits window length. */
  readonly minerConfirmationWindow: number;
  /** Version-bits deployments by name. */
  readonly deployments: Readonly<Record<DeploymentName, Bip9Deployment>>;
  /** Header-time gate of the protocol cleanup (seconds). */
  readonly protocolCleanupActivationTime: bigint;
  /** Median-time-past gate of the size expansion (seconds). */
  readonly sizeExpansionActivationTime: bigint;
  /** Easiest native target. */
  readonly powLimit: bigint;
  /** Easiest auxiliary (merge-mined) target. */
  readonly auxPowLimit: bigint;
  /** Regtest: never retarget. */
  readonly powNoRetargeting: boolean;
  /** Native target spacing, seconds. */
  readonly powTargetSpacing: number;
  /** Auxiliary target spacing, seconds. */
  readonly auxPowTargetSpacing: number;
  /** Original (Bitcoin-style) retarget interval, blocks. */
  readonly originalAdjustInterval: number;
  /** Filtered retarget interval, blocks. */
  readonly filteredAdjustInterval: number;
  /** Height from which the filtered retarget applies (`NEVER_HEIGHT` = never). */
  readonly diffAdjustThreshold: number;
  /** The best chain should have at least this much work. */
  readonly minimumChainWork: bigint;
  /** Default `-assumevalid` block hash, internal byte order (all zero = none). */
  readonly defaultAssumeValid: Uint8Array;
  /** Signet block signatures required. */
  readonly signetBlocks: boolean;
  /** Signet challenge script (empty elsewhere). */
  readonly signetChallenge: Uint8Array;
}

/** Activation height of a buried deployment (`Params::DeploymentHeight`). */
export function deploymentHeight(params: ConsensusParams, name: BuriedDeploymentName): number {
  switch (name) {
    case "bip34":
      return params.bip34Height;
    case "dersig":
      return params.bip66Height;
    case "locktime":
      return params.lockTimeHeight;
    case "segwit":
      return params.segwitHeight;
    case "cleanup":
      return params.cleanupHeight;
  }
}

/** Original retarget timespan, seconds (`OriginalTargetTimespan`). */
export function originalTargetTimespan(params: ConsensusParams): number {
  return params.originalAdjustInterval * params.powTargetSpacing;
}

/** Filtered retarget timespan, seconds (`FilteredTargetTimespan`). */
export function filteredTargetTimespan(params: ConsensusParams): number {
  return params.filteredAdjustInterval * params.powTargetSpacing;
}
