// Nest loads Apollo as ESM; take its types from the same build.
import type { ApolloServerPlugin } from '@apollo/server' with { 'resolution-mode': 'import' };
import { getComplexity } from 'graphql-query-complexity';
import { GraphQLError, GraphQLSchema } from 'graphql';
import { AppError, ErrorCode } from './errors';

/** Apollo answers errors thrown by plugins with HTTP 500 unless told otherwise (and strips `http`). */
const BAD_REQUEST = { http: { status: 400 } };

/**
 * Refuses documents whose estimated cost exceeds `max` before anything executes. A field costs 1 plus
 * its children, multiplied by `first` on paginated lists, so nested large pages add up the way they
 * would hit the database.
 */
export function costLimitPlugin(max: number, schemaOf: () => GraphQLSchema): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          let cost: number;
          try {
            cost = getComplexity({
              schema: schemaOf(),
              query: document,
              variables: request.variables,
              operationName: request.operationName,
              estimators: [
                ({ args, childComplexity }) => 1 + childComplexity * (typeof args.first === 'number' ? Math.max(args.first, 1) : 1),
              ],
            });
          } catch (err) {
            // Estimating coerces the variables first; invalid ones are the client's error, said plainly.
            if (err instanceof GraphQLError) throw new AppError(ErrorCode.BAD_USER_INPUT, err.message, BAD_REQUEST);
            throw err;
          }
          if (cost > max) {
            throw new AppError(ErrorCode.BAD_USER_INPUT, `Query is too expensive: cost ${cost} exceeds the limit of ${max}`, BAD_REQUEST);
          }
        },
      };
    },
  };
}
