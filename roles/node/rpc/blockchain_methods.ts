/**
 * Blockchain methods (rpc/blockchain.cpp): invalidateblock, reconsiderblock, preciousblock,
 * verifychain and the waitfor* family here, with getblock/getblockheader (`block_methods.ts`),
 * the chain summaries (`chain_info_methods.ts`) and getdeploymentinfo (`deployment_info.ts`);
 * the UTXO-set methods are in `utxo_methods.ts`.
 *
 * @module
 */
import {
  getInt,
  helpExampleCli,
  helpExampleRpc,
  type JsonObject,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
  type RpcResult,
} from "../../../rpc/mod.ts";
import { bytesToHex } from "../../../kernel/encoding/mod.ts";
import type { BlockIndexEntry } from "../chain/block_index_entry.ts";
import type { ChainState } from "../chain/chain_state.ts";
import type { NodeContext } from "../node_context.ts";
import { parseHashV } from "./rpc_parse.ts";
import { blockByHashArg, tipOf } from "./blockchain_shared.ts";
import { extrasOf } from "./node_rpc_extras.ts";
import { blockMethods } from "./block_methods.ts";
import { chainInfoMethods } from "./chain_info_methods.ts";
import { deploymentMethods } from "./deployment_info.ts";

// --- invalidate / reconsider / precious / verifychain -------------------------------------

function blockActionMethod(
  name: "invalidateblock" | "reconsiderblock" | "preciousblock",
  category: "blockchain" | "hidden",
  description: string,
  argDescription: string,
  action: (chain: ChainState, entry: BlockIndexEntry) => Promise<void>,
): RpcMethod<NodeContext> {
  return {
    name,
    category,
    description,
    args: [{ names: "blockhash", type: "str_hex", description: argDescription }],
    results: [{ type: "none", description: "" }],
    examples: helpExampleCli(name, '"blockhash"') + helpExampleRpc(name, '"blockhash"'),
    handler: async (call) => {
      const entry = blockByHashArg(call.context, call.params[0], "blockhash");
      try {
        await action(call.context.chain, entry);
      } catch (error) {
        if (error instanceof RpcError) throw error;
        throw new RpcError(RPC_ERROR.DATABASE_ERROR, (error as Error).message);
      }
      return null;
    },
  };
}

const CHECKLEVEL_DOC = [
  "level 0 reads the blocks from disk",
  "level 1 verifies block validity",
  "level 2 verifies undo data",
  "level 3 checks disconnection of tip blocks",
  "level 4 tries to reconnect the blocks",
  "each level includes the checks of the previous levels",
];
const DEFAULT_CHECKBLOCKS = 6;
const DEFAULT_CHECKLEVEL = 3;

function verifyChainMethod(): RpcMethod<NodeContext> {
  return {
    name: "verifychain",
    category: "blockchain",
    description: "\nVerifies blockchain database.\n",
    args: [
      {
        names: "checklevel",
        type: "num",
        defaultHint: `${DEFAULT_CHECKLEVEL}, range=0-4`,
        description: "How thorough the block verification is:\n" +
          CHECKLEVEL_DOC.map((item) => `- ${item}`).join("\n"),
      },
      {
        names: "nblocks",
        type: "num",
        defaultHint: `${DEFAULT_CHECKBLOCKS}, 0=all`,
        description: "The number of blocks to check.",
      },
    ],
    results: [{
      type: "bool",
      description: "Verification finished successfully. If false, check debug.log for reason.",
    }],
    examples: helpExampleCli("verifychain", "") + helpExampleRpc("verifychain", ""),
    handler: async (call) => {
      const level = call.maybeArg(0) === undefined ? DEFAULT_CHECKLEVEL : getInt(call.params[0]);
      const depth = call.maybeArg(1) === undefined ? DEFAULT_CHECKBLOCKS : getInt(call.params[1]);
      const result = await call.context.chain.verifyDB(depth, level);
      if (!result.ok) call.context.log.info(`verifychain: ${result.message}`);
      return result.ok;
    },
  };
}

/**
 * pruneblockchain. This node keeps every block (`-prune` is not offered), so it answers as a
 * non-pruning freicoind does.
 */
function pruneBlockchainMethod(): RpcMethod<NodeContext> {
  return {
    name: "pruneblockchain",
    category: "blockchain",
    description: "",
    args: [{
      names: "height",
      type: "num",
      description:
        "The block height to prune up to. May be set to a discrete height, or to a UNIX epoch time\n" +
        "                  to prune blocks whose block time is at least 2 hours older than the provided timestamp.",
    }],
    results: [{ type: "num", description: "Height of the last block pruned" }],
    examples: helpExampleCli("pruneblockchain", "1000") + helpExampleRpc("pruneblockchain", "1000"),
    handler: () => {
      throw new RpcError(
        RPC_ERROR.MISC_ERROR,
        "Cannot prune blocks because node is not in prune mode.",
      );
    },
  };
}

// --- waitfornewblock / waitforblock / waitforblockheight ----------------------------------

