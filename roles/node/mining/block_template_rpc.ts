/**
 * getblocktemplate (src/rpc/mining.cpp) with Freicoin's `finaltx`, `locktime` and rules: the
 * template cache, long polling and BIP23 proposals.
 *
 * @module
 */
import {
  compactToTarget,
  deploymentState,
  GBT_FORCE,
  isBuriedActiveAfter,
  medianTimePast,
  VERSION_BITS_DEPLOYMENTS,
} from "../../../kernel/chain/mod.ts";
import { coinPresentValue } from "../../../kernel/consensus/mod.ts";
import { bytesToHex } from "../../../kernel/encoding/mod.ts";
import { type Block, decodeBlock } from "../../../kernel/primitives/mod.ts";
import {
  getObject,
  getStr,
  helpExampleCli,
  helpExampleRpc,
  type JsonValue,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
} from "../../../rpc/mod.ts";
import { BlockAssembler, type BlockTemplate, testBlockValidity } from "./block_assembler.ts";

import type { MiningRpcContext } from "./mining_rpc_context.ts";
import { bip22Result, hashHex, parseHashArg, parseHex } from "./_rpc_util.ts";

function getBlockTemplateMethod(ctx: MiningRpcContext, state: MiningState): RpcMethod {
  const txFields = [
    {
      type: "str_hex" as const,
      key: "data",
      description: "transaction data encoded in hexadecimal (byte-for-byte)",
    },
    {
      type: "str_hex" as const,
      key: "txid",
      description: "transaction id encoded in little-endian hexadecimal",
    },
    {
      type: "str_hex" as const,
      key: "hash",
      description: "hash encoded in little-endian hexadecimal (including witness data)",
    },
    {
      type: "arr" as const,
      key: "depends",
      description: "array of numbers",
      inner: [{
        type: "num" as const,
        description:
          "transactions before this one (by 1-based index in 'transactions' list) that must be present in the final block if this one is",
      }],
    },
    {
      type: "num" as const,
      key: "fee",
      description:
        "difference in value between transaction inputs and outputs (in kria); for coinbase transactions, this is a negative Number of the total collected block fees (ie, not including the block subsidy); if key is not present, fee is unknown and clients MUST NOT assume there isn't one",
    },
    {
      type: "num" as const,
      key: "sigops",
      description:
        "total SigOps cost, as counted for purposes of block limits; if key is not present, sigop cost is unknown and clients MUST NOT assume it is zero",
    },
    {
      type: "num" as const,
      key: "weight",
      description: "total transaction weight, as counted for purposes of block limits",
    },
  ];
  return {
    name: "getblocktemplate",
    category: "mining",
    description:
      "\nIf the request parameters include a 'mode' key, that is used to explicitly select between the default 'template' request or a 'proposal'.\n" +
      "It returns data needed to construct a block to work on.\n" +
      "For full specification, see BIPs 22, 23, 9, and 145:\n" +
      "    https://github.com/bitcoin/bips/blob/master/bip-0022.mediawiki\n" +
      "    https://github.com/bitcoin/bips/blob/master/bip-0023.mediawiki\n" +
      "    https://github.com/bitcoin/bips/blob/master/bip-0009.mediawiki#getblocktemplate_changes\n" +
      "    https://github.com/bitcoin/bips/blob/master/bip-0145.mediawiki\n",
    args: [{
      names: "template_request",
      type: "obj",
      description: "Format of the template",
      inner: [
        {
          names: "mode",
          type: "str",
          optional: true,
          description: 'This must be set to "template", "proposal" (see BIP 23), or omitted',
        },
        {
          names: "capabilities",
          type: "arr",
          optional: true,
          description: "A list of strings",
          inner: [{
            names: "str",
            type: "str",
            optional: true,
            description:
              "client side supported feature, 'longpoll', 'coinbasevalue', 'proposal', 'serverlist', 'workid'",
          }],
        },
        {
          names: "rules",
          type: "arr",
          description: "A list of strings",
          inner: [
            {
              names: "segwit",
              type: "str",
              description: "(literal) indicates client side segwit support",
            },
            {
              names: "str",
              type: "str",
              optional: true,
              description: "other client side supported softfork deployment",
            },
          ],
        },
        {
          names: "longpollid",
          type: "str",
          optional: true,
          description:
            'delay processing request until the result would vary significantly from the "longpollid" of a prior template',
        },
        {
          names: "data",
          type: "str_hex",
          optional: true,
          description:
            'proposed block data to check, encoded in hexadecimal; valid only for mode="proposal"',
        },
      ],
    }],
    results: [
      { type: "none", cond: "If the proposal was accepted with mode=='proposal'" },
      {
        type: "str",
        cond: "If the proposal was not accepted with mode=='proposal'",
        description: "According to BIP22",
      },
      {
        type: "obj",
        cond: "Otherwise",
        inner: [
          { type: "num", key: "version", description: "The preferred block version" },
          {
            type: "arr",
            key: "rules",
            description: "specific block rules that are to be enforced",
            inner: [{
              type: "str",
              description:
                "name of a rule the client must understand to some extent; see BIP 9 for format",
            }],
          },
          {
            type: "obj_dyn",
            key: "vbavailable",
            description: "set of pending, supported versionbit (BIP 9) softfork deployments",
            inner: [{
              type: "num",
              key: "rulename",
              description:
                "identifies the bit number as indicating acceptance and readiness for the named softfork rule",
            }],
          },
          {
            type: "arr",
            key: "capabilities",
            description: "",
            inner: [{
              type: "str",
              key: "value",
              description: "A supported feature, for example 'proposal'",
            }],
          },
          {
            type: "num",
            key: "vbrequired",
            description: "bit mask of versionbits the server requires set in submissions",
          },
          {
            type: "str",
            key: "previousblockhash",
            description: "The hash of current highest block",
          },
          {
            type: "arr",
            key: "transactions",
            description:
              "contents of non-coinbase transactions that should be included in the next block",
            inner: [{ type: "obj", inner: txFields }],
          },
          {
            type: "obj_dyn",
            key: "coinbaseaux",
            description: "data that should be included in the coinbase's scriptSig content",
            inner: [{
              type: "str_hex",
              key: "key",
              description: "values must be in the coinbase (keys may be ignored)",
            }],
          },
          {
            type: "num",
            key: "coinbasevalue",
            description:
              "maximum allowable input to coinbase transaction, including the generation award and transaction fees (in kria)",
          },
          {
            type: "str",
            key: "longpollid",
            description:
              "an id to include with a request to longpoll on an update to this template",
          },
          { type: "str", key: "target", description: "The hash target" },
          {
            type: "num_time",
            key: "mintime",
            description:
              "The minimum timestamp appropriate for the next block time, expressed in UNIX epoch time",
          },
          {
            type: "arr",
            key: "mutable",
            description: "list of ways the block template may be changed",
            inner: [{
              type: "str",
              key: "value",
              description:
                "A way the block template may be changed, e.g. 'time', 'transactions', 'prevblock'",
            }],
          },
          { type: "str_hex", key: "noncerange", description: "A range of valid nonces" },
          { type: "num", key: "sigoplimit", description: "limit of sigops in blocks" },
          { type: "num", key: "sizelimit", description: "limit of block size" },
          { type: "num", key: "weightlimit", optional: true, description: "limit of block weight" },
          { type: "num_time", key: "curtime", description: "current timestamp in UNIX epoch time" },
          { type: "str", key: "bits", description: "compressed target of next block" },
          {
            type: "num_time",
            key: "locktime",
            description:
              "The median-time-past commitment which must be used in the coinbase nLockTime value",
          },
          { type: "num", key: "height", description: "The height of the next block" },
          {
            type: "str_hex",
            key: "signet_challenge",
            optional: true,
            description: "Only on signet",
          },
          {
            type: "str_hex",
            key: "default_witness_commitment",
            optional: true,
            description: "a valid witness commitment for the unmodified block template",
          },
          {
            type: "obj",
            key: "finaltx",
            optional: true,
            description: "information necessary to construct the block-final transaction",
            inner: [{
              type: "arr",
              key: "prevout",
              description:
                "UTXO records of inputs which must be included in the block-final transaction",
              inner: [{
                type: "obj",
                inner: [
                  {
                    type: "str_hex",
                    key: "txid",
                    description: "input txid encoded in little-endian hexadecimal",
                  },
                  {
                    type: "num",
                    key: "vout",
                    description: "index to the output vector of the previous transaction",
                  },
                  {
                    type: "num",
                    key: "amount",
                    description: "value of input at current refheight",
                  },
                ],
              }],
            }],
          },
        ],
      },
    ],
    examples: helpExampleCli("getblocktemplate", `'{"rules": ["segwit"]}'`) +
      helpExampleRpc("getblocktemplate", '{"rules": ["segwit"]}'),
    handler: (call) => getBlockTemplate(ctx, state, call.maybeArg(0)),
  };
}

