import { DecodeError } from "../encoding/mod.ts";

/** Writes bits most-significant first into bytes (`BitStreamWriter`). */
export class BitWriter {
  readonly #bytes: number[] = [];
  #current = 0;
  #used = 0;

  /** Appends the low `count` bits of `value` (count <= 32), most significant first. */
  write(value: number, count: number): void {
    for (let i = count - 1; i >= 0; i--) {
      // Bits above 31 of a number are not reachable with >>>; split explicitly.
      const bit = i >= 32 ? 0 : (value >>> i) & 1;
      this.#current = (this.#current << 1) | bit;
      if (++this.#used === 8) {
        this.#bytes.push(this.#current);
        this.#current = 0;
        this.#used = 0;
      }
    }
  }

  /** Appends `count` one bits. */
  writeOnes(count: number): void {
    for (let i = 0; i < count; i++) this.write(1, 1);
  }

  /** Pads the last byte with zeros and returns everything written. */
  finish(): Uint8Array {
    if (this.#used > 0) {
      this.#bytes.push(this.#current << (8 - this.#used));
      this.#current = 0;
      this.#used = 0;
    }
    return Uint8Array.from(this.#bytes);
  }
}

/** Reads bits most-significant first (`BitStreamReader`); throws at the end of the data. */
export class BitReader {
  readonly #data: Uint8Array;
  #bitPos = 0;

  /** Reads from `data` starting at `byteOffset`. */
  constructor(data: Uint8Array, byteOffset = 0) {
    this.#data = data;
    this.#bitPos = byteOffset * 8;
  }

  /** Reads one bit. */
  readBit(): number {
    const byte = this.#bitPos >>> 3;
    if (byte >= this.#data.length) throw new DecodeError("end of data");
    const bit = (this.#data[byte] >>> (7 - (this.#bitPos & 7))) & 1;
    this.#bitPos++;
    return bit;
  }

  /** Reads `count` bits (count <= 32) as an unsigned number. */
  read(count: number): number {
    let value = 0;
    for (let i = 0; i < count; i++) value = value * 2 + this.readBit();
    return value;
  }

  /** Bytes touched so far (a partly read byte counts as consumed, like the reference). */
  get bytesConsumed(): number {
    return Math.ceil(this.#bitPos / 8);
  }
}

/** Golomb-Rice codes `value` with parameter `p`: unary quotient, then `p` remainder bits. */
export function golombRiceEncode(writer: BitWriter, p: number, value: number): void {
  const quotient = Math.floor(value / 2 ** p);
  writer.writeOnes(quotient);
  writer.write(0, 1);
  writer.write(value % 2 ** p, p);
}

/** Reads one Golomb-Rice coded value with parameter `p`. */
export function golombRiceDecode(reader: BitReader, p: number): number {
  let quotient = 0;
  while (reader.readBit() === 1) quotient++;
  return quotient * 2 ** p + reader.read(p);
}
