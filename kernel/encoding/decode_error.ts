/**
 * The error every kernel decoder throws for malformed input: truncated data,
 * non-canonical encodings, oversized lengths, trailing bytes, unknown flags.
 *
 * The message is the reference's own text where the reference has one
 * (for example "non-canonical ReadCompactSize()" or "Superfluous witness record").
 *
 * @example
 * ```ts
 * import { DecodeError } from "./decode_error.ts";
 * const error = new DecodeError("end of data");
 * console.assert(error.name === "DecodeError");
 * ```
 */
export class DecodeError extends Error {
  /** Creates a decode error with the given reason. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DecodeError";
  }
}