/** getblocktemplate's cached template (the reference keeps these as statics). */
interface TemplateCache {
  prevHash: string;
  transactionsUpdated: number;
  start: number;
  template: BlockTemplate;
  /** The template block's nVersion, changed in place as the reference does. */
  version: number;
  /** The template block's nTime (UpdateTime only moves it forward). */
  time: number;
}

/** Per-registry state of the mining methods. */
interface MiningState {
  cache: TemplateCache | undefined;
  transactionsUpdatedLast: number;
}

const LONGPOLL_STEP_MS = 250;

/** Waits as a getblocktemplate long poll does: for a new tip, or (after a minute) new txs. */
async function longPoll(
  ctx: MiningRpcContext,
  state: MiningState,
  lpval: JsonValue,
): Promise<void> {
  let watched: string;
  let updatedLast: number;
  if (typeof lpval === "string") {
    watched = parseHashArg(lpval.slice(0, 64), "longpollid");
    const rest = lpval.slice(64).trim();
    const parsed = /^[+-]?\d+/.exec(rest);
    updatedLast = parsed ? Number(parsed[0]) : 0;
  } else {
    watched = hashHex(ctx.chain.tip().hash);
    updatedLast = state.transactionsUpdatedLast;
  }
  const interrupted = ctx.interrupted ?? (() => false);
  let checkAt = Date.now() + 60_000;
  while (hashHex(ctx.chain.tip().hash) === watched && !interrupted()) {
    await new Promise((resolve) => setTimeout(resolve, LONGPOLL_STEP_MS));
    if (Date.now() >= checkAt) {
      if (ctx.mempool.transactionsUpdated !== updatedLast) break;
      checkAt += 10_000;
    }
  }
  if (interrupted()) throw new RpcError(RPC_ERROR.CLIENT_NOT_CONNECTED, "Shutting down");
}

