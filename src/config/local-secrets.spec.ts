import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from './config';
import { resolveConfig } from './local-secrets';

describe('local secrets', () => {
  it('generates secrets once, keeps them private and returns the same ones afterwards', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hw-secrets-'));
    const first = resolveConfig(parseEnv({ DATA_DIR: dir }));
    const second = resolveConfig(parseEnv({ DATA_DIR: dir }));
    expect(second.jwtSecret).toBe(first.jwtSecret);
    expect(second.encryptionKey.equals(first.encryptionKey)).toBe(true);
    expect(first.encryptionKey).toHaveLength(32);
    expect(second.pseudonymKey.equals(first.pseudonymKey)).toBe(true);
    expect(second.auditSigningKey.equals(first.auditSigningKey)).toBe(true);
    expect(readFileSync(join(dir, 'secrets', 'jwt-secret'), 'utf8')).toBe(first.jwtSecret);
    expect(statSync(join(dir, 'secrets', 'jwt-secret')).mode & 0o077).toBe(0);
  });

  it('uses configured secrets without touching the disk', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'hw-secrets-')), 'absent');
    const c = resolveConfig(
      parseEnv({
        DATA_DIR: dir,
        JWT_SECRET: 'x'.repeat(32),
        ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
        VETTING_PSEUDONYM_KEY: Buffer.alloc(32, 2).toString('base64'),
        AUDIT_SIGNING_KEY: Buffer.alloc(32, 3).toString('base64'),
        INSTANCE_SIGNING_KEY: Buffer.alloc(32, 4).toString('base64'),
      }),
    );
    expect(c.jwtSecret).toBe('x'.repeat(32));
    expect(c.pseudonymKey.equals(Buffer.alloc(32, 2))).toBe(true);
    expect(c.auditSigningKey.equals(Buffer.alloc(32, 3))).toBe(true);
    expect(() => statSync(dir)).toThrow();
  });
});
