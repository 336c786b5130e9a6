import { HttpException, Logger } from '@nestjs/common';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import {
  ERROR_CODES,
  ErrorCode,
  refusalHoldMs,
  isUnavailable,
  RequestEndedError,
  RETRY_AFTER_SECONDS,
  UNAVAILABLE_MESSAGE,
} from './errors';
// Nest loads Apollo as ESM; take its types from the same build.
import type { ApolloServerPlugin } from '@apollo/server' with { 'resolution-mode': 'import' };

const logger = new Logger('GraphQL');

/** Apollo's own codes for documents it refuses before execution. */
const APOLLO_INPUT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

const HTTP_CODES: Record<number, ErrorCode> = {
  400: ErrorCode.BAD_USER_INPUT,
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  409: ErrorCode.CONFLICT,
  429: ErrorCode.RATE_LIMITED,
};

function httpMessage(ex: HttpException): string {
  const body = ex.getResponse();
  if (typeof body === 'object' && body && 'message' in body) {
    const m = body.message;
    return Array.isArray(m) ? m.join('; ') : String(m);
  }
  return ex.message;
}

function causedBy(error: unknown, kind: new (...args: never[]) => Error): boolean {
  for (let e = error; e; e = (e as { originalError?: unknown }).originalError) if (e instanceof kind) return true;
  return false;
}

/**
 * Maps every error onto the closed code set. Anything unexpected becomes INTERNAL with a generic
 * message; the original is logged, never sent, so internals (SQL, stack traces) cannot leak.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  const code = formatted.extensions?.code as string | undefined;
  const base = { locations: formatted.locations, path: formatted.path };

  if (isUnavailable(original)) {
    logger.warn(`Database unavailable: ${original instanceof Error ? original.message : String(original)}`);
    return {
      ...base,
      message: UNAVAILABLE_MESSAGE,
      extensions: { code: ErrorCode.UNAVAILABLE },
    };
  }
  if (original instanceof HttpException) {
    const status = original.getStatus();
    const mapped = HTTP_CODES[status] ?? ErrorCode.INTERNAL;
    const message = mapped === ErrorCode.RATE_LIMITED ? 'Too many requests, try again later' : httpMessage(original);
    return {
      ...base,
      message: mapped === ErrorCode.INTERNAL ? 'Internal error' : message,
      extensions: { code: mapped },
    };
  }
  if (code && ERROR_CODES.has(code) && code !== String(ErrorCode.INTERNAL) && original instanceof GraphQLError) {
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...base, message: formatted.message, extensions };
  }
  if (code === 'GRAPHQL_PARSE_FAILED' && causedBy(error, RangeError)) {
    // graphql-js parses recursively: a document nested some thousands of levels exhausts the stack.
    return { ...base, message: 'The query is nested too deeply', extensions: { code: ErrorCode.BAD_USER_INPUT } };
  }
  if (code && APOLLO_INPUT_CODES.has(code)) {
    return { ...base, message: formatted.message, extensions: { code: ErrorCode.BAD_USER_INPUT } };
  }
  if (original instanceof GraphQLError && !original.originalError && !code) {
    // Errors graphql-js raises itself while coercing variables and arguments.
    return { ...base, message: formatted.message, extensions: { code: ErrorCode.BAD_USER_INPUT } };
  }
  if (original instanceof RequestEndedError) {
    // The answer has left already (a sibling field failed first, or the client went away): no one
    // reads this error, and the work it refused was rolled back with the request.
    logger.warn(`${formatted.path?.join('.') ?? 'A field'}: ${original.message}`);
  } else {
    logger.error(original instanceof Error ? (original.stack ?? original.message) : String(original));
  }
  return { ...base, message: 'Internal error', extensions: { code: ErrorCode.INTERNAL } };
}

/**
 * An answer that says UNAVAILABLE goes out as HTTP 503 with Retry-After, so clients and proxies retry;
 * refusals that say so are held first (refusalHoldMs: judged on the errors as raised, before
 * formatError drops what they were).
 */
export function unavailablePlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      let hold = 0;
      return {
        async didEncounterErrors({ errors }) {
          hold = Math.max(hold, ...errors.map(refusalHoldMs));
        },
        async willSendResponse({ response }) {
          if (hold) await new Promise((r) => setTimeout(r, hold));
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          if (!errors?.some((e) => e.extensions?.code === ErrorCode.UNAVAILABLE)) return;
          response.http.status = 503;
          response.http.headers.set('retry-after', String(RETRY_AFTER_SECONDS));
        },
      };
    },
  };
}
