/**
 * The mining RPC methods (src/rpc/mining.cpp): generatetoaddress, generatetodescriptor,
 * generateblock, generate, getblocktemplate (with Freicoin's `finaltx` and `locktime`),
 * submitblock, submitheader, getmininginfo, getnetworkhashps, prioritisetransaction,
 * getprioritisedtransactions. Help texts and arguments are freicoind's.
 *
 * @module
 */
import {
  decodeDestination,
  isValidDestination,
  scriptForDestination,
} from "../../../kernel/address/mod.ts";
import {
  compactToTarget,
  deploymentState,
  GBT_FORCE,
  getBlockProof,
  getFilteredTime,
  isBuriedActiveAfter,
  medianTimePast,
  VERSION_BITS_DEPLOYMENTS,
} from "../../../kernel/chain/mod.ts";
import { coinPresentValue } from "../../../kernel/consensus/mod.ts";
import { parseDescriptor } from "../../../kernel/descriptor/mod.ts";
import { bytesToHex, hexToBytes } from "../../../kernel/encoding/mod.ts";
import {
  Block,
  type BlockHeader,
  decodeBlock,
  decodeBlockHeader,
  decodeTransaction,
  type Transaction,
} from "../../../kernel/primitives/mod.ts";
import type { Secp256k1 } from "../../../kernel/secp256k1/mod.ts";
import {
  getArray,
  getInt,
  getInt64,
  getObject,
  getReal,
  getStr,
  helpExampleCli,
  helpExampleRpc,
  type JsonValue,
  methodHelp,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
} from "../../../rpc/mod.ts";
import type { MiningChainView } from "../mempool/chain_view.ts";
import type { Mempool } from "../mempool/mod.ts";
import {
  BlockAssembler,
  type BlockTemplate,
  generateWitnessCommitment,
  testBlockValidity,
  updateUncommittedBlockStructures,
  withMerkleRoot,
} from "./block_assembler.ts";
import { generateBlocks, GenerateError, solveBlock } from "./generate_blocks.ts";

/** `DEFAULT_MAX_TRIES`. */
export const DEFAULT_MAX_TRIES = 1_000_000;

/** What the mining methods need from the node. */
export interface MiningRpcContext {
  readonly chain: MiningChainView;
  readonly mempool: Mempool;
  /** The node's clock in seconds (setmocktime). */
  readonly now: () => number;
  /** secp256k1 backend, for descriptors with keys. */
  readonly secp256k1: Secp256k1;
  /** `-blockmaxweight`, `-blockmintxfee`, `-blockversion`. */
  readonly assemblerOptions?: ConstructorParameters<typeof BlockAssembler>[2] extends infer O
    ? Omit<O, "now">
    : never;
  /** Shutdown requested. */
  readonly interrupted?: () => boolean;
  /** Connected peers (getblocktemplate refuses to work without any off test chains). */
  readonly peerCount?: () => number;
  /** Warnings text for getmininginfo. Default "". */
  readonly warnings?: () => string;
}

function parseHex(text: string): Uint8Array | null {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return null;
  return hexToBytes(text);
}

/** `getScriptFromDescriptor`: the script a descriptor pays to, or null when it does not parse. */
function scriptFromDescriptor(ctx: MiningRpcContext, text: string): Uint8Array | null {
  let descriptor;
  try {
    descriptor = parseDescriptor(text, {
      prefixes: ctx.chain.params.prefixes,
      secp: ctx.secp256k1,
      requireChecksum: false,
    });
  } catch {
    return null;
  }
  if (descriptor.isRange) {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      "Ranged descriptor not accepted. Maybe pass through deriveaddresses first?",
    );
  }
  const scripts = descriptor.expand(0);
  if (!scripts) {
    throw new RpcError(
      RPC_ERROR.INVALID_ADDRESS_OR_KEY,
      "Cannot derive script without private keys",
    );
  }
  // combo(): the P2WPK script for uncompressed-key triples, else the P2PKH one.
  if (scripts.length === 1) return scripts[0];
  return scripts.length === 3 ? scripts[2] : scripts[1];
}

