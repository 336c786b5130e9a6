import argon2 from 'argon2';
import { hkdfSync, randomInt } from 'node:crypto';
import sodium from 'libsodium-wrappers';

/**
 * The cryptography of whistleblower cases (libsodium), after GlobaLeaks' per-recipient keys:
 * - each case has a random report key; its text, messages and attachments are secretboxes under it;
 * - the report key is sealed (crypto_box_seal) to the recipient organisation's X25519 public key, and
 *   separately boxed under a key the reporter's receipt derives;
 * - the organisation's private key exists only wrapped: sealed to each case handler's own X25519 key
 *   (whose private half is boxed under a key derived from the handler's password with argon2id), and
 *   boxed under a recovery key shown once to the organisation admin.
 * The server never stores a key that opens a case by itself.
 */
export const ready = sodium.ready;

export interface KeyPair {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

export function keyPair(): KeyPair {
  const { publicKey, privateKey } = sodium.crypto_box_keypair();
  return { publicKey, privateKey };
}

export const newSecretKey = (): Uint8Array => sodium.crypto_secretbox_keygen();

/** nonce || secretbox(plaintext) */
export function lock(plaintext: Uint8Array | string, key: Uint8Array): Buffer {
  const nonce = sodium.randombytes_buf(sodium.crypto_secretbox_NONCEBYTES);
  return Buffer.concat([nonce, sodium.crypto_secretbox_easy(plaintext, nonce, key)]);
}

export function unlock(sealed: Uint8Array, key: Uint8Array): Uint8Array {
  const n = sodium.crypto_secretbox_NONCEBYTES;
  return sodium.crypto_secretbox_open_easy(sealed.subarray(n), sealed.subarray(0, n), key);
}

export const unlockText = (sealed: Uint8Array, key: Uint8Array): string =>
  Buffer.from(unlock(sealed, key)).toString('utf8');

/** Anonymous public-key encryption to `publicKey` (crypto_box_seal). */
export const sealTo = (message: Uint8Array, publicKey: Uint8Array): Buffer =>
  Buffer.from(sodium.crypto_box_seal(message, publicKey));

export const openSealed = (sealed: Uint8Array, pair: KeyPair): Uint8Array =>
  sodium.crypto_box_seal_open(sealed, pair.publicKey, pair.privateKey);

/** A 32-byte key from a secret a person holds (password, receipt), with argon2id. */
export async function deriveKey(secret: string, salt: Uint8Array, length = 32): Promise<Buffer> {
  return argon2.hash(secret, {
    type: argon2.argon2id,
    raw: true,
    salt: Buffer.from(salt),
    hashLength: length,
    memoryCost: 19_456,
    timeCost: 2,
  });
}

export const randomSalt = (): Buffer => Buffer.from(sodium.randombytes_buf(16));

/** A recovery key: 32 random bytes, written as 16 groups of 4 hex digits for a person to keep on paper. */
export function newRecoveryKey(): { key: Buffer; text: string } {
  const key = Buffer.from(sodium.randombytes_buf(32));
  return { key, text: key.toString('hex').match(/.{4}/g)!.join('-') };
}

export function parseRecoveryKey(text: string): Buffer | null {
  const clean = text.toLowerCase().replace(/[^0-9a-f]/g, '');
  return clean.length === 64 ? Buffer.from(clean, 'hex') : null;
}

/** A receipt: 28 random decimal digits (93 bits) in groups of four, from the CSPRNG. */
export function newReceipt(): string {
  const digits = Array.from({ length: 28 }, () => randomInt(10)).join('');
  return digits.match(/.{4}/g)!.join(' ');
}

/** Receipts as people type them: digits only. */
export const normaliseReceipt = (receipt: string): string => receipt.replace(/\D/g, '');

/** A 32-byte key for one purpose (`info`), derived from ENCRYPTION_KEY with HKDF-SHA-256. */
export const subkey = (master: Buffer, info: string): Buffer =>
  Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
