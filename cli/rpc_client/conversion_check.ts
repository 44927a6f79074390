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
    methods.add(String(method));
    if (isString === false) server.add(`${method} ${position} ${name}`);
  }
  const client = new Set(
    RPC_CONVERT_PARAMS.filter(([m]) => methods.has(m)).map(([m, i, n]) => `${m} ${i} ${n}`),
  );
  const out: string[] = [];
  for (const key of server) if (!client.has(key)) out.push(`not in the client table: ${key}`);
  for (const key of client) if (!server.has(key)) out.push(`not a non-string argument: ${key}`);
  return out.sort();
}
