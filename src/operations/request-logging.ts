import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/config';
import { getOperationAST, Kind, parse } from 'graphql';

/** The GraphQL fields a reporter uses: such requests are not logged and get no request id. */
const REPORTER_FIELDS = new Set(['submitReport', 'reportByReceipt', 'replyAsReporter', 'reportChallenge', 'reportRecipients']);
const MENTIONS_REPORTER_FIELD = new RegExp(`\\b(${[...REPORTER_FIELDS].join('|')})\\b`);

type Req = IncomingMessage & { body?: { query?: unknown; operationName?: unknown }; originalUrl?: string; id?: unknown };

/** Whistleblower intake: its pages, and GraphQL operations whose every root field is a reporter's. */
function isReporterRequest(req: Req): boolean {
  const path = (req.originalUrl ?? req.url ?? '').split('?')[0];
  if (path === '/report' || path.startsWith('/report/')) return true;
  const query = req.body?.query;
  return path === '/graphql' && typeof query === 'string' && MENTIONS_REPORTER_FIELD.test(query) && onlyReporterFields(query, req.body?.operationName);
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

const PINO_LEVELS: Record<AppConfig['LOG_LEVEL'], string> = { error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };

/**
 * JSON logs (pino): one line per request with a request id (also sent as X-Request-Id), method, path
 * (never the query string), status and duration; no client address, no user agent, no headers, so no
 * tokens. Reporter requests are not logged at all. Secrets that reach a log object anyway are redacted.
 */
export function loggingOptions(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: PINO_LEVELS[config.LOG_LEVEL],
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        if (isReporterRequest(req as Req)) return '';
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
      redact: {
        paths: ['*.password', '*.token', '*.accessToken', '*.refreshToken', '*.receipt', '*.recoveryKey', '*.authorization', '*.totp'],
        censor: '[redacted]',
      },
    },
  };
}
