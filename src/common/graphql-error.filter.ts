import { ArgumentsHost, Catch } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import {
  ErrorCode,
  HTTP_STATUS,
  isUnavailable,
  refusalHoldMs,
  RETRY_AFTER_SECONDS,
  setRetryAfter,
  UNAVAILABLE_MESSAGE,
} from './errors';
import { GqlExceptionFilter } from '@nestjs/graphql';
import type { Response } from 'express';
import { GraphQLError } from 'graphql';

/**
 * The application's own errors (NOT_FOUND, BAD_USER_INPUT, ...): to Apollo as they are, or, on plain
 * HTTP routes (exports, downloads), as JSON with the matching status and the same code. Without it
 * Nest logs each one as an unhandled exception; expected refusals are not server errors.
 */
@Catch(GraphQLError)
export class GraphQLErrorFilter implements GqlExceptionFilter {
  catch(error: GraphQLError, host: ArgumentsHost): GraphQLError | void {
    if (host.getType<string>() !== 'http') return error;
    const code = typeof error.extensions.code === 'string' ? error.extensions.code : 'INTERNAL';
    const res = host.switchToHttp().getResponse<Response>();
    setRetryAfter(res, error);
    setTimeout(() => res.status(HTTP_STATUS[code] ?? 500).json({ code, message: error.message }), refusalHoldMs(error));
  }
}

/**
 * Plain HTTP routes (exports, feeds, reporter pages) while the database is away: 503 with Retry-After
 * and the UNAVAILABLE code, as GraphQL answers; every other error goes to Nest's own handling.
 */
@Catch()
export class UnavailableFilter extends BaseExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): unknown {
    if (host.getType<string>() !== 'http') return error; // GraphQL: formatError decides
    if (!isUnavailable(error)) return super.catch(error, host);
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(503)
      .setHeader('Retry-After', String(RETRY_AFTER_SECONDS))
      .json({ code: ErrorCode.UNAVAILABLE, message: UNAVAILABLE_MESSAGE });
    return undefined;
  }
}
