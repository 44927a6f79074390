/**
 * The BIP324 v2 P2P transport: the packet cipher, the per-connection state machine with v1
 * fallback, and a {@linkcode Transport} interface that v1 and v2 share.
 *
 * @module
 */
export {
  BIP324_EXPANSION,
  Bip324Cipher,
  type Bip324InitializeOptions,
  type DecryptedPacket,
  FREICOIN_SALT_PREFIX,
  GARBAGE_TERMINATOR_LEN,
  SESSION_ID_LEN,
} from "./bip324_cipher.ts";
export {
  decodeV2Contents,
  encodeV2Contents,
  V2_MESSAGE_IDS,
  type V2Message,
} from "./message_ids.ts";
export {
  MAX_GARBAGE_LEN,
  type TransportProtocolType,
  V2Transport,
  V2TransportError,
  type V2TransportOptions,
} from "./v2_transport.ts";
export {
  createTransport,
  type CreateTransportOptions,
  type Transport,
  V1Transport,
} from "./transport.ts";
