// The interpreter's stand-in for the reference's C++ exceptions.
import { decodeScriptNum } from "./script_num.ts";

/** Thrown where the reference throws (bad numbers, stack underflow); the interpreter reports UNKNOWN_ERROR. */
export class ScriptException extends Error {
  override name = "ScriptException";
}

/** Decodes a script number, turning a decoding failure into a {@link ScriptException}. */
export function scriptNum(bytes: Uint8Array, requireMinimal: boolean, maxSize = 4): number {
  try {
    return decodeScriptNum(bytes, requireMinimal, maxSize);
  } catch {
    throw new ScriptException("script number");
  }
}
