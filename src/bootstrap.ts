import { INestApplication, Logger, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { ValidationError } from 'class-validator';
import type { NextFunction, Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { AppConfig } from './config/config';
import { badInput } from './common/errors';
import { WellFormedTextPipe } from './common/well-formed-text.pipe';
import { createLogger, PinoNestLogger, requestLogging } from './operations/request-logging';
import { GraphQLErrorFilter, UnavailableFilter } from './common/graphql-error.filter';
import { createDataSource } from './database/data-source';
import { requestContext, RequestState } from './database/request-context';
import { inProductWords } from './common/validation-messages';
import { DatabaseService } from './database/database.service';
import { DatabaseUrls } from './database/roles';
import { join } from 'node:path';
import { JSON_MEDIA_TYPES, MAX_BODY_BYTES } from './common/request-limits';
import type { Server as HttpServer } from 'node:http';
import cookieParser from 'cookie-parser';

/** DATABASE_URL (and DATABASE_OWNER_URL), or the embedded Postgres under DATA_DIR/postgres. */
export async function resolveDatabaseUrls(
  config: AppConfig,
  log: Logger,
): Promise<DatabaseUrls & { stopAfter?: (done: Promise<unknown>) => void }> {
  if (config.DATABASE_URL) return { app: config.DATABASE_URL, owner: config.DATABASE_OWNER_URL! };
  const dataDir = join(config.DATA_DIR, 'postgres');
  log.log(`DATABASE_URL is not set: starting embedded PostgreSQL in ${dataDir} on port ${config.EMBEDDED_PG_PORT}`);
  // Loaded only when needed: a server with DATABASE_URL never touches the embedded binaries.
  const { startEmbeddedPostgres } = await import('./database/embedded-postgres.js');
  const pg = await startEmbeddedPostgres({
    dataDir,
    port: config.EMBEDDED_PG_PORT,
    notice: (m: string) => log.warn(m),
  });
  return pg;
}

/** Where the server answers, once it does. */
export function announce(config: AppConfig, log: Logger): void {
  const base = `http://${config.HOST}:${config.PORT}`;
  const workers = config.WEB_CONCURRENCY > 1 ? ` (${config.WEB_CONCURRENCY} workers)` : '';
  log.log(
    `Ready${workers}. Console: ${base}/   GraphQL: ${base}/graphql   Reporter page: ${base}/report   Health: ${base}/health/ready`,
  );
}

/** Any key works as long as every instance uses the same one. */
const MIGRATION_LOCK = 0x4857_4d49; // 'HWMI'

/**
 * Applies pending migrations as the owner, then connects as the application role. Instances starting
 * together take turns (a session advisory lock): the first migrates, the others find nothing to do.
 */
export async function openDatabase(urls: DatabaseUrls, config: AppConfig): Promise<DataSource> {
  const owner = createDataSource(urls.owner, 2);
  await owner.initialize();
  const lock = owner.createQueryRunner();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await owner.runMigrations({ transaction: 'each' });
  } finally {
    await lock.release();
    await owner.destroy();
  }
  const dataSource = createDataSource(urls.app, config.DATABASE_POOL_SIZE, {
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    idleInTransactionTimeoutMs: config.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  });
  await dataSource.initialize();
  await refuseBypassingRole(dataSource);
  return dataSource;
}

/**
 * Row-level security is the backstop for tenant isolation only if the application's role cannot skip
 * it: a superuser, a BYPASSRLS role or the tables' owner (DATABASE_URL pointing at the owner) is refused.
 */
async function refuseBypassingRole(dataSource: DataSource): Promise<void> {
  const [role]: { rolname: string; bypasses: boolean }[] = await dataSource.query(
    `SELECT rolname, rolsuper OR rolbypassrls OR pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE relname = 'bulletins'), 'USAGE') AS bypasses
       FROM pg_roles WHERE rolname = current_user`,
  );
  if (role?.bypasses) {
    await dataSource.destroy();
    throw new Error(
      `DATABASE_URL connects as "${role.rolname}", which bypasses row-level security (superuser, BYPASSRLS or table owner). ` +
        'Connect the application as its own role (see docker/postgres-init.sh) and give the owner to DATABASE_OWNER_URL.',
    );
  }
}

/** The Nest application, configured the same way for the server and the e2e tests. */
/** Longer than the idle timeout of common proxies and load balancers (60 s). */
const KEEP_ALIVE_MS = 65_000;

export async function createApp(config: AppConfig, dataSource: DataSource): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, dataSource), {
    bufferLogs: true,
  });
  // Logs through pino from the first line on (operations/request-logging.ts).
  const logger = createLogger(config);
  app.useLogger(new PinoNestLogger(logger));
  if (config.TRUST_PROXY) app.set('trust proxy', 1);
  app.useBodyParser('json', { limit: MAX_BODY_BYTES, type: JSON_MEDIA_TYPES });
  app.use(requestLogging(logger));
  app.disable('x-powered-by');
  // The browser console's refresh token arrives as a cookie (auth/refresh-cookie.ts).
  app.use(cookieParser());
  // Every API answer is the caller's own (a whistleblower case, a vetting record): no cache keeps one.
  app.use('/graphql', (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // Every request gets its own context for the actor and the request transaction (DatabaseService).
  // GraphQL ends that transaction before responding; whatever else opened one, it ends with the response.
  const db = app.get(DatabaseService);
  app.use((_req: Request, res: Response, next: NextFunction) => {
    const state: RequestState = {};
    res.on('close', () => {
      if (!state.ended) void db.finish(state, false).catch((err: unknown) => Logger.error(err, 'RequestTransaction'));
    });
    requestContext.run(state, next);
  });
  app.useGlobalPipes(
    new WellFormedTextPipe(),
    new ValidationPipe({
      whitelist: true,
      forbidUnknownValues: true,
      exceptionFactory: (errors) => {
        const { path, message } = firstViolation(errors);
        return badInput(message, path);
      },
    }),
  );
  // Filters run last-registered first: application errors, then the database's absence, then Nest's own.
  app.useGlobalFilters(new UnavailableFilter(app.getHttpAdapter()), new GraphQLErrorFilter());
  app.enableShutdownHooks();
  await app.init();
  // Idle keep-alive connections outlive a proxy's or client's own idle timeout: with Node's default
  // (5 s) a client reusing a connection just as the server drops it gets ECONNRESET. Shutdown closes
  // idle connections at once whatever this is.
  const server: HttpServer = app.getHttpServer();
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1000;
  return app;
}

/** The first failed constraint, however deep in nested inputs, with its dotted path (`input.audience.ports`). */
function firstViolation(errors: ValidationError[], prefix = ''): { path?: string; message: string } {
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const message = Object.values(error.constraints ?? {})[0];
    if (message) return { path, message: inProductWords(message) };
    if (error.children?.length) return firstViolation(error.children, path);
  }
  return { message: 'Invalid input' };
}
