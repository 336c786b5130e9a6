import type { LoggerService } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { getOperationAST, Kind, parse } from 'graphql';
import pino, { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import pretty from 'pino-pretty';
import type { AppConfig } from '../config/config';

/** The GraphQL fields a reporter uses: such requests are not logged and get no request id. */
const REPORTER_FIELDS = new Set([
  'submitReport',
  'reportByReceipt',
  'replyAsReporter',
  'reportChallenge',
  'reportRecipients',
]);
const MENTIONS_REPORTER_FIELD = new RegExp(`\\b(${[...REPORTER_FIELDS].join('|')})\\b`);

type Req = IncomingMessage & {
  body?: { query?: unknown; operationName?: unknown };
  originalUrl?: string;
  id?: unknown;
};

/** Whistleblower intake: its pages, and GraphQL operations whose every root field is a reporter's. */
function isReporterRequest(req: Req): boolean {
  const path = (req.originalUrl ?? req.url ?? '').split('?')[0];
  if (path === '/report' || path.startsWith('/report/')) return true;
  const query = req.body?.query;
  return (
    path === '/graphql' &&
    typeof query === 'string' &&
    MENTIONS_REPORTER_FIELD.test(query) &&
    onlyReporterFields(query, req.body?.operationName)
  );
}

/** Decided on the parsed operation, so comments, strings or aliases cannot make a request look like a reporter's. */
function onlyReporterFields(query: string, operationName: unknown): boolean {
  let operation;
  try {
    operation = getOperationAST(parse(query), typeof operationName === 'string' ? operationName : undefined);
  } catch {
    return false;
  }
  const roots = operation?.selectionSet.selections ?? [];
  return roots.length > 0 && roots.every((s) => s.kind === Kind.FIELD && REPORTER_FIELDS.has(s.name.value));
}

const PINO_LEVELS: Record<AppConfig['LOG_LEVEL'], string> = {
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/**
 * The server's logger (pino): JSON lines on stdout, or readable lines when a person watches a terminal
 * (stdout is a TTY and NODE_ENV is not production). Secrets that reach a log object are redacted.
 */
export function createLogger(config: AppConfig): Logger {
  const options = {
    level: PINO_LEVELS[config.LOG_LEVEL],
    redact: {
      paths: [
        '*.password',
        '*.token',
        '*.accessToken',
        '*.refreshToken',
        '*.receipt',
        '*.recoveryKey',
        '*.authorization',
        '*.totp',
      ],
      censor: '[redacted]',
    },
  };
  const readable = process.stdout.isTTY && config.NODE_ENV !== 'production';
  return pino(
    options,
    readable ? pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' }) : process.stdout,
  );
}

/**
 * One line per request with a request id (also sent as X-Request-Id), method, path (never the query
 * string), status and duration; no client address, no user agent, no headers, so no tokens. Reporter
 * requests are not logged at all. Registered after the JSON body parser: it reads the GraphQL operation.
 */
export function requestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      if (isReporterRequest(req)) return '';
      const id = randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    autoLogging: { ignore: (req: IncomingMessage) => isReporterRequest(req as Req) },
    serializers: {
      // pino-http hands the serializer its own view of the request; `raw` is the request itself.
      req: (view: { raw?: Req } & Req) => {
        const req = view.raw ?? view;
        return {
          id: req.id,
          method: req.method,
          path: (req.originalUrl ?? req.url ?? '').split('?')[0],
          ...(typeof req.body?.operationName === 'string' ? { operation: req.body.operationName } : {}),
        };
      },
      res: (res: ServerResponse) => ({ status: res.statusCode }),
    },
  });
}

/** Nest's own log calls (`new Logger(Context).warn(...)`) through the same pino logger, with their context. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  /** Nest passes the context last (and, for errors, a stack before it). */
  private write(level: pino.Level, message: unknown, rest: unknown[]): void {
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const stack = typeof rest[0] === 'string' ? rest[0] : undefined;
    const fields = { ...(context && { context }), ...(stack && { stack }) };
    if (message instanceof Error) this.logger[level]({ ...fields, err: message }, message.message);
    else if (typeof message === 'object' && message !== null) this.logger[level]({ ...fields, ...message });
    else this.logger[level](fields, String(message));
  }
}
