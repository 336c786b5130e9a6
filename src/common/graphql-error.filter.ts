import { Catch } from '@nestjs/common';
import { GqlExceptionFilter } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';

/**
 * Hands the application's own GraphQL errors (NOT_FOUND, BAD_USER_INPUT, ...) to Apollo as they are.
 * Without it Nest logs each one as an unhandled exception; expected refusals are not server errors.
 */
@Catch(GraphQLError)
export class GraphQLErrorFilter implements GqlExceptionFilter {
  catch(error: GraphQLError): GraphQLError {
    return error;
  }
}
