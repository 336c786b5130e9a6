import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig, RawConfig } from './config';

/**
 * Outside production a missing secret is generated once and kept in DATA_DIR, so tokens and encrypted
 * columns survive restarts of a developer's embedded setup. Production refuses to start without them
 * (see configSchema).
 */
function persistedSecret(dataDir: string, name: string, make: () => string): string {
  const file = join(dataDir, 'secrets', name);
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(dataDir, { recursive: true });
    mkdirSync(join(dataDir, 'secrets'), { recursive: true, mode: 0o700 });
    const value = make();
    writeFileSync(file, value, { mode: 0o600, flag: 'wx' });
    return value;
  }
}

export function resolveConfig(raw: RawConfig): AppConfig {
  const jwtSecret = raw.JWT_SECRET ?? persistedSecret(raw.DATA_DIR, 'jwt-secret', () => randomBytes(48).toString('base64url'));
  const key = raw.ENCRYPTION_KEY ?? persistedSecret(raw.DATA_DIR, 'encryption-key', () => randomBytes(32).toString('base64'));
  return {
    ...raw,
    jwtSecret,
    encryptionKey: Buffer.from(key, 'base64'),
    publicUrl: (raw.PUBLIC_URL ?? `http://localhost:${raw.PORT}`).replace(/\/$/, ''),
    introspection: raw.GRAPHQL_INTROSPECTION ?? raw.NODE_ENV !== 'production',
  };
}
