/**
 * Wallet encryption: a random 32-byte master key encrypts every private descriptor
 * (AES-256-GCM); the master key itself is encrypted with a key derived from the passphrase
 * (PBKDF2-HMAC-SHA512). freicoind uses SHA-512 key derivation and AES-256-CBC in its own
 * record format; ours is a different, authenticated format of the same idea, stored in
 * `meta.encryption` and `descriptors.secret`.
 *
 * @module
 */
import { createCipheriv, createDecipheriv, pbkdf2Sync, randomBytes } from "node:crypto";
import { bytesToHex, concatBytes, hexToBytes } from "../../kernel/encoding/mod.ts";

/** PBKDF2 rounds for new passphrases. */
export const KDF_ITERATIONS = 50_000;

/** What `meta.encryption` stores. */
export interface EncryptionRecord {
  readonly salt: string;
  readonly iterations: number;
  /** The master key, encrypted with the passphrase key: hex of iv ‖ ciphertext ‖ tag. */
  readonly masterKey: string;
}

/** Encrypts with AES-256-GCM; returns iv(12) ‖ ciphertext ‖ tag(16). */
export function encryptBytes(key: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const iv = new Uint8Array(randomBytes(12));
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = new Uint8Array(cipher.update(plaintext));
  const final = new Uint8Array(cipher.final());
  return concatBytes(iv, body, final, new Uint8Array(cipher.getAuthTag()));
}

/** Decrypts what {@linkcode encryptBytes} made, or null when the key is wrong. */
export function decryptBytes(key: Uint8Array, blob: Uint8Array): Uint8Array | null {
  if (blob.length < 28) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, blob.subarray(0, 12));
    decipher.setAuthTag(blob.subarray(blob.length - 16));
    const body = new Uint8Array(decipher.update(blob.subarray(12, blob.length - 16)));
    return concatBytes(body, new Uint8Array(decipher.final()));
  } catch {
    return null;
  }
}

function passphraseKey(passphrase: string, salt: Uint8Array, iterations: number): Uint8Array {
  return new Uint8Array(pbkdf2Sync(passphrase, salt, iterations, 32, "sha512"));
}

/** A new master key and its record for `passphrase`. */
export function newEncryption(
  passphrase: string,
): { masterKey: Uint8Array; record: EncryptionRecord } {
  const masterKey = new Uint8Array(randomBytes(32));
  return { masterKey, record: sealMasterKey(masterKey, passphrase) };
}

/** The record holding `masterKey` under `passphrase` (new salt). */
export function sealMasterKey(masterKey: Uint8Array, passphrase: string): EncryptionRecord {
  const salt = new Uint8Array(randomBytes(16));
  const key = passphraseKey(passphrase, salt, KDF_ITERATIONS);
  return {
    salt: bytesToHex(salt),
    iterations: KDF_ITERATIONS,
    masterKey: bytesToHex(encryptBytes(key, masterKey)),
  };
}

/** The master key, or null when the passphrase is wrong. */
export function openMasterKey(record: EncryptionRecord, passphrase: string): Uint8Array | null {
  const key = passphraseKey(passphrase, hexToBytes(record.salt), record.iterations);
  return decryptBytes(key, hexToBytes(record.masterKey));
}
