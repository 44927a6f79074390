/**
 * The BIP324 packet cipher (`BIP324Cipher`, src/bip324.h): key derivation from the
 * ElligatorSwift ECDH secret, the length cipher and packet AEAD in each direction, the
 * garbage terminators and the session id.
 *
 * @module
 */
import {
  AEAD_EXPANSION,
  ELLSWIFT_SIZE,
  ellswiftCreate,
  ellswiftXdh,
  FSChaCha20,
  FSChaCha20Poly1305,
  HkdfSha256L32,
} from "../../../../kernel/crypto/mod.ts";

/** Bytes of the encrypted length prefix. */
export const LENGTH_LEN = 3;
/** Bytes of the encrypted header (the ignore bit). */
export const HEADER_LEN = 1;
/** Bytes a packet adds to its contents: length, header and tag. */
export const BIP324_EXPANSION = LENGTH_LEN + HEADER_LEN + AEAD_EXPANSION;
/** Bytes of each garbage terminator. */
export const GARBAGE_TERMINATOR_LEN = 16;
/** Bytes of the session id. */
export const SESSION_ID_LEN = 32;
/** Packets (or length chunks) between rekeys. */
export const REKEY_INTERVAL = 224;
/** Header bit marking a decoy packet the receiver must ignore. */
export const IGNORE_BIT = 0x80;
/** Freicoin's HKDF salt prefix; the network magic follows it (bip324.cpp). */
export const FREICOIN_SALT_PREFIX = "freicoin_v2_shared_secret";

/** Options of {@linkcode Bip324Cipher.initialize}. */
export interface Bip324InitializeOptions {
  /** Swap directions so a cipher can decrypt what it encrypts (tests only). Default false. */
  readonly selfDecrypt?: boolean;
  /**
   * The salt's text before the magic. Default {@linkcode FREICOIN_SALT_PREFIX}; the BIP324
   * (Bitcoin) vectors use "bitcoin_v2_shared_secret".
   */
  readonly saltPrefix?: string;
}

/** A decrypted packet. */
export interface DecryptedPacket {
  readonly contents: Uint8Array;
  /** The ignore bit: a decoy the receiver drops. */
  readonly ignore: boolean;
}

interface Keys {
  readonly sendLength: FSChaCha20;
  readonly sendPacket: FSChaCha20Poly1305;
  readonly receiveLength: FSChaCha20;
  readonly receivePacket: FSChaCha20Poly1305;
  readonly sendGarbageTerminator: Uint8Array;
  readonly receiveGarbageTerminator: Uint8Array;
  readonly sessionId: Uint8Array;
}

/** One side's BIP324 cipher state. Not usable for packets until {@linkcode initialize}. */
export class Bip324Cipher {
  #privateKey: Uint8Array | null;
  readonly #ourPublicKey: Uint8Array;
  #keys: Keys | null = null;

  /**
   * Creates a cipher for `privateKey` (32 bytes). The ElligatorSwift encoding of its public
   * key is `ourEllswift` when given, else made from `entropy` (32 random bytes).
   */
  constructor(
    privateKey: Uint8Array,
    encoding: { ourEllswift: Uint8Array } | { entropy: Uint8Array },
  ) {
    this.#privateKey = privateKey.slice();
    this.#ourPublicKey = "ourEllswift" in encoding
      ? encoding.ourEllswift.slice()
      : ellswiftCreate(privateKey, encoding.entropy);
    if (this.#ourPublicKey.length !== ELLSWIFT_SIZE) {
      throw new RangeError("ellswift key is 64 bytes");
    }
  }

  /** Our 64-byte ElligatorSwift public key, sent first in the handshake. */
  get ourPublicKey(): Uint8Array {
    return this.#ourPublicKey;
  }

  /** Whether {@linkcode initialize} has run. */
  get initialized(): boolean {
    return this.#keys !== null;
  }

