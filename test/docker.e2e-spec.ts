/**
 * The Docker files cannot be built here, so they are checked against the code: every variable they set
 * is one the config schema reads, production's required secrets are all there, the image starts the
 * way `npm start` does, and the proxy, health checks and roles line up with the application.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { configSchema, parseEnv } from '../src/config/config';
import { APP_ROLE, OWNER_ROLE } from '../src/database/roles';

const root = join(__dirname, '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const compose = parse(read('docker/compose.yaml'), { merge: true });
const dockerfile = read('docker/Dockerfile');
const known = new Set(Object.keys(configSchema.shape));
const appServices = Object.entries(
  compose.services as Record<string, { build?: unknown; environment?: Record<string, unknown> }>,
).filter(([, service]) => service.build);

describe('docker/ files', () => {
  it('runs two application instances, each with only variables the config schema knows', () => {
    expect(appServices.map(([name]) => name)).toEqual(['app1', 'app2']);
    for (const [name, service] of appServices) {
      const unknown = Object.keys(service.environment ?? {}).filter((k) => !known.has(k));
      expect([name, unknown]).toEqual([name, []]);
    }
  });

  it('gives each instance every variable production requires, with values the schema accepts', () => {
    for (const [, service] of appServices) {
      // ${VAR:?message} and ${VAR:-default} become sample values of the right shape.
      const env = Object.fromEntries(
        Object.entries(service.environment ?? {}).map(([k, v]) => [
          k,
          String(v)
            .replace(/\$\{(JWT_SECRET|METRICS_TOKEN):\?[^}]*\}/g, 'x'.repeat(48))
            .replace(
              /\$\{(ENCRYPTION_KEY|VETTING_PSEUDONYM_KEY|AUDIT_SIGNING_KEY|INSTANCE_SIGNING_KEY):\?[^}]*\}/g,
              Buffer.alloc(32, 1).toString('base64'),
            )
            .replace(/\$\{[A-Z_]+_PASSWORD:\?[^}]*\}/g, 'secret')
            .replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1'),
        ]),
      );
      expect(() => parseEnv(env)).not.toThrow();
      expect(env.NODE_ENV).toBe('production');
      expect(env.DATABASE_URL).toContain(`${APP_ROLE}:`);
      expect(env.DATABASE_OWNER_URL).toContain(`${OWNER_ROLE}:`);
    }
  });

  it('builds an image that starts like `npm start` and checks readiness', () => {
    const start = JSON.parse(read('package.json')).scripts.start as string;
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)![1];
    expect((JSON.parse(cmd) as string[]).join(' ')).toBe(start);
    for (const [key] of dockerfile.matchAll(/^ENV (.*)$/gm)) {
      for (const name of key
        .replace(/^ENV /, '')
        .split(/\s+/)
        .map((pair) => pair.split('=')[0]))
        expect(known.has(name)).toBe(true);
    }
    expect(dockerfile).toContain('/health/ready');
    for (const [, service] of appServices)
      expect(JSON.stringify((service as { healthcheck?: unknown }).healthcheck)).toContain('/health/ready');
  });

  it('starts again a container that died: the instances, the database and the proxy', () => {
    const services = compose.services as Record<string, { restart?: string }>;
    for (const name of ['app1', 'app2', 'postgres', 'proxy'])
      expect([name, services[name].restart]).toEqual([name, 'unless-stopped']);
  });

  it('requires every database password to be set and shows the mail catcher to this host only', () => {
    const text = read('docker/compose.yaml');
    expect(text).not.toMatch(/change-me/);
    for (const name of ['POSTGRES_PASSWORD', 'OWNER_DB_PASSWORD', 'APP_DB_PASSWORD'])
      expect(text).toContain(`\${${name}:?`);
    expect((compose.services as { mail: { ports: string[] } }).mail.ports).toEqual(['127.0.0.1:8025:8025']);
  });

  it('puts both instances behind the proxy, with the roles the application connects as', () => {
    const nginx = read('docker/nginx.conf');
    for (const [name] of appServices) expect(nginx).toContain(`server ${name}:3000`);
    expect(nginx).toMatch(/access_log off;/);
    const init = read('docker/postgres-init.sh');
    expect(init).toContain(`CREATE ROLE ${OWNER_ROLE} LOGIN BYPASSRLS`);
    expect(init).toContain(`CREATE ROLE ${APP_ROLE} LOGIN NOBYPASSRLS`);
  });
});
