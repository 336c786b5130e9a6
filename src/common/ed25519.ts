import { createHash, createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';

/** An Ed25519 private key from its 32-byte seed (RFC 8410 PKCS#8 wraps it). */
export function ed25519Key(seed: Buffer): KeyObject {
  const pkcs8Prefix = Buffer.from('302e020100300506032b657004220420', 'hex');
  return createPrivateKey({ key: Buffer.concat([pkcs8Prefix, seed]), format: 'der', type: 'pkcs8' });
}

/** The raw 32-byte public key of an Ed25519 key (private or public). */
export const rawPublicKey = (key: KeyObject): Buffer =>
  (key.type === 'public' ? key : createPublicKey(key)).export({ format: 'der', type: 'spki' }).subarray(-32);

/** An Ed25519 public key from its raw 32 bytes. */
export const publicKeyFromRaw = (raw: Buffer): KeyObject =>
  createPublicKey({
    key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]),
    format: 'der',
    type: 'spki',
  });

/** SHA-256 over the raw public key, in hex: what people compare when they exchange keys out of band. */
export const publicKeyFingerprint = (key: KeyObject): string =>
  createHash('sha256').update(rawPublicKey(key)).digest('hex');
