/**
 * verifymessage and signmessagewithprivkey (rpc/signmessage.cpp).
 *
 * @module
 */
import {
  getStr,
  helpExampleCli,
  helpExampleRpc,
  RPC_ERROR,
  RpcError,
  type RpcMethod,
} from "../../../rpc/mod.ts";
import { decodeSecret } from "../../../kernel/keys/mod.ts";
import type { NodeContext } from "../node_context.ts";
import { secpOf } from "./node_rpc_extras.ts";
import { encodeBase64, messageHash, signCompact, verifyMessage } from "./message_signing.ts";
const VERIFY_EXAMPLE_ADDRESS = "1D1ZrZNe3JUo7ZycKEYQQiQAWd9y54F4XX";

function verifyMessageMethod(): RpcMethod<NodeContext> {
  return {
    name: "verifymessage",
    category: "util",
    description: "Verify a signed message.",
    args: [
      {
        names: "address",
        type: "str",
        description: "The freicoin address to use for the signature.",
      },
      {
        names: "signature",
        type: "str",
        description: "The signature provided by the signer in base 64 encoding (see signmessage).",
      },
      { names: "message", type: "str", description: "The message that was signed." },
    ],
    results: [{ type: "bool", description: "If the signature is verified or not." }],
    examples: "\nUnlock the wallet for 30 seconds\n" +
      helpExampleCli("walletpassphrase", '"mypassphrase" 30') +
      "\nCreate the signature\n" +
      helpExampleCli("signmessage", `"${VERIFY_EXAMPLE_ADDRESS}" "my message"`) +
      "\nVerify the signature\n" +
      helpExampleCli("verifymessage", `"${VERIFY_EXAMPLE_ADDRESS}" "signature" "my message"`) +
      "\nAs a JSON-RPC call\n" +
      helpExampleRpc("verifymessage", `"${VERIFY_EXAMPLE_ADDRESS}", "signature", "my message"`),
    handler: (call) => {
      const outcome = verifyMessage(
        call.context.params.prefixes,
        getStr(call.params[0]),
        getStr(call.params[1]),
        getStr(call.params[2]),
      );
      switch (outcome) {
        case "invalid_address":
          throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, "Invalid address");
        case "address_no_key":
          throw new RpcError(RPC_ERROR.TYPE_ERROR, "Address does not refer to key");
        case "malformed_signature":
          throw new RpcError(RPC_ERROR.TYPE_ERROR, "Malformed base64 encoding");
        case "ok":
          return true;
        default:
          return false;
      }
    },
  };
}

function signMessageWithPrivKeyMethod(): RpcMethod<NodeContext> {
  return {
    name: "signmessagewithprivkey",
    category: "util",
    description: "\nSign a message with the private key of an address\n",
    args: [
      { names: "privkey", type: "str", description: "The private key to sign the message with." },
      { names: "message", type: "str", description: "The message to create a signature of." },
    ],
    results: [{
      type: "str",
      key: "signature",
      description: "The signature of the message encoded in base 64",
    }],
    examples: "\nCreate the signature\n" +
      helpExampleCli("signmessagewithprivkey", '"privkey" "my message"') +
      "\nVerify the signature\n" +
      helpExampleCli("verifymessage", `"${VERIFY_EXAMPLE_ADDRESS}" "signature" "my message"`) +
      "\nAs a JSON-RPC call\n" +
      helpExampleRpc("signmessagewithprivkey", '"privkey", "my message"'),
    handler: (call) => {
      const key = decodeSecret(getStr(call.params[0]), call.context.params.prefixes);
      if (key === null) throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, "Invalid private key");
      const signature = signCompact(
        secpOf(call.context),
        messageHash(getStr(call.params[1])),
        key.secret,
        key.compressed,
      );
      if (signature === null) throw new RpcError(RPC_ERROR.INVALID_ADDRESS_OR_KEY, "Sign failed");
      return encodeBase64(signature);
    },
  };
}

/** verifymessage and signmessagewithprivkey. */
export function messageMethods(): RpcMethod<NodeContext>[] {
  return [verifyMessageMethod(), signMessageWithPrivKeyMethod()];
}
