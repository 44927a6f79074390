/**
 * Bindings for the node–wallet interfaces of `chain_interfaces.ts` (`Chain`,
 * `ChainNotifications`, `Handler`, `WalletLoader`) to `chain.capnp` and `wallet.capnp`, and the
 * two `Init` methods that bootstrap a wallet (`makeWalletLoader`, `registerWallet`).
 *
 * Bytes cross as `Data`, bigints as `Int64`, JSON as `Text`; an optional value carries a
 * `found`/`hasFeeRate` flag. A method's results come back as the same TypeScript values the
 * local object returns, so a caller cannot tell a proxy from the object.
 *
 * @module
 */
import type { Struct, StructCtor } from "capnp-es";
import {
  type CallOptions,
  type CapReader,
  type CapWriter,
  defineInterface,
  type InterfaceBinding,
  type MethodBinding,
} from "../ipc/rpc/interface.ts";
import type {
  BroadcastResult,
  Chain,
  ChainBlockInfo,
  ChainCoin,
  ChainLimitsResult,
  ChainNotifications,
  EstimateReason,
  FeeEstimate,
  Handler,
  PackageLimits,
  RbfState,
  TxAncestry,
  WalletLoader,
  WalletNotifyEvent,
  WalletRpcCatalog,
} from "./chain_interfaces.ts";
import * as G from "./gen/chain.ts";
import * as I from "./gen/init.ts";
import * as W from "./gen/wallet.ts";
import type { Init } from "./mod.ts";

/** Size of one outpoint in `Chain.findCoins` (txid ‖ uint32 LE index). */
export const OUTPOINT_BYTES = 36;

/** Most outpoints one `findCoins` call takes (bounds what a peer can make the node allocate). */
export const MAX_FIND_COINS = 100_000;

/** Size of one txid in `Chain.rbfStates` and `Chain.getTransactionAncestry`. */
export const TXID_BYTES = 32;

/** Most txids one `rbfStates` or `getTransactionAncestry` call takes. */
export const MAX_TXIDS = 100_000;

// Generated structs expose their fields as accessors; these views name the ones we use.
type Fields = Record<string, unknown>;
const fields = (s: Struct): Fields => s as unknown as Fields;

interface DataField {
  toUint8Array(): Uint8Array;
}

/** Copies `bytes` into the Data field `name` of `s` (capnp-es: `_init<Name>(length)`). */
function setData(s: Struct, name: string, bytes: Uint8Array): void {
  const init = fields(s)[`_init${name[0].toUpperCase()}${name.slice(1)}`] as (
    length: number,
  ) => { copyBuffer(src: Uint8Array): void };
  init.call(s, bytes.length).copyBuffer(bytes);
}

/** A copy of the Data field `name` of `s` (the message's buffer is not ours to keep). */
function getData(s: Struct, name: string): Uint8Array {
  return (fields(s)[name] as DataField).toUint8Array().slice();
}

function writeBlockInfo(target: Struct, info: ChainBlockInfo): void {
  const s = target as G.BlockInfo;
  setData(s, "hash", info.hash);
  s.height = info.height;
  s.time = BigInt(info.time);
  s.medianTimePast = BigInt(info.medianTimePast);
}

function readBlockInfo(s: G.BlockInfo): ChainBlockInfo {
  return {
    hash: getData(s, "hash"),
    height: s.height,
    time: Number(s.time),
    medianTimePast: Number(s.medianTimePast),
  };
}

/** What a method needs beyond its name and ordinal; omitted parts mean "no values". */
interface MethodSpec {
  name: string;
  ordinal: number;
  params: StructCtor<Struct>;
  results: StructCtor<Struct>;
  paramNames?: readonly string[];
  resultNames?: readonly string[];
  writeParams?: (s: Struct, args: readonly unknown[], caps: CapWriter) => void;
  readParams?: (s: Struct, caps: CapReader) => unknown[];
  writeResults?: (s: Struct, value: unknown, caps: CapWriter) => void;
  readResults?: (s: Struct, caps: CapReader) => unknown;
  resultCap?: MethodBinding["resultCap"];
}

