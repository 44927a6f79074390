import assert from "node:assert/strict";
import { namedToPositional, RpcError } from "../../../rpc/mod.ts";
import {
  checkFundOptionTypes as checkSendOptionTypes,
  preventOutdatedOptions,
} from "./fund_options.ts";
import { sendMethods } from "./send_method.ts";

function sendArgs() {
  const send = sendMethods().find((method) => method.name === "send");
  assert.ok(send);
  return send.args;
}

function rpcError(fn: () => void): { code: number; message: string } {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof RpcError);
    return { code: error.code, message: error.message };
  }
  assert.fail("expected an RpcError");
}

Deno.test("send accepts its options as named parameters, gathered into the options object", () => {
  const positional = namedToPositional(
    { outputs: [{ addr: 5 }], change_position: 0, add_to_wallet: false },
    sendArgs(),
  );
  assert.deepEqual(positional.length, 5);
  assert.deepEqual(positional[0], [{ addr: 5 }]);
  assert.deepEqual(positional.slice(1, 4), [null, null, null]);
  assert.deepEqual({ ...positional[4] as object }, { change_position: 0, add_to_wallet: false });
});

Deno.test("send's top-level fee arguments stay positional when named", () => {
  const positional = namedToPositional(
    { outputs: [], conf_target: 6, estimate_mode: "economical", fee_rate: 1 },
    sendArgs(),
  );
  assert.deepEqual(positional, [[], 6, "economical", 1]);
});

Deno.test("send still rejects a named parameter it does not know", () => {
  assert.deepEqual(
    rpcError(() => namedToPositional({ outputs: [], changePosition: 0 }, sendArgs())),
    { code: -8, message: "Unknown named parameter changePosition" },
  );
});

Deno.test("send names the new spelling of an outdated option", () => {
  assert.deepEqual(rpcError(() => preventOutdatedOptions({ feeRate: 0.01 })), {
    code: -8,
    message: "Use fee_rate (sat/vB) instead of feeRate",
  });
  assert.deepEqual(rpcError(() => preventOutdatedOptions({ changePosition: 1 })), {
    code: -8,
    message: "Use change_position instead of changePosition",
  });
  preventOutdatedOptions({ fee_rate: 1, change_position: 1 });
});

Deno.test("send rejects unknown and mistyped options with -3", () => {
  assert.deepEqual(rpcError(() => checkSendOptionTypes({ totalFee: 0.01 })), {
    code: -3,
    message: "Unexpected key totalFee",
  });
  assert.deepEqual(rpcError(() => checkSendOptionTypes({ add_to_wallet: "no" })), {
    code: -3,
    message: "JSON value of type string for field add_to_wallet is not of expected type bool",
  });
  checkSendOptionTypes({ fee_rate: "1", conf_target: null, inputs: [], add_to_wallet: false });
});