async function generate(
  ctx: MiningRpcContext,
  script: Uint8Array,
  count: number,
  maxTries: number,
): Promise<JsonValue> {
  try {
    return await generateBlocks(ctx.chain, ctx.mempool, script, count, maxTries, {
      ...ctx.assemblerOptions,
      now: ctx.now,
      interrupted: ctx.interrupted,
    });
  } catch (error) {
    if (error instanceof GenerateError) throw new RpcError(RPC_ERROR.INTERNAL_ERROR, error.message);
    throw error;
  }
}

const BLOCK_HASHES_RESULT = [{
  type: "arr" as const,
  description: "hashes of blocks generated",
  inner: [{ type: "str_hex" as const, description: "blockhash" }],
}];

function generateToAddressMethod(ctx: MiningRpcContext): RpcMethod {
  return {
    name: "generatetoaddress",
    category: "hidden",
    description: "Mine to a specified address and return the block hashes.",
    args: [
      { names: "nblocks", type: "num", description: "How many blocks are generated." },
      {
        names: "address",
        type: "str",
        description: "The address to send the newly generated freicoin to.",
      },
      {
        names: "maxtries",
        type: "num",
        default: DEFAULT_MAX_TRIES,
        description: "How many iterations to try.",
      },
    ],
    results: BLOCK_HASHES_RESULT,
    examples: "\nGenerate 11 blocks to myaddress\n" +
      helpExampleCli("generatetoaddress", '11 "myaddress"') +
      "If you are using the Freicoin wallet, you can get a new address to send the newly generated freicoin to with:\n" +
      helpExampleCli("getnewaddress", ""),
    handler: (call) => {
      const count = getInt(call.params[0]);
      const maxTries = call.maybeArg(2) === undefined ? DEFAULT_MAX_TRIES : getInt(call.params[2]);
      const decoded = decodeDestination(getStr(call.params[1]), ctx.chain.params.prefixes);
      if (!decoded.ok || !isValidDestination(decoded.destination)) {
        throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, "Error: Invalid address");
      }
      return generate(ctx, scriptForDestination(decoded.destination), count, maxTries);
    },
  };
}

function generateToDescriptorMethod(ctx: MiningRpcContext): RpcMethod {
  return {
    name: "generatetodescriptor",
    category: "hidden",
    description: "Mine to a specified descriptor and return the block hashes.",
    args: [
      { names: "num_blocks", type: "num", description: "How many blocks are generated." },
      {
        names: "descriptor",
        type: "str",
        description: "The descriptor to send the newly generated freicoin to.",
      },
      {
        names: "maxtries",
        type: "num",
        default: DEFAULT_MAX_TRIES,
        description: "How many iterations to try.",
      },
    ],
    results: BLOCK_HASHES_RESULT,
    examples: "\nGenerate 11 blocks to mydesc\n" +
      helpExampleCli("generatetodescriptor", '11 "mydesc"'),
    handler: (call) => {
      const count = getInt(call.params[0]);
      const maxTries = call.maybeArg(2) === undefined ? DEFAULT_MAX_TRIES : getInt(call.params[2]);
      const text = getStr(call.params[1]);
      const script = scriptFromDescriptor(ctx, text);
      if (!script) {
        // The parser's own message is not reproduced; freicoind reports the descriptor error.
        throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, descriptorError(ctx, text));
      }
      return generate(ctx, script, count, maxTries);
    },
  };
}

