/**
 * Signed messages (`signmessage`, `src/util/message.cpp`): the message hash and 65-byte compact
 * recoverable signature come from `common/signing/`, shared with the node's verifymessage.
 *
 * @module
 */
import { messageHash, signCompact } from "../../common/signing/mod.ts";
import type { Secp256k1 } from "../../kernel/secp256k1/mod.ts";

export { messageHash };

/** The 65-byte compact signature of `message` by `secret`, or null if signing failed. */
export function signMessage(
  secp: Secp256k1,
  message: string,
  secret: Uint8Array,
  compressed: boolean,
): Uint8Array | null {
  return signCompact(secp, messageHash(message), secret, compressed);
}
