import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig, RawConfig } from './config';

/**
 * Outside production a missing secret is generated once and kept in DATA_DIR, so tokens and encrypted
 * columns survive restarts of a developer's embedded setup. Production refuses to start without them
 * (see configSchema).
 */
function persistedSecret(dataDir: string, name: string, make: () => string): string {
  const file = join(dataDir, 'secrets', name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(join(dataDir, 'secrets'), { recursive: true, mode: 0o700 });
  // Written aside, then linked into place: when two processes start at once, the first link wins
  // and both read the same complete value.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, make(), { mode: 0o600 });
  try {
    linkSync(draft, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(draft);
  }
  return readFileSync(file, 'utf8').trim();
}

/** A base64 key and those a rotation replaced (comma-separated, newest first), current first. */
const withPrevious = (current: string, previous: string | undefined): Buffer[] =>
  [current, ...(previous?.split(',') ?? [])].map((k) => Buffer.from(k, 'base64'));

export function resolveConfig(raw: RawConfig): AppConfig {
  const jwtSecret =
    raw.JWT_SECRET ?? persistedSecret(raw.DATA_DIR, 'jwt-secret', () => randomBytes(48).toString('base64url'));
  const key =
    raw.ENCRYPTION_KEY ?? persistedSecret(raw.DATA_DIR, 'encryption-key', () => randomBytes(32).toString('base64'));
  const pseudonymKey =
    raw.VETTING_PSEUDONYM_KEY ??
    persistedSecret(raw.DATA_DIR, 'vetting-pseudonym-key', () => randomBytes(32).toString('base64'));
  const auditKey =
    raw.AUDIT_SIGNING_KEY ??
    persistedSecret(raw.DATA_DIR, 'audit-signing-key', () => randomBytes(32).toString('base64'));
  const instanceKey =
    raw.INSTANCE_SIGNING_KEY ??
    persistedSecret(raw.DATA_DIR, 'instance-signing-key', () => randomBytes(32).toString('base64'));
  return {
    ...raw,
    instanceSigningKey: Buffer.from(instanceKey, 'base64'),
    auditSigningKey: Buffer.from(auditKey, 'base64'),
    auditSigningKeys: withPrevious(auditKey, raw.AUDIT_SIGNING_KEY_PREVIOUS),
    pseudonymKey: Buffer.from(pseudonymKey, 'base64'),
    pseudonymKeys: withPrevious(pseudonymKey, raw.VETTING_PSEUDONYM_KEY_PREVIOUS),
    jwtSecret,
    jwtSecrets: [jwtSecret, ...(raw.JWT_SECRET_PREVIOUS?.split(',') ?? [])],
    encryptionKey: Buffer.from(key, 'base64'),
    encryptionKeys: withPrevious(key, raw.ENCRYPTION_KEY_PREVIOUS),
    publicUrl: (raw.PUBLIC_URL ?? `http://localhost:${raw.PORT}`).replace(/\/$/, ''),
    introspection: raw.GRAPHQL_INTROSPECTION ?? raw.NODE_ENV !== 'production',
  };
}
