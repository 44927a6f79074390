/**
 * freicoin-cli (`freicoin rpc`): command-line arguments to JSON-RPC calls and back to
 * freicoin-cli's output and exit code. Uses `rpc/json.ts` for exact JSON.
 *
 * @module
 */
export { type RpcClientOptions, type RpcClientOutput, runRpcClient } from "./rpc_client.ts";
export { ArgumentJsonError, convertNamed, convertPositional, writeEntries } from "./convert.ts";
export { RPC_CONVERT_PARAMS } from "./conversion_table.ts";
export { argumentNameInconsistencies, conversionTableMismatches } from "./conversion_check.ts";
export { formatGetInfo, getInfoRequests, mergeGetInfoReplies } from "./getinfo.ts";
export { httpPost, PostFailed, type PostOptions, type PostReply } from "./http_post.ts";
