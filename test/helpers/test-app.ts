import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/bootstrap';
import { openDatabase } from '../../src/database/open-database';
import { dataModel } from '../../src/entities';
import { AppConfig, parseEnv } from '../../src/config/config';
import { resolveConfig } from '../../src/config/local-secrets';
import { createDataSource } from '../../src/database/data-source';
import { OWNER_ROLE } from '../../src/database/roles';
import { SmtpSink } from './smtp-sink';

export interface GqlResult<T = any> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown } }[];
}

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  /** The owner's connection (bypasses row-level security): fixtures and inspection only. */
  dataSource: DataSource;
  smtp: SmtpSink;
  baseUrl: string;
  databaseUrl: string;
  /** The connection the application itself uses (the application role, under row-level security). */
  appDataSource: DataSource;
  urls: { app: string; owner: string; superuser: string };
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlResult<T>>;
  close(): Promise<void>;
}

/** A fresh database cloned from the migrated template (see global-setup); its URLs per role. */
export async function cloneDatabase(): Promise<{ app: string; owner: string; superuser: string }> {
  const name = `hw_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: process.env.TEST_PG_SUPERUSER_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE harbourwatch_template OWNER ${OWNER_ROLE}`);
  await admin.end();
  const at = (url: string) => url.replace(/\/[^/]+$/, `/${name}`);
  return {
    app: at(process.env.TEST_PG_APP_URL!),
    owner: at(process.env.TEST_PG_OWNER_URL!),
    superuser: at(process.env.TEST_PG_SUPERUSER_URL!),
  };
}

/**
 * Boots the real application on its own database (or, with `sameDatabaseAs`, as a second instance on
 * another's, or on a database of the test's own) and its own SMTP sink, listening on a free port.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  sameDatabaseAs?: Pick<TestApp, 'urls'>,
): Promise<TestApp> {
  const smtp = new SmtpSink();
  await smtp.start();
  const urls = sameDatabaseAs?.urls ?? (await cloneDatabase());
  const databaseUrl = urls.superuser;
  const config = resolveConfig(
    parseEnv({
      NODE_ENV: 'test',
      DATABASE_URL: urls.app,
      DATABASE_OWNER_URL: urls.owner,
      DATA_DIR: process.env.TEST_DATA_DIR,
      SMTP_URL: smtp.url,
      PUBLIC_URL: 'http://harbourwatch.test',
      LOG_LEVEL: 'error',
      LOGIN_RATE_LIMIT: '1000',
      // Reporters' proofs of work are solved in this process, on the server's event loop: keep them small.
      REPORT_POW_BITS: '8',
      ...env,
    }),
  );
  const dataSource = createDataSource(urls.owner, dataModel, 4);
  await dataSource.initialize();
  const appDataSource = await openDatabase(urls, config, dataModel);
  const app = await createApp(config, appDataSource);
  // A test that must know its address before start (a provider redirecting back) names the port.
  await app.listen(env.PORT ? Number(env.PORT) : 0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    app,
    config,
    dataSource,
    smtp,
    baseUrl,
    databaseUrl,
    appDataSource,
    urls,
    async gql(query, variables, token) {
      const res = await fetch(`${baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return res.json() as Promise<GqlResult>;
    },
    async close() {
      await app.close();
      await dataSource.destroy();
      await smtp.stop();
    },
  };
}

/** The `extensions.code` of the first error, or 'OK'. */
export const codeOf = (r: GqlResult): string => r.errors?.[0]?.extensions?.code ?? 'OK';
