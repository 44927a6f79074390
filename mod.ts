/**
 * freicoin for Deno: a Freicoin full node whose node, wallet and GUI run as separate,
 * sandboxed processes that talk Cap'n Proto.
 *
 * Run as a program, this module picks the role from the executable name or the first
 * argument and hands over to it.
 *
 * @module
 */
