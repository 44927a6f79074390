/**
 * Reading typed values out of JSON params with freicoind's error answers: a wrong JSON type is
 * code -3 "JSON value of type string is not of expected type number", a number that does not fit
 * is code -1 "JSON integer out of range".
 *
 * @module
 */
import {
  isJsonObject,
  JsonNumber,
  type JsonObject,
  type JsonTypeName,
  jsonTypeName,
  type JsonValue,
} from "./json.ts";
import { RPC_ERROR, RpcError } from "./errors.ts";

/** Throws freicoind's -3 error unless `value` has the expected UniValue type. */
export function expectJsonType(value: JsonValue | undefined, expected: JsonTypeName): void {
  const actual = jsonTypeName(value);
  if (actual !== expected) {
    throw new RpcError(
      RPC_ERROR.TYPE_ERROR,
      `JSON value of type ${actual} is not of expected type ${expected}`,
    );
  }
}

/** The value as a string, or a -3 error. */
export function getStr(value: JsonValue | undefined): string {
  expectJsonType(value, "string");
  return value as string;
}

/** The value as a boolean, or a -3 error. */
export function getBool(value: JsonValue | undefined): boolean {
  expectJsonType(value, "bool");
  return value as boolean;
}

/** The value as an array, or a -3 error. */
export function getArray(value: JsonValue | undefined): JsonValue[] {
  expectJsonType(value, "array");
  return value as JsonValue[];
}

/** The value as an object, or a -3 error. */
export function getObject(value: JsonValue | undefined): JsonObject {
  if (!isJsonObject(value)) expectJsonType(value, "object");
  return value as JsonObject;
}

/** The decimal text of a JSON number (after a -3 error for any other type). */
export function numberText(value: JsonValue | undefined): string {
  expectJsonType(value, "number");
  if (value instanceof JsonNumber) return value.text;
  return typeof value === "bigint" ? value.toString() : String(value);
}

/**
 * The value as an integer in [min, max] (default: a C++ `int`), parsed like `std::from_chars`:
 * optional `-`, digits, nothing else. `1.0` and `1e3` are "JSON integer out of range", as in
 * freicoind.
 */
export function getBigInt(
  value: JsonValue | undefined,
  min: bigint = -(2n ** 31n),
  max: bigint = 2n ** 31n - 1n,
): bigint {
  const text = numberText(value);
  if (!/^-?[0-9]+$/.test(text) || (min >= 0n && text.startsWith("-"))) {
    throw new Error("JSON integer out of range");
  }
  const n = BigInt(text);
  if (n < min || n > max) throw new Error("JSON integer out of range");
  return n;
}

/** The value as a 32-bit signed integer (freicoind's `getInt<int>`). */
export function getInt(value: JsonValue | undefined): number {
  return Number(getBigInt(value));
}

/** The value as a 64-bit signed integer (freicoind's `getInt<int64_t>`). */
export function getInt64(value: JsonValue | undefined): bigint {
  return getBigInt(value, -(2n ** 63n), 2n ** 63n - 1n);
}

/** The value as a double (freicoind's `get_real`), or "JSON double out of range". */
export function getReal(value: JsonValue | undefined): number {
  const x = Number(numberText(value));
  if (!Number.isFinite(x)) throw new Error("JSON double out of range");
  return x;
}