/** Waits until `done(tip)` holds or `timeoutMs` (0 = forever) passes; returns the tip then. */
async function waitForTip(
  context: NodeContext,
  done: (tip: BlockIndexEntry) => boolean,
  timeoutMs: number,
): Promise<JsonObject> {
  const chain = context.chain;
  const current = () => tipOf(chain);
  // Like freicoind, a wait also ends when the RPC server stops.
  const stopping = extrasOf(context).shutdownSignal;
  if (!done(current()) && !stopping?.aborted) {
    await new Promise<void>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const subscription = chain.subscribe({
        updatedTip: (tip) => {
          if (done(tip)) finish();
        },
      });
      const finish = () => {
        subscription.disconnect();
        if (timer !== undefined) clearTimeout(timer);
        stopping?.removeEventListener("abort", finish);
        resolve();
      };
      stopping?.addEventListener("abort", finish);
      if (timeoutMs > 0) timer = setTimeout(finish, timeoutMs);
    });
  }
  const tip = current();
  return { hash: tip.hashHex, height: tip.height };
}

const WAIT_RESULT: RpcResult[] = [{
  type: "obj",
  inner: [
    { type: "str_hex", key: "hash", description: "The blockhash" },
    { type: "num", key: "height", description: "Block height" },
  ],
}];

const TIMEOUT_ARG = {
  names: "timeout",
  type: "num" as const,
  default: 0,
  description: "Time in milliseconds to wait for a response. 0 indicates no timeout.",
};

function waitMethods(): RpcMethod<NodeContext>[] {
  const waitHash = '"0000000000079f8ef3d2c688c244eb7a4570b24c9ed7b4a8c619eb02596f8862"';
  return [
    {
      name: "waitfornewblock",
      category: "hidden",
      description: "\nWaits for a specific new block and returns useful info about it.\n" +
        "\nReturns the current block on timeout or exit.\n",
      args: [TIMEOUT_ARG],
      results: WAIT_RESULT,
      examples: helpExampleCli("waitfornewblock", "1000") +
        helpExampleRpc("waitfornewblock", "1000"),
      handler: (call) => {
        const timeout = call.maybeArg(0) === undefined ? 0 : getInt(call.params[0]);
        const start = tipOf(call.context.chain);
        return waitForTip(call.context, (tip) => tip !== start, timeout);
      },
    },
    {
      name: "waitforblock",
      category: "hidden",
      description: "\nWaits for a specific new block and returns useful info about it.\n" +
        "\nReturns the current block on timeout or exit.\n",
      args: [
        { names: "blockhash", type: "str_hex", description: "Block hash to wait for." },
        TIMEOUT_ARG,
      ],
      results: WAIT_RESULT,
      examples: helpExampleCli("waitforblock", `${waitHash} 1000`) +
        helpExampleRpc("waitforblock", `${waitHash}, 1000`),
      handler: (call) => {
        const hash = bytesToHex(parseHashV(call.params[0], "blockhash").slice().reverse());
        const timeout = call.maybeArg(1) === undefined ? 0 : getInt(call.params[1]);
        return waitForTip(call.context, (tip) => tip.hashHex === hash, timeout);
      },
    },
    {
      name: "waitforblockheight",
      category: "hidden",
      description: "\nWaits for (at least) block height and returns the height and hash\n" +
        "of the current tip.\n" +
        "\nReturns the current block on timeout or exit.\n",
      args: [
        { names: "height", type: "num", description: "Block height to wait for." },
        TIMEOUT_ARG,
      ],
      results: WAIT_RESULT,
      examples: helpExampleCli("waitforblockheight", "100 1000") +
        helpExampleRpc("waitforblockheight", "100, 1000"),
      handler: (call) => {
        const height = getInt(call.params[0]);
        const timeout = call.maybeArg(1) === undefined ? 0 : getInt(call.params[1]);
        return waitForTip(call.context, (tip) => tip.height >= height, timeout);
      },
    },
  ];
}

/** The blockchain methods of this file. */
export function blockchainMethods(): RpcMethod<NodeContext>[] {
  return [
    ...chainInfoMethods(),
    ...blockMethods(),
    ...deploymentMethods(),
    blockActionMethod(
      "preciousblock",
      "blockchain",
      "\nTreats a block as if it were received before others with the same work.\n" +
        "\nA later preciousblock call can override the effect of an earlier one.\n" +
        "\nThe effects of preciousblock are not retained across restarts.\n",
      "the hash of the block to mark as precious",
      (chain, entry) => chain.preciousBlock(entry),
    ),
    blockActionMethod(
      "invalidateblock",
      "hidden",
      "\nPermanently marks a block as invalid, as if it violated a consensus rule.\n",
      "the hash of the block to mark as invalid",
      (chain, entry) => chain.invalidateBlock(entry),
    ),
    blockActionMethod(
      "reconsiderblock",
      "hidden",
      "\nRemoves invalidity status of a block, its ancestors and its descendants, reconsider them for activation.\n" +
        "This can be used to undo the effects of invalidateblock.\n",
      "the hash of the block to reconsider",
      (chain, entry) => chain.reconsiderBlock(entry),
    ),
    verifyChainMethod(),
    pruneBlockchainMethod(),
    ...waitMethods(),
  ];
}
