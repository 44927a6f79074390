// Every transaction of the reference's tx_valid.json, tx_invalid.json and
// sighash.json must deserialize (with witness) and consume its whole buffer,
// as the reference harness requires; canonical ones re-encode byte for byte.
import assert from "node:assert/strict";
import { decodeTransaction } from "./transaction.ts";
import { bytesToHex, hexToBytes } from "../encoding/hex.ts";
import { loadVectors } from "./_test_vectors.ts";

function transactionsOf(rows: unknown[], column: number): string[] {
  return rows
    .filter((row): row is unknown[] => Array.isArray(row) && typeof row[column] === "string")
    .filter((row) => row.length >= 3)
    .map((row) => row[column] as string);
}

for (
  const [file, column] of [["tx_valid.json", 1], ["tx_invalid.json", 1], [
    "sighash.json",
    0,
  ]] as const
) {
  Deno.test(`decodes every transaction of ${file}`, () => {
    const hexes = transactionsOf(loadVectors(file), column);
    assert.ok(hexes.length > 50);
    let nonCanonical = 0;
    hexes.forEach((hex, index) => {
      const tx = decodeTransaction(hexToBytes(hex));
      const encoded = bytesToHex(tx.toBytes());
      if (encoded !== hex.toLowerCase()) {
        nonCanonical++;
        // The only freedom the decoder accepts is the marker with flags 0.
        assert.equal(hex.slice(8, 12).toLowerCase(), "ff00", `${file}[${index}]`);
      }
      assert.equal(bytesToHex(decodeTransaction(tx.toBytes()).toBytes()), encoded);
    });
    assert.ok(nonCanonical <= 2);
  });
}
