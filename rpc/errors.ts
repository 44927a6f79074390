/**
 * JSON-RPC error codes (freicoind's `src/rpc/protocol.h`) and the error type methods throw.
 *
 * @module
 */

/** freicoind's JSON-RPC error codes. */
export const RPC_ERROR = {
  // Standard JSON-RPC 2.0 errors.
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  PARSE_ERROR: -32700,
  // General application errors.
  MISC_ERROR: -1,
  TYPE_ERROR: -3,
  INVALID_ADDRESS_OR_KEY: -5,
  OUT_OF_MEMORY: -7,
  INVALID_PARAMETER: -8,
  DATABASE_ERROR: -20,
  DESERIALIZATION_ERROR: -22,
  VERIFY_ERROR: -25,
  VERIFY_REJECTED: -26,
  VERIFY_ALREADY_IN_CHAIN: -27,
  IN_WARMUP: -28,
  METHOD_DEPRECATED: -32,
  // P2P client errors.
  CLIENT_NOT_CONNECTED: -9,
  CLIENT_IN_INITIAL_DOWNLOAD: -10,
  CLIENT_NODE_ALREADY_ADDED: -23,
  CLIENT_NODE_NOT_ADDED: -24,
  CLIENT_NODE_NOT_CONNECTED: -29,
  CLIENT_INVALID_IP_OR_SUBNET: -30,
  CLIENT_P2P_DISABLED: -31,
  CLIENT_NODE_CAPACITY_REACHED: -34,
  CLIENT_MEMPOOL_DISABLED: -33,
  // Wallet errors.
  WALLET_ERROR: -4,
  WALLET_INSUFFICIENT_FUNDS: -6,
  WALLET_INVALID_LABEL_NAME: -11,
  WALLET_KEYPOOL_RAN_OUT: -12,
  WALLET_UNLOCK_NEEDED: -13,
  WALLET_PASSPHRASE_INCORRECT: -14,
  WALLET_WRONG_ENC_STATE: -15,
  WALLET_ENCRYPTION_FAILED: -16,
  WALLET_ALREADY_UNLOCKED: -17,
  WALLET_NOT_FOUND: -18,
  WALLET_NOT_SPECIFIED: -19,
  WALLET_ALREADY_LOADED: -35,
  WALLET_ALREADY_EXISTS: -36,
} as const;

/**
 * An error answer with a JSON-RPC code, thrown by a method and sent to the caller as
 * `{"code":…,"message":…}`. Any other exception a method throws becomes code -1 with its message,
 * as in freicoind.
 *
 * @example
 * ```ts
 * import { RPC_ERROR, RpcError } from "./errors.ts";
 * const error = new RpcError(RPC_ERROR.INVALID_PARAMETER, "Block height out of range");
 * error.code; // -8
 * ```
 */
export class RpcError extends Error {
  override name = "RpcError";
  /** The JSON-RPC error code. */
  readonly code: number;

  /** Makes an error answer with `code` and `message`. */
  constructor(code: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}
