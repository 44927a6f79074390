/**
 * The JSON-RPC layer shared by node and wallet: exact JSON values, the method registry with
 * freicoind's help and argument handling, the HTTP server with authentication, and the server's
 * own methods (help, stop, uptime, getrpcinfo, logging, echo).
 *
 * Dependencies: none of ours (the logger is a structural interface any cli `Logger` fits).
 *
 * @module
 */
export {
  firstDuplicateKey,
  formatDouble,
  isJsonObject,
  JsonNumber,
  type JsonObject,
  JsonParseError,
  type JsonTypeName,
  jsonTypeName,
  type JsonValue,
  MAX_JSON_DEPTH,
  parseJson,
  quoteJsonString,
  writeJson,
} from "./json.ts";
export { RPC_ERROR, RpcError } from "./errors.ts";
export { type RpcLogger, type RpcLogMessage, SILENT_RPC_LOGGER } from "./logger.ts";
export { amountFromJson, amountToJson, COIN, MAX_MONEY, parseFixedPoint } from "./amount.ts";
export {
  expectJsonType,
  getArray,
  getBigInt,
  getBool,
  getInt,
  getInt64,
  getObject,
  getReal,
  getStr,
} from "./values.ts";
export {
  firstArgName,
  helpExampleCli,
  helpExampleCliNamed,
  helpExampleRpc,
  helpExampleRpcNamed,
  isArgOptional,
  type RpcArg,
  type RpcArgType,
  type RpcCall,
  type RpcMethod,
  type RpcResult,
  type RpcResultType,
} from "./method.ts";
export { methodHelp, methodSummary } from "./help.ts";
export { checkArgTypes, isValidArgCount, namedToPositional } from "./params.ts";
export { checkResult, matchesResult } from "./result_check.ts";
export { type ActiveCommand, asRpcError, RpcRegistry, type RpcRequest } from "./registry.ts";
export {
  parseRequest,
  replyObject,
  RequestError,
  requestObject,
  urlDecode,
  walletNameFromUri,
} from "./request.ts";
export {
  COOKIE_USER,
  deleteAuthCookie,
  readAuthCookie,
  RpcAuthConfigError,
  RpcAuthenticator,
  type RpcAuthOptions,
  writeAuthCookie,
} from "./auth.ts";
export { parseIp, parseSubnet, splitHostPort, type Subnet, subnetContains } from "./subnet.ts";
export { type HttpReply } from "./http_message.ts";
export {
  HttpBindError,
  type HttpEndpoint,
  type HttpHandler,
  type HttpRequest,
  HttpServer,
  type HttpServerOptions,
} from "./http_server.ts";
export { httpStatusForError, type JsonRpcHandlerOptions, makeJsonRpcHandler } from "./http_rpc.ts";
export {
  type LoggingControl,
  registerServerMethods,
  type ServerMethodsOptions,
} from "./server_methods.ts";
export {
  allowedSubnets,
  rpcEndpoints,
  RpcServer,
  RpcServerInitError,
  type RpcServerOptions,
} from "./rpc_server.ts";
