/**
 * Amounts in kria (`bigint`), their range check, demurrage (time-adjusted
 * value), and the RPC text forms.
 *
 * @module
 */
export * from "./amount.ts";
export * from "./demurrage.ts";
export * from "./format_amount.ts";
export * from "./parse_amount.ts";
export * from "./money_string.ts";
