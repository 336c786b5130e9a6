import { createHash, createSecretKey, KeyObject } from 'node:crypto';

/** A secret's id in a token's `kid` header: names the secret without revealing anything of it. */
export function secretKid(secret: string): string {
  return createHash('sha256').update(`harbourwatch jwt kid\0${secret}`).digest('base64url').slice(0, 16);
}

/**
 * The access tokens' keys: the current JWT_SECRET signs (its id in each token's `kid`), it and those a
 * rotation replaced (JWT_SECRET_PREVIOUS) verify, so sessions outlive a rotation until their tokens expire.
 */
export class JwtKeys {
  readonly kid: string;
  private readonly byKid: Map<string, KeyObject>;

  constructor(secrets: readonly string[]) {
    this.kid = secretKid(secrets[0]);
    // KeyObjects: given a string, jsonwebtoken first tries (and fails) to parse it as a public key on
    // every single verification.
    this.byKid = new Map(secrets.map((s) => [secretKid(s), createSecretKey(Buffer.from(s))]));
  }

  /** The key a token names; one without a `kid` (issued before tokens named their key) the current one. */
  keyFor(token: string): KeyObject | null {
    let kid: unknown;
    try {
      kid = (JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')) as { kid?: unknown }).kid;
    } catch {
      return null;
    }
    if (kid === undefined) return this.byKid.get(this.kid)!;
    return typeof kid === 'string' ? (this.byKid.get(kid) ?? null) : null;
  }
}
