/**
 * Compares a server's `help dump_all_command_conversions` rows with the client's conversion
 * table, as freicoind's rpc_help test does, so that a role can check its method declarations.
 *
 * @module
 */
import type { JsonValue } from "../../rpc/json.ts";
import { RPC_CONVERT_PARAMS } from "./conversion_table.ts";

/**
 * The differences between the table and `rows` (`[method, position, name, isString]`), limited
 * to methods that appear in `rows`: non-string arguments the table lacks, and table entries the
 * server does not declare as non-string. Empty when they agree.
 *
 * @example
 * ```ts
 * import { conversionTableMismatches } from "./conversion_check.ts";
 * conversionTableMismatches([["getblockhash", 0, "height", false]]); // []
 * ```
 */
export function conversionTableMismatches(rows: readonly JsonValue[]): string[] {
  const server = new Set<string>();
  const methods = new Set<string>();
  for (const row of rows) {
    if (!Array.isArray(row) || row.length !== 4) continue;
    const [method, position, name, isString] = row;
    if (method === "echojson") continue;
    methods.add(String(method));
    if (isString === false) server.add(`${method} ${position} ${name}`);
  }
  // echojson is in the client table only to test client-side conversion (rpc_help skips it).
  const client = new Set(
    RPC_CONVERT_PARAMS.filter(([m]) => methods.has(m) && m !== "echojson").map(([m, i, n]) =>
      `${m} ${i} ${n}`
    ),
  );
  const out: string[] = [];
  for (const key of server) if (!client.has(key)) out.push(`not in the client table: ${key}`);
  for (const key of client) if (!server.has(key)) out.push(`not a non-string argument: ${key}`);
  return out.sort();
}

/**
 * Argument names that are converted in some methods and not in others (rpc_help allows only
 * `dummy` and `pst` to differ): `name: method=converted, ...` for each.
 */
export function argumentNameInconsistencies(rows: readonly JsonValue[]): string[] {
  const byName = new Map<string, [string, boolean][]>();
  for (const row of rows) {
    if (!Array.isArray(row) || row.length !== 4) continue;
    const [method, , name, isString] = row;
    const list = byName.get(String(name)) ?? [];
    list.push([String(method), isString === false]);
    byName.set(String(name), list);
  }
  const out: string[] = [];
  for (const [name, list] of byName) {
    const converted = list.map(([, c]) => c);
    if (converted.every(Boolean) === converted.some(Boolean)) continue;
    if (name === "dummy" || name === "pst") continue;
    out.push(`${name}: ${list.map(([m, c]) => `${m}=${c}`).join(", ")}`);
  }
  return out.sort();
}
