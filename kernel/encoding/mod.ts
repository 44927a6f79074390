/**
 * Byte-level encoding shared by every kernel codec: hex, a bounds-checked
 * reader, a growable writer, and the error decoders throw.
 *
 * @module
 */
export * from "./bytes.ts";
export * from "./byte_reader.ts";
export * from "./byte_writer.ts";
export * from "./decode_error.ts";
export * from "./hex.ts";
