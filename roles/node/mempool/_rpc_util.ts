/**
 * Helpers shared by the mempool RPC files (not exported from mod.ts).
 */

/** Orders display-hex txids as std::set<uint256> does (by internal bytes). */
export function byInternalOrder(a: string, b: string): number {
  const x = internalHex(a);
  const y = internalHex(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Display hex to the internal byte order's hex. */
export function internalHex(displayHex: string): string {
  return displayHex.match(/../g)!.reverse().join("");
}