function method(spec: MethodSpec): MethodBinding {
  return {
    name: spec.name,
    ordinal: spec.ordinal,
    params: spec.params,
    results: spec.results,
    paramNames: spec.paramNames ?? [],
    resultNames: spec.resultNames ?? [],
    writeParams: spec.writeParams ?? (() => {}),
    readParams: spec.readParams ?? (() => []),
    writeResults: spec.writeResults ?? (() => {}),
    readResults: spec.readResults ?? (() => undefined),
    resultCap: spec.resultCap,
  };
}

/** A method whose parameters and result are scalar fields copied as they are. */
function scalarMethod(
  spec: Omit<MethodSpec, "writeParams" | "readParams" | "writeResults" | "readResults"> & {
    /** Converts a TypeScript argument to the field value and back, per parameter. */
    convert?: readonly ((value: unknown) => unknown)[];
    unconvert?: readonly ((value: unknown) => unknown)[];
    /** Result conversion (one result field). */
    toWire?: (value: unknown) => unknown;
    fromWire?: (value: unknown) => unknown;
  },
): MethodBinding {
  const paramNames = spec.paramNames ?? [];
  const resultNames = spec.resultNames ?? [];
  const identity = (v: unknown) => v;
  return method({
    ...spec,
    writeParams(s, args) {
      paramNames.forEach((name, i) => {
        fields(s)[name] = (spec.convert?.[i] ?? identity)(args[i]);
      });
    },
    readParams: (s) =>
      paramNames.map((name, i) => (spec.unconvert?.[i] ?? identity)(fields(s)[name])),
    writeResults(s, value) {
      if (resultNames.length === 1) fields(s)[resultNames[0]] = (spec.toWire ?? identity)(value);
    },
    readResults: (s) =>
      resultNames.length === 1 ? (spec.fromWire ?? identity)(fields(s)[resultNames[0]]) : undefined,
  });
}

const toBigInt = (v: unknown): unknown => BigInt(v as number | bigint);
const toNumber = (v: unknown): unknown => Number(v as bigint);

/** The binding for {@linkcode Handler} (chain.capnp). */
export const HANDLER: InterfaceBinding<Handler> = defineInterface<Handler>({
  name: "Handler",
  id: G.Handler$Client.interfaceId,
  methods: [
    method({
      name: "disconnect",
      ordinal: 0,
      params: G.Handler_Disconnect$Params,
      results: G.Handler_Disconnect$Results,
    }),
  ],
});

/** A notification carrying a block and its info. */
function blockNotification(
  name: string,
  ordinal: number,
  params: StructCtor<Struct>,
  results: StructCtor<Struct>,
): MethodBinding {
  return method({
    name,
    ordinal,
    params,
    results,
    paramNames: ["block", "info"],
    writeParams(s, args) {
      setData(s, "block", args[0] as Uint8Array);
      writeBlockInfo(
        (s as G.ChainNotifications_BlockConnected$Params)._initInfo(),
        args[1] as ChainBlockInfo,
      );
    },
    readParams: (s) => [
      getData(s, "block"),
      readBlockInfo((s as G.ChainNotifications_BlockConnected$Params).info),
    ],
  });
}

/** The binding for {@linkcode ChainNotifications} (chain.capnp). */
export const CHAIN_NOTIFICATIONS: InterfaceBinding<ChainNotifications> = defineInterface<
  ChainNotifications
>({
  name: "ChainNotifications",
  id: G.ChainNotifications$Client.interfaceId,
  methods: [
    method({
      name: "transactionAddedToMempool",
      ordinal: 0,
      params: G.ChainNotifications_TransactionAddedToMempool$Params,
      results: G.ChainNotifications_TransactionAddedToMempool$Results,
      paramNames: ["tx"],
      writeParams: (s, args) => setData(s, "tx", args[0] as Uint8Array),
      readParams: (s) => [getData(s, "tx")],
    }),
    method({
      name: "transactionRemovedFromMempool",
      ordinal: 1,
      params: G.ChainNotifications_TransactionRemovedFromMempool$Params,
      results: G.ChainNotifications_TransactionRemovedFromMempool$Results,
      paramNames: ["tx", "reason"],
      writeParams(s, args) {
        setData(s, "tx", args[0] as Uint8Array);
        (s as G.ChainNotifications_TransactionRemovedFromMempool$Params).reason = args[1] as string;
      },
      readParams: (s) => [
        getData(s, "tx"),
        (s as G.ChainNotifications_TransactionRemovedFromMempool$Params).reason,
      ],
    }),
    blockNotification(
      "blockConnected",
      2,
      G.ChainNotifications_BlockConnected$Params,
      G.ChainNotifications_BlockConnected$Results,
    ),
    blockNotification(
      "blockDisconnected",
      3,
      G.ChainNotifications_BlockDisconnected$Params,
      G.ChainNotifications_BlockDisconnected$Results,
    ),
    method({
      name: "updatedBlockTip",
      ordinal: 4,
      params: G.ChainNotifications_UpdatedBlockTip$Params,
      results: G.ChainNotifications_UpdatedBlockTip$Results,
    }),
  ],
});

