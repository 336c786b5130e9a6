import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Params } from 'nestjs-pino';
import type { AppConfig } from '../config/config';

/** The GraphQL fields a reporter uses: such requests are not logged and get no request id. */
const REPORTER_FIELDS = /\b(submitReport|reportByReceipt|replyAsReporter|reportChallenge|reportRecipients)\b/;

type Req = IncomingMessage & { body?: { query?: unknown; operationName?: unknown }; originalUrl?: string; id?: unknown };

/** Whistleblower intake: its pages and its GraphQL operations. */
function isReporterRequest(req: Req): boolean {
  const path = (req.originalUrl ?? req.url ?? '').split('?')[0];
  return path === '/report' || path.startsWith('/report/') || (path === '/graphql' && REPORTER_FIELDS.test(String(req.body?.query ?? '')));
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
