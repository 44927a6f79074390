/**
 * The hidden generating methods (src/rpc/mining.cpp): generatetoaddress, generatetodescriptor,
 * generateblock, and generate (which points to the -generate option).
 *
 * @module
 */
import {
  decodeDestination,
  isValidDestination,
  scriptForDestination,
} from "../../../kernel/address/mod.ts";
import { parseDescriptor } from "../../../kernel/descriptor/mod.ts";
import { bytesToHex } from "../../../kernel/encoding/mod.ts";
import { Block, decodeTransaction, type Transaction } from "../../../kernel/primitives/mod.ts";
import {
  getArray,
  getInt,
  getStr,
  helpExampleCli,
  type JsonValue,
  methodHelp,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
} from "../../../rpc/mod.ts";
import {
  BlockAssembler,
  generateWitnessCommitment,
  testBlockValidity,
  withMerkleRoot,
} from "./block_assembler.ts";
import { generateBlocks, GenerateError, solveBlock } from "./generate_blocks.ts";

import { DEFAULT_MAX_TRIES, type MiningRpcContext } from "./mining_rpc_context.ts";
import { parseHex } from "./_rpc_util.ts";

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

/** The generating methods, closed over `ctx`. */
export function generatingRpcMethods(ctx: MiningRpcContext): RpcMethod[] {
  return [
    generateBlockMethod(ctx),
    generateToAddressMethod(ctx),
    generateToDescriptorMethod(ctx),
    generateMethod(),
  ];
}