/** A method answering `ChainBlockInfo | null` as `(info, found)`. */
function optionalBlockInfoResults(): Pick<
  MethodSpec,
  "resultNames" | "writeResults" | "readResults"
> {
  return {
    resultNames: ["info", "found"],
    writeResults(s, value) {
      const info = value as ChainBlockInfo | null;
      (s as G.Chain_GetBlockInfo$Results).found = info !== null;
      if (info !== null) writeBlockInfo((s as G.Chain_GetBlockInfo$Results)._initInfo(), info);
    },
    readResults(s) {
      const r = s as G.Chain_GetBlockInfo$Results;
      return r.found ? readBlockInfo(r.info) : null;
    },
  };
}

/** Splits `findCoins`'s packed outpoints; rejects a length that is not a multiple of 36. */
export function splitOutpoints(packed: Uint8Array): Uint8Array[] {
  if (packed.length % OUTPOINT_BYTES !== 0) {
    throw new RangeError(`outpoints must be ${OUTPOINT_BYTES} bytes each (got ${packed.length})`);
  }
  const count = packed.length / OUTPOINT_BYTES;
  if (count > MAX_FIND_COINS) {
    throw new RangeError(`at most ${MAX_FIND_COINS} outpoints per call (got ${count})`);
  }
  const out: Uint8Array[] = [];
  for (let i = 0; i < packed.length; i += OUTPOINT_BYTES) {
    out.push(packed.slice(i, i + OUTPOINT_BYTES));
  }
  return out;
}

/** Splits packed 32-byte txids; rejects a length that is not a multiple of 32 or too many. */
export function splitTxids(packed: Uint8Array): Uint8Array[] {
  if (packed.length % TXID_BYTES !== 0) {
    throw new RangeError(`txids must be ${TXID_BYTES} bytes each (got ${packed.length})`);
  }
  const count = packed.length / TXID_BYTES;
  if (count > MAX_TXIDS) throw new RangeError(`at most ${MAX_TXIDS} txids per call (got ${count})`);
  const out: Uint8Array[] = [];
  for (let i = 0; i < packed.length; i += TXID_BYTES) out.push(packed.slice(i, i + TXID_BYTES));
  return out;
}

function packTxids(txids: readonly Uint8Array[]): Uint8Array {
  const packed = new Uint8Array(txids.length * TXID_BYTES);
  txids.forEach((txid, i) => {
    if (txid.length !== TXID_BYTES) {
      throw new RangeError(`a txid is ${TXID_BYTES} bytes (got ${txid.length})`);
    }
    packed.set(txid, i * TXID_BYTES);
  });
  return packed;
}

/** EstimateReason as chain.capnp numbers it. */
const ESTIMATE_REASONS: readonly EstimateReason[] = [
  "none",
  "half-estimate",
  "full-estimate",
  "double-estimate",
  "conservative",
];

/** RbfState as chain.capnp numbers it. */
const RBF_STATES: readonly RbfState[] = ["unknown", "replaceable", "final"];

function packOutpoints(outpoints: readonly Uint8Array[]): Uint8Array {
  const packed = new Uint8Array(outpoints.length * OUTPOINT_BYTES);
  outpoints.forEach((outpoint, i) => {
    if (outpoint.length !== OUTPOINT_BYTES) {
      throw new RangeError(`an outpoint is ${OUTPOINT_BYTES} bytes (got ${outpoint.length})`);
    }
    packed.set(outpoint, i * OUTPOINT_BYTES);
  });
  return packed;
}

/**
 * The node's settings.json `wallet` list, which a wallet reads and writes through the node
 * (`load_on_startup`); chain.capnp methods 15 and 16, beside {@linkcode Chain}.
 */
