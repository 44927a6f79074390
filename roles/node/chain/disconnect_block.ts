/**
 * Undoing a block on the UTXO set (`DisconnectBlock`, `ApplyTxInUndo` and `RollforwardBlock`
 * in src/validation.cpp): the chainstate uses these for reorganisations and for replaying an
 * interrupted flush.
 */

import { bytesEqual } from "../../../kernel/encoding/bytes.ts";
import { type Coin, type CoinsView, isUnspendableScript } from "../../../kernel/consensus/coins.ts";
import type { BlockUndo } from "../../../kernel/consensus/connect_block.ts";
import type { Block } from "../../../kernel/primitives/block.ts";
import { OutPoint } from "../../../kernel/primitives/outpoint.ts";

/** Outcome of a disconnect: `unclean` means the view did not hold exactly the block's effects. */
export type DisconnectResult = "ok" | "unclean" | "failed";

function sameCoin(a: Coin, b: Coin): boolean {
  return a.height === b.height && a.isCoinBase === b.isCoinBase && a.refheight === b.refheight &&
    a.output.value === b.output.value &&
    bytesEqual(a.output.scriptPubKey, b.output.scriptPubKey);
}

/**
 * Removes the outputs of `block` (at `height`) from `view` and restores the coins its inputs
 * spent, from `undo`. The caller restores `undo.previousFinalTx` as the block-final entry.
 * On "failed" the view is in an undefined state and must be discarded.
 */
export function disconnectBlock(
  block: Block,
  height: number,
  undo: BlockUndo,
  view: CoinsView,
): DisconnectResult {
  const txs = block.transactions;
  if (undo.txUndo.length + 1 !== txs.length) return "failed";
  let clean = true;
  for (let i = txs.length - 1; i >= 0; i--) {
    const tx = txs[i];
    const txid = tx.txid;
    const isCoinBase = i === 0;
    for (let n = 0; n < tx.outputs.length; n++) {
      const output = tx.outputs[n];
      if (isUnspendableScript(output.scriptPubKey)) continue;
      const spent = view.spendCoin(new OutPoint(txid, n));
      const expected: Coin = { output, height, isCoinBase, refheight: tx.lockHeight };
      if (!spent || !sameCoin(spent, expected)) clean = false;
    }
    if (i === 0) continue;
    const coins = undo.txUndo[i - 1];
    if (coins.length !== tx.inputs.length) return "failed";
    for (let j = tx.inputs.length - 1; j >= 0; j--) {
      const prevout = tx.inputs[j].prevout;
      const coin = coins[j];
      // Undo records without height metadata come only from pre-0.15 formats we never write.
      if (coin.height === 0) return "failed";
      const overwrite = view.getCoin(prevout) !== undefined;
      if (overwrite) clean = false;
      view.addCoin(prevout, coin, overwrite);
    }
  }
  return clean ? "ok" : "unclean";
}

/**
 * Re-applies a block's effects without validation (`RollforwardBlock`): every input spent,
 * every output added (each may overwrite).
 */
export function rollforwardBlock(block: Block, height: number, view: CoinsView): void {
  for (const tx of block.transactions) {
    if (!tx.isCoinBase()) {
      for (const input of tx.inputs) view.spendCoin(input.prevout);
    }
    const isCoinBase = tx.isCoinBase();
    const txid = tx.txid;
    for (let n = 0; n < tx.outputs.length; n++) {
      view.addCoin(new OutPoint(txid, n), {
        output: tx.outputs[n],
        height,
        isCoinBase,
        refheight: tx.lockHeight,
      }, true);
    }
  }
}
