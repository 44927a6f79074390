/**
 * The smallest blockchain and control RPCs: block count, best hash, hash at height, mock time and
 * the validation-queue barrier.
 *
 * @module
 */
import {
  getInt,
  getInt64,
  helpExampleCli,
  helpExampleRpc,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
} from "../../../rpc/mod.ts";
import { hashToHex } from "../../../kernel/encoding/mod.ts";
import type { NodeContext } from "../node_context.ts";

const UNIX_EPOCH_TIME = "UNIX epoch time";
/** The largest mock time freicoind accepts: int64 nanoseconds in seconds. */
const MAX_MOCK_TIME = 9223372036n;

function tipHash(context: NodeContext): string {
  const tip = context.chain.tip;
  if (!tip) throw new RpcError(RPC_ERROR.INTERNAL_ERROR, "No chain tip");
  return hashToHex(tip.hash);
}

/** getblockcount, getbestblockhash, getblockhash, setmocktime, syncwithvalidationinterfacequeue. */
export function blockchainBasicsMethods(): RpcMethod<NodeContext>[] {
  return [
    {
      name: "getblockcount",
      category: "blockchain",
      description:
        "\nReturns the height of the most-work fully-validated chain.\nThe genesis block has height 0.\n",
      args: [],
      results: [{ type: "num", description: "The current block count" }],
      examples: helpExampleCli("getblockcount", "") + helpExampleRpc("getblockcount", ""),
      handler: (call) => call.context.chain.height,
    },
    {
      name: "getbestblockhash",
      category: "blockchain",
      description:
        "\nReturns the hash of the best (tip) block in the most-work fully-validated chain.\n",
      args: [],
      results: [{ type: "str_hex", description: "the block hash, hex-encoded" }],
      examples: helpExampleCli("getbestblockhash", "") + helpExampleRpc("getbestblockhash", ""),
      handler: (call) => tipHash(call.context),
    },
    {
      name: "getblockhash",
      category: "blockchain",
      description: "\nReturns hash of block in best-block-chain at height provided.\n",
      args: [{ names: "height", type: "num", description: "The height index" }],
      results: [{ type: "str_hex", description: "The block hash" }],
      examples: helpExampleCli("getblockhash", "1000") + helpExampleRpc("getblockhash", "1000"),
      handler: (call) => {
        const height = getInt(call.params[0]);
        const hash = height >= 0 ? call.context.chain.getBlockHash(height) : undefined;
        if (!hash) throw new RpcError(RPC_ERROR.INVALID_PARAMETER, "Block height out of range");
        return hashToHex(hash);
      },
    },
    {
      name: "syncwithvalidationinterfacequeue",
      category: "hidden",
      description:
        "\nWaits for the validation interface queue to catch up on everything that was there when we entered this function.\n",
      args: [],
      results: [{ type: "none", description: "" }],
      examples: helpExampleCli("syncwithvalidationinterfacequeue", "") +
        helpExampleRpc("syncwithvalidationinterfacequeue", ""),
      handler: async (call) => {
        await call.context.syncWithValidationQueue();
        return null;
      },
    },
    {
      name: "setmocktime",
      category: "hidden",
      description: "\nSet the local time to given timestamp (-regtest only)\n",
      args: [{
        names: "timestamp",
        type: "num",
        description: UNIX_EPOCH_TIME + "\nPass 0 to go back to using the system time.",
      }],
      results: [{ type: "none", description: "" }],
      examples: "",
      handler: (call) => {
        if (!call.context.params.isMockableChain) {
          throw new Error("setmocktime is for regression testing (-regtest mode) only");
        }
        const time = getInt64(call.params[0]);
        if (time < 0n || time > MAX_MOCK_TIME) {
          throw new RpcError(
            RPC_ERROR.INVALID_PARAMETER,
            `Mocktime must be in the range [0, ${MAX_MOCK_TIME}], not ${time}.`,
          );
        }
        call.context.clock.setMockTime(Number(time));
        return null;
      },
    },
  ];
}
