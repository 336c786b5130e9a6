import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** A key's public name: what a sealed value or a pseudonym records of the key, never the key. */
export const keyIdOf = (key: Buffer, purpose: string): string =>
  createHash('sha256').update(`harbourwatch ${purpose} key id\0`).update(key).digest('base64url').slice(0, 12);

/**
 * AES-256-GCM sealing of small secrets at rest (TOTP seeds, identities) under the keys from config:
 * the first seals, every one opens, so values sealed before a rotation stay readable until the rotation
 * job (operations/key-rotation.service.ts) seals them again. Format: `v2.<key id>.<iv>.<tag>.<ciphertext>`
 * in base64url (`v1` values, from before values named their key, have no key id); `context` is bound as
 * associated data so a value copied to another column or row does not decrypt.
 */
export class SecretBox {
  private readonly keys: Map<string, Buffer>;
  /** What every value sealed under the current key starts with. */
  readonly currentPrefix: string;

  constructor(keys: Buffer | readonly Buffer[]) {
    const list = Buffer.isBuffer(keys) ? [keys] : keys;
    if (!list.length || list.some((k) => k.length !== 32)) throw new Error('SecretBox needs 32-byte keys');
    this.keys = new Map(list.map((k) => [keyIdOf(k, 'sealing'), k]));
    this.currentPrefix = `v2.${keyIdOf(list[0], 'sealing')}.`;
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.values().next().value!, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return this.currentPrefix + [iv, cipher.getAuthTag(), body].map((p) => p.toString('base64url')).join('.');
  }

  open(sealed: string, context: string): string {
    const parts = sealed.split('.');
    if (parts[0] === 'v2' && parts.length === 5) {
      const key = this.keys.get(parts[1]);
      if (!key) throw new Error('Sealed under a key that is not configured');
      return decrypt(key, parts.slice(2), context);
    }
    if (parts[0] === 'v1' && parts.length === 4) {
      // The tag authenticates: only the key that sealed it opens it.
      for (const key of this.keys.values()) {
        try {
          return decrypt(key, parts.slice(1), context);
        } catch {
          continue;
        }
      }
      throw new Error('Sealed under a key that is not configured');
    }
    throw new Error('Unknown sealed format');
  }

  /** Whether `sealed` is under the current key already. */
  isCurrent(sealed: string): boolean {
    return sealed.startsWith(this.currentPrefix);
  }
}

function decrypt(key: Buffer, [iv, tag, body]: string[], context: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

export const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();

/** A URL-safe random token with `bytes` of entropy. */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');
