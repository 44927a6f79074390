/**
 * A descriptor that cannot be parsed or used. The message is freicoind's own text (what
 * `getdescriptorinfo`, `deriveaddresses` and `importdescriptors` report), e.g.
 * "Can only have wpk() at top level".
 *
 * @example
 * ```ts
 * import { DescriptorError } from "./descriptor_error.ts";
 * new DescriptorError("Missing checksum").name; // "DescriptorError"
 * ```
 */
export class DescriptorError extends Error {
  /** Creates a descriptor error with freicoind's message. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DescriptorError";
  }
}
