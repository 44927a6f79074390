/** Proof-of-work checks over header lists, as headers sync uses them (src/validation.cpp). */

import type { BlockHeader } from "../primitives/block_header.ts";
import { checkAuxiliaryProofOfWork } from "./aux_pow.ts";
import type { ConsensusParams } from "./consensus_params.ts";
import { checkProofOfWork, getBlockProof } from "./pow.ts";

const THREE_HOURS = 3n * 60n * 60n;

/**
 * `HasValidProofOfWork`: every header's auxiliary proof of work is valid and, until its time
 * passes the protocol-cleanup time − 3 h, its native proof of work too.
 *
 * @example
 * ```ts
 * import { hasValidProofOfWork } from "./header_work.ts";
 * import { selectParams } from "./chain_params.ts";
 * console.assert(hasValidProofOfWork([], selectParams("regtest").consensus));
 * ```
 */
export function hasValidProofOfWork(
  headers: readonly BlockHeader[],
  params: ConsensusParams,
): boolean {
  return headers.every((header) =>
    checkAuxiliaryProofOfWork(header, params) &&
    (BigInt(header.time) > params.protocolCleanupActivationTime - THREE_HOURS ||
      checkProofOfWork(header.hash, header.bits, params))
  );
}

/** `GetBlockProof` of a header (native work plus any auxiliary work). */
export function headerProof(header: BlockHeader): bigint {
  return getBlockProof(header.bits, header.auxPow?.commitBits);
}

/** `CalculateHeadersWork`: Σ block proofs of the headers. */
export function calculateHeadersWork(headers: readonly BlockHeader[]): bigint {
  let total = 0n;
  for (const header of headers) total += headerProof(header);
  return total;
}
