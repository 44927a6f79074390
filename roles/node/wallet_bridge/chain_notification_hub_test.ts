import assert from "node:assert/strict";
import { NULL_LOGGER } from "../../../cli/logger.ts";
import type { ChainNotifications } from "../../../schemas/mod.ts";
import { ChainNotificationHub } from "./chain_notification_hub.ts";

Deno.test("a gone wallet process's subscriptions can be ended by its name", () => {
  const hub = new ChainNotificationHub({
    subscribeChain: () => ({ disconnect() {}, [Symbol.dispose]() {} }),
    blockInfo: () => {
      throw new Error("unused");
    },
  }, NULL_LOGGER);
  const quiet: ChainNotifications = {
    transactionAddedToMempool: () => Promise.resolve(),
    transactionRemovedFromMempool: () => Promise.resolve(),
    blockConnected: () => Promise.resolve(),
    blockDisconnected: () => Promise.resolve(),
    updatedBlockTip: () => Promise.resolve(),
  };
  hub.subscribe(quiet, "wallet pid 1");
  hub.subscribe(quiet, "wallet pid 1");
  hub.subscribe(quiet, "wallet pid 2");
  hub.stopNamed("wallet pid 1");
  assert.equal(hub.subscriberCount, 1);
  hub.close();
  assert.equal(hub.subscriberCount, 0);
});
