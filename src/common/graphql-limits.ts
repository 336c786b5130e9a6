// Nest loads Apollo as ESM; take its types from the same build.
import type { ApolloServerPlugin } from '@apollo/server' with { 'resolution-mode': 'import' };
import { getComplexity } from 'graphql-query-complexity';
import { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import { AppError, ErrorCode } from './errors';

/** Apollo answers errors thrown by plugins with HTTP 500 unless told otherwise (and strips `http`). */
const BAD_REQUEST = { http: { status: 400 } };

/**
 * The estimated cost of an operation: a field costs 1 plus its children, multiplied by `first` on
 * paginated lists, so nested large pages add up the way they would hit the database. Throws
 * BAD_USER_INPUT when the variables do not fit, or when the cost exceeds `max`.
 */
export function assertAffordable(
  max: number,
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | null | undefined,
): void {
  let cost: number;
  try {
    cost = getComplexity({
      schema,
      query: document,
      variables,
      operationName: operationName ?? undefined,
      estimators: [({ args, childComplexity }) => 1 + childComplexity * (typeof args.first === 'number' ? Math.max(args.first, 1) : 1)],
    });
  } catch (err) {
    // Estimating coerces the variables first; invalid ones are the client's error, said plainly.
    if (err instanceof GraphQLError) throw new AppError(ErrorCode.BAD_USER_INPUT, err.message, BAD_REQUEST);
    throw err;
  }
  if (cost > max) {
    throw new AppError(ErrorCode.BAD_USER_INPUT, `Query is too expensive: cost ${cost} exceeds the limit of ${max}`, BAD_REQUEST);
  }
}

/** Refuses HTTP documents whose estimated cost exceeds `max` before anything executes. */
export function costLimitPlugin(max: number, schemaOf: () => GraphQLSchema): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          assertAffordable(max, schemaOf(), document, request.variables, request.operationName);
        },
      };
    },
  };
}
