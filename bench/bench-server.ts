import { createHmac } from 'node:crypto';
import { JWT_AUDIENCE, JWT_ISSUER } from '../src/auth/jwt.strategy';

/** Waits until `url` answers 2xx; throws after `timeoutMs` (the benchmark's server did not come up). */
export async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up`);
}

/**
 * An access token as the server issues it (HS256 under its JWT_SECRET) for a session the benchmark
 * seeded in the database: thousands of users signed in without thousands of password hashes.
 */
export function accessToken(
  secret: string,
  claims: { sub: string; sid: string; org: string },
  ttlSeconds: number,
): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc({ ...claims, iss: JWT_ISSUER, aud: JWT_AUDIENCE, iat: now, exp: now + ttlSeconds })}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}