export interface StartupWalletSettings {
  /** The names of the wallets to load at start-up. */
  getStartupWallets(): Promise<string[]>;
  /** Replaces them (and writes settings.json). */
  setStartupWallets(names: readonly string[]): Promise<void>;
}

/** What the node serves a wallet: {@linkcode Chain} and the start-up wallet list. */
export type NodeChain = Chain & StartupWalletSettings;

/** Whether `chain` also offers {@linkcode StartupWalletSettings} (a proxy always does). */
export function hasStartupWalletSettings(chain: Chain): chain is NodeChain {
  const methods = chain as Partial<StartupWalletSettings>;
  return typeof methods.getStartupWallets === "function" &&
    typeof methods.setStartupWallets === "function";
}

/** The binding for {@linkcode Chain} (chain.capnp), with {@linkcode StartupWalletSettings}. */
export const CHAIN: InterfaceBinding<NodeChain> = defineInterface<NodeChain>({
  name: "Chain",
  id: G.Chain$Client.interfaceId,
  methods: [
    method({
      name: "getTip",
      ordinal: 0,
      params: G.Chain_GetTip$Params,
      results: G.Chain_GetTip$Results,
      resultNames: ["info"],
      writeResults: (s, value) =>
        writeBlockInfo((s as G.Chain_GetTip$Results)._initInfo(), value as ChainBlockInfo),
      readResults: (s) => readBlockInfo((s as G.Chain_GetTip$Results).info),
    }),
    method({
      name: "getBlockInfo",
      ordinal: 1,
      params: G.Chain_GetBlockInfo$Params,
      results: G.Chain_GetBlockInfo$Results,
      paramNames: ["height"],
      writeParams: (s, args) => {
        (s as G.Chain_GetBlockInfo$Params).height = args[0] as number;
      },
      readParams: (s) => [(s as G.Chain_GetBlockInfo$Params).height],
      ...optionalBlockInfoResults(),
    }),
    method({
      name: "getBlock",
      ordinal: 2,
      params: G.Chain_GetBlock$Params,
      results: G.Chain_GetBlock$Results,
      paramNames: ["hash"],
      writeParams: (s, args) => setData(s, "hash", args[0] as Uint8Array),
      readParams: (s) => [getData(s, "hash")],
      resultNames: ["block", "info", "found"],
      writeResults(s, value) {
        const r = s as G.Chain_GetBlock$Results;
        const found = value as { block: Uint8Array; info: ChainBlockInfo } | null;
        r.found = found !== null;
        if (found === null) return;
        setData(r, "block", found.block);
        writeBlockInfo(r._initInfo(), found.info);
      },
      readResults(s) {
        const r = s as G.Chain_GetBlock$Results;
        return r.found ? { block: getData(r, "block"), info: readBlockInfo(r.info) } : null;
      },
    }),
    method({
      name: "isInActiveChain",
      ordinal: 3,
      params: G.Chain_IsInActiveChain$Params,
      results: G.Chain_IsInActiveChain$Results,
      paramNames: ["hash"],
      writeParams: (s, args) => setData(s, "hash", args[0] as Uint8Array),
      readParams: (s) => [getData(s, "hash")],
      resultNames: ["result"],
      writeResults: (s, value) => {
        (s as G.Chain_IsInActiveChain$Results).result = value as boolean;
      },
      readResults: (s) => (s as G.Chain_IsInActiveChain$Results).result,
    }),
    method({
      name: "findFirstBlockWithTimeAndHeight",
      ordinal: 4,
      params: G.Chain_FindFirstBlockWithTimeAndHeight$Params,
      results: G.Chain_FindFirstBlockWithTimeAndHeight$Results,
      paramNames: ["minTime", "minHeight"],
      writeParams(s, args) {
        const p = s as G.Chain_FindFirstBlockWithTimeAndHeight$Params;
        p.minTime = BigInt(args[0] as number);
        p.minHeight = args[1] as number;
      },
      readParams(s) {
        const p = s as G.Chain_FindFirstBlockWithTimeAndHeight$Params;
        return [Number(p.minTime), p.minHeight];
      },
      ...optionalBlockInfoResults(),
    }),
    method({
      name: "findCoins",
      ordinal: 5,
      params: G.Chain_FindCoins$Params,
      results: G.Chain_FindCoins$Results,
      paramNames: ["outpoints"],
      writeParams: (s, args) =>
        setData(s, "outpoints", packOutpoints(args[0] as readonly Uint8Array[])),
      readParams: (s) => [splitOutpoints(getData(s, "outpoints"))],
      resultNames: ["coins"],
      writeResults(s, value) {
        const coins = value as readonly (ChainCoin | null)[];
        const list = (s as G.Chain_FindCoins$Results)._initCoins(coins.length);
        coins.forEach((coin, i) => {
          if (coin === null) return;
          const c = list.get(i);
          c.found = true;
          c.value = coin.value;
          setData(c, "scriptPubKey", coin.scriptPubKey);
          c.height = coin.height;
          c.refheight = coin.refheight;
          c.isCoinBase = coin.isCoinBase;
        });
      },
      readResults(s) {
        const list = (s as G.Chain_FindCoins$Results).coins;
        const out: (ChainCoin | null)[] = [];
        for (let i = 0; i < list.length; i++) {
          const c = list.get(i);
          out.push(
            c.found
              ? {
                value: c.value,
                scriptPubKey: getData(c, "scriptPubKey"),
                height: c.height,
                refheight: c.refheight,
                isCoinBase: c.isCoinBase,
              }
              : null,
          );
        }
        return out;
      },
    }),
    method({
      name: "isInMempool",
      ordinal: 6,
      params: G.Chain_IsInMempool$Params,
      results: G.Chain_IsInMempool$Results,
      paramNames: ["txid"],
      writeParams: (s, args) => setData(s, "txid", args[0] as Uint8Array),
      readParams: (s) => [getData(s, "txid")],
      resultNames: ["result"],
      writeResults: (s, value) => {
        (s as G.Chain_IsInMempool$Results).result = value as boolean;
      },
      readResults: (s) => (s as G.Chain_IsInMempool$Results).result,
    }),
    method({
      name: "broadcastTransaction",
      ordinal: 7,
      params: G.Chain_BroadcastTransaction$Params,
      results: G.Chain_BroadcastTransaction$Results,
      paramNames: ["tx", "maxFeeRatePerKvB", "relay"],
      writeParams(s, args) {
        const p = s as G.Chain_BroadcastTransaction$Params;
        setData(p, "tx", args[0] as Uint8Array);
        p.maxFeeRatePerKvB = args[1] as bigint;
        p.relay = args[2] as boolean;
      },
      readParams(s) {
        const p = s as G.Chain_BroadcastTransaction$Params;
        return [getData(p, "tx"), p.maxFeeRatePerKvB, p.relay];
      },
      resultNames: ["ok", "error", "code"],
      writeResults(s, value) {
        const r = s as G.Chain_BroadcastTransaction$Results;
        const result = value as BroadcastResult;
        r.ok = result.ok;
        if (!result.ok) {
          r.error = result.error;
          r.code = result.code;
        }
      },
      readResults(s): BroadcastResult {
        const r = s as G.Chain_BroadcastTransaction$Results;
        return r.ok ? { ok: true } : { ok: false, error: r.error, code: r.code };
      },
    }),
    method({
      name: "estimateSmartFee",
      ordinal: 8,
      params: G.Chain_EstimateSmartFee$Params,
      results: G.Chain_EstimateSmartFee$Results,
      paramNames: ["blocks", "conservative"],
      writeParams(s, args) {
        const p = s as G.Chain_EstimateSmartFee$Params;
        p.blocks = args[0] as number;
        p.conservative = args[1] as boolean;
      },
      readParams(s) {
        const p = s as G.Chain_EstimateSmartFee$Params;
        return [p.blocks, p.conservative];
      },
      resultNames: ["feeRatePerKvB", "hasFeeRate", "blocks", "reason"],
      writeResults(s, value) {
        const r = s as G.Chain_EstimateSmartFee$Results;
        const estimate = value as FeeEstimate;
        r.hasFeeRate = estimate.feeRatePerKvB !== null;
        if (estimate.feeRatePerKvB !== null) r.feeRatePerKvB = estimate.feeRatePerKvB;
        r.blocks = estimate.blocks;
        r.reason = Math.max(
          0,
          ESTIMATE_REASONS.indexOf(estimate.reason ?? "none"),
        ) as G.EstimateReason;
      },
      readResults(s): FeeEstimate {
        const r = s as G.Chain_EstimateSmartFee$Results;
        return {
          feeRatePerKvB: r.hasFeeRate ? r.feeRatePerKvB : null,
          blocks: r.blocks,
          // An ordinal this side does not know reads as "none".
          reason: ESTIMATE_REASONS[r.reason] ?? "none",
        };
      },
    }),
    method({
      name: "relayFees",
      ordinal: 9,
      params: G.Chain_RelayFees$Params,
      results: G.Chain_RelayFees$Results,
      resultNames: ["minRelay", "dust", "incremental"],
      writeResults(s, value) {
        const r = s as G.Chain_RelayFees$Results;
        const fees = value as { minRelay: bigint; dust: bigint; incremental: bigint };
        r.minRelay = fees.minRelay;
        r.dust = fees.dust;
        r.incremental = fees.incremental;
      },
      readResults(s) {
        const r = s as G.Chain_RelayFees$Results;
        return { minRelay: r.minRelay, dust: r.dust, incremental: r.incremental };
      },
    }),
    scalarMethod({
      name: "isInitialBlockDownload",
      ordinal: 10,
      params: G.Chain_IsInitialBlockDownload$Params,
      results: G.Chain_IsInitialBlockDownload$Results,
      resultNames: ["result"],
    }),
    scalarMethod({
      name: "now",
      ordinal: 11,
      params: G.Chain_Now$Params,
      results: G.Chain_Now$Results,
      resultNames: ["result"],
      toWire: toBigInt,
      fromWire: toNumber,
    }),
    method({
      name: "handleNotifications",
      ordinal: 12,
      params: G.Chain_HandleNotifications$Params,
      results: G.Chain_HandleNotifications$Results,
      paramNames: ["notifications"],
      resultNames: ["result"],
      writeParams: (s, args, caps) =>
        caps.write(s, 0, args[0], CHAIN_NOTIFICATIONS as InterfaceBinding<unknown>),
      readParams: (s, caps) => [caps.read(s, 0, CHAIN_NOTIFICATIONS)],
      writeResults: (s, value, caps) =>
        caps.write(s, 0, value, HANDLER as InterfaceBinding<unknown>),
      readResults: (s, caps) => caps.read(s, 0, HANDLER),
      resultCap: { pointer: 0, binding: () => HANDLER as InterfaceBinding<unknown> },
    }),
    method({
      name: "waitForNotifications",
      ordinal: 13,
      params: G.Chain_WaitForNotifications$Params,
      results: G.Chain_WaitForNotifications$Results,
    }),
    scalarMethod({
      name: "logLine",
      ordinal: 14,
      params: G.Chain_LogLine$Params,
      results: G.Chain_LogLine$Results,
      paramNames: ["line"],
    }),
    method({
      name: "getStartupWallets",
      ordinal: 15,
      params: G.Chain_GetStartupWallets$Params,
      results: G.Chain_GetStartupWallets$Results,
      resultNames: ["names"],
      writeResults(s, value) {
        const names = value as readonly string[];
        const list = (s as G.Chain_GetStartupWallets$Results)._initNames(names.length);
        names.forEach((name, i) => list.set(i, name));
      },
      readResults: (s) => (s as G.Chain_GetStartupWallets$Results).names.toArray(),
    }),
    method({
      name: "setStartupWallets",
      ordinal: 16,
      params: G.Chain_SetStartupWallets$Params,
      results: G.Chain_SetStartupWallets$Results,
      paramNames: ["names"],
      writeParams(s, args) {
        const names = args[0] as readonly string[];
        const list = (s as G.Chain_SetStartupWallets$Params)._initNames(names.length);
        names.forEach((name, i) => list.set(i, name));
      },
      readParams: (s) => [(s as G.Chain_SetStartupWallets$Params).names.toArray()],
    }),
    method({
      name: "requestMempoolTransactions",
      ordinal: 17,
      params: G.Chain_RequestMempoolTransactions$Params,
      results: G.Chain_RequestMempoolTransactions$Results,
      paramNames: ["notifications"],
      writeParams: (s, args, caps) =>
        caps.write(s, 0, args[0], CHAIN_NOTIFICATIONS as InterfaceBinding<unknown>),
      readParams: (s, caps) => [caps.read(s, 0, CHAIN_NOTIFICATIONS)],
    }),
    method({
      name: "rbfStates",
      ordinal: 18,
      params: G.Chain_RbfStates$Params,
      results: G.Chain_RbfStates$Results,
      paramNames: ["txids"],
      writeParams: (s, args) => setData(s, "txids", packTxids(args[0] as readonly Uint8Array[])),
      readParams: (s) => [splitTxids(getData(s, "txids"))],
      resultNames: ["states"],
      writeResults(s, value) {
        const states = value as readonly RbfState[];
        const list = (s as G.Chain_RbfStates$Results)._initStates(states.length);
        states.forEach((state, i) => list.set(i, RBF_STATES.indexOf(state) as G.RbfState));
      },
      readResults(s): RbfState[] {
        const list = (s as G.Chain_RbfStates$Results).states;
        const out: RbfState[] = [];
        // An ordinal this side does not know reads as "unknown".
        for (let i = 0; i < list.length; i++) out.push(RBF_STATES[list.get(i)] ?? "unknown");
        return out;
      },
    }),
    method({
      name: "getTransactionAncestry",
      ordinal: 19,
      params: G.Chain_GetTransactionAncestry$Params,
      results: G.Chain_GetTransactionAncestry$Results,
      paramNames: ["txids"],
      writeParams: (s, args) => setData(s, "txids", packTxids(args[0] as readonly Uint8Array[])),
      readParams: (s) => [splitTxids(getData(s, "txids"))],
      resultNames: ["ancestry"],
      writeResults(s, value) {
        const all = value as readonly TxAncestry[];
        const list = (s as G.Chain_GetTransactionAncestry$Results)._initAncestry(all.length);
        all.forEach((ancestry, i) => {
          const a = list.get(i);
          a.ancestors = ancestry.ancestors;
          a.descendants = ancestry.descendants;
          a.ancestorSize = BigInt(ancestry.ancestorSize);
          a.ancestorFees = ancestry.ancestorFees;
        });
      },
      readResults(s): TxAncestry[] {
        const list = (s as G.Chain_GetTransactionAncestry$Results).ancestry;
        const out: TxAncestry[] = [];
        for (let i = 0; i < list.length; i++) {
          const a = list.get(i);
          out.push({
            ancestors: a.ancestors,
            descendants: a.descendants,
            ancestorSize: Number(a.ancestorSize),
            ancestorFees: a.ancestorFees,
          });
        }
        return out;
      },
    }),
    method({
      name: "getPackageLimits",
      ordinal: 20,
      params: G.Chain_GetPackageLimits$Params,
      results: G.Chain_GetPackageLimits$Results,
      resultNames: ["ancestorCount", "descendantCount"],
      writeResults(s, value) {
        const r = s as G.Chain_GetPackageLimits$Results;
        const limits = value as PackageLimits;
        r.ancestorCount = limits.ancestorCount;
        r.descendantCount = limits.descendantCount;
      },
      readResults(s): PackageLimits {
        const r = s as G.Chain_GetPackageLimits$Results;
        return { ancestorCount: r.ancestorCount, descendantCount: r.descendantCount };
      },
    }),
    method({
      name: "checkChainLimits",
      ordinal: 21,
      params: G.Chain_CheckChainLimits$Params,
      results: G.Chain_CheckChainLimits$Results,
      paramNames: ["tx"],
      writeParams: (s, args) => setData(s, "tx", args[0] as Uint8Array),
      readParams: (s) => [getData(s, "tx")],
      resultNames: ["ok", "error"],
      writeResults(s, value) {
        const r = s as G.Chain_CheckChainLimits$Results;
        const result = value as ChainLimitsResult;
        r.ok = result.ok;
        if (!result.ok) r.error = result.error;
      },
      readResults(s): ChainLimitsResult {
        const r = s as G.Chain_CheckChainLimits$Results;
        return r.ok ? { ok: true } : { ok: false, error: r.error };
      },
    }),
    scalarMethod({
      name: "mempoolMinFee",
      ordinal: 22,
      params: G.Chain_MempoolMinFee$Params,
      results: G.Chain_MempoolMinFee$Results,
      resultNames: ["feeRatePerKvB"],
    }),
    method({
      name: "walletNotify",
      ordinal: 23,
      params: G.Chain_WalletNotify$Params,
      results: G.Chain_WalletNotify$Results,
      paramNames: ["event"],
      writeParams(s, args) {
        const p = s as G.Chain_WalletNotify$Params;
        const event = args[0] as WalletNotifyEvent;
        p.txid = event.txid;
        p.walletName = event.walletName;
        p.blockHash = event.blockHash;
        p.blockHeight = event.blockHeight;
      },
      readParams(s) {
        const p = s as G.Chain_WalletNotify$Params;
        const event: WalletNotifyEvent = {
          txid: p.txid,
          walletName: p.walletName,
          blockHash: p.blockHash,
          blockHeight: p.blockHeight,
        };
        return [event];
      },
    }),
  ],
});

