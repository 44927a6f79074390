/**
 * Message signing and compact-signature recovery now live in `common/signing/` (the wallet
 * signs messages too); this file keeps the node's imports stable.
 *
 * @module
 */
export {
  decodeBase64Strict,
  encodeBase64,
  MESSAGE_MAGIC,
  messageHash,
  type MessageVerification,
  recoverCompact,
  signCompact,
  verifyMessage,
} from "../../../common/signing/mod.ts";
