/**
 * Transaction signing (src/script/sign.cpp) now lives in `common/signing/` (PSTs and the
 * wallet use it too); this file keeps the node's imports stable.
 *
 * @module
 */
export {
  dataFromTransaction,
  mergeOnlyCreator,
  produceSignature,
  SCRIPT_ERROR_STRINGS,
  type SignatureCreator,
  SignatureData,
  type SigningKey,
  SigningProvider,
  type SignResult,
  signTransaction,
  transactionSignatureCreator,
  UNKNOWN_VALUE,
  updateInput,
  withInputs,
} from "../../../common/signing/mod.ts";