/** The binding for {@linkcode WalletLoader} (wallet.capnp). */
export const WALLET_LOADER: InterfaceBinding<WalletLoader> = defineInterface<WalletLoader>({
  name: "WalletLoader",
  id: W.WalletLoader$Client.interfaceId,
  methods: [
    method({
      name: "loadWalletsAtStartup",
      ordinal: 0,
      params: W.WalletLoader_LoadWalletsAtStartup$Params,
      results: W.WalletLoader_LoadWalletsAtStartup$Results,
    }),
    method({
      name: "rpcCatalog",
      ordinal: 1,
      params: W.WalletLoader_RpcCatalog$Params,
      results: W.WalletLoader_RpcCatalog$Results,
      resultNames: ["methodsJson"],
      writeResults: (s, value) => {
        (s as W.WalletLoader_RpcCatalog$Results).methodsJson = (value as WalletRpcCatalog)
          .methodsJson;
      },
      readResults: (s): WalletRpcCatalog => ({
        methodsJson: (s as W.WalletLoader_RpcCatalog$Results).methodsJson,
      }),
    }),
    scalarMethod({
      name: "executeRpc",
      ordinal: 2,
      params: W.WalletLoader_ExecuteRpc$Params,
      results: W.WalletLoader_ExecuteRpc$Results,
      paramNames: ["request", "uri", "user"],
      resultNames: ["response"],
    }),
    scalarMethod({
      name: "setMockTime",
      ordinal: 3,
      params: W.WalletLoader_SetMockTime$Params,
      results: W.WalletLoader_SetMockTime$Results,
      paramNames: ["seconds"],
      convert: [toBigInt],
      unconvert: [toNumber],
    }),
    method({
      name: "shutdown",
      ordinal: 4,
      params: W.WalletLoader_Shutdown$Params,
      results: W.WalletLoader_Shutdown$Results,
    }),
  ],
});

