import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema, parseEnv } from './config';

describe('configuration', () => {
  it('has working defaults for a developer machine', () => {
    const c = parseEnv({});
    expect(c).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      EMBEDDED_PG_PORT: 54329,
      ACCESS_TOKEN_TTL_SECONDS: 900,
    });
  });

  it('refuses to start in production without secrets, naming each missing one', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(
      /JWT_SECRET is required[\s\S]*ENCRYPTION_KEY is required[\s\S]*VETTING_PSEUDONYM_KEY is required[\s\S]*AUDIT_SIGNING_KEY is required[\s\S]*DATABASE_URL/,
    );
  });

  it('requires the schema owner next to the application role', () => {
    expect(() => parseEnv({ DATABASE_URL: 'postgres://app@db/hw' })).toThrow(
      /DATABASE_OWNER_URL is required with DATABASE_URL/,
    );
  });

  it('names the variable that is wrong', () => {
    expect(() => parseEnv({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => parseEnv({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET must be at least 32 characters/);
    expect(() => parseEnv({ ENCRYPTION_KEY: 'abc' })).toThrow(/ENCRYPTION_KEY must be 32 bytes/);
  });

  it('is documented variable by variable in docs/configuration.md', () => {
    const section = readFileSync(join(__dirname, '..', '..', 'docs', 'configuration.md'), 'utf8');
    const documented = [...section.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]).sort();
    expect(documented).toEqual(Object.keys(configSchema.shape).sort());
  });
});