async function getBlockTemplate(
  ctx: MiningRpcContext,
  state: MiningState,
  request: JsonValue | undefined,
): Promise<JsonValue> {
  const chain = ctx.chain;
  const consensus = chain.params.consensus;
  let mode = "template";
  let lpval: JsonValue | undefined;
  const clientRules = new Set<string>();
  if (request !== undefined) {
    const obj = getObject(request);
    const modeValue = obj["mode"];
    if (typeof modeValue === "string") mode = modeValue;
    else if (modeValue !== undefined && modeValue !== null) {
      throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Invalid mode");
    }
    lpval = obj["longpollid"] ?? undefined;
    if (mode === "proposal") {
      const data = obj["data"];
      if (typeof data !== "string") {
        throw new RpcError(RPC_ERROR.TYPE_ERROR, "Missing data String key for proposal");
      }
      return proposal(ctx, data);
    }
    const rules = obj["rules"];
    if (Array.isArray(rules)) { for (const rule of rules) clientRules.add(getStr(rule)); }
  }
  if (mode !== "template") throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Invalid mode");
  if (!chain.params.isTestChain) {
    if ((ctx.peerCount?.() ?? 0) === 0) {
      throw new RpcError(RPC_ERROR.CLIENT_NOT_CONNECTED, "Freicoin is not connected!");
    }
    if (chain.isInitialBlockDownload()) {
      throw new RpcError(
        RPC_ERROR.CLIENT_IN_INITIAL_DOWNLOAD,
        "Freicoin is in initial sync and waiting for blocks...",
      );
    }
  }
  if (lpval !== undefined && lpval !== null) await longPoll(ctx, state, lpval);
  if (consensus.signetBlocks && !clientRules.has("signet")) {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      'getblocktemplate must be called with the signet rule set (call with {"rules": ["segwit", "signet"]})',
    );
  }
  if (!clientRules.has("segwit")) {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      'getblocktemplate must be called with the segwit rule set (call with {"rules": ["segwit"]})',
    );
  }

  // The template is rebuilt on a new tip, or when the mempool changed and 5 s have passed.
  const tip = chain.tip();
  const nowSeconds = Math.floor(ctx.now());
  let cache = state.cache;
  if (
    !cache || cache.prevHash !== hashHex(tip.hash) ||
    (ctx.mempool.transactionsUpdated !== state.transactionsUpdatedLast &&
      nowSeconds - cache.start > 5)
  ) {
    state.cache = undefined;
    state.transactionsUpdatedLast = ctx.mempool.transactionsUpdated;
    const assembler = new BlockAssembler(chain, ctx.mempool, {
      ...ctx.assemblerOptions,
      now: ctx.now,
    });
    const template = assembler.createNewBlock(new Uint8Array([0x51]));
    cache = {
      prevHash: hashHex(tip.hash),
      transactionsUpdated: state.transactionsUpdatedLast,
      start: nowSeconds,
      template,
      version: template.block.header.version,
      time: template.block.header.time,
    };
    state.cache = cache;
  }
  const template = cache.template;
  const prev = template.prev;
  // UpdateTime: never backwards.
  cache.time = Math.max(cache.time, medianTimePast(prev) + 1, nowSeconds);
  const block = template.block;
  const txs = block.transactions;
  const lastIndex = template.hasBlockFinalTx ? txs.length - 1 : txs.length;
  const indexOf = new Map<string, number>();
  const transactions: JsonValue[] = [];
  for (let i = 0; i < lastIndex; i++) {
    const tx = txs[i];
    indexOf.set(bytesToHex(tx.txid), i);
    if (i === 0) continue;
    const depends: number[] = [];
    for (const input of tx.inputs) {
      const at = indexOf.get(bytesToHex(input.prevout.hash));
      if (at !== undefined) depends.push(at);
    }
    transactions.push(
      new Map<string, JsonValue>([
        ["data", bytesToHex(tx.toBytes())],
        ["txid", tx.txidHex],
        ["hash", tx.wtxidHex],
        ["depends", depends],
        ["fee", template.fees[i]],
        ["sigops", template.sigOpCosts[i]],
        ["weight", tx.weight],
      ]),
    );
  }

  const rules: string[] = ["locktime"];
  const segwit = isBuriedActiveAfter(prev, consensus, "segwit");
  if (segwit) rules.push("!segwit");
  if (consensus.signetBlocks) rules.push("!signet");
  const vbavailable = new Map<string, JsonValue>();
  for (const name of VERSION_BITS_DEPLOYMENTS) {
    const deployment = consensus.deployments[name];
    const vbState = deploymentState(prev, consensus, name, chain.versionBitsCache?.get(name));
    const mask = (1 << deployment.bit) >>> 0;
    const force = GBT_FORCE[name];
    const gbtName = force ? name : "!" + name;
    if (vbState === "locked_in") cache.version = (cache.version | mask) | 0;
    if (vbState === "started" || vbState === "locked_in") {
      vbavailable.set(gbtName, deployment.bit);
      if (!clientRules.has(name) && !force) cache.version = (cache.version & ~mask) | 0;
    } else if (vbState === "active") {
      rules.push(gbtName);
      if (!clientRules.has(name) && !force) {
        throw new RpcError(
          RPC_ERROR.INVALID_PARAMETER,
          `Support for '${name}' rule requires explicit client support`,
        );
      }
    }
  }

  let coinbaseValue = 0n;
  for (const output of txs[0].outputs) coinbaseValue += output.value;
  if (template.hasBlockFinalTx) coinbaseValue -= template.fees[template.fees.length - 1];
  const target = compactToTarget(block.header.bits).target.toString(16).padStart(64, "0");
  const result = new Map<string, JsonValue>([
    ["capabilities", ["proposal"]],
    ["version", cache.version],
    ["rules", rules],
    ["vbavailable", vbavailable],
    ["vbrequired", 0],
    ["previousblockhash", hashHex(prev.hash)],
    ["transactions", transactions],
    ["coinbaseaux", new Map()],
    ["coinbasevalue", coinbaseValue],
    ["longpollid", hashHex(tip.hash) + String(state.transactionsUpdatedLast)],
    ["target", target],
    ["mintime", medianTimePast(prev) + 1],
    ["mutable", ["time", "transactions", "prevblock"]],
    ["noncerange", "00000000ffffffff"],
    ["sigoplimit", segwit ? 80000 : 20000],
    ["sizelimit", segwit ? 4000000 : 1000000],
  ]);
  if (segwit) result.set("weightlimit", 4000000);
  result.set("curtime", cache.time);
  result.set("bits", (block.header.bits >>> 0).toString(16).padStart(8, "0"));
  result.set("locktime", template.medianTimePast);
  result.set("height", template.height);
  if (template.hasBlockFinalTx) {
    const final = txs[txs.length - 1];
    const prevout = final.inputs.map((input) => {
      const coin = chain.getCoin(input.prevout);
      if (!coin) {
        throw new RpcError(
          RPC_ERROR.INTERNAL_ERROR,
          `UTXO record for block-final input '${
            hashHex(input.prevout.hash)
          }:${input.prevout.n}' not found`,
        );
      }
      return new Map<string, JsonValue>([
        ["txid", hashHex(input.prevout.hash)],
        ["vout", input.prevout.n],
        ["amount", coinPresentValue(coin, prev.height + 1)],
      ]);
    });
    result.set("finaltx", new Map([["prevout", prevout]]));
  }
  if (consensus.signetBlocks) {
    result.set("signet_challenge", bytesToHex(consensus.signetChallenge));
  }
  return result;
}

function proposal(ctx: MiningRpcContext, data: string): JsonValue {
  const bytes = parseHex(data);
  let block: Block;
  try {
    if (!bytes) throw new Error("not hex");
    block = decodeBlock(bytes);
  } catch {
    throw new RpcError(RPC_ERROR.DESERIALIZATION_ERROR, "Block decode failed");
  }
  const known = ctx.chain.lookupBlock(block.hash);
  if (known) {
    if (known.isValid) return "duplicate";
    if (known.isFailed) return "duplicate-invalid";
    return "duplicate-inconclusive";
  }
  const tip = ctx.chain.tip();
  if (bytesToHex(block.header.hashPrevBlock) !== bytesToHex(tip.hash)) {
    return "inconclusive-not-best-prevblk";
  }
  const failure = testBlockValidity(ctx.chain, block, Math.floor(ctx.now()), {
    checkMerkleRoot: true,
  });
  return bip22Result(failure ? failure.reason : null);
}

/** getblocktemplate, closed over `ctx`, with its own template cache. */
export function blockTemplateRpcMethod(ctx: MiningRpcContext): RpcMethod {
  const state: MiningState = { cache: undefined, transactionsUpdatedLast: 0 };
  return getBlockTemplateMethod(ctx, state);
}
