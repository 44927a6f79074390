import type { Destination } from "../address/destination.ts";
import type { KeyExpression } from "./key_expression.ts";
import type { MiniscriptNode } from "./miniscript.ts";

/** The parsed tree of a descriptor. */
export type DescriptorNode =
  | { readonly type: "addr"; readonly destination: Destination }
  | { readonly type: "raw"; readonly script: Uint8Array }
  | { readonly type: "pk" | "pkh" | "wpk" | "combo"; readonly key: KeyExpression }
  | {
    readonly type: "multi" | "sortedmulti";
    readonly threshold: number;
    readonly keys: readonly KeyExpression[];
  }
  | { readonly type: "sh" | "wsh"; readonly inner: DescriptorNode }
  | {
    readonly type: "miniscript";
    readonly node: MiniscriptNode;
    /** The keys the miniscript's key indices refer to, in the order they appear. */
    readonly keys: readonly KeyExpression[];
  };
