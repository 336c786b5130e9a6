import { INestApplication, Logger, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { ValidationError } from 'class-validator';
import type { NextFunction, Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { AppConfig } from './config/config';
import { badInput } from './common/errors';
import { WellFormedTextPipe } from './common/well-formed-text.pipe';
import { createLogger, PinoNestLogger, requestLogging } from './operations/request-logging';
import { GraphQLErrorFilter, UnavailableFilter } from './common/graphql-error.filter';
import { requestContext, RequestState } from './common/request-context';
import { inProductWords } from './common/validation-messages';
import { DatabaseService } from './database/database.service';
import { reportPostAdmission } from './whistleblowing/report-post-admission';
import { JSON_MEDIA_TYPES, MAX_BODY_BYTES } from './common/request-limits';
import type { Server as HttpServer } from 'node:http';
import cookieParser from 'cookie-parser';

/** Longer than the idle timeout of common proxies and load balancers (60 s). */
const KEEP_ALIVE_MS = 65_000;

/** The Nest application, configured the same way for the server and the e2e tests. */
export async function createApp(config: AppConfig, dataSource: DataSource): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, dataSource), {
    bufferLogs: true,
  });
  // Logs through pino from the first line on (operations/request-logging.ts).
  const logger = createLogger(config);
  app.useLogger(new PinoNestLogger(logger));
  if (config.TRUST_PROXY) app.set('trust proxy', 1);
  // First of all: a reporter's post beyond the pages' rate waits before any work.
  app.use('/report', reportPostAdmission(config.REPORT_POSTS_PER_SECOND, config.REPORT_POSTS_WAITING));
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
