import { ArgumentsHost, Catch } from '@nestjs/common';
import { GqlExceptionFilter } from '@nestjs/graphql';
import type { Response } from 'express';
import { GraphQLError } from 'graphql';

const HTTP_STATUS: Record<string, number> = {
  UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, BAD_USER_INPUT: 400, CONFLICT: 409, RATE_LIMITED: 429,
};

/**
 * The application's own errors (NOT_FOUND, BAD_USER_INPUT, ...): to Apollo as they are, or, on plain
 * HTTP routes (exports, downloads), as JSON with the matching status and the same code. Without it
 * Nest logs each one as an unhandled exception; expected refusals are not server errors.
 */
@Catch(GraphQLError)
export class GraphQLErrorFilter implements GqlExceptionFilter {
  catch(error: GraphQLError, host: ArgumentsHost): GraphQLError | void {
    if (host.getType<string>() !== 'http') return error;
    const code = String(error.extensions.code ?? 'INTERNAL');
    host.switchToHttp().getResponse<Response>().status(HTTP_STATUS[code] ?? 500).json({ code, message: error.message });
  }
}
