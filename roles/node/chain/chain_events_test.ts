import assert from "node:assert/strict";
import type { Logger } from "../../../cli/logger.ts";
import { NULL_LOGGER } from "../../../cli/logger.ts";
import { ChainEvents } from "./chain_events.ts";
import type { BlockIndexEntry } from "./block_index_entry.ts";

Deno.test("a throwing listener is logged and the others still hear the event", () => {
  const errors: string[] = [];
  const logger: Logger = { ...NULL_LOGGER, error: (m) => void errors.push(String(m)) };
  const events = new ChainEvents(logger);
  const heard: number[] = [];
  events.subscribe({
    updatedTip: () => {
      throw new Error("listener bug");
    },
  });
  using _second = events.subscribe({ updatedTip: (tip) => void heard.push(tip.height) });
  events.emit("updatedTip", { height: 7 } as BlockIndexEntry, undefined, false);
  assert.deepEqual(heard, [7]);
  assert.equal(errors.length, 1);
  assert.match(errors[0], /updatedTip failed: Error: listener bug/);
});

Deno.test("disconnect and dispose stop delivery", () => {
  const events = new ChainEvents(NULL_LOGGER);
  const heard: number[] = [];
  const subscription = events.subscribe({ updatedTip: (tip) => void heard.push(tip.height) });
  {
    using _scoped = events.subscribe({ updatedTip: (tip) => void heard.push(-tip.height) });
    events.emit("updatedTip", { height: 1 } as BlockIndexEntry, undefined, false);
  }
  subscription.disconnect();
  events.emit("updatedTip", { height: 2 } as BlockIndexEntry, undefined, false);
  assert.deepEqual(heard, [1, -1]);
});