  /**
   * Derives all keys from the ECDH with `theirEllswift` and the HKDF salt
   * `"freicoin_v2_shared_secret" ‖ magic`. The private key is forgotten afterwards.
   */
  initialize(
    theirEllswift: Uint8Array,
    initiating: boolean,
    magic: Uint8Array,
    options: Bip324InitializeOptions = {},
  ): void {
    if (this.#privateKey === null) throw new Error("BIP324 cipher already initialized");
    if (theirEllswift.length !== ELLSWIFT_SIZE) throw new RangeError("ellswift key is 64 bytes");
    const ecdhSecret = initiating
      ? ellswiftXdh(this.#ourPublicKey, theirEllswift, this.#privateKey, true)
      : ellswiftXdh(theirEllswift, this.#ourPublicKey, this.#privateKey, false);
    const prefix = new TextEncoder().encode(options.saltPrefix ?? FREICOIN_SALT_PREFIX);
    const salt = new Uint8Array(prefix.length + magic.length);
    salt.set(prefix);
    salt.set(magic, prefix.length);
    const hkdf = new HkdfSha256L32(ecdhSecret, salt);
    // `side` picks which labelled keys we send with; selfDecrypt flips it for tests.
    const side = initiating !== (options.selfDecrypt ?? false);
    const initiatorLength = new FSChaCha20(hkdf.expand32("initiator_L"), REKEY_INTERVAL);
    const initiatorPacket = new FSChaCha20Poly1305(hkdf.expand32("initiator_P"), REKEY_INTERVAL);
    const responderLength = new FSChaCha20(hkdf.expand32("responder_L"), REKEY_INTERVAL);
    const responderPacket = new FSChaCha20Poly1305(hkdf.expand32("responder_P"), REKEY_INTERVAL);
    const terminators = hkdf.expand32("garbage_terminators");
    const initiatorTerminator = terminators.slice(0, GARBAGE_TERMINATOR_LEN);
    const responderTerminator = terminators.slice(32 - GARBAGE_TERMINATOR_LEN);
    this.#keys = {
      sendLength: side ? initiatorLength : responderLength,
      sendPacket: side ? initiatorPacket : responderPacket,
      receiveLength: side ? responderLength : initiatorLength,
      receivePacket: side ? responderPacket : initiatorPacket,
      // The terminators follow the real role, not selfDecrypt (as the reference).
      sendGarbageTerminator: initiating ? initiatorTerminator : responderTerminator,
      receiveGarbageTerminator: initiating ? responderTerminator : initiatorTerminator,
      sessionId: hkdf.expand32("session_id"),
    };
    this.#privateKey.fill(0);
    this.#privateKey = null;
  }

  /** The 32-byte session id both sides share. */
  get sessionId(): Uint8Array {
    return this.#initializedKeys().sessionId;
  }

  /** The 16 bytes we send after our garbage. */
  get sendGarbageTerminator(): Uint8Array {
    return this.#initializedKeys().sendGarbageTerminator;
  }

  /** The 16 bytes that end the peer's garbage. */
  get receiveGarbageTerminator(): Uint8Array {
    return this.#initializedKeys().receiveGarbageTerminator;
  }

  /** Encrypts one packet: `encrypted length(3) ‖ AEAD(header ‖ contents, aad)`. */
  encrypt(contents: Uint8Array, aad: Uint8Array, ignore: boolean): Uint8Array {
    const keys = this.#initializedKeys();
    if (contents.length >= 1 << 24) throw new RangeError("BIP324 packet contents too long");
    const length = new Uint8Array([
      contents.length & 0xff,
      (contents.length >>> 8) & 0xff,
      (contents.length >>> 16) & 0xff,
    ]);
    const out = new Uint8Array(contents.length + BIP324_EXPANSION);
    out.set(keys.sendLength.crypt(length), 0);
    const header = new Uint8Array([ignore ? IGNORE_BIT : 0]);
    out.set(keys.sendPacket.encrypt([header, contents], aad), LENGTH_LEN);
    return out;
  }

  /** Decrypts the 3-byte length prefix of the next packet (the contents length). */
  decryptLength(input: Uint8Array): number {
    const keys = this.#initializedKeys();
    if (input.length !== LENGTH_LEN) throw new RangeError("length prefix is 3 bytes");
    const length = keys.receiveLength.crypt(input);
    return length[0] | (length[1] << 8) | (length[2] << 16);
  }

  /**
   * Decrypts the rest of a packet (everything after the length prefix); `null` when it does
   * not authenticate.
   */
  decrypt(input: Uint8Array, aad: Uint8Array): DecryptedPacket | null {
    const keys = this.#initializedKeys();
    if (input.length < HEADER_LEN + AEAD_EXPANSION) return null;
    const plaintext = keys.receivePacket.decrypt(input, aad);
    if (plaintext === null) return null;
    return {
      contents: plaintext.subarray(HEADER_LEN),
      ignore: (plaintext[0] & IGNORE_BIT) === IGNORE_BIT,
    };
  }

  #initializedKeys(): Keys {
    if (this.#keys === null) throw new Error("BIP324 cipher not initialized");
    return this.#keys;
  }
}