/** The `Init` methods that bootstrap a wallet (init.capnp @3 and @4). */
export interface WalletInit {
  /** Served by a wallet process: its loader, using the node's `chain`. */
  makeWalletLoader(chain: Chain, options?: CallOptions): Promise<WalletLoader>;
  /**
   * Served by a node: a wallet process started on its own hands over its `Init`; the node
   * makes its loader and routes wallet RPCs to it while it stays connected.
   */
  registerWallet(wallet: Init, options?: CallOptions): Promise<void>;
}

/**
 * The method bindings of {@linkcode WalletInit}, for the `INIT` binding in mod.ts. `init` gives
 * that binding (the parameter of `registerWallet` is an `Init`), lazily because mod.ts defines
 * it with these methods.
 */
export function walletInitMethods(init: () => InterfaceBinding<unknown>): MethodBinding[] {
  return [
    method({
      name: "makeWalletLoader",
      ordinal: 3,
      params: I.Init_MakeWalletLoader$Params,
      results: I.Init_MakeWalletLoader$Results,
      paramNames: ["chain"],
      resultNames: ["result"],
      writeParams: (s, args, caps) => caps.write(s, 0, args[0], CHAIN as InterfaceBinding<unknown>),
      readParams: (s, caps) => [caps.read(s, 0, CHAIN)],
      writeResults: (s, value, caps) =>
        caps.write(s, 0, value, WALLET_LOADER as InterfaceBinding<unknown>),
      readResults: (s, caps) => caps.read(s, 0, WALLET_LOADER),
      resultCap: { pointer: 0, binding: () => WALLET_LOADER as InterfaceBinding<unknown> },
    }),
    method({
      name: "registerWallet",
      ordinal: 4,
      params: I.Init_RegisterWallet$Params,
      results: I.Init_RegisterWallet$Results,
      paramNames: ["wallet"],
      writeParams: (s, args, caps) => caps.write(s, 0, args[0], init()),
      readParams: (s, caps) => [caps.read(s, 0, init())],
    }),
  ];
}
