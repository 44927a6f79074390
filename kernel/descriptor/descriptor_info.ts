import { extractDestination, isValidDestination } from "../address/destination.ts";
import { encodeDestination } from "../address/key_io.ts";
import { checkChecksum } from "./checksum.ts";
import { parseDescriptor, type ParseDescriptorOptions } from "./descriptor.ts";
import { DescriptorError } from "./descriptor_error.ts";

/** The result of `getdescriptorinfo`. */
export interface DescriptorInfo {
  /** Normalized public form with checksum. */
  descriptor: string;
  /** Checksum of the input as given (without any `#` suffix). */
  checksum: string;
  isrange: boolean;
  issolvable: boolean;
  hasprivatekeys: boolean;
}

/**
 * What `getdescriptorinfo` reports for a descriptor string. Throws {@link DescriptorError} with
 * freicoind's message when it does not parse (RPC error -5).
 *
 * @example
 * ```ts
 * import { getDescriptorInfo } from "./descriptor_info.ts";
 * import { REGTEST_PREFIXES } from "../address/chain_prefixes.ts";
 * import { createPureSecp256k1 } from "../secp256k1/mod.ts";
 * getDescriptorInfo("raw(51)", { prefixes: REGTEST_PREFIXES, secp: createPureSecp256k1() })
 *   .issolvable; // false
 * ```
 */
export function getDescriptorInfo(
  text: string,
  options: Omit<ParseDescriptorOptions, "requireChecksum">,
): DescriptorInfo {
  const desc = parseDescriptor(text, options);
  return {
    descriptor: desc.toString(),
    checksum: checkChecksum(text, false).checksum,
    isrange: desc.isRange,
    issolvable: desc.isSolvable,
    hasprivatekeys: desc.hasPrivateKeys,
  };
}

/** Why `deriveaddresses` refused its arguments: a bad descriptor or a bad range. */
export type DeriveAddressesFailure = "invalid_address_or_key" | "invalid_parameter";

/** A `deriveaddresses` failure with freicoind's message and the RPC error class it maps to. */
export class DeriveAddressesError extends DescriptorError {
  /** -5 (`invalid_address_or_key`) or -8 (`invalid_parameter`). */
  readonly kind: DeriveAddressesFailure;
  /** Creates the error with freicoind's message. */
  constructor(kind: DeriveAddressesFailure, message: string) {
    super(message);
    this.name = "DeriveAddressesError";
    this.kind = kind;
  }
}

/**
 * The addresses of a descriptor, as `deriveaddresses` computes them: the descriptor must carry
 * its checksum; `range` ([begin, end], inclusive) is required exactly when the descriptor is
 * ranged. P2PK scripts of `combo()` are skipped.
 */
export function deriveAddresses(
  text: string,
  options: Omit<ParseDescriptorOptions, "requireChecksum">,
  range?: readonly [number, number],
): string[] {
  let desc;
  try {
    desc = parseDescriptor(text, { ...options, requireChecksum: true });
  } catch (error) {
    if (error instanceof DescriptorError) {
      throw new DeriveAddressesError("invalid_address_or_key", error.message);
    }
    throw error;
  }
  if (!desc.isRange && range !== undefined) {
    throw new DeriveAddressesError(
      "invalid_parameter",
      "Range should not be specified for an un-ranged descriptor",
    );
  }
  if (desc.isRange && range === undefined) {
    throw new DeriveAddressesError(
      "invalid_parameter",
      "Range must be specified for a ranged descriptor",
    );
  }
  const [begin, end] = range ?? [0, 0];
  const addresses: string[] = [];
  for (let i = begin; i <= end; i++) {
    const scripts = desc.expand(i);
    if (scripts === null) {
      throw new DeriveAddressesError(
        "invalid_address_or_key",
        "Cannot derive script without private keys",
      );
    }
    for (const script of scripts) {
      const dest = extractDestination(script);
      if (!isValidDestination(dest)) {
        if (scripts.length > 1 && dest.kind === "PubKeyDestination") continue;
        throw new DeriveAddressesError(
          "invalid_address_or_key",
          "Descriptor does not have a corresponding address",
        );
      }
      addresses.push(encodeDestination(dest, options.prefixes));
    }
  }
  return addresses;
}

/**
 * Validates the `range` argument of `deriveaddresses`/`scantxoutset`-style RPCs
 * (`ParseDescriptorRange`): a number `n` means [0, n]; otherwise `[begin, end]`.
 * Throws {@link DeriveAddressesError} (`invalid_parameter`) with freicoind's messages.
 */
export function parseDescriptorRange(value: unknown): [number, number] {
  let low: number;
  let high: number;
  if (typeof value === "number") {
    [low, high] = [0, value];
  } else if (
    Array.isArray(value) && value.length === 2 && typeof value[0] === "number" &&
    typeof value[1] === "number"
  ) {
    [low, high] = [value[0], value[1]];
    if (low > high) {
      throw new DeriveAddressesError(
        "invalid_parameter",
        "Range specified as [begin,end] must not have begin after end",
      );
    }
  } else {
    throw new DeriveAddressesError(
      "invalid_parameter",
      "Range must be specified as end or as [begin,end]",
    );
  }
  if (low < 0) {
    throw new DeriveAddressesError("invalid_parameter", "Range should be greater or equal than 0");
  }
  if (high >= 2 ** 31) {
    throw new DeriveAddressesError("invalid_parameter", "End of range is too high");
  }
  if (high >= low + 1000000) {
    throw new DeriveAddressesError("invalid_parameter", "Range is too large");
  }
  return [low, high];
}