function descriptorError(ctx: MiningRpcContext, text: string): string {
  try {
    parseDescriptor(text, { prefixes: ctx.chain.params.prefixes, secp: ctx.secp256k1 });
    return "";
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function generateMethod(): RpcMethod {
  const method: RpcMethod = {
    name: "generate",
    category: "hidden",
    description:
      "has been replaced by the -generate cli option. Refer to -help for more information.",
    args: [],
    results: [],
    examples: "",
    handler: () => {
      // freicoind answers with the method's own help text (RPCHelpMan::ToString).
      throw new RpcError(RPC_ERROR.METHOD_NOT_FOUND, methodHelp(method as RpcMethod<never>));
    },
  };
  return method;
}

function generateBlockMethod(ctx: MiningRpcContext): RpcMethod {
  return {
    name: "generateblock",
    category: "hidden",
    description:
      "Mine a set of ordered transactions to a specified address or descriptor and return the block hash.",
    args: [
      {
        names: "output",
        type: "str",
        description: "The address or descriptor to send the newly generated freicoin to.",
      },
      {
        names: "transactions",
        type: "arr",
        description: "An array of hex strings which are either txids or raw transactions.\n" +
          "Txids must reference transactions currently in the mempool.\n" +
          "All transactions must be valid and in valid order, otherwise the block will be rejected.",
        inner: [{ names: "rawtx/txid", type: "str_hex", optional: true, description: "" }],
      },
      {
        names: "submit",
        type: "bool",
        default: true,
        description:
          "Whether to submit the block before the RPC call returns or to return it as hex.",
      },
    ],
    results: [{
      type: "obj",
      inner: [
        { type: "str_hex", key: "hash", description: "hash of generated block" },
        {
          type: "str_hex",
          key: "hex",
          optional: true,
          description: "hex of generated block, only present when submit=false",
        },
      ],
    }],
    examples: "\nGenerate a block to myaddress, with txs rawtx and mempool_txid\n" +
      helpExampleCli("generateblock", `"myaddress" '["rawtx", "mempool_txid"]'`),
    handler: async (call) => {
      const target = getStr(call.params[0]);
      let script = scriptFromDescriptor(ctx, target);
      if (!script) {
        const decoded = decodeDestination(target, ctx.chain.params.prefixes);
        if (!decoded.ok || !isValidDestination(decoded.destination)) {
          throw new RpcError(
            RPC_ERROR.INVALID_ADDRESS_OR_KEY,
            "Error: Invalid address or descriptor",
          );
        }
        script = scriptForDestination(decoded.destination);
      }
      const txs: Transaction[] = [];
      for (const item of getArray(call.params[1])) {
        const text = getStr(item);
        const entry = /^[0-9a-fA-F]{64}$/.test(text)
          ? ctx.mempool.get(text.toLowerCase())
          : undefined;
        if (/^[0-9a-fA-F]{64}$/.test(text)) {
          if (!entry) {
            throw new RpcError(
              RPC_ERROR.INVALID_ADDRESS_OR_KEY,
              `Transaction ${text} not in mempool.`,
            );
          }
          txs.push(entry.tx);
          continue;
        }
        const tx = decodeTxHex(text);
        if (!tx) {
          throw new RpcError(
            RPC_ERROR.DESERIALIZATION_ERROR,
            `Transaction decode failed for ${text}. Make sure the tx has at least one input.`,
          );
        }
        txs.push(tx);
      }
      const submit = call.maybeArg(2) === undefined ? true : call.params[2] === true;
      const assembler = new BlockAssembler(ctx.chain, undefined, {
        ...ctx.assemblerOptions,
        now: ctx.now,
        testBlockValidity: false,
      });
      const template = assembler.createNewBlock(script);
      const base = template.block.transactions;
      const withTxs = template.hasBlockFinalTx
        ? [base[0], ...txs, base[base.length - 1]]
        : [base[0], ...txs];
      let block = new Block(template.block.header, withTxs);
      block = generateWitnessCommitment(block, template.prev, ctx.chain.params.consensus);
      block = withMerkleRoot(block);
      const failure = testBlockValidity(ctx.chain, block, Math.floor(ctx.now()));
      if (failure) {
        throw new RpcError(
          RPC_ERROR.VERIFY_ERROR,
          `TestBlockValidity failed: ${failure.reason}${
            failure.debugMessage ? ", " + failure.debugMessage : ""
          }`,
        );
      }
      const solved = solveBlock(block, ctx.chain, { value: DEFAULT_MAX_TRIES });
      if (solved === null || solved === "exhausted") {
        throw new RpcError(RPC_ERROR.MISC_ERROR, "Failed to make block.");
      }
      if (submit) {
        const result = await ctx.chain.processNewBlock(solved, {
          forceProcessing: true,
          minPowChecked: true,
        });
        if (!result.accepted) {
          throw new RpcError(RPC_ERROR.INTERNAL_ERROR, "ProcessNewBlock, block not accepted");
        }
        return new Map<string, JsonValue>([["hash", solved.hashHex]]);
      }
      return new Map<string, JsonValue>([
        ["hash", solved.hashHex],
        ["hex", bytesToHex(solved.toBytes())],
      ]);
    },
  };
}

function decodeTxHex(text: string): Transaction | null {
  const bytes = parseHex(text);
  if (!bytes) return null;
  try {
    const tx = decodeTransaction(bytes);
    return tx.inputs.length > 0 ? tx : null;
  } catch {
    return null;
  }
}

/** `GetDifficulty`: powLimit-relative difficulty of compact `bits`. */
export function difficultyOfBits(bits: number): number {
  let shift = (bits >>> 24) & 0xff;
  let diff = 0x0000ffff / (bits & 0x00ffffff);
  while (shift < 29) {
    diff *= 256.0;
    shift++;
  }
  while (shift > 29) {
    diff /= 256.0;
    shift--;
  }
  return diff;
}

function networkHashPs(ctx: MiningRpcContext, height: number): number {
  const tip = ctx.chain.tip();
  if (height < -1 || height > tip.height) {
    throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Block does not exist at specified height");
  }
  let block = tip;
  while (height >= 0 && block.height > height && block.prev) block = block.prev;
  if (block.height === 0 || !block.prev) return 0;
  const filtered = getFilteredTime(block, ctx.chain.params.consensus);
  if (filtered === 0n) return 0;
  const work = getBlockProof(block.bits, block.auxPow?.commitBits);
  return Number(work) * 2147483648 / Number(filtered);
}

function getNetworkHashPsMethod(ctx: MiningRpcContext): RpcMethod {
  return {
    name: "getnetworkhashps",
    category: "mining",
    description:
      "\nReturns the estimated network hashes per second as would be estimated if there was a difficulty adjustment in the next block, or as would have been calculated as of the block height specified.\n" +
      "Pass in [height] to estimate the network speed at the time when a certain block was found.\n",
    args: [{
      names: "height",
      type: "num",
      default: -1,
      description: "To estimate at the time of the given height.",
    }],
    results: [{ type: "num", description: "Hashes per second estimated" }],
    examples: helpExampleCli("getnetworkhashps", "") + helpExampleRpc("getnetworkhashps", ""),
    handler: (call) => networkHashPs(ctx, getInt(call.arg(0) ?? -1)),
  };
}

function getMiningInfoMethod(ctx: MiningRpcContext): RpcMethod {
  return {
    name: "getmininginfo",
    category: "mining",
    description: "\nReturns a json object containing mining-related information.",
    args: [],
    results: [{
      type: "obj",
      inner: [
        { type: "num", key: "blocks", description: "The current block" },
        {
          type: "num",
          key: "currentblockweight",
          optional: true,
          description:
            "The block weight of the last assembled block (only present if a block was ever assembled)",
        },
        {
          type: "num",
          key: "currentblocktx",
          optional: true,
          description:
            "The number of block transactions of the last assembled block (only present if a block was ever assembled)",
        },
        { type: "num", key: "difficulty", description: "The current difficulty" },
        { type: "num", key: "networkhashps", description: "The network hashes per second" },
        { type: "num", key: "pooledtx", description: "The size of the mempool" },
        {
          type: "str",
          key: "chain",
          description: "current network name (main, test, signet, regtest)",
        },
        { type: "str", key: "warnings", description: "any network and blockchain warnings" },
      ],
    }],
    examples: helpExampleCli("getmininginfo", "") + helpExampleRpc("getmininginfo", ""),
    handler: () => {
      const tip = ctx.chain.tip();
      const result = new Map<string, JsonValue>([["blocks", tip.height]]);
      const last = BlockAssembler.lastBlock;
      if (last) {
        result.set("currentblockweight", last.weight);
        result.set("currentblocktx", last.txs);
      }
      result.set("difficulty", difficultyOfBits(tip.bits));
      result.set("networkhashps", networkHashPs(ctx, -1));
      result.set("pooledtx", ctx.mempool.size);
      result.set("chain", ctx.chain.params.chain);
      result.set("warnings", ctx.warnings?.() ?? "");
      return result;
    },
  };
}

function prioritiseTransactionMethod(ctx: MiningRpcContext): RpcMethod {
  return {
    name: "prioritisetransaction",
    category: "mining",
    description: "Accepts the transaction into mined blocks at a higher (or lower) priority\n",
    args: [
      { names: "txid", type: "str_hex", description: "The transaction id." },
      {
        names: "dummy",
        type: "num",
        optional: true,
        description: "API-Compatibility for previous API. Must be zero or null.\n" +
          "                  DEPRECATED. For forward compatibility use named arguments and omit this parameter.",
      },
      {
        names: "fee_delta",
        type: "num",
        description: "The fee value (in kria) to add (or subtract, if negative).\n" +
          "                  Note, that this value is not a fee rate. It is a value to modify absolute fee of the TX.\n" +
          "                  The fee is not actually paid, only the algorithm for selecting transactions into a block\n" +
          "                  considers the transaction as it would have paid a higher (or lower) fee.",
      },
    ],
    results: [{ type: "bool", description: "Returns true" }],
    examples: helpExampleCli("prioritisetransaction", '"txid" 0.0 10000') +
      helpExampleRpc("prioritisetransaction", '"txid", 0.0, 10000'),
    handler: (call) => {
      const txid = parseHashArg(call.params[0], "txid");
      const dummy = call.maybeArg(1);
      const delta = getInt64(call.params[2]);
      if (dummy !== undefined && getReal(dummy) !== 0) {
        throw new RpcError(
          RPC_ERROR.INVALID_PARAMETER,
          "Priority is no longer supported, dummy argument to prioritisetransaction must be 0.",
        );
      }
      ctx.mempool.prioritiseTransaction(txid, delta);
      return true;
    },
  };
}

/** `ParseHashV`: a 64-digit hex hash, with freicoind's errors. */
export function parseHashArg(value: JsonValue | undefined, name: string): string {
  const text = getStr(value ?? null);
  if (text.length !== 64) {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      `${name} must be of length 64 (not ${text.length}, for '${text}')`,
    );
  }
  if (!/^[0-9a-fA-F]*$/.test(text)) {
    throw new RpcError(
      RPC_ERROR.INVALID_PARAMETER,
      `${name} must be hexadecimal string (not '${text}')`,
    );
  }
  return text.toLowerCase();
}

function getPrioritisedTransactionsMethod(ctx: MiningRpcContext): RpcMethod {
  return {
    name: "getprioritisedtransactions",
    category: "mining",
    description:
      "Returns a map of all user-created (see prioritisetransaction) fee deltas by txid, and whether the tx is present in mempool.",
    args: [],
    results: [{
      type: "obj_dyn",
      description: "prioritisation keyed by txid",
      inner: [{
        type: "obj",
        key: "<transactionid>",
        inner: [
          { type: "num", key: "fee_delta", description: "transaction fee delta in kria" },
          {
            type: "bool",
            key: "in_mempool",
            description: "whether this transaction is currently in mempool",
          },
          {
            type: "num",
            key: "modified_fee",
            optional: true,
            description: "modified fee in kria. Only returned if in_mempool=true",
          },
        ],
      }],
    }],
    examples: helpExampleCli("getprioritisedtransactions", "") +
      helpExampleRpc("getprioritisedtransactions", ""),
    handler: () => {
      const result = new Map<string, JsonValue>();
      // freicoind iterates its std::map, i.e. in txid (internal byte) order.
      const sorted = [...ctx.mempool.deltas()].sort(([a], [b]) =>
        internalOrder(a) < internalOrder(b) ? -1 : 1
      );
      for (const [txid, delta] of sorted) {
        const entry = ctx.mempool.get(txid);
        const inner = new Map<string, JsonValue>([
          ["fee_delta", delta],
          ["in_mempool", entry !== undefined],
        ]);
        if (entry) inner.set("modified_fee", entry.modifiedFee);
        result.set(txid, inner);
      }
      return result;
    },
  };
}

function internalOrder(displayHex: string): string {
  return displayHex.match(/../g)!.reverse().join("");
}

function bip22Result(reason: string | null): JsonValue {
  if (reason === null) return null;
  return reason || "rejected";
}

function submitBlockMethod(ctx: MiningRpcContext): RpcMethod {
  return {
    name: "submitblock",
    category: "mining",
    description: "\nAttempts to submit new block to network.\n" +
      "See https://en.bitcoin.it/wiki/BIP_0022 for full specification.\n",
    args: [
      {
        names: "hexdata",
        type: "str_hex",
        description: "the hex-encoded block data to submit",
      },
      {
        names: "dummy",
        type: "str",
        defaultHint: "ignored",
        description: "dummy value, for compatibility with BIP22. This value is ignored.",
      },
    ],
    results: [
      { type: "none", cond: "If the block was accepted" },
      { type: "str", cond: "Otherwise", description: "According to BIP22" },
    ],
    examples: helpExampleCli("submitblock", '"mydata"') + helpExampleRpc("submitblock", '"mydata"'),
    handler: async (call) => {
      const bytes = parseHex(getStr(call.params[0]));
      let block: Block;
      try {
        if (!bytes) throw new Error("not hex");
        block = decodeBlock(bytes);
      } catch {
        throw new RpcError(RPC_ERROR.DESERIALIZATION_ERROR, "Block decode failed");
      }
      if (block.transactions.length === 0 || !block.transactions[0].isCoinBase()) {
        throw new RpcError(RPC_ERROR.DESERIALIZATION_ERROR, "Block does not start with a coinbase");
      }
      const known = ctx.chain.lookupBlock(block.hash);
      if (known?.isValid) return "duplicate";
      if (known?.isFailed) return "duplicate-invalid";
      const prev = ctx.chain.lookupBlock(block.header.hashPrevBlock);
      if (prev) {
        block = updateUncommittedBlockStructures(block, prev.entry, ctx.chain.params.consensus);
      }
      const result = await ctx.chain.processNewBlock(block, {
        forceProcessing: true,
        minPowChecked: true,
      });
      if (!result.isNew && result.accepted) return "duplicate";
      if (result.failure) return bip22Result(result.failure.reason);
      if (!result.accepted) return "inconclusive";
      const after = ctx.chain.lookupBlock(block.hash);
      return after?.isValid ? null : "inconclusive";
    },
  };
}

function submitHeaderMethod(ctx: MiningRpcContext): RpcMethod {
  return {
    name: "submitheader",
    category: "mining",
    description:
      "\nDecode the given hexdata as a header and submit it as a candidate chain tip if valid." +
      "\nThrows when the header is invalid.\n",
    args: [{
      names: "hexdata",
      type: "str_hex",
      description: "the hex-encoded block header data",
    }],
    results: [{ type: "none", description: "None" }],
    examples: helpExampleCli("submitheader", '"aabbcc"') +
      helpExampleRpc("submitheader", '"aabbcc"'),
    handler: async (call) => {
      const bytes = parseHex(getStr(call.params[0]));
      let header: BlockHeader;
      try {
        if (!bytes) throw new Error("not hex");
        header = decodeBlockHeader(bytes);
      } catch {
        throw new RpcError(RPC_ERROR.DESERIALIZATION_ERROR, "Block header decode failed");
      }
      if (!ctx.chain.lookupBlock(header.hashPrevBlock)) {
        throw new RpcError(
          RPC_ERROR.VERIFY_ERROR,
          `Must submit previous header (${
            bytesToHex(header.hashPrevBlock.slice().reverse())
          }) first`,
        );
      }
      if (!ctx.chain.processNewBlockHeaders) {
        throw new RpcError(RPC_ERROR.MISC_ERROR, "submitheader is not available");
      }
      const result = await ctx.chain.processNewBlockHeaders(new Block(header, []));
      if (result.accepted) return null;
      throw new RpcError(RPC_ERROR.VERIFY_ERROR, result.failure?.reason ?? "");
    },
  };
}

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

function hashHex(hash: Uint8Array): string {
  return bytesToHex(hash.slice().reverse());
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

/** The mining RPC methods, closed over `ctx`, for the node's registry. */
export function miningRpcMethods(ctx: MiningRpcContext): RpcMethod[] {
  const state: MiningState = { cache: undefined, transactionsUpdatedLast: 0 };
  return [
    getNetworkHashPsMethod(ctx),
    getMiningInfoMethod(ctx),
    prioritiseTransactionMethod(ctx),
    getPrioritisedTransactionsMethod(ctx),
    getBlockTemplateMethod(ctx, state),
    submitBlockMethod(ctx),
    submitHeaderMethod(ctx),
    generateBlockMethod(ctx),
    generateToAddressMethod(ctx),
    generateToDescriptorMethod(ctx),
    generateMethod(),
  ];
}
